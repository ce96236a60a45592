//! The daily consumption rollup: keeps `consumption_days` and `consumption_object_days`
//! equal to what the consumption engine says, so company-wide months and years are sums of
//! stored days. Every write of readings marks its meters stale (storage does it in the same
//! transaction); [`refresh_stale`] recomputes the days a mark can have changed, from the day
//! of the newest counted reading before it to the last reading, and re-sums the objects.
//! A background task drains the marks; readers drain their company's marks before reading,
//! so a late reading is never missing from a figure.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use futures::StreamExt;

use crate::consumption::{self, calendar, Archive, MeterHistory};
use crate::errors::AppError;
use crate::models::{Placement, Resource};
use crate::queries::history;
use crate::queries::readings_table::zone;
use crate::storage::consumption_day::{self, Owner, Replacement};
use crate::storage::stale::{self, Mark};
use crate::storage::{channel, meter, object, reading, Db, StorageError};

/// How many marks one pass reads at a time.
const BATCH: usize = 500;
/// Meters recomputed at once (the SQLite pool has eight connections).
const PARALLEL: usize = 6;
/// How far a chain of replacements is followed to its current meter.
const MAX_SUCCESSORS: usize = 8;
/// How far before a mark its readings are loaded: two months reach the reading before the
/// mark and the one before that day's month for any meter read at least monthly.
const WINDOW: i64 = 62 * 86_400;

/// What a refreshed meter changed: the object sums to redo from `first` on.
#[derive(Clone, Copy, Debug)]
struct Touched {
    object_id: i64,
    resource: Resource,
    placement: Placement,
    first: NaiveDate,
}

/// Recomputes the marked meters (of one company, or all) until none is left or `budget`
/// meters were done; returns how many were done. Days are written a batch of meters at a
/// time; each object's sums are redone once, after all its meters, and the marks are
/// cleared only then.
pub async fn refresh_stale(
    db: &Db,
    company_id: Option<i64>,
    budget: usize,
) -> Result<usize, AppError> {
    let mut seen: Vec<Mark> = Vec::new();
    let mut objects: BTreeMap<(i64, &'static str, &'static str), Touched> = BTreeMap::new();
    let mut after = 0;
    while seen.len() < budget {
        let limit = (budget - seen.len()).min(BATCH) as i64;
        let marks = stale::list(db, company_id, after, limit).await?;
        let Some(last) = marks.last() else { break };
        after = last.meter_id;
        let mut writes: Vec<Replacement> = Vec::new();
        let known = Known::load(db, &marks).await?;
        let known = &known;
        // the work is mostly waiting on the database: several meters at once
        let computed: Vec<Result<Vec<Replacement>, AppError>> =
            futures::stream::iter(marks.clone())
                .map(|mark| async move { recompute(db, known, &mark).await })
                .buffer_unordered(PARALLEL)
                .collect()
                .await;
        // the old and the new meter of a replacement, both marked, name one chain: its
        // rows are written once, from the earlier day (that computation covers the other)
        let mut by_head: BTreeMap<i64, Replacement> = BTreeMap::new();
        for replacements in computed {
            for r in replacements? {
                match by_head.get(&r.owner.meter_id) {
                    Some(kept) if kept.first <= r.first => {}
                    _ => {
                        by_head.insert(r.owner.meter_id, r);
                    }
                }
            }
        }
        for r in by_head.into_values() {
            let t = Touched {
                object_id: r.owner.object_id,
                resource: r.owner.resource,
                placement: r.owner.placement,
                first: r.first,
            };
            objects
                .entry((t.object_id, t.resource.as_str(), t.placement.as_str()))
                .and_modify(|o| o.first = o.first.min(t.first))
                .or_insert(t);
            writes.push(r);
        }
        consumption_day::replace_many(db, &writes).await?;
        seen.extend(marks);
    }
    for t in objects.values() {
        consumption_day::resum_object(db, t.object_id, t.resource, t.placement, t.first).await?;
    }
    for mark in &seen {
        stale::clear(db, mark).await?;
    }
    Ok(seen.len())
}

/// What a batch of marks reads once instead of once per meter: the marked meters, who
/// replaced them, their objects and main channels. A meter outside it (a chain's other
/// meters) is read on its own, as before.
struct Known {
    meters: HashMap<i64, meter::Meter>,
    /// Meters whose successor was looked up, and the successor if there is one.
    successors: HashMap<i64, Option<i64>>,
    objects: HashMap<i64, object::Object>,
    /// Meters whose main channel was looked up, and the channel if there is one.
    channels: HashMap<i64, Option<i64>>,
}

impl Known {
    async fn load(db: &Db, marks: &[Mark]) -> Result<Known, AppError> {
        let ids: Vec<i64> = marks.iter().map(|m| m.meter_id).collect();
        let meters: HashMap<i64, meter::Meter> = meter::get_many(db, &ids)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let mut successors: HashMap<i64, Option<i64>> = ids.iter().map(|&id| (id, None)).collect();
        for (replaced, next) in meter::successors_of(db, &ids).await? {
            successors.insert(replaced, Some(next));
        }
        let mut object_ids: Vec<i64> = meters.values().map(|m| m.object_id).collect();
        object_ids.sort_unstable();
        object_ids.dedup();
        let objects = object::get_many(db, &object_ids)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let mut channels: HashMap<i64, Option<i64>> = ids.iter().map(|&id| (id, None)).collect();
        for (m, ch) in channel::main_of_meters(db, &ids).await? {
            channels.insert(m, Some(ch));
        }
        Ok(Known {
            meters,
            successors,
            objects,
            channels,
        })
    }

    async fn meter(&self, db: &Db, company_id: i64, id: i64) -> Result<meter::Meter, StorageError> {
        match self.meters.get(&id) {
            Some(m) if m.company_id == company_id => Ok(m.clone()),
            Some(_) => Err(StorageError::NotFound),
            None => meter::get(db, company_id, id).await,
        }
    }

    async fn successor(&self, db: &Db, company_id: i64, id: i64) -> Result<Option<i64>, StorageError> {
        match self.successors.get(&id) {
            Some(next) => Ok(*next),
            None => meter::successor(db, company_id, id).await,
        }
    }

    async fn object(&self, db: &Db, company_id: i64, id: i64) -> Result<object::Object, StorageError> {
        match self.objects.get(&id) {
            Some(o) if o.company_id == company_id => Ok(o.clone()),
            Some(_) => Err(StorageError::NotFound),
            None => object::get(db, company_id, id).await,
        }
    }

    async fn main_channel(&self, db: &Db, company_id: i64, meter_id: i64) -> Result<Option<i64>, AppError> {
        match self.channels.get(&meter_id) {
            Some(ch) => Ok(*ch),
            None => Ok(history::main_channel(db, company_id, meter_id).await?.map(|c| c.id)),
        }
    }
}

/// Follows replacements to the meter that carries the chain now.
async fn head_of(db: &Db, known: &Known, m: meter::Meter) -> Result<meter::Meter, AppError> {
    let mut head = m;
    for _ in 0..MAX_SUCCESSORS {
        match known.successor(db, head.company_id, head.id).await? {
            Some(next) => head = known.meter(db, head.company_id, next).await?,
            None => break,
        }
    }
    Ok(head)
}

/// A meter of a chain with its main channel and the counted readings loaded of it.
struct Link {
    meter: meter::Meter,
    channel: Option<i64>,
    readings: Vec<crate::consumption::Reading>,
}

/// Recomputes one mark's chain: what to write (empty days clear what was there).
async fn recompute(db: &Db, known: &Known, mark: &Mark) -> Result<Vec<Replacement>, AppError> {
    let marked = match known.meter(db, mark.company_id, mark.meter_id).await {
        Ok(m) => m,
        Err(StorageError::NotFound) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let head = head_of(db, known, marked).await?;
    let o = known.object(db, head.company_id, head.object_id).await?;
    let tz = zone(&o);
    let owner = owner_of(&head);
    let mut out = Vec::new();
    let mut from_ts = mark.from_ts;

    // The chain, oldest meter first. Days counted under a meter that has since been
    // replaced move to its successor.
    let mut chain = vec![head.clone()];
    while let Some(id) = chain.last().and_then(|m| m.replaces_meter_id) {
        if chain.len() > MAX_SUCCESSORS || chain.iter().any(|m| m.id == id) {
            break;
        }
        let p = known.meter(db, head.company_id, id).await?;
        if let Some(first) = consumption_day::first_day(db, p.id).await? {
            out.push(Replacement::empty(owner_of(&p), first));
            from_ts = i64::MIN;
        }
        chain.push(p);
    }
    chain.reverse();

    // The readings from a window before the mark, which usually holds the newest counted
    // reading before it (where the recomputed days open) and the one before that day's
    // month (where loading must start, so every step reaching into the recomputed days and
    // months is seen). Where it does not, the database is asked, as it was for every meter.
    let now = crate::storage::now();
    let to = now + 2 * 86_400;
    let mut window_from = if from_ts == i64::MIN { 0 } else { (from_ts - WINDOW).max(0) };
    let mut links = Vec::with_capacity(chain.len());
    for m in chain {
        let channel = known.main_channel(db, head.company_id, m.id).await?;
        let readings = match channel {
            Some(ch) => history::readings_of(db, head.company_id, ch, window_from, to).await?,
            None => Vec::new(),
        };
        links.push(Link { meter: m, channel, readings });
    }
    let newest_before = |links: &[Link], ts: i64| {
        links
            .iter()
            .flat_map(|l| l.readings.iter().map(|r| r.ts))
            .filter(|&t| t < ts)
            .max()
    };
    let asked_before = |ts: i64| {
        let channels: Vec<i64> = links.iter().filter_map(|l| l.channel).collect();
        async move {
            let mut best: Option<i64> = None;
            for ch in channels {
                if let Some(r) =
                    reading::latest_integral_before(db, head.company_id, ch, ts, true).await?
                {
                    best = Some(best.map_or(r.ts, |b: i64| b.max(r.ts)));
                }
            }
            Ok::<_, AppError>(best)
        }
    };
    let today = calendar::local_date(tz, now);
    // (first day, where loading starts, whether any counted reading precedes the mark)
    let (first, anchor, earlier) = if from_ts == i64::MIN {
        (None, 0, true)
    } else {
        let prev = match newest_before(&links, from_ts) {
            Some(ts) => Some(ts),
            None if window_from == 0 => None,
            None => asked_before(from_ts).await?,
        };
        let first = calendar::local_date(tz, prev.unwrap_or(from_ts));
        let month_start = calendar::day_start(tz, calendar::first_of_month(first));
        let anchor = match newest_before(&links, month_start) {
            Some(ts) => ts,
            // nothing before the mark at all: nothing before its month either
            None if prev.is_none() || window_from == 0 => 0,
            None => asked_before(month_start).await?.unwrap_or(0),
        };
        (Some(first), anchor, prev.is_some())
    };
    // the window missed readings the recomputation needs: load from the anchor
    if earlier && anchor < window_from {
        window_from = anchor;
        for l in links.iter_mut() {
            if let Some(ch) = l.channel {
                l.readings = history::readings_of(db, head.company_id, ch, window_from, to).await?;
            }
        }
    }
    let hist: Vec<MeterHistory> = links
        .into_iter()
        .map(|l| MeterHistory {
            register: history::register_of(&l.meter),
            readings: l.readings.into_iter().filter(|r| r.ts >= anchor).collect(),
        })
        .collect();
    let stamps = || hist.iter().flat_map(|m| m.readings.iter().map(|r| r.ts));
    let (Some(earliest), Some(last_ts)) = (stamps().min(), stamps().max()) else {
        // nothing counted is left (a rejected reading was the only one): the days go
        if let Some(first) = first {
            out.push(Replacement::empty(owner, first));
        }
        return Ok(out);
    };
    let first = first.unwrap_or_else(|| calendar::local_date(tz, earliest));
    // what is stored from `first` on is cleared; days before the earliest reading loaded have
    // nothing measured, so computing starts there (a mark from the epoch is 20 000 days)
    let from = first.max(calendar::local_date(tz, earliest));
    let last = calendar::local_date(tz, last_ts).min(today).max(from);

    let n = (last - from).num_days() as u32 + 1;
    let per_slot = consumption::consumption(&hist, Archive::Integral, &calendar::day_bounds(tz, from, n));
    let days = (0..n as usize)
        .map(|i| {
            (
                from + chrono::Duration::days(i as i64),
                std::array::from_fn(|s| per_slot[s][i]),
            )
        })
        .collect();

    // months whole, as the meter page counts them
    let first_month = calendar::first_of_month(from);
    let m = (last.year() - first_month.year()) as u32 * 12 + last.month() + 1 - first_month.month();
    let per_slot = consumption::consumption(&hist, Archive::Integral, &calendar::month_bounds(tz, first_month, m));
    let months = (0..m as usize)
        .map(|i| {
            (
                first_month + Months::new(i as u32),
                std::array::from_fn(|s| per_slot[s][i]),
            )
        })
        .collect();
    out.push(Replacement { owner, first, days, months });
    Ok(out)
}

fn owner_of(m: &meter::Meter) -> Owner {
    Owner {
        meter_id: m.id,
        company_id: m.company_id,
        object_id: m.object_id,
        resource: m.resource,
        placement: m.placement,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::models::capacity::DigitCapacity;
    use crate::storage::reading::{flags, Period, Reading};
    use crate::storage::consumption_day::Span;
    use crate::storage::testing::fixtures;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn march(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    /// A daily archive reading at Moscow midnight of 2026-03-`day`.
    fn at_midnight(b: &fixtures::Building, channel_id: i64, day: u32, total: &str) -> Reading {
        let ts = calendar::day_start(chrono_tz::Europe::Moscow, march(day));
        fixtures::polled(b.company_id, channel_id, Period::Day, ts, d(total))
    }

    async fn store(db: &Db, readings: &[Reading]) {
        reading::insert_many(db, readings).await.unwrap();
        // no limit, as the demo loader asks
        refresh_stale(db, None, usize::MAX).await.unwrap();
    }

    /// The meter's stored day totals of March as (day, display).
    async fn days_of(db: &Db, meter_id: i64) -> Vec<(u32, String)> {
        use chrono::Datelike;
        consumption_day::of_meter(db, meter_id, Span::Day, march(1), march(31))
            .await
            .unwrap()
            .into_iter()
            .map(|(day, a)| (day.day(), a[0].display()))
            .collect()
    }

    /// The building's electricity total per March day from the object sums.
    async fn building_days(db: &Db, b: &fixtures::Building) -> Vec<(u32, Option<Decimal>)> {
        use chrono::Datelike;
        consumption_day::day_sums(
            db,
            b.company_id,
            Some(b.object_id),
            Placement::Individual,
            Span::Day,
            march(1),
            march(31),
        )
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.day.day(), s.values[0]))
        .collect()
    }

    db_test!(rollup_keeps_each_day_of_a_meter_and_the_building_sum, |db| {
        let b = fixtures::building(&db).await;
        let ch = b.channel_id;
        store(
            &db,
            &[
                at_midnight(&b, ch, 1, "100"),
                at_midnight(&b, ch, 2, "110"),
                at_midnight(&b, ch, 3, "125.5"),
                at_midnight(&b, ch, 4, "125.5"),
                at_midnight(&b, ch, 5, "140"),
            ],
        )
        .await;
        assert_eq!(
            days_of(&db, b.meter_id).await,
            vec![
                (1, "10".to_string()),
                (2, "15,5".to_string()),
                (3, "0".to_string()),
                (4, "14,5".to_string())
            ]
        );
        assert_eq!(
            building_days(&db, &b).await,
            vec![
                (1, Some(d("10"))),
                (2, Some(d("15.5"))),
                (3, Some(d("0"))),
                (4, Some(d("14.5")))
            ]
        );
        assert_eq!(stale::get_count(&db, None).await.unwrap(), 0);
    });

    db_test!(a_late_reading_recomputes_the_days_it_falls_in, |db| {
        let b = fixtures::building(&db).await;
        let ch = b.channel_id;
        store(
            &db,
            &[
                at_midnight(&b, ch, 1, "100"),
                at_midnight(&b, ch, 2, "110"),
                at_midnight(&b, ch, 4, "130"),
                at_midnight(&b, ch, 5, "131"),
            ],
        )
        .await;
        // the step over days 2–3 cannot be split without inventing a value
        assert_eq!(
            days_of(&db, b.meter_id).await,
            vec![(1, "10".to_string()), (4, "1".to_string())]
        );
        store(&db, &[at_midnight(&b, ch, 3, "118")]).await;
        assert_eq!(
            days_of(&db, b.meter_id).await,
            vec![
                (1, "10".to_string()),
                (2, "8".to_string()),
                (3, "12".to_string()),
                (4, "1".to_string())
            ]
        );
        assert_eq!(
            building_days(&db, &b).await,
            vec![
                (1, Some(d("10"))),
                (2, Some(d("8"))),
                (3, Some(d("12"))),
                (4, Some(d("1")))
            ]
        );
    });

    db_test!(a_late_reading_long_after_the_one_before_it_recomputes_from_that_one, |db| {
        // the reading before the late one lies outside the window loaded before a mark
        let b = fixtures::building(&db).await;
        let ch = b.channel_id;
        let on = |month: u32, day: u32, total: &str| {
            let date = NaiveDate::from_ymd_opt(2026, month, day).unwrap();
            let ts = calendar::day_start(chrono_tz::Europe::Moscow, date);
            fixtures::polled(b.company_id, ch, Period::Day, ts, d(total))
        };
        store(&db, &[on(1, 10, "100"), on(4, 11, "200"), on(4, 12, "205")]).await;
        let april = |db: Db| async move {
            consumption_day::of_meter(
                &db,
                b.meter_id,
                Span::Day,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
            )
            .await
            .unwrap()
            .into_iter()
            .map(|(day, a)| (day.month(), day.day(), a[0].display()))
            .collect::<Vec<_>>()
        };
        assert_eq!(april(db.clone()).await, vec![(4, 11, "5".to_string())]);
        store(&db, &[on(4, 10, "195")]).await;
        assert_eq!(
            april(db.clone()).await,
            vec![(4, 10, "5".to_string()), (4, 11, "5".to_string())]
        );
        assert_eq!(stale::get_count(&db, None).await.unwrap(), 0);
    });

    db_test!(a_replaced_meter_counts_under_its_successor_only, |db| {
        let b = fixtures::building(&db).await;
        let old = b.channel_id;
        store(
            &db,
            &[
                at_midnight(&b, old, 1, "100"),
                at_midnight(&b, old, 2, "110"),
                at_midnight(&b, old, 3, "120"),
            ],
        )
        .await;
        assert_eq!(days_of(&db, b.meter_id).await.len(), 2);

        let mut m = meter::Meter::new(
            b.company_id,
            b.object_id,
            Resource::Electricity,
            "Меркурий 230",
            "SN-NEW",
            DigitCapacity::new(6, 2).unwrap(),
        );
        m.premise_id = Some(b.premise_id);
        m.placement = Placement::Individual;
        m.replaces_meter_id = Some(b.meter_id);
        let new = meter::create(&db, &m).await.unwrap();
        let new_ch = fixtures::main_channel(&db, &new).await;
        store(
            &db,
            &[at_midnight(&b, new_ch, 4, "3"), at_midnight(&b, new_ch, 5, "7")],
        )
        .await;
        assert!(days_of(&db, b.meter_id).await.is_empty(), "moved to the successor");
        let days = days_of(&db, new.id).await;
        assert_eq!(days[0], (1, "10".to_string()));
        assert_eq!(days[1], (2, "10".to_string()));
        assert_eq!(days.last().unwrap(), &(4, "4".to_string()));
        // the building counts the chain once
        let building = building_days(&db, &b).await;
        assert_eq!(building[0], (1, Some(d("10"))));
        assert!(building.iter().all(|(_, v)| v.unwrap() >= Decimal::ZERO));
    });

    db_test!(a_replacement_whose_two_meters_are_marked_together_rolls_up_once, |db| {
        let b = fixtures::building(&db).await;
        let mut m = meter::Meter::new(
            b.company_id,
            b.object_id,
            Resource::Electricity,
            "Меркурий 230",
            "SN-NEW",
            DigitCapacity::new(6, 2).unwrap(),
        );
        m.premise_id = Some(b.premise_id);
        m.placement = Placement::Individual;
        m.replaces_meter_id = Some(b.meter_id);
        let new = meter::create(&db, &m).await.unwrap();
        let new_ch = fixtures::main_channel(&db, &new).await;
        // one write marks both meters of the chain
        store(
            &db,
            &[
                at_midnight(&b, b.channel_id, 1, "100"),
                at_midnight(&b, b.channel_id, 2, "110"),
                at_midnight(&b, new_ch, 3, "3"),
                at_midnight(&b, new_ch, 4, "7"),
            ],
        )
        .await;
        let days = days_of(&db, new.id).await;
        assert_eq!(days[0], (1, "10".to_string()));
        assert_eq!(days.last().unwrap(), &(3, "4".to_string()));
        assert!(days_of(&db, b.meter_id).await.is_empty());
    });

    db_test!(a_reading_waiting_for_confirmation_counts_once_accepted, |db| {
        let b = fixtures::building(&db).await;
        let ch = b.channel_id;
        let mut odd = at_midnight(&b, ch, 3, "1000");
        odd.flags = flags::JUMP | flags::NEEDS_CONFIRMATION;
        store(
            &db,
            &[at_midnight(&b, ch, 1, "100"), at_midnight(&b, ch, 2, "110"), odd.clone()],
        )
        .await;
        assert_eq!(days_of(&db, b.meter_id).await, vec![(1, "10".to_string())]);
        assert!(reading::review(&db, b.company_id, ch, Period::Day, odd.ts, true)
            .await
            .unwrap());
        refresh_stale(&db, None, 1000).await.unwrap();
        assert_eq!(
            days_of(&db, b.meter_id).await,
            vec![(1, "10".to_string()), (2, "890".to_string())]
        );
    });

    db_test!(a_mark_made_again_during_a_refresh_is_kept, |db| {
        let b = fixtures::building(&db).await;
        stale::mark_meter(&db, b.company_id, b.meter_id, 100).await.unwrap();
        let seen = stale::list(&db, None, 0, 10).await.unwrap();
        stale::mark_meter(&db, b.company_id, b.meter_id, 500).await.unwrap();
        stale::clear(&db, &seen[0]).await.unwrap();
        let left = stale::list(&db, None, 0, 10).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].from_ts, 100, "the earliest time is kept");
    });
}
