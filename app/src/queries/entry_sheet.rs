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
use crate::storage::{account, current, meter, object, premise, reading, Db};

/// The form of the account numbered `number`; `None` when the company has none.
pub async fn sheet(db: &Db, caller: &Caller, number: &str) -> Result<Option<EntrySheet>, AppError> {
    let number = number.trim();
    let Some(acc) = account::get_by_number(db, caller.company_id, number).await? else {
        return Ok(None);
    };
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
        let current = current::of_channel(db, caller.company_id, ch.id, m.tariffs, now + 1).await?;
        let mut registers = Vec::new();
        for slot in crate::models::entry::typed_slots(m.tariffs) {
            let last = current.register(m.tariffs, slot);
            // usual consumption from a week before the register's own last value
            let usual = match last {
                Some((ts, value)) => {
                    reading::latest_integral_before(db, caller.company_id, ch.id, ts - 7 * 86_400, true)
                        .await?
                        .and_then(|o| o.slot_value(slot).map(|ov| (o.ts, ov)))
                        .and_then(|older| checks::per_day(older, (ts, value)))
                }
                None => None,
            };
            let expected = match (last, usual) {
                (Some((ts, v)), Some(u)) => {
                    let days = Decimal::from(now - ts) / Decimal::from(86_400);
                    Some((v + u * days).round_dp_with_strategy(
                        m.capacity.fraction() as u32,
                        RoundingStrategy::ToZero,
                    ))
                }
                (last, _) => last.map(|(_, v)| v),
            };
            registers.push(EntryRegister {
                tariff: slot as u8,
                last: last.map(|(_, v)| v),
                last_date: last.map(|(ts, _)| calendar::local_date(tz, ts)),
                expected,
                waiting: current.waiting_register(m.tariffs, slot),
            });
        }
        meters.push(EntryMeter {
            meter_id: m.id,
            resource: m.resource,
            model: m.model.clone(),
            serial: m.serial.clone(),
            capacity: m.capacity,
            registers,
        });
    }
    Ok(Some(EntrySheet {
        account: acc.number,
        object_name: o.name.clone(),
        address: o.address.clone(),
        flat: p.number,
        meters,
        window: crate::storage::billing_window::get(db, o.company_id).await?,
    }))
}
