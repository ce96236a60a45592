//! The polling console of a building: its meters on buses (one category at a time) with
//! their latest values and last poll, and the status bar: next scheduled poll, how the last
//! polls went, and the job under way.

use chrono::{NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::AppError;
use crate::models::polling::{Category, Console, ConsoleRow, JobProgress};
use crate::models::{format, Permission, Placement};
use crate::queries::readings_table::{pick_object, zone};
use crate::storage::meter_line::{self, LineFilter};
use crate::storage::{now, object, poll_job, poll_result, poll_target, Db};

fn local(tz: Tz, ts: i64) -> String {
    let t = chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .with_timezone(&tz);
    format::date_time(t.naive_local())
}

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
                values: l.latest.as_ref().map(|x| x.values).unwrap_or([None; 5]),
                changed: l.latest.as_ref().map(|x| local(tz, x.ts)),
                polled: last.map(|r| local(tz, r.at)),
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
                requested: local(tz, j.requested_at),
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
