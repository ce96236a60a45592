//! The counts beside menu items: new requests on the desk for those who answer them, alarms
//! nobody resolved for those who watch data, unread answers and notices for residents. What is counted follows the caller's role.

use leptos::prelude::*;

use crate::errors::AppError;

/// (menu path, count) for every item of the caller's menu that has something waiting.
#[server(endpoint = "menu_badges")]
pub async fn menu_badges() -> Result<Vec<(String, i64)>, AppError> {
    use crate::auth::caller;
    use crate::models::Permission;
    use crate::storage::{event, notice, service_request};

    let db = caller::db()?;
    let c = caller::current(&db).await?.ok_or(AppError::NotSignedIn)?;
    let mut out = Vec::new();
    if c.role.allows(Permission::HandleRequests) {
        out.push((
            "/service/dispatch".to_string(),
            service_request::count_new(&db, c.company_id).await?,
        ));
    }
    if c.role.allows(Permission::ViewData) {
        // alarms only: warnings (a lapsed verification) are many and wait for a round
        out.push((
            "/monitoring/abnormal".to_string(),
            event::count_unresolved(&db, c.company_id, crate::models::monitoring::Severity::Alarm.as_str()).await?,
        ));
    }
    if c.role.allows(Permission::OwnPremises) {
        out.push((
            "/my/requests".to_string(),
            service_request::count_unread_for_author(&db, c.company_id, c.user_id).await?,
        ));
        out.push((
            "/my/notices".to_string(),
            notice::count_unread(&db, c.company_id, c.user_id).await?,
        ));
    }
    out.retain(|(_, n)| *n > 0);
    Ok(out)
}
