//! Consumption per billing period, for meters read by hand once a month: the period's
//! latest accepted reading minus the one of the last period that had a reading, with the
//! engine's rules for rollover, multiplier and replacement (the same [`super::steps`]).
//! A period without a reading gets the average of the last periods with readings for as
//! many periods as the rule allows, then the norm; the next reading settles what was charged
//! meanwhile. Every figure carries its [`Basis`].

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::{integral, MeterHistory, SLOTS};
use crate::models::period::{period_month, Basis, PeriodAmount};
use crate::models::Amount;

/// How missing readings are stood in for (ПП 354 п. 59 «б», п. 60, in the wording of
/// ПП № 950 of 29.06.2020).
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    /// Periods in a row the average may stand in: 6 for a flat, 3 for a non-residential
    /// premise.
    pub average_limit: u32,
    /// The average is taken over at least this many months of readings where the meter has
    /// them (6)…
    pub average_months: u32,
    /// …and over no fewer than this many (3): a younger meter falls to the norm at once.
    pub min_months: u32,
    /// The norm volume of one period for the premise (per resident × residents, or per m² ×
    /// area for heat), for the total only; none where no norm is set.
    pub norm: Option<Decimal>,
    /// A heat meter's building seasons: only months of the heating period count for the
    /// average, and a month between seasons with no reading is charged nothing. None for
    /// other resources, and for heat where the building's seasons were never set.
    pub heating: Option<Heating>,
}

impl Rules {
    /// The rule for a flat (`residential`) or another premise, with its norm.
    pub fn for_premise(residential: bool, norm: Option<Decimal>) -> Rules {
        Rules {
            average_limit: if residential { 6 } else { 3 },
            average_months: 6,
            min_months: 3,
            norm,
            heating: None,
        }
    }

    /// The rule for heat in a building whose seasons are known (п. 59 «а»: for heating the
    /// average is taken over at least 3 months of the heating period, over the months the
    /// meter worked when fewer, but not less than 1 of them).
    pub fn for_heat(residential: bool, norm: Option<Decimal>, heating: Heating) -> Rules {
        Rules {
            average_months: 3,
            min_months: 1,
            heating: Some(heating),
            ..Rules::for_premise(residential, norm)
        }
    }

    fn heats(&self, period: i32) -> bool {
        self.heating.as_ref().is_none_or(|h| h.heats(period))
    }
}

/// A building's heating seasons as changes: from each day on, in the heating period or
/// between periods.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heating {
    /// Oldest first.
    changes: Vec<(NaiveDate, bool)>,
}

impl Heating {
    /// From the changes in any order; None when there are none (the season is not known).
    pub fn of(mut changes: Vec<(NaiveDate, bool)>) -> Option<Heating> {
        changes.sort();
        (!changes.is_empty()).then_some(Heating { changes })
    }

    /// Whether the heating was on any day of the period's month. A month before the first
    /// change is not known and counts as heated, as it would without seasons.
    pub fn heats(&self, period: i32) -> bool {
        let first = period_month(period);
        let next = first + Months::new(1);
        let before = self.changes.iter().rev().find(|(day, _)| *day <= first);
        before.is_none_or(|(_, on)| *on) || self.changes.iter().any(|(day, on)| *on && *day > first && *day < next)
    }
}

/// Figures of the periods `first..first + count` (period numbers as
/// [`crate::models::period::period_index`] counts them) per slot: the total and T1–T4.
/// `period_of` says which period a reading taken at an instant counts for. The history
/// should reach back far enough for the average and for counting missed periods (the
/// caller loads the latest reading before each period and the one before them all).
pub fn periods(
    history: &[MeterHistory],
    period_of: &dyn Fn(i64) -> i32,
    first: i32,
    count: usize,
    rules: &Rules,
) -> [Vec<PeriodAmount>; SLOTS] {
    let used = |slot: usize| history.iter().any(|m| m.readings.iter().any(|r| r.values[slot].is_some()));
    let mut out: [Vec<PeriodAmount>; SLOTS] = std::array::from_fn(|slot| {
        let norm = if slot == 0 { rules.norm } else { None };
        slot_periods(history, slot, period_of, first, count, rules, norm)
    });
    // a meter that keeps tariffs but no total: the total is their sum
    if !used(0) && (1..SLOTS).any(used) {
        out[0] = (0..count)
            .map(|i| {
                let parts: Vec<PeriodAmount> = (1..SLOTS).filter(|&s| used(s)).map(|s| out[s][i]).collect();
                PeriodAmount {
                    amount: parts.iter().map(|p| p.amount).sum(),
                    basis: parts.iter().fold(Basis::Measured, |b, p| b.worst(p.basis)),
                }
            })
            .collect();
    }
    out
}

fn slot_periods(
    history: &[MeterHistory],
    slot: usize,
    period_of: &dyn Fn(i64) -> i32,
    first: i32,
    count: usize,
    rules: &Rules,
    norm: Option<Decimal>,
) -> Vec<PeriodAmount> {
    let segments = super::segments_of(history, slot);
    let walk = integral::steps(&segments);
    let Some(earliest) = segments.iter().flat_map(|s| s.points.iter().map(|p| p.ts)).min() else {
        return vec![PeriodAmount::NONE; count];
    };
    // the periods that have an accepted reading, and what was measured into each
    let start = period_of(earliest);
    let mut read: std::collections::BTreeMap<i32, Decimal> = std::collections::BTreeMap::new();
    read.insert(start, Decimal::ZERO);
    let mut counted_in_start = false;
    for s in &walk.steps {
        let p = period_of(s.to);
        *read.entry(p).or_default() += s.amount;
        counted_in_start |= p == start;
    }
    let end = first + count as i32;
    let mut out = Vec::with_capacity(count);
    let mut last_read: Option<i32> = None;
    let (mut missed, mut charged, mut average) = (0u32, Decimal::ZERO, None);
    for p in start.min(first)..end {
        let figure = if let Some(&raw) = read.get(&p) {
            let figure = match last_read {
                // the meter's first period: what lies between its first readings, if any
                None if p == start && counted_in_start => PeriodAmount {
                    amount: Amount::Partial(raw),
                    basis: Basis::Measured,
                },
                None => PeriodAmount::NONE,
                Some(_) if missed == 0 => PeriodAmount {
                    amount: Amount::Full(raw),
                    basis: Basis::Measured,
                },
                Some(_) => PeriodAmount {
                    amount: Amount::Full(raw - charged),
                    basis: Basis::Recalculated,
                },
            };
            (last_read, missed, charged, average) = (Some(p), 0, Decimal::ZERO, None);
            figure
        } else if let Some(last) = last_read.filter(|_| rules.heats(p)) {
            missed += 1;
            if missed == 1 {
                average = average_before(&read, last, rules);
            }
            let stand_in = match (missed <= rules.average_limit, average, norm) {
                (true, Some(a), _) => Some((a, Basis::Average)),
                (_, _, Some(n)) => Some((n, Basis::Norm)),
                _ => None,
            };
            match stand_in {
                Some((v, basis)) => {
                    charged += v;
                    PeriodAmount {
                        amount: Amount::Full(v),
                        basis,
                    }
                }
                None => PeriodAmount::NONE,
            }
        } else {
            PeriodAmount::NONE
        };
        if p >= first {
            out.push(figure);
        }
    }
    out
}

/// The average monthly volume up to the period `last` (which has a reading): over the last
/// `average_months` periods where the history reaches that far, else over all of it when
/// that is at least `min_months`. For heat, months of the heating period only.
fn average_before(read: &std::collections::BTreeMap<i32, Decimal>, last: i32, rules: &Rules) -> Option<Decimal> {
    if rules.heating.is_some() {
        return heating_average_before(read, last, rules);
    }
    let from = read
        .range(..=last - rules.average_months as i32)
        .next_back()
        .map(|(p, _)| *p)
        .or_else(|| read.keys().next().copied())?;
    let months = last - from;
    if months < rules.min_months.max(1) as i32 {
        return None;
    }
    let volume: Decimal = read.range(from + 1..=last).map(|(_, v)| *v).sum();
    Some(per_month(volume, months))
}

/// The heat average: the volumes of the last readings back to `average_months` heated
/// months, over the heated months they cover. A reading that covers only months between
/// seasons is left out (what a heat meter counts in summer is not heating).
fn heating_average_before(read: &std::collections::BTreeMap<i32, Decimal>, last: i32, rules: &Rules) -> Option<Decimal> {
    let periods: Vec<i32> = read.range(..=last).map(|(p, _)| *p).collect();
    let (mut volume, mut months) = (Decimal::ZERO, 0i32);
    for pair in periods.windows(2).rev() {
        let heated = (pair[0] + 1..=pair[1]).filter(|&p| rules.heats(p)).count() as i32;
        if heated == 0 {
            continue;
        }
        volume += read[&pair[1]];
        months += heated;
        if months >= rules.average_months as i32 {
            break;
        }
    }
    (months >= rules.min_months.max(1) as i32).then(|| per_month(volume, months))
}

/// A volume over months, to a thousandth.
fn per_month(volume: Decimal, months: i32) -> Decimal {
    (volume / Decimal::from(months))
        .round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consumption::{calendar, Reading, Register};
    use crate::models::period::{period_index, BillingWindow};
    use chrono::NaiveDate;
    use std::str::FromStr;

    const TZ: chrono_tz::Tz = chrono_tz::Europe::Moscow;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Noon of a local day in Moscow.
    fn at(y: i32, m: u32, day: u32) -> i64 {
        calendar::day_start(TZ, NaiveDate::from_ymd_opt(y, m, day).unwrap()) + 12 * 3600
    }

    fn period_of(ts: i64) -> i32 {
        period_index(BillingWindow::default().period_of(calendar::local_date(TZ, ts)))
    }

    fn month(y: i32, m: u32) -> i32 {
        period_index(NaiveDate::from_ymd_opt(y, m, 1).unwrap())
    }

    fn meter(digits: u32, readings: &[(i64, &str)]) -> MeterHistory {
        MeterHistory {
            register: Register::plain(digits),
            readings: readings
                .iter()
                .map(|&(ts, v)| Reading {
                    ts,
                    values: [Some(d(v)), None, None, None, None],
                })
                .collect(),
        }
    }

    fn totals(history: &[MeterHistory], from: i32, count: usize, rules: &Rules) -> Vec<(Option<Decimal>, Basis)> {
        let [total, ..] = periods(history, &period_of, from, count, rules);
        total.into_iter().map(|p| (p.amount.known(), p.basis)).collect()
    }

    fn flat() -> Rules {
        Rules::for_premise(true, Some(d("7.5")))
    }

    #[test]
    fn readings_on_the_20th_give_each_month_its_difference() {
        // worked by hand in the issue: 1 000, 1 150, 1 290
        let h = [meter(5, &[(at(2026, 10, 20), "1000"), (at(2026, 11, 20), "1150"), (at(2026, 12, 20), "1290")])];
        assert_eq!(
            totals(&h, month(2026, 10), 3, &flat()),
            vec![(None, Basis::Measured), (Some(d("150")), Basis::Measured), (Some(d("140")), Basis::Measured)]
        );
    }

    #[test]
    fn a_reading_typed_on_the_26th_counts_for_the_next_period() {
        let h = [meter(5, &[(at(2026, 10, 20), "1000"), (at(2026, 11, 26), "1150")])];
        let t = totals(&h, month(2026, 11), 2, &Rules::for_premise(true, None));
        assert_eq!(t[0], (None, Basis::Measured), "November has no reading and no history for an average");
        assert_eq!(t[1], (Some(d("150")), Basis::Recalculated));
    }

    /// Readings of 100 a month on the 20th from April to September 2026.
    fn six_months() -> Vec<(i64, String)> {
        (4..=9).map(|m| (at(2026, m, 20), (1000 + 100 * (m as i64 - 4)).to_string())).collect()
    }

    fn with(extra: &[(i64, &str)]) -> [MeterHistory; 1] {
        let mut all: Vec<(i64, String)> = six_months();
        all.extend(extra.iter().map(|(t, v)| (*t, v.to_string())));
        let refs: Vec<(i64, &str)> = all.iter().map(|(t, v)| (*t, v.as_str())).collect();
        [meter(5, &refs)]
    }

    #[test]
    fn a_missed_period_gets_the_average_and_the_next_reading_settles_it() {
        // September ends at 1 500; October is missed; November's reading is 1 730
        let h = with(&[(at(2026, 11, 19), "1730")]);
        assert_eq!(
            totals(&h, month(2026, 10), 2, &flat()),
            vec![(Some(d("100")), Basis::Average), (Some(d("130")), Basis::Recalculated)]
        );
    }

    #[test]
    fn a_flat_falls_to_the_norm_after_six_missed_periods() {
        let h = with(&[]);
        let t = totals(&h, month(2026, 10), 8, &flat());
        assert!(t[..6].iter().all(|x| *x == (Some(d("100")), Basis::Average)), "{t:?}");
        assert_eq!(t[6], (Some(d("7.5")), Basis::Norm));
        assert_eq!(t[7], (Some(d("7.5")), Basis::Norm));
    }

    #[test]
    fn four_missed_periods_of_a_non_residential_premise_fall_to_the_norm() {
        let h = with(&[]);
        let t = totals(&h, month(2026, 10), 4, &Rules::for_premise(false, Some(d("40"))));
        assert_eq!(t[2], (Some(d("100")), Basis::Average));
        assert_eq!(t[3], (Some(d("40")), Basis::Norm));
        // and the reading after the norm settles the average and the norm both
        let h = with(&[(at(2027, 2, 20), "2100")]);
        let t = totals(&h, month(2027, 2), 1, &Rules::for_premise(false, Some(d("40"))));
        assert_eq!(t[0], (Some(d("600") - d("300") - d("40")), Basis::Recalculated));
    }

    #[test]
    fn a_meter_younger_than_three_months_falls_to_the_norm_at_once() {
        let h = [meter(5, &[(at(2026, 8, 20), "10"), (at(2026, 9, 20), "20")])];
        assert_eq!(totals(&h, month(2026, 10), 1, &flat()), vec![(Some(d("7.5")), Basis::Norm)]);
        let no_norm = Rules::for_premise(true, None);
        assert_eq!(totals(&h, month(2026, 10), 1, &no_norm), vec![(None, Basis::Measured)]);
    }

    #[test]
    fn the_average_is_exact_to_a_thousandth() {
        // 100 over 3 months
        let h = [meter(5, &[(at(2026, 6, 20), "0"), (at(2026, 9, 20), "100")])];
        assert_eq!(totals(&h, month(2026, 10), 1, &flat()), vec![(Some(d("33.333")), Basis::Average)]);
    }

    #[test]
    fn a_rollover_inside_a_period_counts_forward() {
        let h = [meter(5, &[(at(2026, 10, 20), "99950"), (at(2026, 11, 20), "00030.5")])];
        assert_eq!(totals(&h, month(2026, 11), 1, &flat()), vec![(Some(d("80.5")), Basis::Measured)]);
    }

    #[test]
    fn a_replacement_inside_a_period_adds_the_old_meters_end_and_the_new_ones_start() {
        let old = meter(5, &[(at(2026, 10, 20), "500"), (at(2026, 11, 5), "520")]);
        let new = meter(5, &[(at(2026, 11, 5), "0"), (at(2026, 11, 21), "15")]);
        assert_eq!(totals(&[old, new], month(2026, 11), 1, &flat()), vec![(Some(d("35")), Basis::Measured)]);
    }

    #[test]
    fn the_multiplier_and_the_tariffs_are_counted_and_the_norm_is_for_the_total_only() {
        let h = [MeterHistory {
            register: Register { digits_integer: 6, multiplier: d("2") },
            readings: [(at(2026, 5, 20), ["10", "6", "4"]), (at(2026, 8, 20), ["40", "26", "14"])]
                .iter()
                .map(|(ts, v)| Reading { ts: *ts, values: [Some(d(v[0])), Some(d(v[1])), Some(d(v[2])), None, None] })
                .collect(),
        }];
        let [total, t1, t2, ..] = periods(&h, &period_of, month(2026, 8), 2, &flat());
        // June and July fell to the norm (no three months of history yet): August settles them
        assert_eq!(total[0], PeriodAmount { amount: Amount::Full(d("45")), basis: Basis::Recalculated });
        assert_eq!(t1[0].amount, Amount::Full(d("40")));
        assert_eq!(t2[0].amount, Amount::Full(d("20")));
        // September: the average of May–August per register (60 over 3 months for the total)
        assert_eq!(total[1], PeriodAmount { amount: Amount::Full(d("20")), basis: Basis::Average });
        assert_eq!(t1[1].amount, Amount::Full(d("13.333")));
    }

    #[test]
    fn a_meter_without_a_total_register_gets_the_sum_of_its_tariffs() {
        let h = [MeterHistory {
            register: Register::plain(6),
            readings: [(at(2026, 10, 20), ["5", "3"]), (at(2026, 11, 20), ["9", "4"])]
                .iter()
                .map(|(ts, v)| Reading { ts: *ts, values: [None, Some(d(v[0])), Some(d(v[1])), None, None] })
                .collect(),
        }];
        let [total, ..] = periods(&h, &period_of, month(2026, 11), 1, &flat());
        assert_eq!(total[0], PeriodAmount { amount: Amount::Full(d("5")), basis: Basis::Measured });
    }

    fn seasons() -> Heating {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Heating::of(vec![(day(2026, 5, 1), false), (day(2025, 10, 1), true), (day(2026, 10, 15), true)]).unwrap()
    }

    #[test]
    fn a_month_is_heated_when_the_heating_was_on_any_day_of_it() {
        let h = seasons();
        assert!(h.heats(month(2025, 9)), "before the first change the season is not known");
        assert!(h.heats(month(2025, 10)) && h.heats(month(2026, 4)));
        assert!(!h.heats(month(2026, 5)), "the season ended on the 1st");
        assert!(!h.heats(month(2026, 9)));
        assert!(h.heats(month(2026, 10)), "the season began on the 15th");
        assert_eq!(Heating::of(vec![]), None);
    }

    /// A flat's heat meter read on the 20th from December 2025 to June 2026: 3 in January,
    /// 2,5 in February, 2 in March, 1,5 in April, 0,1 a month between seasons.
    fn heat_readings() -> [MeterHistory; 1] {
        let used = ["3", "2.5", "2", "1.5", "0.1", "0.1"];
        let mut total = d("100");
        let mut readings = vec![(at(2025, 12, 20), total.to_string())];
        for (i, u) in used.iter().enumerate() {
            total += d(u);
            readings.push((at(2026, i as u32 + 1, 20), total.to_string()));
        }
        let refs: Vec<(i64, &str)> = readings.iter().map(|(t, v)| (*t, v.as_str())).collect();
        [meter(6, &refs)]
    }

    #[test]
    fn a_heat_meter_missed_between_seasons_is_charged_nothing_and_in_the_season_the_heating_months_average() {
        let rules = Rules::for_heat(true, Some(d("0.9")), seasons());
        let mut h = heat_readings();
        // read again on 20.11.2026 at 100 + 9,2 + 2,7
        h[0].readings.push(Reading { ts: at(2026, 11, 20), values: [Some(d("111.9")), None, None, None, None] });
        let t = totals(&h, month(2026, 7), 5, &rules);
        assert_eq!(t[..3], [(None, Basis::Measured); 3], "July to September: no heating, nothing charged");
        // October: February to April (the summer's readings are left out), 6 over 3
        assert_eq!(t[3], (Some(d("2")), Basis::Average));
        // November settles: 111,9 − 109,2 measured less the 2 charged
        assert_eq!(t[4], (Some(d("0.7")), Basis::Recalculated));
    }

    #[test]
    fn a_heat_meter_with_one_heated_month_of_readings_averages_it_and_without_seasons_the_general_rule_holds() {
        let h = [meter(6, &[(at(2026, 9, 20), "10"), (at(2026, 10, 20), "12.5")])];
        let rules = Rules::for_heat(true, Some(d("0.9")), seasons());
        assert_eq!(totals(&h, month(2026, 11), 1, &rules), vec![(Some(d("2.5")), Basis::Average)]);
        // without seasons: fewer than three months of history fall to the norm
        assert_eq!(totals(&h, month(2026, 11), 1, &flat()), vec![(Some(d("7.5")), Basis::Norm)]);
    }

    #[test]
    fn nothing_is_shown_before_a_meters_first_reading() {
        let h = [meter(5, &[(at(2026, 11, 20), "5")])];
        assert_eq!(
            totals(&h, month(2026, 10), 2, &flat()),
            vec![(None, Basis::Measured), (None, Basis::Measured)]
        );
        assert_eq!(totals(&[], month(2026, 10), 1, &flat()), vec![(None, Basis::Measured)]);
    }
}
