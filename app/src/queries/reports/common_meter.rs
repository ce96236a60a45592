//! «Карточка ОДПУ»: a building's common meters (ОДПУ) over a month, a column each — the
//! consumption of every day, the month's total, and the integral readings at its start and
//! end, from the same rollup and readings as the meter page.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use crate::consumption::{calendar, SLOTS};
use crate::errors::AppError;
use crate::i18n::{resource_name, unit_name, Lang, Msg};
use crate::models::reports::{Report, Cell};
use crate::models::{Amount, Placement, Resource};
use crate::queries::readings_table::zone;
use crate::storage::consumption_day::{self, Span};
use crate::storage::{channel, meter, object, Db};

/// A figure as the tables show it: a number when whole, marked with `*` when part of it is
/// missing.
fn figure(a: Amount) -> Cell {
    match a {
        Amount::Full(v) => Cell::Number(v.normalize()),
        Amount::NoData => Cell::Empty,
        partial => Cell::Text(partial.display()),
    }
}

pub async fn make(db: &Db, objects: &[object::Object], month: NaiveDate, lang: Lang) -> Result<Report, AppError> {
    let tx = |m: Msg| m.text(lang).to_string();
    let days = calendar::days_in_month(month);
    let mut header = vec![tx(Msg::Date)];
    let mut columns: Vec<Vec<Cell>> = Vec::new();
    let mut totals = vec![vec![Cell::from(tx(Msg::RepAtStart))], vec![Cell::from(tx(Msg::RepAtEnd))], vec![Cell::from(tx(Msg::MonthTotal))]];
    for o in objects {
        let tz = zone(o);
        let mut common: Vec<meter::Meter> = crate::queries::subscribers::heads(&meter::list_for_object(db, o.company_id, o.id).await?)
            .into_iter()
            .filter(|m| m.placement == Placement::Common)
            .cloned()
            .collect();
        common.sort_by_key(|m| (Resource::ALL.iter().position(|r| *r == m.resource), m.serial.clone()));
        let ids: Vec<i64> = common.iter().map(|m| m.id).collect();
        let channels: HashMap<i64, i64> = channel::main_of_meters(db, &ids).await?.into_iter().collect();
        let (start, end) = super::month_ends(tz, month);
        let at = super::readings_before(db, o.company_id, channels.values().copied(), start, end).await?;
        let whole: HashMap<i64, [Amount; SLOTS]> = consumption_day::of_object(db, o.company_id, o.id, Span::Month, month).await?.into_iter().collect();
        let last_day = month.checked_add_days(Days::new(days as u64 - 1)).expect("a day of the month");
        for m in &common {
            let mut name = format!("{} № {}, {}", tx(resource_name(m.resource)), m.serial, tx(unit_name(m.resource)));
            if objects.len() > 1 {
                name = format!("{}: {name}", o.name);
            }
            header.push(name);
            let stored: HashMap<NaiveDate, [Amount; SLOTS]> = consumption_day::of_meter(db, m.id, Span::Day, month, last_day).await?.into_iter().collect();
            columns.push((0..days).map(|d| stored.get(&(month + Days::new(d as u64))).map(|v| figure(v[0])).unwrap_or(Cell::Empty)).collect());
            let ch = channels.get(&m.id).copied();
            let value = |bound: i64| ch.and_then(|ch| at.get(&(ch, bound))).and_then(|r| r.slot_value(0)).map(|v| v.normalize());
            totals[0].push(value(start).into());
            totals[1].push(value(end).into());
            totals[2].push(whole.get(&m.id).map(|v| figure(v[0])).unwrap_or(Cell::Empty));
        }
    }
    let rows = (0..days)
        .map(|d| {
            let mut row = vec![Cell::Date(month + Days::new(d as u64))];
            row.extend(columns.iter().map(|c| c[d as usize].clone()));
            row
        })
        .collect();
    let note = if columns.is_empty() { tx(Msg::RepNoCommonMeters) } else { tx(Msg::RepCommonMeterNote) };
    Ok(Report { header, rows, totals, note: Some(note), ..Default::default() })
}
