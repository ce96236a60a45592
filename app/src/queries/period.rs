//! Billing-period figures of a building's meters (issue 27): each chain of meters (a meter
//! and those it replaced) read at every period's end, the engine's [`periods`] over those
//! readings, the average and the norm standing in where readings are missing, each figure
//! with its basis. A building's whole list is a few statements: the latest accepted reading
//! before each period's end, for every channel at once.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::history::register_of;
use super::readings_table::zone;
use crate::consumption::period::{periods, Heating, Rules};
use crate::consumption::{calendar, MeterHistory, Reading, SLOTS};
use crate::errors::AppError;
use crate::models::period::{period_index, BillingWindow, PeriodAmount};
use crate::models::Resource;
use crate::storage::{billing_window, channel, heating_season, meter, norm, object, premise, reading, Db};

/// Periods read before the first one asked: the average's six months and the six periods it
/// may stand in, and one more for the reading they start from.
const LOOK_BACK: u32 = 13;
/// For heat: six missed heating months and three of the average, with a summer between.
const LOOK_BACK_HEAT: u32 = 19;
/// How many replacements back a chain is followed.
const MAX_PREDECESSORS: usize = 8;

/// Figures of the periods `first..first + count` (months' 1sts) per chain head, per slot.
pub type Figures = HashMap<i64, [Vec<PeriodAmount>; SLOTS]>;

/// What the building's period figures stand on: its window, norms and heating seasons.
#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    pub window: BillingWindow,
    pub norms: HashMap<Resource, Decimal>,
    /// The building's season changes (day, heating), oldest first.
    pub seasons: Vec<(NaiveDate, bool)>,
}

impl Terms {
    pub async fn of(db: &Db, o: &object::Object) -> Result<Terms, AppError> {
        Ok(Terms {
            window: billing_window::get(db, o.company_id).await?,
            norms: norm::for_object(db, norm::Kind::Consumption, o.company_id, o.city_id, o.id).await?,
            seasons: heating_season::of_object(db, o.company_id, o.id)
                .await?
                .into_iter()
                .map(|c| (c.starts_on, c.heating))
                .collect(),
        })
    }

    /// A number that changes when the terms do (a kept list made under other terms is stale).
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.window.first_day, self.window.last_day).hash(&mut h);
        let mut norms: Vec<(&str, String)> = self.norms.iter().map(|(r, v)| (r.as_str(), v.to_string())).collect();
        norms.sort();
        norms.hash(&mut h);
        self.seasons.hash(&mut h);
        h.finish()
    }

    /// The norm volume of one period for a premise: per resident, heat per m².
    pub fn norm_for(&self, resource: Resource, p: Option<&premise::Premise>) -> Option<Decimal> {
        let per = *self.norms.get(&resource)?;
        let p = p?;
        let times = if resource == Resource::Heat {
            Decimal::from_str(&p.area.replace(',', ".")).ok()?
        } else {
            Decimal::from(p.residents)
        };
        (times > Decimal::ZERO).then(|| (per * times).normalize())
    }
}

/// The period figures of every chain whose newest meter is among `meters` (a building's or
/// a premise's meters, predecessors included), for `count` periods from `first`.
pub async fn figures(
    db: &Db,
    o: &object::Object,
    terms: &Terms,
    meters: &[meter::Meter],
    premises: &HashMap<i64, premise::Premise>,
    first: NaiveDate,
    count: usize,
) -> Result<Figures, AppError> {
    let tz = zone(o);
    let window = terms.window;
    let by_id: HashMap<i64, &meter::Meter> = meters.iter().map(|m| (m.id, m)).collect();
    let replaced: std::collections::HashSet<i64> = meters.iter().filter_map(|m| m.replaces_meter_id).collect();
    // each chain oldest meter first
    let chains: Vec<Vec<&meter::Meter>> = meters
        .iter()
        .filter(|m| !replaced.contains(&m.id))
        .map(|head| {
            let mut chain = vec![head];
            while let Some(prev) = chain.last().and_then(|m| m.replaces_meter_id).and_then(|id| by_id.get(&id)) {
                if chain.len() > MAX_PREDECESSORS || chain.iter().any(|m| m.id == prev.id) {
                    break;
                }
                chain.push(prev);
            }
            chain.reverse();
            chain
        })
        .collect();
    let ids: Vec<i64> = meters.iter().map(|m| m.id).collect();
    let channels: HashMap<i64, i64> = channel::main_of_meters(db, &ids).await?.into_iter().collect();

    // each period's end (and the periods before, for the average and the missed count);
    // heat in a building with seasons looks further back, over a summer
    let heating = Heating::of(terms.seasons.clone());
    let look_back = |m: &meter::Meter| match m.resource == Resource::Heat && heating.is_some() {
        true => LOOK_BACK_HEAT,
        false => LOOK_BACK,
    };
    let from = first - Months::new(LOOK_BACK_HEAT);
    let bounds: Vec<i64> = (0..=LOOK_BACK_HEAT as usize + count)
        .map(|i| calendar::day_start(tz, window.end_of(from + Months::new(i as u32))))
        .collect();
    let mut asked: Vec<(i64, i64)> = Vec::new();
    for chain in &chains {
        for (i, m) in chain.iter().enumerate() {
            let Some(&ch) = channels.get(&m.id) else { continue };
            let skip = (LOOK_BACK_HEAT - look_back(chain[chain.len() - 1])) as usize;
            asked.extend(bounds[skip..].iter().map(|&b| (ch, b)));
            // a meter that replaced another starts at its first reading
            if i > 0 {
                if let Some(ts) = reading::first_ts(db, m.company_id, ch).await? {
                    asked.push((ch, ts + 1));
                }
            }
        }
    }
    let mut points: HashMap<i64, Vec<Reading>> = HashMap::new();
    for ((ch, _), r) in reading::latest_confirmed_before_each(db, o.company_id, &asked).await? {
        let [t1, t2, t3, t4] = r.tariffs;
        points.entry(ch).or_default().push(Reading {
            ts: r.ts,
            values: [r.total, t1, t2, t3, t4],
        });
    }
    let period_of = |ts: i64| period_index(window.period_of(calendar::local_date(tz, ts)));
    let mut out = Figures::new();
    for chain in chains {
        let head = chain[chain.len() - 1];
        let history: Vec<MeterHistory> = chain
            .iter()
            .map(|m| {
                let mut readings = channels.get(&m.id).and_then(|ch| points.get(ch)).cloned().unwrap_or_default();
                readings.sort_by_key(|r| r.ts);
                readings.dedup_by_key(|r| r.ts);
                MeterHistory {
                    register: register_of(m),
                    readings,
                }
            })
            .collect();
        let premise = head.premise_id.and_then(|id| premises.get(&id));
        let residential = premise.is_none_or(|p| p.kind == "flat");
        let norm = terms.norm_for(head.resource, premise);
        let rules = match (&heating, head.resource) {
            (Some(h), Resource::Heat) => Rules::for_heat(residential, norm, h.clone()),
            _ => Rules::for_premise(residential, norm),
        };
        out.insert(head.id, periods(&history, &period_of, period_index(first), count, &rules));
    }
    Ok(out)
}

/// The period a query means: its own, else the last one whose window has closed in the
/// building's calendar.
pub fn period_of_query(q: Option<NaiveDate>, window: BillingWindow, today: NaiveDate) -> NaiveDate {
    match q {
        Some(d) => calendar::first_of_month(d),
        None => {
            let current = window.period_of(today);
            if today >= window.end_of(current) {
                current
            } else {
                current - Months::new(1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::models::period::Basis;
    use crate::models::Amount;
    use crate::storage::reading::{flags, Period};
    use crate::storage::testing::fixtures;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A reading typed on a local day at noon, Moscow.
    fn typed(b: &fixtures::Building, on: NaiveDate, value: &str, flag: i64) -> reading::Reading {
        let ts = calendar::day_start(chrono_tz::Europe::Moscow, on) + 12 * 3600;
        let mut r = fixtures::polled(b.company_id, b.channel_id, Period::Instant, ts, d(value));
        r.source = reading::Source::FieldStaff;
        r.flags = flag;
        r
    }

    async fn world(db: &Db) -> (fixtures::Building, object::Object, Vec<meter::Meter>, HashMap<i64, premise::Premise>) {
        let b = fixtures::building(db).await;
        let o = object::get(db, b.company_id, b.object_id).await.unwrap();
        let meters = meter::list_for_object(db, b.company_id, b.object_id).await.unwrap();
        let premises = premise::list(db, b.company_id, b.object_id)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        (b, o, meters, premises)
    }

    db_test!(readings_on_the_20th_count_for_their_periods_and_a_waiting_one_counts_only_once_confirmed, |db| {
        let (b, o, meters, premises) = world(&db).await;
        reading::insert_many(
            &db,
            &[
                typed(&b, day(2026, 10, 20), "1000", 0),
                typed(&b, day(2026, 11, 20), "1150", 0),
                typed(&b, day(2026, 12, 20), "1290", flags::NEEDS_CONFIRMATION),
            ],
        )
        .await
        .unwrap();
        let terms = Terms::of(&db, &o).await.unwrap();
        let f = figures(&db, &o, &terms, &meters, &premises, day(2026, 11, 1), 2).await.unwrap();
        let total = &f[&b.meter_id][0];
        assert_eq!(total[0], PeriodAmount { amount: Amount::Full(d("150")), basis: Basis::Measured });
        // December's reading waits for a dispatcher: December has none of its own yet, and
        // three months of history are too few for an average; no norm is set
        assert_eq!(total[1], PeriodAmount::NONE);

        // once confirmed it counts
        let ts = calendar::day_start(chrono_tz::Europe::Moscow, day(2026, 12, 20)) + 12 * 3600;
        assert!(reading::review(&db, b.company_id, b.channel_id, Period::Instant, ts, true).await.unwrap());
        let f = figures(&db, &o, &terms, &meters, &premises, day(2026, 11, 1), 2).await.unwrap();
        assert_eq!(f[&b.meter_id][0][1], PeriodAmount { amount: Amount::Full(d("140")), basis: Basis::Measured });
    });

    db_test!(a_missing_reading_falls_to_the_buildings_norm_times_its_residents, |db| {
        let (b, o, meters, mut premises) = world(&db).await;
        reading::insert_many(&db, &[typed(&b, day(2026, 10, 20), "1000", 0), typed(&b, day(2026, 11, 20), "1150", 0)])
            .await
            .unwrap();
        norm::set(&db, norm::Kind::Consumption, b.company_id, norm::Scope::Company, Resource::Electricity, Some(d("90"))).await.unwrap();
        premises.get_mut(&b.premise_id).unwrap().residents = 3;
        let terms = Terms::of(&db, &o).await.unwrap();
        let f = figures(&db, &o, &terms, &meters, &premises, day(2026, 12, 1), 1).await.unwrap();
        assert_eq!(f[&b.meter_id][0][0], PeriodAmount { amount: Amount::Full(d("270")), basis: Basis::Norm });
    });

    db_test!(a_replacement_inside_a_period_and_a_rollover_count_through_the_chain, |db| {
        use crate::models::capacity::DigitCapacity;
        use crate::models::{MeterState, Placement};
        let (b, o, _, premises) = world(&db).await;
        // the old meter (6 digits) read on 20.10, then at its removal on 05.11 near its top
        reading::insert_many(&db, &[typed(&b, day(2026, 10, 20), "999990", 0), typed(&b, day(2026, 11, 5), "999999.5", 0)])
            .await
            .unwrap();
        sqlx::query("UPDATE meters SET state = $1 WHERE id = $2")
            .bind(MeterState::Retired.as_str())
            .bind(b.meter_id)
            .execute(db.pool())
            .await
            .unwrap();
        let mut new = meter::Meter::new(b.company_id, b.object_id, Resource::Electricity, "Меркурий 201", "SN-NEW", DigitCapacity::new(5, 2).unwrap());
        new.premise_id = Some(b.premise_id);
        new.placement = Placement::Individual;
        new.replaces_meter_id = Some(b.meter_id);
        let new = meter::create(&db, &new).await.unwrap();
        let ch = fixtures::main_channel(&db, &new).await;
        let on_new = |on: NaiveDate, v: &str| reading::Reading { channel_id: ch, ..typed(&b, on, v, 0) };
        // the new one starts at 99 990 on the same day, rolls over, and is read on the 21st
        // and again on the 26th (which counts for December)
        reading::insert_many(&db, &[on_new(day(2026, 11, 5), "99990"), on_new(day(2026, 11, 21), "00015"), on_new(day(2026, 11, 26), "00020")])
            .await
            .unwrap();
        let meters = meter::list_for_object(&db, b.company_id, b.object_id).await.unwrap();
        let terms = Terms::of(&db, &o).await.unwrap();
        let f = figures(&db, &o, &terms, &meters, &premises, day(2026, 11, 1), 2).await.unwrap();
        assert!(!f.contains_key(&b.meter_id), "the replaced meter counts through its successor");
        let total = &f[&new.id][0];
        // 9,5 on the old meter, nothing across the change, 25 on the new one through its rollover
        assert_eq!(total[0], PeriodAmount { amount: Amount::Full(d("34.5")), basis: Basis::Measured });
        assert_eq!(total[1], PeriodAmount { amount: Amount::Full(d("5")), basis: Basis::Measured });
    });

    db_test!(a_heat_meter_counts_by_its_buildings_heating_seasons, |db| {
        use crate::models::capacity::DigitCapacity;
        use crate::models::Placement;
        let (b, o, _, premises) = world(&db).await;
        let mut heat = meter::Meter::new(b.company_id, b.object_id, Resource::Heat, "Пульсар", "SN-HEAT", DigitCapacity::new(5, 3).unwrap());
        heat.premise_id = Some(b.premise_id);
        heat.placement = Placement::Individual;
        let heat = meter::create(&db, &heat).await.unwrap();
        let ch = fixtures::main_channel(&db, &heat).await;
        // read on the 20th from December to June: 3, 2,5, 2, 1,5 in the season, 0,1 after it
        let values = ["100", "103", "105.5", "107.5", "109", "109.1", "109.2"];
        let months = [(2025, 12), (2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 5), (2026, 6)];
        let readings: Vec<reading::Reading> = months
            .iter()
            .zip(values)
            .map(|(&(y, m), v)| reading::Reading { channel_id: ch, ..typed(&b, day(y, m, 20), v, 0) })
            .collect();
        reading::insert_many(&db, &readings).await.unwrap();
        for (heating, on) in [(true, day(2025, 10, 1)), (false, day(2026, 5, 1)), (true, day(2026, 10, 1))] {
            heating_season::record(&db, b.company_id, &[b.object_id], heating, on, None, 0).await.unwrap();
        }
        let terms = Terms::of(&db, &o).await.unwrap();
        assert_eq!(terms.seasons.len(), 3);
        let meters = meter::list_for_object(&db, b.company_id, b.object_id).await.unwrap();
        let f = figures(&db, &o, &terms, &meters, &premises, day(2026, 7, 1), 4).await.unwrap();
        let total = &f[&heat.id][0];
        assert_eq!(total[..3], [PeriodAmount::NONE; 3], "no heating from July to September: nothing charged");
        // October: February to April's 6 over 3 months, the summer's readings left out
        assert_eq!(total[3], PeriodAmount { amount: Amount::Full(d("2")), basis: Basis::Average });
        // the electricity meter beside it keeps the general rule
        assert_eq!(f[&b.meter_id][0][3], PeriodAmount::NONE);
    });

    #[test]
    fn the_default_period_is_the_last_one_whose_window_closed() {
        let w = BillingWindow::default();
        assert_eq!(period_of_query(None, w, day(2026, 12, 5)), day(2026, 11, 1));
        assert_eq!(period_of_query(None, w, day(2026, 12, 25)), day(2026, 11, 1));
        assert_eq!(period_of_query(None, w, day(2026, 12, 26)), day(2026, 12, 1));
        assert_eq!(period_of_query(Some(day(2026, 7, 9)), w, day(2026, 12, 26)), day(2026, 7, 1));
    }
}
