//! One day (or month) of a balance group: the roots summed, the children summed with their
//! signs, the imbalance and its share of the roots, judged against the allowed share only
//! when every counted meter measured the whole span. A meter without data makes the sums
//! partial (`1,77*`), never a guess.

use rust_decimal::Decimal;

use crate::models::balance::{BalanceRow, Part, Verdict};
use crate::models::Amount;

fn negated(a: Amount) -> Amount {
    match a {
        Amount::NoData => Amount::NoData,
        Amount::Partial(v) => Amount::Partial(-v),
        Amount::Full(v) => Amount::Full(-v),
    }
}

/// The row of one span: `parts` are the members and what each measured in it.
pub fn row(day: Option<chrono::NaiveDate>, parts: &[(Part, Amount)], norm: Option<Decimal>) -> BalanceRow {
    let counted = || parts.iter().filter(|(p, _)| *p != Part::Excluded);
    let roots: Vec<Amount> = parts.iter().filter(|(p, _)| *p == Part::Root).map(|(_, a)| *a).collect();
    let root = match roots.is_empty() {
        true => Amount::NoData,
        false => roots.into_iter().sum(),
    };
    let children: Amount = parts
        .iter()
        .filter_map(|(p, a)| match p {
            Part::Plus => Some(*a),
            Part::Minus => Some(negated(*a)),
            _ => None,
        })
        .sum();
    let imbalance = match (root, children) {
        (Amount::NoData, _) => Amount::NoData,
        (Amount::Full(r), Amount::Full(c)) => Amount::Full(r - c),
        (r, c) => Amount::Partial(r.known().unwrap_or_default() - c.known().unwrap_or_default()),
    };
    let whole = root.is_full() && children.is_full();
    let share = match (whole, root, imbalance) {
        (true, Amount::Full(r), Amount::Full(i)) if !r.is_zero() => Some((i * Decimal::from(100) / r).round_dp(2)),
        _ => None,
    };
    let verdict = match (whole, norm) {
        (false, _) => Verdict::Incomplete,
        (true, None) => Verdict::NoNorm,
        (true, Some(n)) => match share {
            Some(s) if s.abs() > n => Verdict::Over,
            Some(_) => Verdict::Within,
            // nothing counted at the root: any imbalance is over
            None if imbalance.known().is_some_and(|i| !i.is_zero()) => Verdict::Over,
            None => Verdict::Within,
        },
    };
    BalanceRow {
        day,
        root,
        children,
        imbalance,
        share,
        missing: counted().filter(|(_, a)| *a == Amount::NoData).count(),
        partial: counted().filter(|(_, a)| matches!(a, Amount::Partial(_))).count(),
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn full(s: &str) -> Amount {
        Amount::Full(d(s))
    }

    #[test]
    fn plus_children_add_minus_children_subtract_and_excluded_ones_are_left_out() {
        // ОДПУ 100; flats 40 and 35 with «+»; a shop's 10 with «−»; a second input's 50 left out
        let r = row(
            None,
            &[(Part::Root, full("100")), (Part::Plus, full("40")), (Part::Plus, full("35")), (Part::Minus, full("10")), (Part::Excluded, full("50"))],
            Some(d("30")),
        );
        assert_eq!(r.root, full("100"));
        assert_eq!(r.children, full("65"));
        assert_eq!(r.imbalance, full("35"));
        assert_eq!(r.share, Some(d("35")));
        assert_eq!(r.verdict, Verdict::Over, "35 % is over the allowed 30 %");
        assert_eq!((r.missing, r.partial), (0, 0));
    }

    #[test]
    fn a_child_without_data_marks_the_day_and_is_not_guessed() {
        let r = row(None, &[(Part::Root, full("100")), (Part::Plus, full("40")), (Part::Plus, Amount::NoData)], Some(d("5")));
        assert_eq!(r.children, Amount::Partial(d("40")), "the known part, marked");
        assert_eq!(r.imbalance, Amount::Partial(d("60")));
        assert_eq!(r.share, None, "no share of a partial sum");
        assert_eq!(r.verdict, Verdict::Incomplete);
        assert_eq!(r.missing, 1);
        assert_eq!(r.imbalance.display(), "60*");
    }

    #[test]
    fn without_a_root_there_is_no_imbalance() {
        let r = row(None, &[(Part::Root, Amount::NoData), (Part::Plus, full("4"))], Some(d("5")));
        assert_eq!(r.root, Amount::NoData);
        assert_eq!(r.imbalance, Amount::NoData);
        assert_eq!(r.imbalance.display(), "–*");
        let r = row(None, &[(Part::Plus, full("4"))], None);
        assert_eq!(r.root, Amount::NoData, "a group with no root meter");
    }

    #[test]
    fn within_the_norm_and_without_one() {
        let parts = [(Part::Root, full("1000")), (Part::Plus, full("960.5"))];
        let r = row(None, &parts, Some(d("5")));
        assert_eq!(r.share, Some(d("3.95")));
        assert_eq!(r.verdict, Verdict::Within);
        assert_eq!(row(None, &parts, None).verdict, Verdict::NoNorm);
        let negative = row(None, &[(Part::Root, full("100")), (Part::Plus, full("110"))], Some(d("5")));
        assert_eq!(negative.share, Some(d("-10")));
        assert_eq!(negative.verdict, Verdict::Over, "flats counting more than the input is over too");
    }
}
