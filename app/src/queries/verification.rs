//! «Поверка»: the calendar of a period — counts by month of its year and by day of its
//! month, the period's meters, or every overdue one — for the page and its file alike.

use chrono::{Datelike, NaiveDate};

use crate::auth::caller::Caller;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::verification::{Period, DueCalendar, VerificationRow};
use crate::models::Resource;
use crate::storage::{object, verification, Db};

/// The company's day: verification dates are calendar days, read in Moscow time.
pub fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive()
}

pub async fn calendar(
    db: &Db,
    caller: &Caller,
    period: Period,
    object_id: Option<i64>,
    overdue_only: bool,
) -> Result<DueCalendar, AppError> {
    let (from, to) = period.bounds().ok_or(AppError::Invalid { field: Msg::VerPeriod, problem: Problem::BadFormat })?;
    if let Some(id) = object_id {
        object::get(db, caller.company_id, id).await?;
    }
    let objects = object::names(db, caller.company_id).await?;
    let today = today();
    let year = NaiveDate::from_ymd_opt(period.year, 1, 1).expect("a checked year");
    let next_year = NaiveDate::from_ymd_opt(period.year + 1, 1, 1).expect("a checked year");
    let mut by_month = [0u32; 12];
    for (day, n) in verification::counts(db, caller.company_id, object_id, year, next_year).await? {
        by_month[day.month0() as usize] += n as u32;
    }
    let by_day = match period.month {
        None => Vec::new(),
        Some(m) => {
            let first = NaiveDate::from_ymd_opt(period.year, m, 1).expect("a checked month");
            let next = first.checked_add_months(chrono::Months::new(1)).expect("a checked month");
            let mut days = vec![0u32; (next - first).num_days() as usize];
            for (day, n) in verification::counts(db, caller.company_id, object_id, first, next).await? {
                days[day.day0() as usize] += n as u32;
            }
            days
        }
    };
    let long_ago = NaiveDate::from_ymd_opt(1990, 1, 1).expect("a real day");
    let overdue = verification::counts(db, caller.company_id, object_id, long_ago, today)
        .await?
        .iter()
        .map(|(_, n)| *n as u32)
        .sum();
    let (from, to) = if overdue_only { (long_ago, today) } else { (from, to) };
    let rows = verification::due(db, caller.company_id, object_id, from, to)
        .await?
        .into_iter()
        .map(|m| VerificationRow {
            meter_id: m.meter_id,
            object: m.object_name,
            place: super::place(&m.placement, m.premise.as_deref()),
            resource: Resource::parse(&m.resource).unwrap_or(Resource::Electricity),
            model: m.model,
            serial: m.serial,
            verified_on: m.verified_on,
            due_on: m.due_on,
        })
        .collect();
    Ok(DueCalendar { period, object_id, objects, today, by_month, by_day, overdue, overdue_only, rows })
}
