//! Exact quantities as integer millionths. SQLite has no decimal type in sqlx, and integer
//! sums are exact and fast on both backends, so a reading of 12 345,678 kWh is stored as
//! 12 345 678 000. Values with more than six fraction digits are refused, never rounded.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::{Result, StorageError};

pub const SCALE: u32 = 6;

pub fn to_micro(value: Decimal) -> Result<i64> {
    let scaled = value
        .checked_mul(Decimal::from(1_000_000))
        .ok_or(StorageError::OutOfRange(value))?;
    if !scaled.fract().is_zero() {
        return Err(StorageError::TooPrecise(value));
    }
    scaled.to_i64().ok_or(StorageError::OutOfRange(value))
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
    fn values_beyond_i64_are_refused() {
        assert!(matches!(
            to_micro(d("10000000000000000")),
            Err(StorageError::OutOfRange(_))
        ));
    }
}
