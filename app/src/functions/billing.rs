//! The monthly billing export (issue 28): the company's runs, a new run, a run's protocol.
//! Whoever sees data reads the runs and downloads their files; a dispatcher runs them.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::models::billing::{BillingPage, Protocol};

#[server(endpoint = "billing_runs")]
pub async fn billing_runs() -> Result<BillingPage, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::billing::page(&db, &c).await
}

/// Runs the export of a billing period (`period` as `yyyy-mm`) in a template; `again` asks for
/// a period already exported. The new run's number, failed or not: its protocol says how it
/// went.
#[server(endpoint = "run_billing_export")]
pub async fn run_billing_export(period: String, template: String, #[server(default)] again: Option<String>) -> Result<i64, AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::billing::Template;
    use crate::models::Permission;
    use crate::storage::audit;

    let (db, c) = authorize(Permission::EditData).await?;
    let month = chrono::NaiveDate::parse_from_str(&format!("{}-01", period.trim()), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(Msg::BillingPeriod, Problem::BadFormat))?;
    AppError::check_dates([&Some(month)])?;
    if month > crate::consumption::calendar::first_of_month(chrono::Utc::now().date_naive()) {
        return Err(AppError::invalid(Msg::BillingPeriod, Problem::OutOfBounds));
    }
    let template = Template::parse(template.trim()).ok_or(AppError::invalid(Msg::BillingTemplate, Problem::BadFormat))?;
    let again = again.is_some_and(|v| !v.is_empty() && v != "false");
    let run = crate::queries::billing::run_by(&db, &c, month, template, again).await?;
    let what = format!("№ {} {} {}", run.id, period.trim(), template.as_str());
    audit::create(&db, Some(c.company_id), Some(c.user_id), "run_billing_export", &what, &c.ip).await?;
    Ok(run.id)
}

#[server(endpoint = "billing_protocol")]
pub async fn billing_protocol(id: i64) -> Result<Protocol, AppError> {
    use crate::auth::caller::authorize;
    use crate::models::Permission;

    let (db, c) = authorize(Permission::ViewData).await?;
    crate::queries::billing::protocol(&db, &c, id).await
}

/// The automatic export: `enabled` on, the template and the day of the month (after the
/// billing window); off removes it.
#[server(endpoint = "save_billing_schedule")]
pub async fn save_billing_schedule(
    #[server(default)] enabled: Option<String>,
    template: String,
    day: String,
) -> Result<(), AppError> {
    use crate::auth::caller::authorize;
    use crate::errors::Problem;
    use crate::i18n::Msg;
    use crate::models::billing::{Schedule, Template};
    use crate::models::Permission;
    use crate::storage::{audit, billing_schedule, billing_window};

    let (db, c) = authorize(Permission::EditData).await?;
    let schedule = match enabled.is_some_and(|v| !v.is_empty() && v != "false") {
        false => None,
        true => {
            let template = Template::parse(template.trim()).ok_or(AppError::invalid(Msg::BillingTemplate, Problem::BadFormat))?;
            let day: u32 = day.trim().parse().map_err(|_| AppError::invalid(Msg::BillingAutoDay, Problem::BadFormat))?;
            let window = billing_window::get(&db, c.company_id).await?;
            Some(Schedule::new(template, day, window.last_day).ok_or(AppError::invalid(Msg::BillingAutoDay, Problem::OutOfBounds))?)
        }
    };
    billing_schedule::set(&db, c.company_id, schedule).await?;
    let what = schedule.map(|s| format!("{} {}", s.day, s.template.as_str())).unwrap_or_else(|| "off".into());
    audit::create(&db, Some(c.company_id), Some(c.user_id), "save_billing_schedule", &what, &c.ip).await?;
    Ok(())
}
