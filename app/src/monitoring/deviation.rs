//! Deviation rules at work (issue 23, point 5): a building's common meters in service, each
//! watched parameter's newest archive record up to a moment judged by its rule — the page's
//! tiles and the sweep's «Отклонение от правила» events alike.
//!
//! A record's value is what the meter counted over it: an interval channel's record as it
//! is, an integral channel's (a running total) as the step from the record before.

use std::collections::HashMap;

use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::models::deviation::{judge, MeterTiles, Rule, Tile, AVERAGE_DAYS};
use crate::models::{MeterState, Placement};
use crate::queries::local_time;
use crate::storage::reading::{self, flags, Kind, Period};
use crate::storage::{channel, meter, Db, StorageError};

/// The values a channel's records counted, oldest first: (time, value).
pub fn counted(records: &[reading::Reading], integral: bool) -> Vec<(i64, Decimal)> {
    let kept: Vec<(i64, Decimal)> = records
        .iter()
        .filter(|r| r.flags & flags::REJECTED == 0)
        .filter_map(|r| Some((r.ts, r.slot_value(0)?)))
        .collect();
    if !integral {
        return kept;
    }
    kept.windows(2)
        .filter(|w| w[1].1 >= w[0].1)
        .map(|w| (w[1].0, w[1].1 - w[0].1))
        .collect()
}

/// A building's common meters in service, each with a tile per rule switched on, at the
/// newest record of `period` (hour or day) at or before `at`.
pub async fn tiles(
    db: &Db,
    company_id: i64,
    object_id: i64,
    tz: Tz,
    rules: &[Rule],
    period: Period,
    at: i64,
) -> Result<Vec<MeterTiles>, StorageError> {
    let on: HashMap<&str, &Rule> = rules.iter().filter(|r| r.enabled).map(|r| (r.parameter.as_str(), r)).collect();
    let meters: Vec<meter::Meter> = meter::list_for_object(db, company_id, object_id)
        .await?
        .into_iter()
        .filter(|m| m.state == MeterState::InOperation && m.placement == Placement::Common)
        .collect();
    let channels: Vec<channel::Channel> = channel::list_for_object(db, company_id, object_id)
        .await?
        .into_iter()
        .filter(|c| on.contains_key(c.parameter.as_str()) && meters.iter().any(|m| m.id == c.meter_id))
        .collect();
    let ids: Vec<i64> = channels.iter().map(|c| c.id).collect();
    // three days before the newest record, and one record more for an integral's first step
    let span = if period == Period::Hour { 3_600 } else { 86_400 };
    let from = at - (AVERAGE_DAYS + 2) * 86_400 - span;
    let mut records: HashMap<i64, Vec<reading::Reading>> = HashMap::new();
    for r in reading::archive_of_channels(db, company_id, &ids, period, from, at + 1).await? {
        records.entry(r.channel_id).or_default().push(r);
    }
    let mut out = Vec::new();
    for m in &meters {
        let mut tiles = Vec::new();
        for c in channels.iter().filter(|c| c.meter_id == m.id) {
            let rule = on[c.parameter.as_str()];
            let got = records.get(&c.id).map(Vec::as_slice).unwrap_or_default();
            let integral = c.kind == "integral" || got.iter().any(|r| r.kind == Kind::Integral);
            let values = counted(got, integral);
            let tile = match values.last() {
                None => Tile { parameter: c.parameter.clone(), unit: c.unit.clone(), rule: rule.clone(), at: None, verdict: None },
                Some(&(ts, value)) => {
                    let before: Vec<Decimal> =
                        values.iter().filter(|(t, _)| *t < ts && *t >= ts - AVERAGE_DAYS * 86_400).map(|(_, v)| *v).collect();
                    Tile {
                        parameter: c.parameter.clone(),
                        unit: c.unit.clone(),
                        rule: rule.clone(),
                        at: Some(local_time(tz, ts)),
                        verdict: Some(judge(rule, value, &before)),
                    }
                }
            };
            tiles.push(tile);
        }
        if !tiles.is_empty() {
            tiles.sort_by(|a, b| a.parameter.cmp(&b.parameter));
            out.push(MeterTiles { meter_id: m.id, serial: m.serial.clone(), resource: m.resource, tiles });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::reading::{Reading, Source};
    use std::str::FromStr;

    fn rec(ts: i64, total: &str, flags: i64) -> Reading {
        Reading {
            channel_id: 1,
            company_id: 1,
            period: Period::Day,
            ts,
            kind: Kind::Integral,
            total: Some(Decimal::from_str(total).unwrap()),
            tariffs: [None; 4],
            source: Source::Poll,
            flags,
            entered_by: None,
            entry_id: None,
            received_at: ts,
        }
    }

    #[test]
    fn an_integral_channel_counts_the_steps_between_its_records() {
        let got = [rec(0, "100.5", 0), rec(86_400, "110", 0), rec(172_800, "125.25", 0)];
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(counted(&got, true), vec![(86_400, d("9.5")), (172_800, d("15.25"))]);
        assert_eq!(counted(&got, false).len(), 3, "an interval channel's records as they are");
    }

    #[test]
    fn a_rejected_record_or_a_step_down_counts_nothing() {
        let got = [rec(0, "100", 0), rec(86_400, "90", 0), rec(172_800, "500", flags::REJECTED), rec(259_200, "95", 0)];
        assert_eq!(counted(&got, true), vec![(259_200, Decimal::from(5))]);
    }
}
