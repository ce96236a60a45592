//! The field screen's data: the company's buildings, and one building's meters in operation
//! flat by flat with each register's previous reading, read in one query per building.

use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::entry::{EntryMeter, EntryRegister};
use crate::models::field::{FieldBuilding, FieldPremise, FieldSheet};
use crate::models::MeterState;
use crate::storage::meter_line::{self, LineFilter};
use crate::storage::{object, premise, Db};

/// The company's buildings, by name.
pub async fn buildings(db: &Db, caller: &Caller) -> Result<Vec<FieldBuilding>, AppError> {
    let counts = object::list_counts(db, caller.company_id).await?;
    Ok(object::list(db, caller.company_id)
        .await?
        .into_iter()
        .map(|o| {
            let (premises, meters) = object::counts_of(&counts, o.id);
            FieldBuilding {
                id: o.id,
                name: o.name,
                address: o.address,
                premises,
                meters,
            }
        })
        .collect())
}

/// One building's sheet. Retired meters and meters with no channel are left out: nobody
/// reads them. Flats come in the order people walk them; common meters last.
pub async fn sheet(db: &Db, caller: &Caller, object_id: i64) -> Result<FieldSheet, AppError> {
    sheet_of(db, caller, object_id, None).await
}

/// [`sheet`], with `only` some premises' meters (a resident's own).
pub async fn sheet_of(
    db: &Db,
    caller: &Caller,
    object_id: i64,
    only: Option<&[i64]>,
) -> Result<FieldSheet, AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    let tz = zone(&o);
    let now = crate::storage::now();
    let filter = LineFilter {
        before: now + 1,
        ..LineFilter::default()
    };
    let mut lines: Vec<_> = meter_line::list(db, caller.company_id, o.id, &filter)
        .await?
        .into_iter()
        .filter(|l| l.state != MeterState::Retired && l.channel_id.is_some())
        .filter(|l| only.is_none_or(|ids| l.premise_id.is_some_and(|p| ids.contains(&p))))
        .collect();
    lines.sort_by(|a, b| {
        let flat = |l: &meter_line::MeterLine| {
            let number = l.premise.clone().unwrap_or_default();
            (number.is_empty(), premise::natural_key(&number))
        };
        flat(a)
            .cmp(&flat(b))
            .then(a.resource.as_str().cmp(b.resource.as_str()))
            .then(a.serial.cmp(&b.serial))
    });
    let mut premises: Vec<FieldPremise> = Vec::new();
    for l in lines {
        let flat = l.premise.clone().unwrap_or_default();
        let registers = crate::models::entry::typed_slots(l.tariffs)
            .into_iter()
            .map(|slot| {
                let last = l.current.register(l.tariffs, slot);
                EntryRegister {
                    tariff: slot as u8,
                    last: last.map(|(_, v)| v),
                    last_date: last.map(|(ts, _)| calendar::local_date(tz, ts)),
                    expected: None,
                    waiting: l.current.waiting_register(l.tariffs, slot),
                }
            })
            .collect();
        let meter = EntryMeter {
            meter_id: l.meter_id,
            resource: l.resource,
            model: l.model,
            serial: l.serial,
            capacity: l.capacity,
            registers,
        };
        match premises.last_mut() {
            Some(p) if p.flat == flat => p.meters.push(meter),
            _ => premises.push(FieldPremise {
                flat,
                meters: vec![meter],
            }),
        }
    }
    Ok(FieldSheet {
        object_id: o.id,
        object_name: o.name,
        address: o.address,
        made_at: now,
        premises,
        window: crate::storage::billing_window::get(db, o.company_id).await?,
    })
}
