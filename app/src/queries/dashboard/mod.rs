//! The dispatcher's home figures, read from the daily consumption rollup: a handful of rows
//! per day whatever the company's size.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::dashboard::{DashRow, Dashboard, ResourceTotal, Span, SLOTS};
use crate::models::{Placement, Resource};
use crate::queries::readings_table::zone;
use crate::storage::consumption_day::{self, DaySum, Span as Stored};
use crate::storage::{meter, object, Db};

mod period;

/// Meters a reader waits to have recomputed before reading (a late reading or a day's poll
/// of a building); a bigger backlog is left to the background rollup and said on the page.
pub const REFRESH_BUDGET: usize = 1_500;

pub(crate) fn add(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x + y),
        (x, None) => x,
        (None, y) => y,
    }
}

fn add_slots(into: &mut [Option<Decimal>; SLOTS], from: &[Option<Decimal>; SLOTS]) {
    for s in 0..SLOTS {
        into[s] = add(into[s], from[s]);
    }
}

/// The building the dashboard is narrowed to (None: the whole company), checked to be the
/// caller's, and the time zone whose days it counts: the building's own, or the first
/// building's for the company (Moscow when it has none).
async fn scope(
    db: &Db,
    company_id: i64,
    object_id: Option<i64>,
) -> Result<(Option<object::Object>, chrono_tz::Tz), AppError> {
    let all = object::list(db, company_id).await?;
    let chosen = match object_id {
        Some(id) => Some(all.iter().find(|o| o.id == id).cloned().ok_or(AppError::NotFound)?),
        None => None,
    };
    let tz = chosen
        .as_ref()
        .or(all.first())
        .map(zone)
        .unwrap_or(chrono_tz::Europe::Moscow);
    Ok((chosen, tz))
}

/// The widgets' figures: `sums` are the period's days (a date) or months (a month or a
/// year), `expected` how many of them there should be, `last_day` the last counted day.
fn totals(
    sums: &[DaySum],
    last_day: &[DaySum],
    counts: &[(Placement, Resource, i64)],
    placement: Placement,
    expected: usize,
) -> Vec<ResourceTotal> {
    Resource::ALL
        .into_iter()
        .filter_map(|r| {
            let meters: i64 = counts
                .iter()
                .filter(|(p, res, _)| *p == placement && *res == r)
                .map(|(_, _, n)| n)
                .sum();
            if meters == 0 {
                return None;
            }
            let mut values = [None; SLOTS];
            let mut gaps = false;
            let mut found = 0;
            for s in sums.iter().filter(|s| s.resource == r) {
                add_slots(&mut values, &s.values);
                gaps |= s.partial_meters > 0 || s.meters < meters;
                found += 1;
            }
            let meters_heard = last_day
                .iter()
                .find(|s| s.resource == r)
                .map_or(0, |s| s.meters);
            Some(ResourceTotal {
                resource: r,
                values,
                meters,
                meters_heard,
                // a period no meter of the resource reported has no row at all
                gaps: gaps || found < expected,
                bases: None,
            })
        })
        .collect()
}


/// The dashboard of the caller's company, or of one of its buildings (`object`).
pub async fn dashboard(
    db: &Db,
    caller: &Caller,
    span: Span,
    date: Option<NaiveDate>,
    object_id: Option<i64>,
) -> Result<Dashboard, AppError> {
    AppError::check_dates([&date])?;
    let (object, tz) = scope(db, caller.company_id, object_id).await?;
    if span == Span::Period {
        return period::dashboard(db, caller, date, object, tz).await;
    }
    let object_id = object.as_ref().map(|o| o.id);
    crate::rollup::refresh_stale(db, Some(caller.company_id), REFRESH_BUDGET).await?;
    let pending = crate::storage::stale::get_count(db, Some(caller.company_id)).await?;
    let today = calendar::local_date(tz, crate::storage::now());
    let date = date.unwrap_or(match span {
        // a month just begun has no whole day yet: show the month before
        Span::Month | Span::Period if today.day() == 1 => today - chrono::Duration::days(1),
        Span::Date => today - chrono::Duration::days(1),
        _ => today,
    });
    let (first, last) = span.bounds(date);
    let counted = span.counted(date, today);
    let counts = meter::count_by_kind(db, caller.company_id, object_id).await?;
    let company = caller.company_id;
    let sums = |placement: Placement, unit: Stored, from: NaiveDate, to: NaiveDate| {
        consumption_day::day_sums(db, company, object_id, placement, unit, from, to)
    };

    let mut resources = totals(&[], &[], &counts, Placement::Individual, 1);
    let mut common = totals(&[], &[], &counts, Placement::Common, 1);
    let mut rows: Vec<DashRow> = Vec::new();
    if let Some((from, to)) = counted {
        // widgets: the month's (or months') own figures, as the meter page counts them;
        // a date is its day
        let (unit, unit_from, expected) = match span {
            Span::Date => (Stored::Day, from, 1),
            Span::Month | Span::Period => (Stored::Month, calendar::first_of_month(from), 1),
            Span::Year => (Stored::Month, calendar::first_of_month(from), to.month() as usize),
        };
        let ind = sums(Placement::Individual, unit, unit_from, to).await?;
        let com = sums(Placement::Common, unit, unit_from, to).await?;
        let ind_last = sums(Placement::Individual, Stored::Day, to, to).await?;
        let com_last = sums(Placement::Common, Stored::Day, to, to).await?;
        resources = totals(&ind, &ind_last, &counts, Placement::Individual, expected);
        common = totals(&com, &com_last, &counts, Placement::Common, expected);

        // the table and chart: days, or months of a year
        let by = if span == Span::Year { ind } else { sums(Placement::Individual, Stored::Day, from, to).await? };
        let mut by_row: BTreeMap<NaiveDate, Vec<[Option<Decimal>; SLOTS]>> = BTreeMap::new();
        let mut day = from;
        while day <= to {
            let key = if span == Span::Year { calendar::first_of_month(day) } else { day };
            by_row
                .entry(key)
                .or_insert_with(|| vec![[None; SLOTS]; resources.len()]);
            day += chrono::Duration::days(1);
        }
        for s in &by {
            if let (Some(row), Some(i)) = (
                by_row.get_mut(&s.day),
                resources.iter().position(|r| r.resource == s.resource),
            ) {
                add_slots(&mut row[i], &s.values);
            }
        }
        rows = by_row
            .into_iter()
            .map(|(date, values)| DashRow { date, name: None, values })
            .collect();
    }
    let next = span.shift(date, 1);
    Ok(Dashboard {
        object: object.map(|o| (o.id, o.name)),
        span,
        date: first,
        first,
        last,
        counted,
        prev: span.shift(date, -1),
        next: (next < today).then_some(next),
        resources,
        common,
        rows,
        pending,
        window: None,
    })
}
