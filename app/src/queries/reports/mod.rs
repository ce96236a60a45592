//! «Отчёты» (F38): each report made from the same sources as the pages it sums up — the
//! consumption rollup the dashboard and the subscribers' list read, the readings the
//! readings table reads, the verification calendar — so a report never disagrees with them.

mod balance;
mod channels;
mod common_meter;
mod registry;
mod verification;

use std::collections::HashMap;

use chrono::{Months, NaiveDate};

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::i18n::{month_year, period_caption, Lang, Msg};
use crate::models::reports::{Report, ReportKind, ReportQuery};
use crate::storage::{billing_window, object, reading, Db};

/// The report a query asks for, with the title its files print.
pub async fn make(db: &Db, caller: &Caller, q: &ReportQuery, lang: Lang) -> Result<Report, AppError> {
    AppError::check_dates([&q.month])?;
    let all = object::list(db, caller.company_id).await?;
    let objects: Vec<object::Object> = match q.object {
        // another company's building is not found, as everywhere
        Some(id) => vec![object::get(db, caller.company_id, id).await?],
        None => all.clone(),
    };
    let scope = match q.object {
        Some(_) => objects[0].name.clone(),
        None => Msg::NpAllObjects.text(lang).to_string(),
    };
    let by_period = q.by_period && q.kind.has_period();
    let window = match by_period {
        true => Some(billing_window::get(db, caller.company_id).await?),
        false => None,
    };
    let month = q.kind.has_month().then(|| match window {
        // the period a query means: its own, else the last closed one
        Some(w) => crate::queries::period::period_of_query(q.month, w, today(&objects)),
        None => month_of(q.month, &objects),
    });
    let mut report = match q.kind {
        ReportKind::Registry | ReportKind::AllMeters => {
            let which = if q.kind == ReportKind::Registry { registry::Meters::Individual } else { registry::Meters::All };
            let view = if by_period { registry::View::Period } else { registry::View::Month };
            registry::make(db, caller, &objects, month.expect("a month report"), which, view, q.object.is_none(), lang).await?
        }
        ReportKind::Balance => balance::make(db, caller, &objects, month.expect("a month report"), lang).await?,
        ReportKind::Channels => channels::make(db, caller.company_id, &objects, month.expect("a month report"), lang).await?,
        ReportKind::CommonMeter => common_meter::make(db, &objects, month.expect("a month report"), lang).await?,
        ReportKind::Verification => verification::make(db, caller, q.object, lang).await?,
    };
    report.title.insert(0, format!("{} — {}", q.kind.title().text(lang), scope));
    if let Some(m) = month {
        report.title.insert(1, match window {
            Some(w) => period_caption(lang, m, w),
            None => month_year(lang, m),
        });
    }
    report.query = ReportQuery { month, by_period, ..q.clone() };
    report.month = month;
    report.objects = all.into_iter().map(|o| (o.id, o.name)).collect();
    Ok(report)
}

/// Today by the first building's clock.
fn today(objects: &[object::Object]) -> NaiveDate {
    let tz = objects.first().map(crate::queries::readings_table::zone).unwrap_or(chrono_tz::Europe::Moscow);
    calendar::local_date(tz, crate::storage::now())
}

/// The month a query means: its own, else the last whole month.
fn month_of(asked: Option<NaiveDate>, objects: &[object::Object]) -> NaiveDate {
    match asked {
        Some(d) => calendar::first_of_month(d),
        None => calendar::first_of_month(today(objects)) - Months::new(1),
    }
}

/// A calendar month's ends in the building's time, as bounds for [`readings_before`]: a
/// reading stamped at midnight is the reading at that moment, so each is asked just after it.
fn month_ends(tz: chrono_tz::Tz, month: NaiveDate) -> (i64, i64) {
    (calendar::day_start(tz, month) + 1, calendar::day_start(tz, month + Months::new(1)) + 1)
}

/// The last confirmed reading of each channel before `start` and before `end`, keyed by
/// (channel, bound): the readings a report prints at a span's two ends.
async fn readings_before(
    db: &Db,
    company_id: i64,
    channels: impl Iterator<Item = i64>,
    start: i64,
    end: i64,
) -> Result<HashMap<(i64, i64), reading::Reading>, AppError> {
    let asked: Vec<(i64, i64)> = channels.flat_map(|ch| [(ch, start), (ch, end)]).collect();
    Ok(reading::latest_confirmed_before_each(db, company_id, &asked).await?.into_iter().collect())
}
