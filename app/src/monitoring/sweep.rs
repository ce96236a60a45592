//! The sweep: looks at a company's meters as they are now, opens an event for each condition
//! newly found and ends the open events whose condition is gone. Run every few minutes by
//! the server; running it twice changes nothing the second time.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::models::monitoring::{EventKind, EventSource, EventValues};
use crate::queries::local_time;
use crate::storage::reading::flags;
use crate::storage::{channel, current, deviation_rule, event, object, reading, silent_meter, verification, Db, StorageError};

/// A meter on a line not heard from for more days than this is silent.
pub const SILENT_DAYS: i64 = 3;
/// A meter that used nothing for this many whole days, after using some in the
/// `USED_BEFORE_DAYS` before them, has stopped: a stuck counter, a closed valve, an empty
/// flat, or a bypass. Heat meters only while their building has been in its heating season
/// (set on «Сезон») for the whole of those days: a flat's heat stops every spring.
pub const ZERO_DAYS: i64 = 7;
pub const USED_BEFORE_DAYS: i64 = 365;

/// A condition found at a meter.
#[derive(Clone, Debug, PartialEq)]
struct Found {
    object_id: i64,
    meter_id: i64,
    channel_id: Option<i64>,
    kind: EventKind,
    started_at: i64,
    values: EventValues,
    /// A waiting reading, whose previous value is looked up only when its event opens.
    waiting: Option<(i64, i64, Tz)>,
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub opened: u64,
    pub ended: u64,
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Europe::Moscow)
}

/// Meters on a line that the latest poll did not read, or that were not heard from for
/// `SILENT_DAYS`.
async fn silence(db: &Db, company_id: i64, at: i64, out: &mut Vec<Found>) -> Result<(), StorageError> {
    for m in silent_meter::list(db, company_id, None, at - SILENT_DAYS * 86_400).await? {
        let tz = zone(&m.time_zone);
        if m.poll_ok == Some(false) {
            out.push(Found {
                object_id: m.object_id,
                meter_id: m.meter_id,
                channel_id: None,
                kind: EventKind::NoAnswer,
                started_at: m.poll_at.unwrap_or(at),
                values: EventValues {
                    message: Some(m.poll_message.clone()).filter(|s| !s.is_empty()),
                    ..Default::default()
                },
                waiting: None,
            });
        }
        if m.last_contact_at.is_none_or(|ts| ts < at - SILENT_DAYS * 86_400) {
            out.push(Found {
                object_id: m.object_id,
                meter_id: m.meter_id,
                channel_id: None,
                kind: EventKind::Silent,
                started_at: m.last_contact_at.unwrap_or(at),
                values: EventValues {
                    previous_at: m.last_contact_at.map(|ts| local_time(tz, ts)),
                    days: m.last_contact_at.map(|ts| (at - ts) / 86_400),
                    ..Default::default()
                },
                waiting: None,
            });
        }
    }
    Ok(())
}

/// Readings that wait for a dispatcher because they went down or jumped.
async fn waiting(db: &Db, company_id: i64, at: i64, out: &mut Vec<Found>) -> Result<(), StorageError> {
    let waiting = current::waiting_of_company(db, company_id, i64::MAX).await?;
    let flagged: Vec<i64> = waiting
        .iter()
        .filter(|(_, w)| w.flags & (flags::DECREASED | flags::JUMP) != 0)
        .map(|(c, _)| *c)
        .collect();
    for (channel_id, meter_id, object_id, tz) in channel::owners(db, company_id, &flagged).await? {
        let w = &waiting[&channel_id];
        let kind = if w.flags & flags::DECREASED != 0 {
            EventKind::Decreased
        } else {
            EventKind::Jump
        };
        let tz = zone(&tz);
        out.push(Found {
            object_id,
            meter_id,
            channel_id: Some(channel_id),
            kind,
            started_at: w.ts.min(at),
            values: EventValues {
                value: w.values.iter().flatten().next().map(|v| v.normalize().to_string()),
                at: Some(local_time(tz, w.ts)),
                ..Default::default()
            },
            waiting: Some((channel_id, w.ts, tz)),
        });
    }
    Ok(())
}

/// Meters in service whose verification date has passed in their building's today.
async fn overdue(db: &Db, company_id: i64, at: i64, out: &mut Vec<Found>) -> Result<(), StorageError> {
    let utc = chrono::DateTime::from_timestamp(at, 0).unwrap_or_default();
    // the latest "today" of any zone: a meter is then filtered by its own building's today
    let tomorrow = utc.date_naive().succ_opt().unwrap_or(utc.date_naive());
    let since = NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date");
    let due = verification::due(db, company_id, None, since, tomorrow).await?;
    let zones: HashMap<i64, Tz> = crate::storage::object::list(db, company_id)
        .await?
        .into_iter()
        .map(|o| (o.id, zone(&o.time_zone)))
        .collect();
    for m in due {
        let tz = zones.get(&m.object_id).copied().unwrap_or(chrono_tz::Europe::Moscow);
        let today = utc.with_timezone(&tz).date_naive();
        if m.due_on >= today {
            continue;
        }
        out.push(Found {
            object_id: m.object_id,
            meter_id: m.meter_id,
            channel_id: None,
            kind: EventKind::VerificationOverdue,
            started_at: crate::consumption::calendar::day_start(tz, m.due_on),
            values: EventValues {
                date: Some(crate::models::format::date(m.due_on)),
                days: Some((today - m.due_on).num_days()),
                ..Default::default()
            },
            waiting: None,
        });
    }
    Ok(())
}

/// Meters whose use has stopped: `ZERO_DAYS` whole days of exactly nothing, up to their
/// building's yesterday, after some use in the year before.
async fn stopped(db: &Db, company_id: i64, at: i64, out: &mut Vec<Found>) -> Result<(), StorageError> {
    let utc = chrono::DateTime::from_timestamp(at, 0).unwrap_or_default();
    let heating_since: HashMap<i64, NaiveDate> = crate::storage::heating_season::latest(db, company_id, None)
        .await?
        .into_iter()
        .filter(|c| c.heating)
        .map(|c| (c.object_id, c.starts_on))
        .collect();
    for o in crate::storage::object::list(db, company_id).await? {
        let tz = zone(&o.time_zone);
        let today = utc.with_timezone(&tz).date_naive();
        let from = today - chrono::Days::new(ZERO_DAYS as u64);
        let before = from - chrono::Days::new(USED_BEFORE_DAYS as u64);
        let heat = heating_since.get(&o.id).is_some_and(|since| *since <= from);
        for (meter_id, first) in crate::storage::consumption_day::stopped(db, company_id, o.id, before, from, today, heat).await? {
            out.push(Found {
                object_id: o.id,
                meter_id,
                channel_id: None,
                kind: EventKind::ZeroUse,
                started_at: crate::consumption::calendar::day_start(tz, first),
                values: EventValues {
                    date: Some(crate::models::format::date(first)),
                    days: Some((today - first).num_days()),
                    ..Default::default()
                },
                waiting: None,
            });
        }
    }
    Ok(())
}

/// Common meters whose newest daily record breaks a deviation rule switched on in their
/// building: one event per meter, naming each parameter off its rule.
async fn deviations(db: &Db, company_id: i64, at: i64, out: &mut Vec<Found>) -> Result<(), StorageError> {
    use crate::i18n::{parameter_name, unit_text, Lang};
    let mut by_object: std::collections::BTreeMap<i64, Vec<crate::models::deviation::Rule>> = Default::default();
    for (object_id, rule) in deviation_rule::enabled_of_company(db, company_id).await? {
        by_object.entry(object_id).or_default().push(rule);
    }
    for (object_id, rules) in by_object {
        let tz = zone(&object::get(db, company_id, object_id).await?.time_zone);
        for m in super::deviation::tiles(db, company_id, object_id, tz, &rules, reading::Period::Day, at).await? {
            let broken: Vec<String> = m
                .tiles
                .iter()
                .filter_map(|t| {
                    let v = t.verdict.as_ref().filter(|v| v.broken)?;
                    let unit = unit_text(&t.unit, Lang::Ru);
                    let n = |d: rust_decimal::Decimal| crate::models::format::decimal(d.normalize());
                    Some(format!(
                        "{} {} {unit} ({}): база {} {unit}, допустимо ± {} {unit}",
                        parameter_name(&t.parameter, Lang::Ru),
                        n(v.value),
                        t.at.clone().unwrap_or_default(),
                        v.base.map(n).unwrap_or_default(),
                        v.allowed.map(n).unwrap_or_default(),
                    ))
                })
                .collect();
            if broken.is_empty() {
                continue;
            }
            out.push(Found {
                object_id,
                meter_id: m.meter_id,
                channel_id: None,
                kind: EventKind::Deviation,
                started_at: at,
                values: EventValues { message: Some(broken.join("; ")), ..Default::default() },
                waiting: None,
            });
        }
    }
    Ok(())
}

/// Sweeps one company's computed events at `at`.
pub async fn sweep_company(db: &Db, company_id: i64, at: i64) -> Result<Swept, StorageError> {
    let mut found = Vec::new();
    silence(db, company_id, at, &mut found).await?;
    waiting(db, company_id, at, &mut found).await?;
    overdue(db, company_id, at, &mut found).await?;
    stopped(db, company_id, at, &mut found).await?;
    deviations(db, company_id, at, &mut found).await?;

    let source = EventSource::Computed.as_str();
    let open = event::open_of(db, company_id, source).await?;
    let key = |object_id: i64, meter_id: Option<i64>, kind: &str| (object_id, meter_id, kind.to_string());
    let found_keys: HashSet<_> = found
        .iter()
        .map(|f| key(f.object_id, Some(f.meter_id), f.kind.as_str()))
        .collect();
    let open_keys: HashSet<_> = open.iter().map(|e| key(e.object_id, e.meter_id, &e.kind)).collect();
    let gone: Vec<i64> = open
        .iter()
        .filter(|e| !found_keys.contains(&key(e.object_id, e.meter_id, &e.kind)))
        .map(|e| e.id)
        .collect();
    let mut new = Vec::new();
    for mut f in found {
        if open_keys.contains(&key(f.object_id, Some(f.meter_id), f.kind.as_str())) {
            continue;
        }
        if let Some((channel_id, ts, tz)) = f.waiting {
            if let Some(prev) = reading::latest_integral_before(db, company_id, channel_id, ts, true).await? {
                f.values.previous = prev.slot_value(0).map(|v| v.normalize().to_string());
                f.values.previous_at = Some(local_time(tz, prev.ts));
            }
        }
        new.push(event::NewEvent {
            company_id,
            object_id: f.object_id,
            meter_id: Some(f.meter_id),
            channel_id: f.channel_id,
            kind: f.kind.as_str(),
            severity: f.kind.severity().as_str(),
            source,
            started_at: f.started_at,
            details: serde_json::to_string(&f.values).unwrap_or_else(|_| "{}".into()),
        });
    }
    let opened = event::open_many(db, &new, at).await?;
    let ended = event::end_many(db, company_id, &gone, at).await?;
    Ok(Swept { opened, ended })
}

/// Ends a meter's «went down» and «jump» events at once when a dispatcher's decision left no
/// such reading waiting, so the situation leaves the list with the decision, not minutes later.
pub async fn settle_readings(db: &Db, company_id: i64, meter_id: i64, at: i64) -> Result<u64, StorageError> {
    let mut found = Vec::new();
    waiting(db, company_id, at, &mut found).await?;
    let still: HashSet<EventKind> = found.iter().filter(|f| f.meter_id == meter_id).map(|f| f.kind).collect();
    let settled: Vec<i64> = event::open_of(db, company_id, EventSource::Computed.as_str())
        .await?
        .into_iter()
        .filter(|e| e.meter_id == Some(meter_id))
        .filter(|e| matches!(EventKind::parse(&e.kind), Some(k @ (EventKind::Decreased | EventKind::Jump)) if !still.contains(&k)))
        .map(|e| e.id)
        .collect();
    event::end_many(db, company_id, &settled, at).await
}

/// Sweeps every company.
pub async fn sweep_all(db: &Db, at: i64) -> Result<Swept, StorageError> {
    let mut total = Swept::default();
    for company_id in crate::storage::company::list(db).await?.into_iter().map(|c| c.id) {
        let s = sweep_company(db, company_id, at).await?;
        total.opened += s.opened;
        total.ended += s.ended;
    }
    // the LoRa sessions page looks back ten days; older packets go
    crate::storage::lora_packet::prune(db, at - crate::storage::lora_packet::KEEP_SECONDS).await?;
    Ok(total)
}
