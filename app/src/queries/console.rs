//! The polling console of a building: its meters on buses (one category at a time) with
//! their latest values and last poll, and the status bar: next scheduled poll, how the last
//! polls went, and the job under way.

use chrono::{NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::polling::{
    Category, Console, ConsoleRow, DeviceChoice, DeviceChoices, ExchangeLine, JobProgress, LineChoice, Terminal,
};
use crate::models::{format, Permission, Placement};
use crate::queries::local_time;
use crate::queries::readings_table::{pick_object, zone};
use crate::storage::meter_line::{self, LineFilter};
use crate::storage::{now, object, poll_job, poll_result, poll_target, Db};

/// The next scheduled poll of a building, building time.
fn next_poll(tz: Tz, o: &object::Object, today_taken: bool) -> Option<String> {
    let at = NaiveTime::parse_from_str(&o.poll_time, "%H:%M")
        .unwrap_or(NaiveTime::from_hms_opt(7, 0, 0)?);
    let today = calendar::local_date(tz, now());
    let day = if today_taken {
        today.succ_opt()?
    } else {
        today
    };
    let due = tz.from_local_datetime(&day.and_time(at)).earliest()?;
    Some(format::date_time(
        due.naive_local()
            .max(chrono::Utc::now().with_timezone(&tz).naive_local()),
    ))
}

pub async fn console(
    db: &Db,
    caller: &Caller,
    asked: Option<i64>,
    chosen: Option<i64>,
    category: Category,
) -> Result<Console, AppError> {
    let o = pick_object(db, caller, asked, chosen).await?;
    let tz = zone(&o);
    let buses = poll_target::buses_of_object(db, caller.company_id, o.id).await?;
    let results = poll_result::latest_for_object(db, caller.company_id, o.id).await?;
    let filter = LineFilter {
        resources: category.resources(),
        placement: Some(category.placement()),
        search: String::new(),
        before: now() + 1,
    };
    let mut lines = meter_line::list(db, caller.company_id, o.id, &filter).await?;
    lines.retain(|l| buses.contains_key(&l.meter_id));
    lines.sort_by(|a, b| {
        let key = |l: &meter_line::MeterLine| {
            (
                l.premise.as_deref().and_then(|p| p.parse::<i64>().ok()),
                l.meter_id,
            )
        };
        key(a).cmp(&key(b))
    });
    let rows = lines
        .into_iter()
        .map(|l| {
            let (protocol, line) = buses.get(&l.meter_id).cloned().unwrap_or_default();
            let last = results.get(&l.meter_id);
            ConsoleRow {
                meter_id: l.meter_id,
                place: match (l.placement, &l.premise) {
                    (Placement::Individual, Some(p)) => format!("кв. {p}"),
                    _ => "ОДПУ".into(),
                },
                resource: l.resource,
                model: l.model,
                serial: l.serial,
                line,
                address: l.bus_address,
                protocol,
                tariffs: l.tariffs.clamp(1, 4) as u8,
                fraction: l.capacity.fraction(),
                values: l.current.values.map(|v| v.map(|(_, value)| value)),
                changed: l.current.ts().map(|ts| local_time(tz, ts)),
                polled: last.map(|r| local_time(tz, r.at)),
                ok: last.map(|r| r.ok),
                message: last.map(|r| r.message.clone()).unwrap_or_default(),
            }
        })
        .collect();

    // The status bar counts the whole building, every category.
    let automatic: Vec<i64> = buses
        .iter()
        .filter(|(_, (protocol, _))| !protocol.is_empty())
        .map(|(id, _)| *id)
        .collect();
    let polled = automatic
        .iter()
        .filter(|id| results.get(id).is_some_and(|r| r.ok))
        .count() as i64;
    let job = match poll_job::latest_for_object(db, caller.company_id, o.id).await? {
        None => None,
        Some(j) => {
            let (done, ok) = poll_result::progress(db, caller.company_id, j.id).await?;
            let running = j.finished_at.is_none();
            let total = if running {
                poll_target::list(db, &j).await?.len() as i64
            } else {
                j.meters_total
            };
            Some(JobProgress {
                id: j.id,
                reason: j.reason.clone(),
                running,
                done,
                total,
                ok,
                requested: local_time(tz, j.requested_at),
                seconds: j.finished_at.unwrap_or_else(now) - j.claimed_at.unwrap_or(j.requested_at),
            })
        }
    };
    let today = calendar::local_date(tz, now())
        .format("%Y-%m-%d")
        .to_string();
    let taken = poll_job::slot_taken(db, o.id, &today).await?;
    Ok(Console {
        object_id: o.id,
        object_name: o.name.clone(),
        category,
        rows,
        next_poll: if automatic.is_empty() {
            None
        } else {
            next_poll(tz, &o, taken)
        },
        total: automatic.len() as i64,
        polled,
        not_polled: automatic.len() as i64 - polled,
        job,
        can_poll: caller.role.allows(Permission::EditData),
    })
}

/// Bytes as spaced hex, two digits a byte.
fn spaced(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap_or("??"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(serde::Deserialize)]
struct StoredFrame {
    t: i64,
    d: char,
    hex: String,
}

/// The terminal tab: the building's meters on buses and the last exchange of the asked one
/// (else of the first that has been polled).
pub async fn terminal(
    db: &Db,
    caller: &Caller,
    asked: Option<i64>,
    chosen: Option<i64>,
    meter: Option<i64>,
) -> Result<Terminal, AppError> {
    let o = pick_object(db, caller, asked, chosen).await?;
    let tz = zone(&o);
    let buses = poll_target::buses_of_object(db, caller.company_id, o.id).await?;
    let filter = LineFilter {
        resources: Vec::new(),
        placement: None,
        search: String::new(),
        before: now() + 1,
    };
    let mut lines = meter_line::list(db, caller.company_id, o.id, &filter).await?;
    lines.retain(|l| buses.get(&l.meter_id).is_some_and(|(p, _)| !p.is_empty()));
    lines.sort_by_key(|l| {
        (
            l.placement != Placement::Common,
            l.premise.as_deref().and_then(|p| p.parse::<i64>().ok()),
            l.meter_id,
        )
    });
    let meters: Vec<(i64, String)> = lines
        .iter()
        .map(|l| {
            let place = match (l.placement, &l.premise) {
                (Placement::Individual, Some(p)) => format!("кв. {p}"),
                _ => "ОДПУ".into(),
            };
            (l.meter_id, format!("{place} · {} · {}", l.model, l.serial))
        })
        .collect();
    if let Some(id) = meter {
        if !meters.iter().any(|(m, _)| *m == id) {
            return Err(AppError::NotFound);
        }
    }
    let results = poll_result::latest_for_object(db, caller.company_id, o.id).await?;
    let meter_id = meter.or_else(|| {
        meters
            .iter()
            .find(|(id, _)| results.contains_key(id))
            .or(meters.first())
            .map(|(id, _)| *id)
    });
    let last = match meter_id {
        Some(id) => poll_result::latest_for_meter(db, caller.company_id, id).await?,
        None => None,
    };
    let frames: Vec<StoredFrame> = last
        .as_ref()
        .and_then(|r| serde_json::from_str(&r.exchange).ok())
        .unwrap_or_default();
    Ok(Terminal {
        object_id: o.id,
        object_name: o.name.clone(),
        meters,
        meter_id,
        polled: last.as_ref().map(|r| local_time(tz, r.at)),
        ok: last.as_ref().map(|r| r.ok),
        message: last.map(|r| r.message).unwrap_or_default(),
        lines: frames
            .into_iter()
            .map(|f| ExchangeLine {
                time: chrono::DateTime::from_timestamp_millis(f.t)
                    .unwrap_or_default()
                    .with_timezone(&tz)
                    .format("%H:%M:%S%.3f")
                    .to_string(),
                sent: f.d == '>',
                hex: spaced(&f.hex),
            })
            .collect(),
    })
}

/// The device form of a building's tab: its lines (those of the building and those not tied
/// to one; LoRaWAN gateways report by themselves and are left out) and the tab's meters in
/// service with how each is read now.
pub async fn device_choices(
    db: &Db,
    caller: &Caller,
    object_id: i64,
    category: Category,
) -> Result<DeviceChoices, AppError> {
    let o = object::get(db, caller.company_id, object_id).await?;
    let lines = crate::storage::communicator::list(db, caller.company_id)
        .await?
        .into_iter()
        .filter(|c| c.object_id.is_none_or(|id| id == o.id) && c.line != "lorawan")
        .map(|c| LineChoice { id: c.id, name: c.name })
        .collect();
    let buses = poll_target::buses_of_object(db, caller.company_id, o.id).await?;
    let flats: std::collections::HashMap<i64, String> = crate::storage::premise::list(db, caller.company_id, o.id)
        .await?
        .into_iter()
        .map(|p| (p.id, p.number))
        .collect();
    let mut meters: Vec<(Option<i64>, DeviceChoice)> = crate::storage::meter::list_for_object(db, caller.company_id, o.id)
        .await?
        .into_iter()
        .filter(|m| category.holds(m.placement, m.resource))
        .filter(|m| m.state != crate::models::MeterState::Retired)
        .map(|m| {
            let flat = m.premise_id.and_then(|p| flats.get(&p).cloned());
            let place = match &flat {
                Some(n) => format!("кв. {n}"),
                None => "ОДПУ".into(),
            };
            let order = flat.as_deref().and_then(|n| n.parse::<i64>().ok());
            (
                order,
                DeviceChoice {
                    meter_id: m.id,
                    label: format!("{place} · {} · {}", m.model, m.serial),
                    line_id: m.communicator_id,
                    protocol: buses.get(&m.id).map(|(p, _)| p.clone()).unwrap_or_default(),
                    address: m.bus_address,
                },
            )
        })
        .collect();
    meters.sort_by_key(|(order, d)| (*order, d.meter_id));
    Ok(DeviceChoices {
        lines,
        meters: meters.into_iter().map(|(_, d)| d).collect(),
    })
}
