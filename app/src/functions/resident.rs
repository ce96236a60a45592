//! A resident's own premises. Nothing here takes an id from the browser: what a resident
//! sees is decided by the session alone.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::views::PremiseView;

#[server(endpoint = "my_premises")]
pub async fn my_premises() -> Result<Vec<PremiseView>, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::views::MeterBrief;
    use crate::models::Permission;
    use crate::storage::{account, meter, object, resident};

    let (db, c) = authorize(Permission::OwnPremises).await?;
    let mut out = Vec::new();
    for p in resident::list_premises(&db, c.company_id, c.user_id).await? {
        let o = object::get(&db, c.company_id, p.object_id).await?;
        let accounts = account::list_for_premise(&db, c.company_id, p.id)
            .await?
            .into_iter()
            .map(|a| a.number)
            .collect();
        let meters = meter::list_for_premise(&db, c.company_id, p.id)
            .await?
            .into_iter()
            .map(|m| MeterBrief {
                id: m.id,
                resource: m.resource,
                placement: m.placement,
                model: m.model,
                serial: m.serial,
                tariffs: m.tariffs,
                next_verification_on: m.next_verification_on,
            })
            .collect();
        out.push(PremiseView {
            id: p.id,
            object_name: o.name,
            address: o.address,
            number: p.number,
            accounts,
            meters,
        });
    }
    Ok(out)
}
