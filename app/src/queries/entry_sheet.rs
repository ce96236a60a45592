//! The dispatcher's entry form for one personal account: its premise's meters in operation,
//! each register's last value and the value expected today.

use rust_decimal::{Decimal, RoundingStrategy};

use super::history::main_channel;
use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::ingest::checks;
use crate::models::entry::{EntryMeter, EntryRegister, EntrySheet};
use crate::models::MeterState;
use crate::storage::reading;
use crate::storage::{account, meter, object, premise, Db};

pub async fn sheet(db: &Db, caller: &Caller, number: &str) -> Result<EntrySheet, AppError> {
    let number = number.trim();
    let acc = account::get_by_number(db, caller.company_id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = premise::get(db, caller.company_id, acc.premise_id).await?;
    let o = object::get(db, caller.company_id, p.object_id).await?;
    let tz = zone(&o);
    let now = crate::storage::now();
    let mut meters = Vec::new();
    for m in meter::list_for_premise(db, caller.company_id, p.id).await? {
        if m.state == MeterState::Retired {
            continue;
        }
        let Some(ch) = main_channel(db, caller.company_id, m.id).await? else {
            continue;
        };
        let last =
            reading::latest_integral_before(db, caller.company_id, ch.id, now + 1, true).await?;
        let older = match &last {
            Some(l) => {
                reading::latest_integral_before(
                    db,
                    caller.company_id,
                    ch.id,
                    l.ts - 7 * 86_400,
                    true,
                )
                .await?
            }
            None => None,
        };
        let registers = crate::models::entry::typed_slots(m.tariffs)
            .into_iter()
            .map(|slot| {
                let last_value = last.as_ref().and_then(|l| l.slot_value(slot));
                let usual = match (&older, &last, last_value) {
                    (Some(o), Some(l), Some(lv)) => o
                        .slot_value(slot)
                        .and_then(|ov| checks::per_day((o.ts, ov), (l.ts, lv))),
                    _ => None,
                };
                let expected = match (last_value, usual, &last) {
                    (Some(v), Some(u), Some(l)) => {
                        let days = Decimal::from(now - l.ts) / Decimal::from(86_400);
                        Some((v + u * days).round_dp_with_strategy(
                            m.capacity.fraction() as u32,
                            RoundingStrategy::ToZero,
                        ))
                    }
                    (v, _, _) => v,
                };
                EntryRegister {
                    tariff: slot as u8,
                    last: last_value,
                    last_date: last.as_ref().map(|l| calendar::local_date(tz, l.ts)),
                    expected,
                }
            })
            .collect();
        meters.push(EntryMeter {
            meter_id: m.id,
            resource: m.resource,
            model: m.model.clone(),
            serial: m.serial.clone(),
            capacity: m.capacity,
            registers,
        });
    }
    Ok(EntrySheet {
        account: acc.number,
        object_name: o.name.clone(),
        address: o.address.clone(),
        flat: p.number,
        meters,
    })
}
