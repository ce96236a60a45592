//! The meter page: card, current values, a month of daily consumption from the engine, and
//! the readings of that month.

use chrono::{Datelike, NaiveDate};

use super::history;
use super::local_time;
use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::{self, calendar, Archive};
use crate::errors::AppError;
use crate::models::meter_card::{DayConsumption, MeterCard, ReadingLine};
use crate::models::Amount;
use crate::storage::reading::{self, Period, Source};
use crate::storage::{account, meter, object, premise, Db};

/// The name a reading's source goes by in messages (`i18n::source_name`) and in the open API.
pub fn source_name(s: Source) -> &'static str {
    match s {
        Source::Poll => "poll",
        Source::LoraUplink => "lora",
        Source::Dispatcher => "dispatcher",
        Source::FieldStaff => "field_staff",
        Source::Resident => "resident",
        Source::Estimate => "estimate",
        Source::Import => "import",
        Source::Api => "api",
    }
}

pub async fn card(
    db: &Db,
    caller: &Caller,
    meter_id: i64,
    month: Option<NaiveDate>,
) -> Result<MeterCard, AppError> {
    AppError::check_dates([&month])?;
    let m = meter::get(db, caller.company_id, meter_id).await?;
    let o = object::get(db, caller.company_id, m.object_id).await?;
    let tz = zone(&o);
    let month = month
        .unwrap_or_else(|| calendar::local_date(tz, crate::storage::now()))
        .with_day(1)
        .expect("the 1st exists");
    let (first, days) = history::month_days(month);
    let day_bounds = calendar::day_bounds(tz, first, days);
    let (from, to) = (day_bounds[0], *day_bounds.last().expect("bounds"));

    // the meter and those it replaced: read once for the month and for the billing period
    let chain = history::chain_of(db, &m).await?;
    let hist = history::of_chain(db, &chain, from, to).await?;
    let per_slot = consumption::consumption(&hist, Archive::Integral, &day_bounds);
    let month_bounds = [from, to];
    let month_slots = consumption::consumption(&hist, Archive::Integral, &month_bounds);
    let days: Vec<DayConsumption> = (0..days as usize)
        .map(|i| DayConsumption {
            date: first + chrono::Duration::days(i as i64),
            amounts: std::array::from_fn(|s| per_slot[s][i]),
        })
        .collect();
    let month_total: [Amount; 5] = std::array::from_fn(|s| month_slots[s][0]);

    // the billing period of the same month, through the meters this one replaced
    let terms = super::period::Terms::of(db, &o).await?;
    let premises = match m.premise_id {
        Some(pid) => std::collections::HashMap::from([(pid, premise::get(db, caller.company_id, pid).await?)]),
        None => std::collections::HashMap::new(),
    };
    let period = super::period::figures(db, &o, &terms, &chain, &premises, month, 1)
        .await?
        .remove(&m.id)
        .map(|f| std::array::from_fn(|s| f[s][0]))
        .unwrap_or_default();

    let (flat, account) = match m.premise_id {
        Some(pid) => {
            let p = premise::get(db, caller.company_id, pid).await?;
            let a = account::list_for_premise(db, caller.company_id, pid)
                .await?
                .into_iter()
                .next()
                .map(|a| a.number);
            (Some(p.number), a)
        }
        None => (None, None),
    };
    let mut readings = Vec::new();
    let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    if let Some(ch) = history::main_channel(db, caller.company_id, m.id).await? {
        for period in [Period::Day, Period::Instant] {
            for r in reading::list(db, caller.company_id, ch.id, period, from, to + 1).await? {
                let [t1, t2, t3, t4] = r.tariffs;
                let entered_by = match r.entered_by {
                    Some(id) => {
                        if !names.contains_key(&id) {
                            let name = crate::storage::user::get(db, id)
                                .await
                                .map(|u| u.full_name)
                                .unwrap_or_default();
                            names.insert(id, name);
                        }
                        names.get(&id).cloned()
                    }
                    None => None,
                };
                readings.push((
                    r.ts,
                    ReadingLine {
                        at: local_time(tz, r.ts),
                        values: [r.total, t1, t2, t3, t4],
                        source: source_name(r.source).into(),
                        flags: r.flags,
                        entered_by,
                        ts: r.ts,
                        period: r.period as i64,
                    },
                ));
            }
        }
    }
    readings.sort_by_key(|(ts, _)| *ts);
    Ok(MeterCard {
        id: m.id,
        object_id: o.id,
        object_name: o.name.clone(),
        address: o.address.clone(),
        flat,
        account,
        placement: m.placement,
        resource: m.resource,
        unit: m.resource.unit().into(),
        model: m.model.clone(),
        serial: m.serial.clone(),
        tariffs: m.tariffs.clamp(1, 4) as u8,
        capacity: format!("{},{}", m.capacity.integer(), m.capacity.fraction()),
        fraction: m.capacity.fraction(),
        multiplier: m.multiplier,
        phase: m.phase.clone(),
        installed_on: m.installed_on,
        verified_on: m.verified_on,
        next_verification_on: m.next_verification_on,
        state: m.state,
        replaces: m.replaces_meter_id,
        last_contact: m.last_contact_at.map(|ts| local_time(tz, ts)),
        month,
        days,
        today: calendar::local_date(tz, crate::storage::now()),
        month_total,
        period,
        window: terms.window,
        readings: readings.into_iter().map(|(_, l)| l).collect(),
        events: super::monitoring::of_meter(db, caller.company_id, m.id).await?,
        editable: caller.role.allows(crate::models::Permission::ServiceMeters) && m.state != crate::models::MeterState::Retired,
    })
}
