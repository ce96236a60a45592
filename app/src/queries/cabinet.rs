//! The residents' cabinet: a resident's premises with their meters and last readings, a
//! premise's consumption by month or by day (the engine over each meter chain, summed per
//! resource), the sheets a resident types readings into, and the company's contacts. Every
//! premise comes from the session's user: nothing a browser sends widens it.

use chrono::{Datelike, NaiveDate};

use super::history;
use super::local_time;
use super::readings_table::zone;
use crate::auth::caller::Caller;
use crate::consumption::{self, calendar, Archive};
use crate::errors::AppError;
use crate::models::cabinet::{
    CabinetMeter, CabinetPremise, CabinetView, CompanyContacts, LastReading, PremiseConsumption,
    PeriodLine, ResourceLine, WaitingReading,
};
use crate::models::period::PeriodAmount;
use crate::models::field::FieldSheet;
use crate::models::{Amount, MeterState, Resource};
use crate::storage::current;
use crate::storage::{account, company, meter, object, premise, resident, Db};

/// The company as a resident reaches it.
pub async fn contacts(db: &Db, company_id: i64) -> Result<CompanyContacts, AppError> {
    let c = company::get(db, company_id).await?;
    Ok(CompanyContacts {
        name: c.name,
        phone: c.phone,
        email: c.email,
        address: if c.actual_address.is_empty() {
            c.legal_address
        } else {
            c.actual_address
        },
        working_hours: c.working_hours,
    })
}

/// The meter's registers as they read now, with a newer reading waiting for a check
/// beside them (the resident sees what they sent, marked; staff can decide on it).
pub(crate) async fn last_reading(
    db: &Db,
    company_id: i64,
    m: &meter::Meter,
    tz: chrono_tz::Tz,
) -> Result<Option<LastReading>, AppError> {
    let Some(ch) = history::main_channel(db, company_id, m.id).await? else {
        return Ok(None);
    };
    let now = crate::storage::now();
    let c = current::of_channel(db, company_id, ch.id, m.tariffs, now + 1).await?;
    if c.ts().is_none() && c.waiting.is_none() {
        return Ok(None);
    }
    Ok(Some(LastReading {
        at: c.ts().map(|ts| local_time(tz, ts)).unwrap_or_default(),
        values: c.values.map(|v| v.map(|(_, value)| value)),
        waiting: c.waiting.map(|w| WaitingReading {
            at: local_time(tz, w.ts),
            values: w.values,
        }),
    }))
}

/// A meter as its owner (or the account's card) shows it, with its last counted reading.
pub(crate) async fn cabinet_meter(
    db: &Db,
    company_id: i64,
    m: meter::Meter,
    tz: chrono_tz::Tz,
) -> Result<CabinetMeter, AppError> {
    let last = last_reading(db, company_id, &m, tz).await?;
    Ok(CabinetMeter {
        id: m.id,
        resource: m.resource,
        model: m.model,
        serial: m.serial,
        tariffs: m.tariffs.clamp(1, 4) as u8,
        fraction: m.capacity.fraction(),
        state: m.state,
        installed_on: m.installed_on,
        verified_on: m.verified_on,
        next_verification_on: m.next_verification_on,
        last,
    })
}

pub async fn cabinet(db: &Db, caller: &Caller) -> Result<CabinetView, AppError> {
    let mut premises = Vec::new();
    for p in resident::list_premises(db, caller.company_id, caller.user_id).await? {
        let o = object::get(db, caller.company_id, p.object_id).await?;
        let tz = zone(&o);
        let accounts = account::list_for_premise(db, caller.company_id, p.id)
            .await?
            .into_iter()
            .map(|a| a.number)
            .collect();
        let mut meters = Vec::new();
        for m in meter::list_for_premise(db, caller.company_id, p.id).await? {
            meters.push(cabinet_meter(db, caller.company_id, m, tz).await?);
        }
        // meters in operation first, retired ones last
        meters.sort_by_key(|m| (m.state == MeterState::Retired, m.resource.as_str(), m.id));
        premises.push(CabinetPremise {
            id: p.id,
            object_id: o.id,
            object_name: o.name,
            address: o.address,
            number: p.number,
            accounts,
            meters,
        });
    }
    Ok(CabinetView {
        premises,
        company: contacts(db, caller.company_id).await?,
    })
}

/// One of the caller's premises; any other is "not found", whoever it belongs to.
async fn own_premise(db: &Db, caller: &Caller, premise_id: i64) -> Result<premise::Premise, AppError> {
    if !resident::holds(db, caller.company_id, caller.user_id, premise_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(premise::get(db, caller.company_id, premise_id).await?)
}

/// A premise's consumption: a year by month, or (with `month`) that month by day. Each meter
/// chain goes through the engine once; a replaced meter is counted through its successor.
pub async fn consumption(
    db: &Db,
    caller: &Caller,
    premise_id: Option<i64>,
    year: Option<i32>,
    month: Option<NaiveDate>,
) -> Result<PremiseConsumption, AppError> {
    AppError::check_dates([&month])?;
    if year.is_some_and(|y| !(1900..=2200).contains(&y)) {
        return Err(AppError::invalid(crate::i18n::Msg::Date, crate::errors::Problem::OutOfRange));
    }
    let mine = resident::list_premises(db, caller.company_id, caller.user_id).await?;
    let p = match premise_id {
        Some(id) => own_premise(db, caller, id).await?,
        None => mine.first().cloned().ok_or(AppError::NotFound)?,
    };
    let mut premises = Vec::new();
    for x in &mine {
        let o = object::get(db, caller.company_id, x.object_id).await?;
        premises.push((x.id, format!("{}, {}", o.address, x.number)));
    }
    let o = object::get(db, caller.company_id, p.object_id).await?;
    let tz = zone(&o);
    let today = calendar::local_date(tz, crate::storage::now());
    let (bounds, labels, first) = match month {
        Some(m) => {
            let first = calendar::first_of_month(m);
            let days = calendar::days_in_month(first);
            let labels: Vec<String> = (1..=days).map(|d| d.to_string()).collect();
            (calendar::day_bounds(tz, first, days), labels, first)
        }
        None => {
            let y = year.unwrap_or(today.year());
            let first = NaiveDate::from_ymd_opt(y, 1, 1).ok_or(AppError::NotFound)?;
            let labels: Vec<String> = (1..=12).map(|m| format!("{m:02}")).collect();
            (calendar::month_bounds(tz, first, 12), labels, first)
        }
    };
    let (from, to) = (bounds[0], *bounds.last().expect("bounds"));
    let mut lines: Vec<ResourceLine> = Vec::new();
    for m in meter::list_for_premise(db, caller.company_id, p.id).await? {
        if meter::successor(db, caller.company_id, m.id).await?.is_some() {
            continue;
        }
        let hist = history::of_meter(db, &m, from, to).await?;
        let totals = consumption::consumption(&hist, Archive::Integral, &bounds)[0].clone();
        match lines.iter_mut().find(|l| l.resource == m.resource) {
            Some(l) => {
                for (sum, v) in l.values.iter_mut().zip(totals) {
                    *sum = *sum + v;
                }
            }
            None => lines.push(ResourceLine {
                resource: m.resource,
                values: totals,
                total: Amount::NoData,
            }),
        }
    }
    // the columns from today on are not over yet: shown empty, and not in the total
    let not_yet_from = match month {
        Some(_) => (today - first).num_days().clamp(0, labels.len() as i64) as usize,
        None if first.year() < today.year() => 12,
        None if first.year() > today.year() => 0,
        None => today.month() as usize,
    };
    for l in &mut lines {
        l.total = l.values.iter().take(not_yet_from).copied().sum();
    }
    lines.sort_by_key(|l| Resource::ALL.iter().position(|r| *r == l.resource));

    // the year's billing periods: what a hand-read flat is billed for, with its basis
    let terms = super::period::Terms::of(db, &o).await?;
    let (mut periods, mut periods_open_from) = (Vec::new(), 0);
    if month.is_none() {
        let meters = meter::list_for_premise(db, caller.company_id, p.id).await?;
        let premises = std::collections::HashMap::from([(p.id, p.clone())]);
        let figures = super::period::figures(db, &o, &terms, &meters, &premises, first, 12).await?;
        for m in meters.iter().filter(|m| figures.contains_key(&m.id)) {
            let values = &figures[&m.id][0];
            match periods.iter_mut().find(|l: &&mut PeriodLine| l.resource == m.resource) {
                Some(l) => {
                    for (sum, v) in l.values.iter_mut().zip(values) {
                        *sum = PeriodAmount {
                            amount: sum.amount + v.amount,
                            basis: sum.basis.worst(v.basis),
                        };
                    }
                }
                None => periods.push(PeriodLine {
                    resource: m.resource,
                    values: values.clone(),
                }),
            }
        }
        periods.sort_by_key(|l| Resource::ALL.iter().position(|r| *r == l.resource));
        let open = terms.window.period_of(today);
        periods_open_from = (0..12u32)
            .take_while(|i| first + chrono::Months::new(*i) < open)
            .count();
    }
    Ok(PremiseConsumption {
        premise_id: p.id,
        title: format!("{}, {}", o.address, p.number),
        premises,
        year: first.year(),
        month: month.map(calendar::first_of_month),
        labels,
        not_yet_from,
        resources: lines,
        periods,
        periods_open_from,
        window: terms.window,
    })
}

/// The sheets a resident types readings into: one per building, holding only their own
/// premises' meters in operation.
pub async fn sheets(db: &Db, caller: &Caller) -> Result<Vec<FieldSheet>, AppError> {
    let mine = resident::list_premises(db, caller.company_id, caller.user_id).await?;
    let mut objects: Vec<i64> = mine.iter().map(|p| p.object_id).collect();
    objects.dedup();
    let mut out = Vec::new();
    for object_id in objects {
        let ids: Vec<i64> = mine
            .iter()
            .filter(|p| p.object_id == object_id)
            .map(|p| p.id)
            .collect();
        out.push(super::field_sheet::sheet_of(db, caller, object_id, Some(&ids)).await?);
    }
    Ok(out)
}
