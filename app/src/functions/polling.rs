//! The polling console: what the collector did in a building, and polls asked by hand.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::polling::{Category, Console};

/// The console of a building (the asked one, else the one picked in the top bar).
#[server(endpoint = "polling_console")]
pub async fn polling_console(object: Option<i64>, category: Category) -> Result<Console, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let chosen = crate::prefs::read_cookie(crate::components::layout::OBJECT_COOKIE)
        .and_then(|v| v.parse().ok());
    crate::queries::console::console(&db, &c, object, chosen, category).await
}

/// Queues a poll of one meter, or of the whole building, for the collector; its job id.
#[server(endpoint = "poll_now")]
pub async fn poll_now(object: i64, meter: Option<i64>) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;
    use crate::storage::{meter as meters, object as objects, poll_job};

    let (db, c) = authorize(Permission::EditData).await?;
    // Both must be this company's: another company's building or meter is "not found".
    objects::get(&db, c.company_id, object).await?;
    if let Some(id) = meter {
        if meters::get(&db, c.company_id, id).await?.object_id != object {
            return Err(AppError::NotFound);
        }
    }
    let job = poll_job::create_manual(
        &db,
        &poll_job::Manual {
            company_id: c.company_id,
            object_id: object,
            meter_id: meter,
            resource: None,
            requested_by: Some(c.user_id),
        },
    )
    .await?;
    crate::storage::audit::create(
        &db,
        Some(c.company_id),
        Some(c.user_id),
        "poll.manual",
        &format!("object {object}, meter {meter:?}, job {}", job.id),
        &c.ip,
    )
    .await
    .ok();
    Ok(job.id)
}

/// «Не опрашиваются»: quiet meters of one building, or of every building when none is asked.
#[server(endpoint = "not_polled")]
pub async fn not_polled(object: Option<i64>, days: i64) -> Result<crate::models::not_polled::SilentList, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::not_polled::list(&db, &c, object, days).await
}

/// The terminal tab: the raw exchange of a meter's last poll.
#[server(endpoint = "poll_exchange")]
pub async fn poll_exchange(object: Option<i64>, meter: Option<i64>) -> Result<crate::models::polling::Terminal, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    let chosen = crate::prefs::read_cookie(crate::components::layout::OBJECT_COOKIE)
        .and_then(|v| v.parse().ok());
    crate::queries::console::terminal(&db, &c, object, chosen, meter).await
}
