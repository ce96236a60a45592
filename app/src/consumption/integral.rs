//! Integral archives: consumption between consecutive running totals, with the counter's
//! rollover unwound, the multiplier applied, readings that went down set aside, and a meter
//! replacement joined without a negative step.

use rust_decimal::Decimal;

use super::spread::Step;

/// What the engine needs to know about a meter's register.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Register {
    /// Integer digits of the display: the counter rolls over at 10^digits.
    pub digits_integer: u32,
    /// Current-transformer ratio or pulse weight: consumption = register delta × multiplier.
    pub multiplier: Decimal,
}

impl Register {
    pub fn plain(digits_integer: u32) -> Register {
        Register {
            digits_integer,
            multiplier: Decimal::ONE,
        }
    }

    fn capacity(self) -> Decimal {
        Decimal::from(10u64.pow(self.digits_integer.min(18)))
    }
}

/// One running total at device time `ts`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub ts: i64,
    pub value: Decimal,
}

/// The readings of one physical meter on this channel.
#[derive(Clone, Debug)]
pub struct Segment {
    pub register: Register,
    pub points: Vec<Point>,
}

/// The result of walking a channel's history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Walk {
    pub steps: Vec<Step>,
    /// Device times of readings lower than the one before that are not a rollover: they are
    /// kept in storage and flagged, but consumption goes around them.
    pub went_down: Vec<i64>,
    pub rollovers: usize,
}

/// Consumption steps between consecutive accepted readings.
///
/// A reading lower than its predecessor is a rollover when the drop is more than half the
/// counter's capacity (99 998 → 00 003 is 5), otherwise it went down and is set aside. Between
/// the old meter's last reading and the new meter's first the step is zero: both are taken at
/// the replacement, so consumption continues and is never negative.
pub fn steps(segments: &[Segment]) -> Walk {
    let mut walk = Walk::default();
    let mut previous_end: Option<i64> = None;
    for segment in segments {
        let mut points = segment.points.clone();
        points.sort_by_key(|p| p.ts);
        points.dedup_by_key(|p| p.ts);
        let capacity = segment.register.capacity();
        let mut last: Option<Point> = None;
        for p in points {
            let Some(prev) = last else {
                if let Some(end) = previous_end {
                    if p.ts >= end {
                        walk.steps.push(Step {
                            from: end,
                            to: p.ts,
                            amount: Decimal::ZERO,
                        });
                    }
                }
                last = Some(p);
                continue;
            };
            let delta = if p.value >= prev.value {
                p.value - prev.value
            } else if prev.value - p.value > capacity / Decimal::TWO {
                walk.rollovers += 1;
                p.value + capacity - prev.value
            } else {
                walk.went_down.push(p.ts);
                continue;
            };
            walk.steps.push(Step {
                from: prev.ts,
                to: p.ts,
                amount: delta * segment.register.multiplier,
            });
            last = Some(p);
        }
        if let Some(l) = last {
            previous_end = Some(l.ts);
        }
    }
    walk
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn seg(digits: u32, points: &[(i64, &str)]) -> Segment {
        Segment {
            register: Register::plain(digits),
            points: points
                .iter()
                .map(|&(ts, v)| Point { ts, value: d(v) })
                .collect(),
        }
    }

    fn amounts(w: &Walk) -> Vec<Decimal> {
        w.steps.iter().map(|s| s.amount).collect()
    }

    #[test]
    fn a_counter_that_rolls_over_at_its_capacity_counts_forward() {
        let w = steps(&[seg(5, &[(0, "99990"), (1, "99998"), (2, "3")])]);
        assert_eq!(amounts(&w), vec![d("8"), d("5")]);
        assert_eq!(w.rollovers, 1);
        assert!(w.went_down.is_empty());
    }

    #[test]
    fn a_rollover_keeps_the_fraction_exact() {
        let w = steps(&[seg(5, &[(0, "99999.875"), (1, "00000.125")])]);
        assert_eq!(amounts(&w), vec![d("0.250")]);
    }

    #[test]
    fn a_reading_that_went_down_is_set_aside_and_consumption_goes_around_it() {
        let w = steps(&[seg(6, &[(0, "100"), (1, "110"), (2, "105"), (3, "120")])]);
        assert_eq!(w.went_down, vec![2]);
        assert_eq!(amounts(&w), vec![d("10"), d("10")]);
        assert_eq!((w.steps[1].from, w.steps[1].to), (1, 3));
    }

    #[test]
    fn the_multiplier_scales_every_step() {
        let mut s = seg(6, &[(0, "10.5"), (1, "12")]);
        s.register.multiplier = d("60");
        assert_eq!(amounts(&steps(&[s])), vec![d("90.0")]);
    }

    #[test]
    fn a_replaced_meter_hands_over_without_a_negative_step() {
        // old meter ends at 5 432.1, the new one starts at 0.4 on the same day
        let old = seg(5, &[(0, "5430"), (10, "5432.1")]);
        let new = seg(6, &[(12, "0.4"), (20, "3.4")]);
        let w = steps(&[old, new]);
        assert_eq!(amounts(&w), vec![d("2.1"), d("0"), d("3.0")]);
        assert_eq!((w.steps[1].from, w.steps[1].to), (10, 12));
        assert!(w.went_down.is_empty());
    }

    #[test]
    fn late_and_out_of_order_readings_are_put_in_time_order() {
        let w = steps(&[seg(5, &[(2, "30"), (0, "10"), (1, "15"), (1, "15")])]);
        assert_eq!(amounts(&w), vec![d("5"), d("15")]);
    }

    #[test]
    fn a_small_drop_near_the_top_is_not_mistaken_for_a_rollover() {
        let w = steps(&[seg(5, &[(0, "99990"), (1, "99980")])]);
        assert_eq!(w.rollovers, 0);
        assert_eq!(w.went_down, vec![1]);
        assert!(w.steps.is_empty());
    }
}
