//! How much a flat uses per day, by resource and season: the shapes the demo readings follow.
//! Values are exact decimals built from integer thousandths, so the stored data is exact.

use chrono::{Datelike, NaiveDate, Weekday};
use rand::rngs::SmallRng;
use rand::Rng;
use rust_decimal::Decimal;

/// Mean outdoor temperature by month in central Russia, °C (Moscow normals).
pub const MONTH_TEMPERATURE: [f64; 12] = [
    -6.5, -6.7, -1.0, 6.5, 13.2, 17.0, 19.2, 17.0, 11.3, 5.2, -1.1, -5.0,
];

/// The heating season: 1 October to 30 April.
pub fn heating(day: NaiveDate) -> bool {
    !(5..=9).contains(&day.month())
}

/// The season changes a dispatcher made from `first` to `last`: the one in force on `first`,
/// then each 1 October (heating, `true`) and 1 May (between seasons) up to `last`.
pub fn season_changes(first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, bool)> {
    let mut all = Vec::new();
    for year in first.year() - 1..=last.year() {
        for (month, heating) in [(5, false), (10, true)] {
            let day = NaiveDate::from_ymd_opt(year, month, 1).expect("a first of a month");
            if day <= last {
                all.push((day, heating));
            }
        }
    }
    let in_force = all.iter().rposition(|(d, _)| *d <= first).unwrap_or(0);
    all.split_off(in_force)
}

fn weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A daily quantity in thousandths, never negative.
fn thousandths(x: f64) -> i64 {
    (x * 1000.0).round().max(0.0) as i64
}

pub fn dec(thousandths: i64) -> Decimal {
    Decimal::new(thousandths, 3)
}

/// Electricity, kWh: more in the dark months, more at weekends.
pub fn electricity(rng: &mut SmallRng, base: f64, day: NaiveDate) -> i64 {
    let season = match day.month() {
        12 | 1 => 1.3,
        11 | 2 => 1.2,
        6..=8 => 0.85,
        _ => 1.0,
    };
    let w = if weekend(day) { 1.12 } else { 1.0 };
    thousandths(base * season * w * rng.gen_range(0.7..1.3))
}

/// Cold water, m³.
pub fn cold_water(rng: &mut SmallRng, base: f64, day: NaiveDate) -> i64 {
    let w = if weekend(day) { 1.15 } else { 1.0 };
    let summer = if (6..=8).contains(&day.month()) {
        1.1
    } else {
        1.0
    };
    thousandths(base * w * summer * rng.gen_range(0.6..1.4))
}

/// Hot water, m³: the planned two-week summer shutdown in July gives zero.
pub fn hot_water(rng: &mut SmallRng, base: f64, day: NaiveDate) -> i64 {
    if day.month() == 7 && (5..=18).contains(&day.day()) {
        return 0;
    }
    let w = if weekend(day) { 1.15 } else { 1.0 };
    let winter = if heating(day) { 1.1 } else { 0.9 };
    thousandths(base * w * winter * rng.gen_range(0.6..1.4))
}

/// Heat for a flat of `area` m², Gcal: proportional to the indoor–outdoor difference, only
/// in the heating season. About 0,015 Gcal per m² in a January month.
pub fn heat(rng: &mut SmallRng, area: f64, day: NaiveDate) -> i64 {
    if !heating(day) {
        return 0;
    }
    let t = MONTH_TEMPERATURE[day.month0() as usize] + rng.gen_range(-4.0..4.0);
    let per_m2_day = 0.015 / 30.0 * ((20.0 - t) / 26.5).max(0.0);
    thousandths(area * per_m2_day * rng.gen_range(0.9..1.1))
}

/// Splits a day's electricity over the meter's tariffs (day/night, or peak/night/half-peak).
pub fn split_tariffs(total: i64, tariffs: usize) -> Vec<i64> {
    let shares: &[i64] = match tariffs {
        1 => &[100],
        2 => &[70, 30],
        3 => &[35, 30, 35],
        _ => &[30, 25, 25, 20],
    };
    let mut parts: Vec<i64> = shares.iter().map(|s| total * s / 100).collect();
    let rest = total - parts.iter().sum::<i64>();
    parts[0] += rest;
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_seasons_are_the_one_in_force_then_each_october_and_may() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%d.%m.%Y").unwrap();
        assert_eq!(
            season_changes(d("07.12.2025"), d("07.12.2026")),
            vec![(d("01.10.2025"), true), (d("01.05.2026"), false), (d("01.10.2026"), true)]
        );
        assert_eq!(season_changes(d("01.05.2026"), d("20.05.2026")), vec![(d("01.05.2026"), false)]);
        for (day, on) in season_changes(d("01.01.2024"), d("31.12.2026")) {
            assert_eq!(heating(day), on, "{day}");
        }
    }
    use rand::SeedableRng;

    #[test]
    fn tariff_parts_add_up_to_the_day_exactly() {
        for t in 1..=4 {
            for total in [0, 1, 7, 12_345] {
                assert_eq!(split_tariffs(total, t).iter().sum::<i64>(), total);
                assert_eq!(split_tariffs(total, t).len(), t);
            }
        }
    }

    #[test]
    fn there_is_no_heat_in_summer_and_more_in_january_than_in_april() {
        let mut rng = SmallRng::seed_from_u64(1);
        let july = NaiveDate::from_ymd_opt(2026, 7, 10).unwrap();
        assert_eq!(heat(&mut rng, 60.0, july), 0);
        let jan: i64 = (1..=28)
            .map(|d| heat(&mut rng, 60.0, NaiveDate::from_ymd_opt(2026, 1, d).unwrap()))
            .sum();
        let apr: i64 = (1..=28)
            .map(|d| heat(&mut rng, 60.0, NaiveDate::from_ymd_opt(2026, 4, d).unwrap()))
            .sum();
        assert!(
            jan * 2 > apr * 3,
            "january should be well above april: jan {jan} apr {apr}"
        );
    }
}
