//! A meter's archives (F15): the records it stored per hour, day or month, read straight
//! from the readings table (one query per channel, in the period's index order), laid out
//! as a column per parameter and tariff.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::local_time;
use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::archive::{ArchiveColumn, ArchiveKind, ArchiveRow, MeterArchive};
use crate::storage::reading::{self, Period};
use crate::storage::{channel, meter, object, premise, Db};

fn period_of(kind: ArchiveKind) -> Period {
    match kind {
        ArchiveKind::Hour => Period::Hour,
        ArchiveKind::Day => Period::Day,
        ArchiveKind::Month => Period::Month,
    }
}

/// Where the interval that starts at `ts` ends: the next hour, the next local midnight or
/// the next month's first.
fn next_start(tz: chrono_tz::Tz, kind: ArchiveKind, ts: i64) -> i64 {
    let day = calendar::local_date(tz, ts);
    match kind {
        ArchiveKind::Hour => ts + 3600,
        ArchiveKind::Day => calendar::day_start(tz, day + chrono::Duration::days(1)),
        ArchiveKind::Month => calendar::day_start(tz, ArchiveKind::Day.end(day)),
    }
}

/// The archive of `kind` of a meter of the caller's company over the span holding `date`
/// (yesterday's hours, this month's days, this year's months when empty).
pub async fn archive(
    db: &Db,
    caller: &Caller,
    meter_id: i64,
    kind: ArchiveKind,
    date: Option<NaiveDate>,
) -> Result<MeterArchive, AppError> {
    AppError::check_dates([&date])?;
    let m = meter::get(db, caller.company_id, meter_id).await?;
    let o = object::get(db, caller.company_id, m.object_id).await?;
    let tz = zone(&o);
    let today = calendar::local_date(tz, crate::storage::now());
    let asked = date.unwrap_or(match kind {
        ArchiveKind::Hour => today - chrono::Duration::days(1),
        _ => today,
    });
    let first = kind.start(asked);
    let end = kind.end(first);
    let (from, to) = (calendar::day_start(tz, first), calendar::day_start(tz, end));

    // a column per parameter and tariff the meter stored in the span: T1…T4, then the total
    let mut columns: Vec<ArchiveColumn> = Vec::new();
    let mut cells: Vec<(usize, i64, Decimal)> = Vec::new();
    for ch in channel::list_for_meter(db, caller.company_id, m.id).await? {
        // the next span's first record closes the span's last interval
        let records = reading::list(db, caller.company_id, ch.id, period_of(kind), from, to + 1).await?;
        for slot in [1u8, 2, 3, 4, 0] {
            let value = |r: &reading::Reading| {
                if slot == 0 {
                    r.total
                } else {
                    r.tariffs[slot as usize - 1]
                }
            };
            if !records.iter().any(|r| r.ts < to && value(r).is_some()) {
                continue;
            }
            let index = columns.len();
            columns.push(ArchiveColumn {
                parameter: ch.parameter.clone(),
                unit: ch.unit.clone(),
                slot,
                integral: ch.kind == "integral",
            });
            cells.extend(records.iter().filter_map(|r| value(r).map(|v| (index, r.ts, v))));
        }
    }
    let mut by_time: BTreeMap<i64, Vec<Option<Decimal>>> = BTreeMap::new();
    for (index, ts, v) in cells {
        by_time.entry(ts).or_insert_with(|| vec![None; columns.len()])[index] = Some(v);
    }
    let times: Vec<i64> = by_time.keys().copied().collect();
    let rows = by_time
        .iter()
        .enumerate()
        .filter(|(_, (ts, _))| **ts < to)
        .map(|(i, (ts, values))| {
            let next = times
                .get(i + 1)
                .filter(|n| **n == next_start(tz, kind, *ts))
                .and_then(|n| by_time.get(n));
            let usage = columns
                .iter()
                .enumerate()
                .map(|(c, column)| {
                    let (now, then) = (values[c]?, next?[c]?);
                    let rise = then.checked_sub(now)?;
                    (column.integral && rise >= Decimal::ZERO).then(|| (rise * m.multiplier).normalize())
                })
                .collect();
            ArchiveRow {
                at: local_time(tz, *ts),
                values: values.clone(),
                usage,
            }
        })
        .collect();

    let where_ = match m.premise_id {
        Some(pid) => {
            let p = premise::get(db, caller.company_id, pid).await?;
            format!("{}, кв. {}", o.address, p.number)
        }
        None => o.address.clone(),
    };
    Ok(MeterArchive {
        meter_id: m.id,
        model: m.model,
        serial: m.serial,
        object_name: o.name,
        where_,
        fraction: m.capacity.fraction(),
        kind,
        date: first,
        prev: kind.shift(first, -1),
        next: (end <= today).then_some(end),
        columns,
        rows,
    })
}
