//! «Сезон»: the page's rows (each working building with its season history) and the changes
//! a dispatcher makes, checked by each building's own calendar and kept all or none.

use std::collections::HashMap;

use crate::auth::caller::Caller;
use crate::consumption::calendar::local_date;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::format;
use crate::models::season::{check_change, SeasonChange, SeasonPage, SeasonRow, SeasonState};
use crate::models::Permission;
use crate::queries::readings_table::zone;
use crate::storage::{audit, heating_season, object, Db, StorageError};

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Every working building with its changes, newest first, as of `now`.
pub async fn page(db: &Db, caller: &Caller, now: i64) -> Result<SeasonPage, AppError> {
    let editable = caller.role.allows(Permission::EditData);
    let mut history: HashMap<i64, Vec<heating_season::Change>> = HashMap::new();
    for c in heating_season::list(db, caller.company_id).await? {
        history.entry(c.object_id).or_default().push(c);
    }
    let rows = object::list(db, caller.company_id)
        .await?
        .into_iter()
        .map(|o| {
            let tz = zone(&o);
            let today = local_date(tz, now);
            let changes = history.remove(&o.id).unwrap_or_default();
            let undoable = editable && changes.first().is_some_and(|c| local_date(tz, c.set_at) == today);
            SeasonRow {
                object_id: o.id,
                name: o.name,
                changes: changes
                    .into_iter()
                    .map(|c| SeasonChange {
                        id: c.id,
                        heating: c.heating,
                        starts_on: iso(c.starts_on),
                        set_by: c.set_by_name,
                        set_at: super::local_time(tz, c.set_at),
                    })
                    .collect(),
                undoable,
                today: iso(today),
            }
        })
        .collect();
    Ok(SeasonPage { rows, editable })
}

/// Puts buildings `object_ids` into the heating season (`heating`) or between seasons from
/// `starts_on` (`yyyy-mm-dd`). Every building must be able to take the change; else none
/// does and the answer names the rule. Answers how many buildings changed.
pub async fn set(db: &Db, caller: &Caller, object_ids: &[i64], heating: bool, starts_on: &str, now: i64) -> Result<usize, AppError> {
    let mut ids = object_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid(Msg::SeObjects, Problem::Required));
    }
    let day = crate::models::iso_date::parse(starts_on.trim()).ok_or(AppError::invalid(Msg::SeStartsOn, Problem::BadFormat))?;
    AppError::check_dates([&Some(day)]).map_err(|_| AppError::invalid(Msg::SeStartsOn, Problem::OutOfRange))?;
    // the company's working buildings, read once; an id not among them is not found
    let objects: Vec<object::Object> = object::list(db, caller.company_id)
        .await?
        .into_iter()
        .filter(|o| ids.binary_search(&o.id).is_ok())
        .collect();
    if objects.len() != ids.len() {
        return Err(AppError::NotFound);
    }
    let last: HashMap<i64, (bool, chrono::NaiveDate)> = heating_season::latest(db, caller.company_id, Some(&ids))
        .await?
        .into_iter()
        .map(|c| (c.object_id, (c.heating, c.starts_on)))
        .collect();
    for o in &objects {
        let today = local_date(zone(o), now);
        check_change(last.get(&o.id).copied(), heating, day, today).map_err(|(m, p)| AppError::invalid(m, p))?;
    }
    match heating_season::record(db, caller.company_id, &ids, heating, day, Some(caller.user_id), now).await {
        // a change of the same building on the same day, made a moment ago by someone else
        Err(StorageError::AlreadyExists) => return Err(AppError::invalid(Msg::SeStartsOn, Problem::SameDay)),
        other => other?,
    }
    let season = SeasonState::of(Some(heating)).label().text(crate::i18n::Lang::Ru);
    let names: Vec<String> = objects.iter().map(|o| format!("{} #{}", o.name, o.id)).collect();
    let details = format!("{season} с {}: {}", format::date(day), names.join(", "));
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "season.set", &details, &caller.ip).await?;
    Ok(ids.len())
}

/// Undoes building `object_id`'s newest change, on the day it was made only.
pub async fn undo(db: &Db, caller: &Caller, object_id: i64, now: i64) -> Result<(), AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    let tz = zone(&o);
    let last = heating_season::latest(db, caller.company_id, Some(&[object_id])).await?.into_iter().next().ok_or(AppError::NotFound)?;
    if local_date(tz, last.set_at) != local_date(tz, now) {
        return Err(AppError::invalid(Msg::SeUndoField, Problem::TooLate));
    }
    heating_season::delete(db, caller.company_id, object_id, last.id).await?;
    let season = SeasonState::of(Some(last.heating)).label().text(crate::i18n::Lang::Ru);
    let details = format!("{} #{}: {season} с {}", o.name, o.id, format::date(last.starts_on));
    audit::create(db, Some(caller.company_id), Some(caller.user_id), "season.undo", &details, &caller.ip).await?;
    Ok(())
}
