//! Phase balance (F28): how a building's single-phase flat meters load the three lines of
//! its three-phase input. A line carrying much more than the others overheats its cable and
//! trips its breaker; the housing company moves flats between lines when the asymmetry is
//! large. From what each meter counted over the period; where a meter is missing data the
//! lines are set against each other by what is known, and every figure is marked partial.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::models::balance::PhaseRow;
#[cfg(test)]
use crate::models::balance::asymmetry;
use crate::models::Amount;

pub use crate::models::balance::line_of;

/// `part` of `whole`, %, to hundredths rounded half away from zero.
fn percent(part: Decimal, whole: Decimal) -> Decimal {
    (part * Decimal::ONE_HUNDRED / whole).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).normalize()
}

/// The three lines' rows from each meter's line and figure; empty when no meter has a line.
pub fn rows(meters: &[(Option<u8>, Amount)]) -> Vec<PhaseRow> {
    if meters.iter().all(|(l, _)| l.is_none()) {
        return Vec::new();
    }
    let mut rows: Vec<PhaseRow> = (1..=3u8)
        .map(|line| {
            let on: Vec<Amount> = meters.iter().filter(|(l, _)| *l == Some(line)).map(|(_, a)| *a).collect();
            PhaseRow { line, meters: on.len(), amount: on.into_iter().sum(), share: None, deviation: None }
        })
        .collect();
    // a line nothing is known of cannot be set against the others
    let known: Option<Vec<Decimal>> = rows.iter().map(|r| r.amount.known()).collect();
    let whole = rows.iter().all(|r| r.amount.is_full());
    let mark = |v: Decimal| if whole { Amount::Full(v) } else { Amount::Partial(v) };
    if let Some(values) = known {
        let total: Decimal = values.iter().sum();
        if total > Decimal::ZERO {
            let mean = total / Decimal::from(3);
            for (r, v) in rows.iter_mut().zip(values) {
                r.share = Some(mark(percent(v, total)));
                r.deviation = Some(mark(percent(v - mean, mean)));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn full(s: &str) -> Amount {
        Amount::Full(d(s))
    }

    #[test]
    fn a_meter_names_its_line_as_l1_to_l3_or_a_to_c() {
        assert_eq!([line_of("L1"), line_of(" l2 "), line_of("C"), line_of("1"), line_of("3"), line_of("")], [Some(1), Some(2), Some(3), None, None, None]);
    }

    #[test]
    fn the_lines_are_summed_and_set_against_their_mean() {
        // L1 100 + 50, L2 120, L3 30: 300 in all, a mean of 100
        let meters = [(Some(1), full("100")), (Some(1), full("50")), (Some(2), full("120")), (Some(3), full("30")), (None, full("999"))];
        let r = rows(&meters);
        assert_eq!(r.iter().map(|r| (r.line, r.meters, r.amount)).collect::<Vec<_>>(), vec![(1, 2, full("150")), (2, 1, full("120")), (3, 1, full("30"))]);
        assert_eq!(r.iter().map(|r| r.share).collect::<Vec<_>>(), vec![Some(full("50")), Some(full("40")), Some(full("10"))]);
        assert_eq!(r.iter().map(|r| r.deviation).collect::<Vec<_>>(), vec![Some(full("50")), Some(full("20")), Some(full("-70"))]);
        assert_eq!(asymmetry(&r), Some(full("70")), "the meter without a line counts nowhere");
    }

    #[test]
    fn a_line_with_a_meter_missing_data_is_set_against_the_others_by_what_is_known_and_marked() {
        // L1 100, L2 90 known of two meters, L3 100: 290 known, a mean of 96,67
        let meters = [(Some(1), full("100")), (Some(2), Amount::NoData), (Some(2), full("90")), (Some(3), full("100"))];
        let r = rows(&meters);
        assert_eq!(r[1].amount, Amount::Partial(d("90")));
        let partial = |s: &str| Some(Amount::Partial(d(s)));
        assert_eq!(r.iter().map(|r| r.share).collect::<Vec<_>>(), vec![partial("34.48"), partial("31.03"), partial("34.48")]);
        assert_eq!(r.iter().map(|r| r.deviation).collect::<Vec<_>>(), vec![partial("3.45"), partial("-6.9"), partial("3.45")]);
        assert_eq!(asymmetry(&r).map(Amount::display), Some("6,9*".to_string()));
    }

    #[test]
    fn a_line_nothing_is_known_of_leaves_the_lines_unjudged() {
        let r = rows(&[(Some(1), full("100")), (Some(2), Amount::NoData), (Some(3), full("100"))]);
        assert!(r.iter().all(|r| r.share.is_none() && r.deviation.is_none()));
        assert_eq!(asymmetry(&r), None);
    }

    #[test]
    fn no_meter_with_a_line_means_no_phase_balance() {
        assert!(rows(&[(None, full("1"))]).is_empty());
        assert!(rows(&[]).is_empty());
    }
}
