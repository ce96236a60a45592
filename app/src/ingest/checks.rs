//! The checks on every human-entered reading, after it parsed within the meter's digits:
//! lower than the previous reading (and not a rollover) or an implausible jump are stored
//! but flagged for a dispatcher's confirmation. Nothing entered is silently dropped.

use rust_decimal::Decimal;

use crate::storage::reading::flags;

/// A value this many times the usual consumption for the elapsed days is a jump.
pub const JUMP_FACTOR: i64 = 10;

/// What the checks know of the meter's past on this register.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Past {
    /// The previous reading and when it was taken (UTC seconds).
    pub previous: Option<(i64, Decimal)>,
    /// Usual consumption per day, from the readings before the previous one.
    pub usual_per_day: Option<Decimal>,
}

/// Flags for `value` typed at `at` on a register with `integer_digits` digits.
pub fn flags_for(value: Decimal, at: i64, integer_digits: u8, past: Past) -> i64 {
    let Some((prev_at, prev)) = past.previous else {
        return 0;
    };
    let capacity = Decimal::from(10u64.pow(integer_digits.min(18) as u32));
    let consumed = if value >= prev {
        value - prev
    } else if prev - value > capacity / Decimal::TWO {
        value + capacity - prev
    } else {
        return flags::DECREASED | flags::NEEDS_CONFIRMATION;
    };
    if let Some(usual) = past.usual_per_day.filter(|u| *u > Decimal::ZERO) {
        let days = Decimal::from((at - prev_at).max(86_400)) / Decimal::from(86_400);
        if consumed > usual * days * Decimal::from(JUMP_FACTOR) {
            return flags::JUMP | flags::NEEDS_CONFIRMATION;
        }
    }
    0
}

/// Usual consumption per day between two readings of a register, if it went forward.
pub fn per_day(older: (i64, Decimal), newer: (i64, Decimal)) -> Option<Decimal> {
    let seconds = newer.0 - older.0;
    (seconds >= 86_400 && newer.1 >= older.1)
        .then(|| (newer.1 - older.1) * Decimal::from(86_400) / Decimal::from(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const DAY: i64 = 86_400;

    fn past(prev: &str, usual: Option<&str>) -> Past {
        Past {
            previous: Some((0, d(prev))),
            usual_per_day: usual.map(d),
        }
    }

    #[test]
    fn a_value_lower_than_the_previous_is_flagged_for_confirmation() {
        let f = flags_for(d("99.5"), DAY, 5, past("100", None));
        assert_eq!(f, flags::DECREASED | flags::NEEDS_CONFIRMATION);
    }

    #[test]
    fn a_rollover_is_not_a_decrease() {
        assert_eq!(flags_for(d("3"), DAY, 5, past("99998", Some("4"))), 0);
    }

    #[test]
    fn many_times_the_usual_consumption_is_a_jump() {
        // usual 2 a day; 30 days later 700 more is over 10× the usual (600)
        assert_eq!(
            flags_for(d("800"), 30 * DAY, 6, past("100", Some("2"))),
            flags::JUMP | flags::NEEDS_CONFIRMATION
        );
        assert_eq!(
            flags_for(d("700"), 30 * DAY, 6, past("100", Some("2"))),
            0,
            "exactly 10× is not yet a jump"
        );
        // within the first day the elapsed time counts as one day
        assert_eq!(flags_for(d("115"), 3600, 6, past("100", Some("2"))), 0);
    }

    #[test]
    fn a_first_reading_has_nothing_to_compare_with() {
        assert_eq!(flags_for(d("5"), 0, 5, Past::default()), 0);
    }

    #[test]
    fn usual_consumption_is_per_day_and_only_forward() {
        assert_eq!(per_day((0, d("10")), (10 * DAY, d("30"))), Some(d("2")));
        assert_eq!(per_day((0, d("30")), (10 * DAY, d("10"))), None);
        assert_eq!(per_day((0, d("10")), (3600, d("30"))), None);
    }
}
