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

/// The archive of `kind` of a meter of the caller's company over the span holding `date`
/// (yesterday's hours, this month's days, this year's months when empty).
pub async fn archive(
    db: &Db,
    caller: &Caller,
    meter_id: i64,
    kind: ArchiveKind,
    date: Option<NaiveDate>,
) -> Result<MeterArchive, AppError> {
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
        let records = reading::list(db, caller.company_id, ch.id, period_of(kind), from, to).await?;
        for slot in [1u8, 2, 3, 4, 0] {
            let value = |r: &reading::Reading| {
                if slot == 0 {
                    r.total
                } else {
                    r.tariffs[slot as usize - 1]
                }
            };
            if !records.iter().any(|r| value(r).is_some()) {
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
    let rows = by_time
        .into_iter()
        .map(|(ts, values)| ArchiveRow {
            at: local_time(tz, ts),
            values,
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
