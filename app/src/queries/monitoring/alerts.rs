//! «Оповещения» (issue 23, point 10): a staff member's own alert subscriptions — listed,
//! made, switched off and on, removed. Only one's own: another person's subscription, or
//! another company's building, is not found.

use crate::auth::caller::Caller;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::alerts::{MyAlerts, SubscriptionForm};
use crate::storage::{alert_subscription, audit, event, object, user, Db};

/// The person's subscriptions and what the form offers.
pub async fn page(db: &Db, caller: &Caller, mail_enabled: bool) -> Result<MyAlerts, AppError> {
    let subscriptions = alert_subscription::list_of_user(db, caller.company_id, caller.user_id)
        .await?
        .into_iter()
        .map(|s| s.subscription)
        .collect();
    let email = user::get(db, caller.user_id).await?.email;
    Ok(MyAlerts { subscriptions, objects: super::objects(db, caller.company_id).await?, email, mail_enabled })
}

/// Keeps a new subscription; it hears of the events that open from now on. Its quiet hours
/// run by the first chosen building's clock (or the company's first building's).
pub async fn subscribe(db: &Db, caller: &Caller, form: &SubscriptionForm, mail_enabled: bool) -> Result<i64, AppError> {
    let mut s = form.check()?;
    if !s.email.is_empty() && !mail_enabled {
        return Err(AppError::MailNotConfigured);
    }
    for id in &s.objects {
        object::get(db, caller.company_id, *id).await.map_err(|_| AppError::invalid(Msg::Building, Problem::BadFormat))?;
    }
    let first = match s.objects.first() {
        Some(id) => Some(*id),
        None => object::names(db, caller.company_id).await?.first().map(|(id, _)| *id),
    };
    s.time_zone = match first {
        Some(id) => object::get(db, caller.company_id, id).await?.time_zone,
        None => "Europe/Moscow".into(),
    };
    let after = event::newest_id(db, caller.company_id).await?;
    let token = crate::auth::token::new_token();
    let id = alert_subscription::create(db, caller.company_id, caller.user_id, &s, after, &token, crate::storage::now()).await?;
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "alert.subscribe", &format!("«{}»", s.name), &caller.ip).await?;
    Ok(id)
}

async fn own(db: &Db, caller: &Caller, id: i64) -> Result<alert_subscription::Stored, AppError> {
    alert_subscription::list_of_user(db, caller.company_id, caller.user_id)
        .await?
        .into_iter()
        .find(|s| s.subscription.id == id)
        .ok_or(AppError::NotFound)
}

/// Switches one's own subscription off or on again (one a letter's link switched off too);
/// on again, it hears of what opens from then on.
pub async fn switch(db: &Db, caller: &Caller, id: i64, active: bool) -> Result<(), AppError> {
    let s = own(db, caller, id).await?;
    if active {
        // what opened while it was off is not told after the fact
        alert_subscription::advance(db, id, event::newest_id(db, caller.company_id).await?).await?;
    }
    alert_subscription::set_active(db, id, active).await?;
    let action = if active { "alert.resume" } else { "alert.pause" };
    audit::create(db, Some(caller.company_id), Some(caller.user_id), action, &format!("«{}»", s.subscription.name), &caller.ip).await?;
    Ok(())
}

/// Removes one's own subscription.
pub async fn remove(db: &Db, caller: &Caller, id: i64) -> Result<(), AppError> {
    let s = own(db, caller, id).await?;
    alert_subscription::delete(db, caller.company_id, caller.user_id, id).await?;
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "alert.delete", &format!("«{}»", s.subscription.name), &caller.ip).await?;
    Ok(())
}
