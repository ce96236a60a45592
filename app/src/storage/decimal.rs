//! Exact quantities as integer millionths. SQLite has no decimal type in sqlx, and integer
//! sums are exact and fast on both backends, so a reading of 12 345,678 kWh is stored as
//! 12 345 678 000. Values with more than six fraction digits are refused, never rounded.

use rust_decimal::Decimal;

use super::{Result, StorageError};

pub const SCALE: u32 = 6;

/// Millionths of `value`, exactly: the mantissa scaled in integers (this runs for every
/// value of every reading written), refused when a digit would be lost or it leaves i64.
pub fn to_micro(value: Decimal) -> Result<i64> {
    let mantissa = value.mantissa();
    let scale = value.scale();
    let micro = if scale <= SCALE {
        mantissa.checked_mul(10i128.pow(SCALE - scale))
    } else {
        let cut = 10i128.pow(scale - SCALE);
        if mantissa % cut != 0 {
            return Err(StorageError::TooPrecise(value));
        }
        Some(mantissa / cut)
    };
    micro
        .and_then(|m| i64::try_from(m).ok())
        .ok_or(StorageError::OutOfRange(value))
}

pub fn from_micro(micro: i64) -> Decimal {
    Decimal::new(micro, SCALE).normalize()
}

pub fn opt_to_micro(value: Option<Decimal>) -> Result<Option<i64>> {
    value.map(to_micro).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn micro_units_round_trip_exactly() {
        for s in [
            "0",
            "12345.678",
            "99999.999999",
            "-3.5",
            "0.000001",
            "9000000000000",
            "1.500000000",
            "-0.000001000",
        ] {
            assert_eq!(from_micro(to_micro(d(s)).unwrap()), d(s).normalize(), "{s}");
        }
    }

    #[test]
    fn more_than_six_fraction_digits_are_refused_not_rounded() {
        assert!(matches!(
            to_micro(d("1.0000001")),
            Err(StorageError::TooPrecise(_))
        ));
    }

    #[test]
    fn trailing_zeros_past_the_sixth_fraction_digit_are_not_precision() {
        assert_eq!(to_micro(d("2.500000000")).unwrap(), 2_500_000);
        assert!(matches!(
            to_micro(d("0.0000000001")),
            Err(StorageError::TooPrecise(_))
        ));
    }

    #[test]
    fn values_beyond_i64_are_refused() {
        assert!(matches!(
            to_micro(d("-10000000000000000")),
            Err(StorageError::OutOfRange(_))
        ));
        assert!(matches!(
            to_micro(Decimal::MAX),
            Err(StorageError::OutOfRange(_))
        ));
        assert!(matches!(
            to_micro(d("10000000000000000")),
            Err(StorageError::OutOfRange(_))
        ));
    }
}
