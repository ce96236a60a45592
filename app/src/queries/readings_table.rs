//! The readings table of a building: meter lines → one row per meter and tariff → filtered,
//! sorted, paged. A building holds at most a few thousand meters, so its lines are read in
//! one indexed query and sorted here; the page is cut on the server.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::readings_table::{
    ReadingsColumn, ReadingsPage, ReadingsQuery, ReadingsRow, WaitingValue,
};
use crate::models::Placement;
use crate::storage::meter_line::{self, LineFilter, MeterLine};
use crate::storage::{object, Db};

/// The whole filtered, sorted table (every page).
pub struct Table {
    pub object: object::Object,
    pub date: NaiveDate,
    pub rows: Vec<ReadingsRow>,
    pub meters: u64,
}

/// The object's time zone, Moscow where the stored name is unknown.
pub fn zone(o: &object::Object) -> Tz {
    o.time_zone.parse().unwrap_or(chrono_tz::Europe::Moscow)
}

/// The building a query means: the asked one, else the one chosen in the top bar, else the
/// company's first. Another company's building is "not found".
pub async fn pick_object(
    db: &Db,
    caller: &Caller,
    asked: Option<i64>,
    chosen: Option<i64>,
) -> Result<object::Object, AppError> {
    if let Some(id) = asked {
        return Ok(object::get(db, caller.company_id, id).await?);
    }
    let all = object::list(db, caller.company_id).await?;
    chosen
        .and_then(|id| all.iter().find(|o| o.id == id).cloned())
        .or_else(|| all.into_iter().next())
        .ok_or(AppError::NotFound)
}

pub async fn table(
    db: &Db,
    caller: &Caller,
    query: &ReadingsQuery,
    chosen_object: Option<i64>,
) -> Result<Table, AppError> {
    AppError::check_dates([&query.date])?;
    let object = pick_object(db, caller, query.object, chosen_object).await?;
    let tz = zone(&object);
    let date = query
        .date
        .unwrap_or_else(|| calendar::local_date(tz, crate::storage::now()));
    let filter = LineFilter {
        resources: query.resource.resources(),
        placement: query.placement.placement(),
        search: query.search.clone(),
        before: calendar::day_start(tz, date + chrono::Duration::days(1)),
    };
    let lines = meter_line::list(db, caller.company_id, object.id, &filter).await?;
    let meters = lines.len() as u64;
    let mut rows: Vec<ReadingsRow> = lines
        .into_iter()
        .flat_map(|line| rows_of(&object.address, tz, line))
        .collect();
    sort(&mut rows, query.sort, query.descending);
    Ok(Table {
        object,
        date,
        rows,
        meters,
    })
}

/// The preference name of the readings table's visible columns.
pub const COLUMNS_PREFERENCE: &str = "readings.columns";

/// The columns a user chose, or the default set.
pub async fn columns(db: &Db, caller: &Caller) -> Result<Vec<ReadingsColumn>, AppError> {
    Ok(
        match crate::storage::preference::get(db, caller.user_id, COLUMNS_PREFERENCE).await? {
            Some(text) => ReadingsColumn::parse_list(&text),
            None => ReadingsColumn::DEFAULT_VISIBLE.to_vec(),
        },
    )
}

/// One page of [`table`].
pub async fn page(
    db: &Db,
    caller: &Caller,
    query: ReadingsQuery,
    chosen_object: Option<i64>,
) -> Result<ReadingsPage, AppError> {
    let query = query.normalized();
    let t = table(db, caller, &query, chosen_object).await?;
    let total = t.rows.len() as u64;
    let size = query.page_size as usize;
    let pages = (t.rows.len().div_ceil(size)).max(1) as u32;
    let page = query.page.min(pages);
    let rows = t
        .rows
        .into_iter()
        .skip((page as usize - 1) * size)
        .take(size)
        .collect();
    Ok(ReadingsPage {
        query: ReadingsQuery { page, ..query },
        object_id: t.object.id,
        object_name: t.object.name,
        date: t.date,
        rows,
        total,
        pages,
        meters: t.meters,
        columns: columns(db, caller).await?,
    })
}

/// A single-tariff meter is one row; a meter with n tariffs is n rows, T1..Tn.
fn rows_of(address: &str, tz: Tz, line: MeterLine) -> Vec<ReadingsRow> {
    let flat = line.premise.clone().unwrap_or_default();
    let address = match (line.placement, flat.is_empty()) {
        (Placement::Individual, false) => format!("{address}, кв. {flat}"),
        _ => address.to_string(),
    };
    let tariffs = line.tariffs.clamp(1, 4) as u8;
    (1..=tariffs)
        .map(|t| {
            let slot = if tariffs == 1 { 0 } else { t as usize };
            let current = line.current.register(line.tariffs, slot);
            let waiting = line.current.waiting.as_ref().and_then(|w| {
                line.current.waiting_register(line.tariffs, slot).map(|v| WaitingValue {
                    value: v,
                    date: calendar::local_date(tz, w.ts),
                    period: w.period as i64,
                    ts: w.ts,
                    flags: w.flags,
                })
            });
            ReadingsRow {
                meter_id: line.meter_id,
                premise_id: line.premise_id,
                flat: flat.clone(),
                address: address.clone(),
                account: line.account.clone().unwrap_or_default(),
                serial: line.serial.clone(),
                model: line.model.clone(),
                code: line.bus_address.clone(),
                placement: line.placement,
                resource: line.resource,
                state: line.state,
                tariff: t,
                value: current.map(|(_, v)| v),
                fraction: line.capacity.fraction(),
                value_date: current.map(|(ts, _)| calendar::local_date(tz, ts)),
                waiting,
            }
        })
        .collect()
}

/// Flat numbers sort as people count them (2 before 10, 12а after 12), common meters last.
fn flat_key(row: &ReadingsRow) -> (bool, u64, String) {
    let digits: String = row
        .flat
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (
        row.flat.is_empty(),
        digits.parse().unwrap_or(u64::MAX),
        row.flat.clone(),
    )
}

fn sort(rows: &mut [ReadingsRow], column: ReadingsColumn, descending: bool) {
    rows.sort_by(|a, b| {
        let primary = match column {
            ReadingsColumn::Flat => flat_key(a).cmp(&flat_key(b)),
            ReadingsColumn::Address => a.address.cmp(&b.address),
            ReadingsColumn::Account => a.account.cmp(&b.account),
            ReadingsColumn::Serial => a.serial.cmp(&b.serial),
            ReadingsColumn::Model => a.model.cmp(&b.model),
            ReadingsColumn::ValueDate => a.value_date.cmp(&b.value_date),
            ReadingsColumn::Code => {
                let n = |r: &ReadingsRow| r.code.parse::<u64>().unwrap_or(u64::MAX);
                n(a).cmp(&n(b)).then_with(|| a.code.cmp(&b.code))
            }
            // no value sorts below every value
            ReadingsColumn::Value => a.value.cmp(&b.value),
            ReadingsColumn::Tariff => a.tariff.cmp(&b.tariff),
        };
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| flat_key(a).cmp(&flat_key(b)))
            .then_with(|| a.meter_id.cmp(&b.meter_id))
            .then_with(|| a.tariff.cmp(&b.tariff))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{MeterState, Resource};

    fn row(flat: &str, value: Option<i64>) -> ReadingsRow {
        ReadingsRow {
            meter_id: 0,
            premise_id: None,
            flat: flat.into(),
            address: String::new(),
            account: String::new(),
            serial: String::new(),
            model: String::new(),
            code: String::new(),
            placement: Placement::Individual,
            resource: Resource::Electricity,
            state: MeterState::InOperation,
            tariff: 1,
            value: value.map(rust_decimal::Decimal::from),
            fraction: 0,
            value_date: None,
            waiting: None,
        }
    }

    #[test]
    fn flats_sort_as_people_count_them_with_common_meters_last() {
        let mut rows = vec![
            row("10", None),
            row("", None),
            row("2", None),
            row("12а", None),
            row("12", None),
        ];
        sort(&mut rows, ReadingsColumn::Flat, false);
        let flats: Vec<&str> = rows.iter().map(|r| r.flat.as_str()).collect();
        assert_eq!(flats, vec!["2", "10", "12", "12а", ""]);
    }

    #[test]
    fn sorting_by_value_puts_missing_values_first_ascending_and_last_descending() {
        let mut rows = vec![row("1", Some(5)), row("2", None), row("3", Some(1))];
        sort(&mut rows, ReadingsColumn::Value, true);
        let flats: Vec<&str> = rows.iter().map(|r| r.flat.as_str()).collect();
        assert_eq!(flats, vec!["1", "3", "2"]);
    }
}
