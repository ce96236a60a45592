//! Spreading consumption steps over buckets. A step counts in a bucket only when it lies
//! wholly inside it; one that straddles a boundary cannot be split without inventing the
//! value at the boundary, so it counts nowhere and both buckets say they are partial.

use rust_decimal::Decimal;

use crate::models::Amount;

/// Consumption measured from `from` to `to` (device times, UTC seconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub from: i64,
    pub to: i64,
    pub amount: Decimal,
}

/// Amount per bucket `bounds[i]..bounds[i+1]`. A bucket is `Full` when its steps cover it
/// end to end, `Partial` when some step lies in it, and `NoData` otherwise. `steps` must be
/// in time order and must not overlap (what [`super::steps`] gives).
pub fn spread(steps: &[Step], bounds: &[i64]) -> Vec<Amount> {
    let buckets = bounds.len().saturating_sub(1);
    let mut out = Vec::with_capacity(buckets);
    let mut i = 0;
    for b in 0..buckets {
        let (start, end) = (bounds[b], bounds[b + 1]);
        while i < steps.len() && steps[i].from < start {
            i += 1;
        }
        let mut sum = Decimal::ZERO;
        let mut covered = 0i64;
        let mut any = false;
        let mut j = i;
        while j < steps.len() && steps[j].from < end {
            if steps[j].to <= end {
                sum += steps[j].amount;
                covered += steps[j].to - steps[j].from;
                any = true;
            }
            j += 1;
        }
        out.push(if !any {
            Amount::NoData
        } else if covered >= end - start {
            Amount::Full(sum)
        } else {
            Amount::Partial(sum)
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn step(from: i64, to: i64, v: &str) -> Step {
        Step {
            from,
            to,
            amount: d(v),
        }
    }

    #[test]
    fn steps_that_cover_a_bucket_make_it_full() {
        let steps = [step(0, 10, "1.5"), step(10, 20, "2.25")];
        assert_eq!(
            spread(&steps, &[0, 10, 20]),
            vec![Amount::Full(d("1.5")), Amount::Full(d("2.25"))]
        );
        assert_eq!(spread(&steps, &[0, 20]), vec![Amount::Full(d("3.75"))]);
    }

    #[test]
    fn a_gap_is_never_filled_in() {
        // readings at 0, 10 and 30: the step 10→30 straddles the boundary at 20
        let steps = [step(0, 10, "1"), step(10, 30, "4")];
        assert_eq!(
            spread(&steps, &[0, 20, 40]),
            vec![Amount::Partial(d("1")), Amount::NoData]
        );
        assert_eq!(spread(&steps, &[0, 40]), vec![Amount::Partial(d("5"))]);
    }

    #[test]
    fn a_bucket_with_no_readings_has_no_data() {
        assert_eq!(spread(&[], &[0, 10]), vec![Amount::NoData]);
        assert_eq!(spread(&[step(0, 10, "1")], &[10, 20]), vec![Amount::NoData]);
    }
}
