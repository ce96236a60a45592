//! The company card.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::views::CompanyView;

#[server(endpoint = "company_card")]
pub async fn company_card() -> Result<CompanyView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{city, company};

    let (db, c) = authorize(Permission::ViewCompany).await?;
    let co = company::get(&db, c.company_id).await?;
    let cities = city::list_for_company(&db, c.company_id)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    Ok(CompanyView {
        id: co.id,
        name: co.name,
        inn: co.inn,
        kpp: co.kpp,
        ogrn: co.ogrn,
        legal_address: co.legal_address,
        actual_address: co.actual_address,
        phone: co.phone,
        email: co.email,
        working_hours: co.working_hours,
        cities,
    })
}
