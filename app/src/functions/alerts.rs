//! «Мониторинг → Оповещения» (issue 23, point 10): a staff member's own alert subscriptions.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::alerts::MyAlerts;

/// The signed-in person's subscriptions and the form's choices.
#[server(endpoint = "alert_subscriptions")]
pub async fn alert_subscriptions() -> Result<MyAlerts, AppError> {
    use crate::auth::caller::authorize;
    use crate::mail::MailConfig;
    use crate::models::Permission;

    // read before the first await: after it the request's context may be gone
    let mail = use_context::<MailConfig>().unwrap_or_default();
    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::alerts::page(&db, &c, mail.enabled).await
}

/// Subscribes the signed-in person: lists comma-separated (empty: all), quiet hours `HH:MM`,
/// hours between reminders of an open alarm (empty: none).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "subscribe_alerts")]
pub async fn subscribe_alerts(
    name: String,
    email: String,
    webhook_url: String,
    kinds: String,
    severities: String,
    resources: String,
    objects: String,
    quiet_from: String,
    quiet_to: String,
    remind_hours: String,
) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::mail::MailConfig;
    use crate::models::alerts::SubscriptionForm;
    use crate::models::Permission;

    let mail = use_context::<MailConfig>().unwrap_or_default();
    let (db, c) = authorize(Permission::ViewData).await?;
    let form = SubscriptionForm { name, email, webhook_url, kinds, severities, resources, objects, quiet_from, quiet_to, remind_hours };
    crate::queries::monitoring::alerts::subscribe(&db, &c, &form, mail.enabled).await
}

/// Switches one's own subscription off or on.
#[server(endpoint = "switch_alerts")]
pub async fn switch_alerts(id: i64, active: bool) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::alerts::switch(&db, &c, id, active).await
}

/// Removes one's own subscription.
#[server(endpoint = "delete_alerts")]
pub async fn delete_alerts(id: i64) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::monitoring::alerts::remove(&db, &c, id).await
}
