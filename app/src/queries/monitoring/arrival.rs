//! «Поступление данных» (F24): a building's meters by resource and placement, each with the
//! records of one archive (hour, day, month) over a period — delivered whole, in part,
//! flagged, or missing — and one meter's records parameter by parameter.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use chrono_tz::Tz;

use crate::auth::caller::Caller;
use crate::consumption::calendar;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::arrival::{Archive, Arrival, ArrivalCell, ArrivalDetail, ArrivalMeter, ArrivalQuery, Mark, Slot, MAX_SLOTS};
use crate::models::MeterState;
use crate::queries::readings_table::{pick_object, zone};
use crate::storage::reading::{self, flags, Period};
use crate::storage::{channel, meter, premise, Db};

fn day(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
        .ok_or(AppError::invalid(Msg::EvPeriod, Problem::BadFormat))
}

fn period(archive: Archive) -> Period {
    match archive {
        Archive::Hour => Period::Hour,
        Archive::Day => Period::Day,
        Archive::Month => Period::Month,
    }
}

/// The period asked (the archive's default span up to the building's today when not), in
/// whole days, both included.
fn days_of(q: &ArrivalQuery, tz: Tz) -> Result<(NaiveDate, NaiveDate), AppError> {
    let today = calendar::local_date(tz, crate::storage::now());
    let to = q.to.as_deref().map(day).transpose()?.unwrap_or(today);
    let from = match q.from.as_deref() {
        Some(f) => day(f)?,
        None => to - chrono::Duration::days(q.archive.default_days() - 1),
    };
    if from > to {
        return Err(AppError::invalid(Msg::EvPeriod, Problem::OutOfRange));
    }
    Ok((from, to))
}

/// The records an archive holds over the days `from..=to`: each one's instant and how the
/// building reads it, at most `MAX_SLOTS` (the rest cut, and said).
fn slots(archive: Archive, tz: Tz, from: NaiveDate, to: NaiveDate) -> (Vec<(i64, String)>, bool) {
    let mut out = Vec::new();
    let label = |ts: i64, f: &str| {
        chrono::DateTime::from_timestamp(ts, 0).unwrap_or_default().with_timezone(&tz).format(f).to_string()
    };
    match archive {
        Archive::Hour => {
            let mut d = from;
            while d <= to && out.len() <= MAX_SLOTS {
                let bounds = calendar::hour_bounds(tz, d);
                for ts in &bounds[..bounds.len() - 1] {
                    out.push((*ts, label(*ts, "%d.%m %H:%M")));
                }
                let Some(next) = d.succ_opt() else { break };
                d = next;
            }
        }
        Archive::Day => {
            let mut d = from;
            while d <= to && out.len() <= MAX_SLOTS {
                out.push((calendar::day_start(tz, d), crate::models::format::date(d)));
                let Some(next) = d.succ_opt() else { break };
                d = next;
            }
        }
        Archive::Month => {
            let mut m = calendar::first_of_month(from);
            // a month counts when its first midnight is in the period
            if m < from {
                m = m + Months::new(1);
            }
            while m <= to && out.len() <= MAX_SLOTS {
                out.push((calendar::day_start(tz, m), m.format("%m.%Y").to_string()));
                m = m + Months::new(1);
            }
        }
    }
    let cut = out.len() > MAX_SLOTS;
    out.truncate(MAX_SLOTS);
    (out, cut)
}

fn marks(bits: i64) -> Vec<Mark> {
    let mut out = Vec::new();
    if bits & flags::DECREASED != 0 {
        out.push(Mark::Decreased);
    }
    if bits & flags::JUMP != 0 {
        out.push(Mark::Jump);
    }
    if bits & flags::ESTIMATED != 0 {
        out.push(Mark::Estimated);
    }
    if bits & flags::REJECTED != 0 {
        out.push(Mark::Rejected);
    } else if bits & flags::NEEDS_CONFIRMATION != 0 {
        out.push(Mark::Waiting);
    }
    out
}

/// The building's meters in service by the query's resource and placement, each with its
/// records of the period.
pub async fn arrival(db: &Db, caller: &Caller, query: ArrivalQuery) -> Result<Arrival, AppError> {
    let object = pick_object(db, caller, query.object, None).await?;
    let tz = zone(&object);
    let (from, to) = days_of(&query, tz)?;
    let (slots, cut) = slots(query.archive, tz, from, to);
    let numbers: HashMap<i64, String> = premise::list(db, caller.company_id, object.id).await?.into_iter().map(|p| (p.id, p.number)).collect();
    let meters: Vec<meter::Meter> = meter::list_for_object(db, caller.company_id, object.id)
        .await?
        .into_iter()
        .filter(|m| m.state == MeterState::InOperation)
        .filter(|m| query.resource.is_none_or(|r| m.resource == r))
        .filter(|m| query.placement.is_none_or(|p| m.placement == p))
        .collect();
    let mut channels: HashMap<i64, Vec<i64>> = HashMap::new();
    for c in channel::list_for_object(db, caller.company_id, object.id).await? {
        channels.entry(c.meter_id).or_default().push(c.id);
    }
    let wanted: Vec<i64> = meters.iter().flat_map(|m| channels.get(&m.id).cloned().unwrap_or_default()).collect();
    let start = slots.first().map(|s| s.0).unwrap_or(0);
    let end = slots.last().map(|s| s.0 + 1).unwrap_or(0);
    // each channel's records: which slot, and whether flagged
    let index: HashMap<i64, usize> = slots.iter().enumerate().map(|(i, s)| (s.0, i)).collect();
    let mut got: HashMap<(i64, usize), i64> = HashMap::new();
    for r in reading::archive_of_channels(db, caller.company_id, &wanted, period(query.archive), start, end).await? {
        if let Some(i) = index.get(&r.ts) {
            got.insert((r.channel_id, *i), r.flags);
        }
    }
    let meters = meters
        .into_iter()
        .map(|m| {
            let own = channels.get(&m.id).cloned().unwrap_or_default();
            let slots = (0..slots.len())
                .map(|i| {
                    let here: Vec<i64> = own.iter().filter_map(|c| got.get(&(*c, i)).copied()).collect();
                    Slot::of(here.len(), own.len(), here.iter().any(|f| *f != 0))
                })
                .collect();
            ArrivalMeter {
                id: m.id,
                premise: m.premise_id.and_then(|p| numbers.get(&p)).map(|n| format!("кв. {n}")).unwrap_or_default(),
                placement: m.placement,
                resource: m.resource,
                model: m.model,
                serial: m.serial,
                parameters: own.len(),
                slots,
            }
        })
        .collect();
    Ok(Arrival {
        objects: crate::storage::object::names(db, caller.company_id).await?,
        object_id: object.id,
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        slots: slots.into_iter().map(|s| s.1).collect(),
        meters,
        cut,
        query,
    })
}

/// One meter's records of the query's archive and period, a column per parameter. Another
/// company's meter is "not found".
pub async fn detail(db: &Db, caller: &Caller, meter_id: i64, query: ArrivalQuery) -> Result<ArrivalDetail, AppError> {
    let m = meter::get(db, caller.company_id, meter_id).await?;
    let object = crate::storage::object::get(db, caller.company_id, m.object_id).await?;
    let tz = zone(&object);
    let (from, to) = days_of(&query, tz)?;
    let (slots, _) = slots(query.archive, tz, from, to);
    let channels = channel::list_for_meter(db, caller.company_id, m.id).await?;
    let ids: Vec<i64> = channels.iter().map(|c| c.id).collect();
    let start = slots.first().map(|s| s.0).unwrap_or(0);
    let end = slots.last().map(|s| s.0 + 1).unwrap_or(0);
    let mut got: HashMap<(i64, i64), reading::Reading> = HashMap::new();
    for r in reading::archive_of_channels(db, caller.company_id, &ids, period(query.archive), start, end).await? {
        got.insert((r.channel_id, r.ts), r);
    }
    let premise = match m.premise_id {
        Some(p) => premise::get(db, caller.company_id, p).await.map(|p| format!("кв. {}", p.number)).unwrap_or_default(),
        None => String::new(),
    };
    let rows = slots
        .iter()
        .map(|(ts, label)| {
            let cells = channels
                .iter()
                .map(|c| match got.get(&(c.id, *ts)) {
                    Some(r) => ArrivalCell {
                        value: r.slot_value(0).map(|v| v.normalize().to_string()),
                        marks: marks(r.flags),
                    },
                    None => ArrivalCell { value: None, marks: Vec::new() },
                })
                .collect();
            (label.clone(), cells)
        })
        .collect();
    Ok(ArrivalDetail {
        meter_id: m.id,
        serial: m.serial,
        premise,
        parameters: channels.into_iter().map(|c| (c.parameter, c.unit)).collect(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_week_of_days_is_seven_midnights_of_the_building() {
        let tz = chrono_tz::Europe::Moscow;
        let (s, cut) = slots(Archive::Day, tz, d("2026-12-01"), d("2026-12-07"));
        assert_eq!(s.len(), 7);
        assert!(!cut);
        assert_eq!(s[0].1, "01.12.2026");
        // Moscow's midnight is 21:00 UTC the day before
        assert_eq!(s[0].0, d("2026-11-30").and_hms_opt(21, 0, 0).unwrap().and_utc().timestamp());
    }

    #[test]
    fn hours_are_cut_at_the_limit_and_months_count_their_first_midnights() {
        let tz = chrono_tz::Europe::Moscow;
        let (s, cut) = slots(Archive::Hour, tz, d("2026-12-01"), d("2026-12-10"));
        assert_eq!(s.len(), MAX_SLOTS);
        assert!(cut);
        assert_eq!(s[1].1, "01.12 01:00");
        let (m, cut) = slots(Archive::Month, tz, d("2026-01-15"), d("2026-12-07"));
        assert!(!cut);
        assert_eq!(m.iter().map(|x| x.1.as_str()).collect::<Vec<_>>().first(), Some(&"02.2026"));
        assert_eq!(m.len(), 11);
    }

    #[test]
    fn flag_bits_become_marks_and_a_rejected_value_is_not_also_waiting() {
        assert_eq!(marks(0), vec![]);
        assert_eq!(marks(flags::DECREASED | flags::NEEDS_CONFIRMATION), vec![Mark::Decreased, Mark::Waiting]);
        assert_eq!(marks(flags::JUMP | flags::NEEDS_CONFIRMATION | flags::REJECTED), vec![Mark::Jump, Mark::Rejected]);
    }
}
