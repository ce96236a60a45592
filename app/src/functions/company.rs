//! The company card (F43): everyone on the staff reads it, its administrator changes it.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::views::CompanyView;

#[server(endpoint = "company_card")]
pub async fn company_card() -> Result<CompanyView, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::company::CompanyForm;
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
        card: CompanyForm {
            name: co.name,
            inn: co.inn,
            kpp: co.kpp,
            ogrn: co.ogrn,
            legal_address: co.legal_address,
            actual_address: co.actual_address,
            phone: co.phone,
            email: co.email,
            working_hours: co.working_hours,
            bank_name: co.bank_name,
            bik: co.bik,
            settlement_account: co.settlement_account,
            correspondent_account: co.correspondent_account,
        },
        cities,
        editable: c.role.allows(Permission::ManageCompany),
    })
}

/// The card as the administrator sent it, checked field by field; the journal keeps who
/// changed it and when.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "save_company")]
pub async fn save_company(
    name: String,
    inn: String,
    kpp: String,
    ogrn: String,
    legal_address: String,
    actual_address: String,
    phone: String,
    email: String,
    working_hours: String,
    bank_name: String,
    bik: String,
    settlement_account: String,
    correspondent_account: String,
) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::company::CompanyForm;
    use crate::models::Permission;
    use crate::storage::{audit, company};

    let (db, c) = authorize(Permission::ManageCompany).await?;
    let f = CompanyForm {
        name,
        inn,
        kpp,
        ogrn,
        legal_address,
        actual_address,
        phone,
        email,
        working_hours,
        bank_name,
        bik,
        settlement_account,
        correspondent_account,
    }
    .trimmed();
    f.check().map_err(|(m, p)| AppError::invalid(m, p))?;
    let before = company::get(&db, c.company_id).await?;
    company::update(
        &db,
        &company::Company {
            name: f.name,
            inn: f.inn,
            kpp: f.kpp,
            ogrn: f.ogrn,
            legal_address: f.legal_address,
            actual_address: f.actual_address,
            phone: f.phone,
            email: f.email,
            working_hours: f.working_hours,
            bank_name: f.bank_name,
            bik: f.bik,
            settlement_account: f.settlement_account,
            correspondent_account: f.correspondent_account,
            ..before.clone()
        },
    )
    .await?;
    audit::create(&db, Some(c.company_id), Some(c.user_id), "save_company", &before.name, &c.ip).await?;
    Ok(())
}
