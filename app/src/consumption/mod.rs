//! The consumption engine: from a channel's stored readings to exact consumption per hour,
//! day or month and per tariff. Pure functions over decimals; storage loads the history,
//! the calendar gives the object-local bucket bounds, and this module never guesses a value
//! it has not measured (a bucket with a gap is `Partial`, one with nothing is `NoData`).
//!
//! Flow: readings → [`Segment`]s (one per physical meter, a replacement starts a new one) →
//! [`steps`] (consumption between consecutive accepted readings, rollovers unwound, readings
//! that went down set aside) → [`spread`] over bucket bounds.

pub mod calendar;
pub mod period;
mod integral;
mod spread;

pub use integral::{steps, Point, Register, Segment, Walk};
pub use spread::{spread, Step};

use crate::models::Amount;
use rust_decimal::Decimal;

/// Value slots of a reading: the total and tariffs T1–T4.
pub const SLOTS: usize = 5;

/// A stored reading as the engine sees it: time and the five value slots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    pub ts: i64,
    pub values: [Option<Decimal>; SLOTS],
}

/// One meter's share of a channel's history, oldest meter first.
#[derive(Clone, Debug)]
pub struct MeterHistory {
    pub register: Register,
    pub readings: Vec<Reading>,
}

/// How the readings were archived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Archive {
    /// Running totals: consumption is the difference of consecutive readings.
    Integral,
    /// Each reading is the consumption over `[ts, ts + seconds)`.
    Interval { seconds: i64 },
}

/// Consumption of one channel per bucket (`bounds[i]..bounds[i+1]`) and per slot (total,
/// T1–T4). A meter that reports tariffs but no total gets the sum of its tariffs as total.
pub fn consumption(
    history: &[MeterHistory],
    archive: Archive,
    bounds: &[i64],
) -> [Vec<Amount>; SLOTS] {
    let per_slot = |slot: usize| -> Vec<Amount> {
        let steps = match archive {
            Archive::Integral => integral::steps(&segments_of(history, slot)).steps,
            Archive::Interval { seconds } => interval_steps(history, slot, seconds),
        };
        spread(&steps, bounds)
    };
    let mut out: [Vec<Amount>; SLOTS] = std::array::from_fn(per_slot);
    let has_total = history
        .iter()
        .any(|m| m.readings.iter().any(|r| r.values[0].is_some()));
    let has_tariffs = history.iter().any(|m| {
        m.readings
            .iter()
            .any(|r| r.values[1..].iter().any(Option::is_some))
    });
    if !has_total && has_tariffs {
        for i in 0..out[0].len() {
            out[0][i] = (1..SLOTS)
                .filter(|&s| tariff_used(history, s))
                .map(|s| out[s][i])
                .sum();
        }
    }
    out
}

/// One slot's running totals of each meter of a history, as the integral walk takes them.
pub(crate) fn segments_of(history: &[MeterHistory], slot: usize) -> Vec<Segment> {
    history
        .iter()
        .map(|m| Segment {
            register: m.register,
            points: m
                .readings
                .iter()
                .filter_map(|r| r.values[slot].map(|value| Point { ts: r.ts, value }))
                .collect(),
        })
        .collect()
}

fn tariff_used(history: &[MeterHistory], slot: usize) -> bool {
    history
        .iter()
        .any(|m| m.readings.iter().any(|r| r.values[slot].is_some()))
}

/// Interval readings are their own steps; a reading overlapping the one before is dropped.
fn interval_steps(history: &[MeterHistory], slot: usize, seconds: i64) -> Vec<Step> {
    let mut steps: Vec<Step> = history
        .iter()
        .flat_map(|m| {
            m.readings.iter().filter_map(move |r| {
                r.values[slot].map(|v| Step {
                    from: r.ts,
                    to: r.ts + seconds,
                    amount: v * m.register.multiplier,
                })
            })
        })
        .collect();
    steps.sort_by_key(|s| s.from);
    let mut kept: Vec<Step> = Vec::with_capacity(steps.len());
    for s in steps {
        if kept.last().is_none_or(|last| s.from >= last.to) {
            kept.push(s);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn reading(ts: i64, values: [Option<&str>; SLOTS]) -> Reading {
        Reading {
            ts,
            values: values.map(|v| v.map(d)),
        }
    }

    fn full(s: &str) -> Amount {
        Amount::Full(d(s))
    }

    const DAY: i64 = 86_400;

    #[test]
    fn each_tariff_and_the_total_are_counted_on_their_own() {
        let meter = MeterHistory {
            register: Register::plain(6),
            readings: vec![
                reading(
                    0,
                    [Some("150.5"), Some("100.25"), Some("50.25"), None, None],
                ),
                reading(
                    DAY,
                    [Some("160.5"), Some("107.00"), Some("53.50"), None, None],
                ),
            ],
        };
        let [total, t1, t2, t3, _] = consumption(&[meter], Archive::Integral, &[0, DAY]);
        assert_eq!(total, vec![full("10.0")]);
        assert_eq!(t1, vec![full("6.75")]);
        assert_eq!(t2, vec![full("3.25")]);
        assert_eq!(t3, vec![Amount::NoData]);
    }

    #[test]
    fn a_meter_without_a_total_register_gets_the_sum_of_its_tariffs() {
        let meter = MeterHistory {
            register: Register::plain(6),
            readings: vec![
                reading(0, [None, Some("1"), Some("2"), None, None]),
                reading(DAY, [None, Some("4"), Some("2.5"), None, None]),
                reading(2 * DAY, [None, Some("5"), None, None, None]),
            ],
        };
        let [total, ..] = consumption(&[meter], Archive::Integral, &[0, DAY, 2 * DAY]);
        assert_eq!(total, vec![full("3.5"), Amount::Partial(d("1"))]);
    }

    #[test]
    fn hourly_interval_archives_add_up_and_a_missing_hour_makes_the_day_partial() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let tz = chrono_tz::Europe::Moscow;
        let hours = calendar::hour_bounds(tz, day);
        let mut readings: Vec<Reading> = hours[..24]
            .iter()
            .map(|&ts| reading(ts, [Some("0.125"), None, None, None, None]))
            .collect();
        let meter = MeterHistory {
            register: Register::plain(6),
            readings: readings.clone(),
        };
        let days = calendar::day_bounds(tz, day, 1);
        let archive = Archive::Interval { seconds: 3600 };
        assert_eq!(
            consumption(&[meter], archive, &days)[0],
            vec![full("3.000")]
        );
        readings.remove(7);
        let gappy = MeterHistory {
            register: Register::plain(6),
            readings,
        };
        assert_eq!(
            consumption(&[gappy], archive, &days)[0],
            vec![Amount::Partial(d("2.875"))]
        );
    }

    #[test]
    fn days_and_the_month_agree_in_the_object_time_zone() {
        let tz = chrono_tz::Asia::Novosibirsk;
        let first = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let days = calendar::day_bounds(tz, first, 28);
        // a daily integral at each local midnight, 1.5 kWh a day
        let readings: Vec<Reading> = days
            .iter()
            .enumerate()
            .map(|(i, &ts)| {
                let v = Decimal::from(1000) + d("1.5") * Decimal::from(i as i64);
                Reading {
                    ts,
                    values: [Some(v), None, None, None, None],
                }
            })
            .collect();
        let meter = MeterHistory {
            register: Register::plain(5),
            readings,
        };
        let per_day = consumption(std::slice::from_ref(&meter), Archive::Integral, &days);
        assert!(per_day[0].iter().all(|a| *a == full("1.5")));
        let month = calendar::month_bounds(tz, first, 1);
        let per_month = consumption(&[meter], Archive::Integral, &month);
        assert_eq!(per_month[0], vec![full("42.0")]);
        assert_eq!(per_day[0].iter().copied().sum::<Amount>(), per_month[0][0]);
    }

    #[test]
    fn a_late_reading_fills_the_gap_when_the_history_is_read_again() {
        let mut readings = vec![
            reading(0, [Some("10"), None, None, None, None]),
            reading(2 * DAY, [Some("30"), None, None, None, None]),
        ];
        let bounds = [0, DAY, 2 * DAY];
        let before = consumption(
            &[MeterHistory {
                register: Register::plain(5),
                readings: readings.clone(),
            }],
            Archive::Integral,
            &bounds,
        );
        assert_eq!(before[0], vec![Amount::NoData, Amount::NoData]);
        readings.push(reading(DAY, [Some("12"), None, None, None, None]));
        let after = consumption(
            &[MeterHistory {
                register: Register::plain(5),
                readings,
            }],
            Archive::Integral,
            &bounds,
        );
        assert_eq!(after[0], vec![full("2"), full("18")]);
    }

    #[test]
    fn a_replacement_mid_day_keeps_that_day_whole_and_positive() {
        let old = MeterHistory {
            register: Register::plain(5),
            readings: vec![
                reading(0, [Some("99990"), None, None, None, None]),
                reading(DAY / 2, [Some("99995.5"), None, None, None, None]),
            ],
        };
        let new = MeterHistory {
            register: Register::plain(6),
            readings: vec![
                reading(DAY / 2, [Some("0"), None, None, None, None]),
                reading(DAY, [Some("2.5"), None, None, None, None]),
            ],
        };
        let [total, ..] = consumption(&[old, new], Archive::Integral, &[0, DAY]);
        assert_eq!(total, vec![full("8.0")]);
    }
}
