//! A meter's digit capacity (значность): how many integer and fraction digits its register
//! shows. Parsed once, so a `DigitCapacity` is always one a real meter can have.

use serde::{Deserialize, Serialize};

/// Readings are stored in millionths, so no meter may show more than six fraction digits.
pub const MAX_FRACTION_DIGITS: u8 = 6;
pub const MAX_INTEGER_DIGITS: u8 = 9;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitCapacity {
    integer: u8,
    fraction: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CapacityError {
    #[error("a meter shows 1 to 9 integer digits")]
    Integer,
    #[error("a meter shows 0 to 6 fraction digits")]
    Fraction,
}

impl DigitCapacity {
    pub fn new(integer: u8, fraction: u8) -> Result<Self, CapacityError> {
        if integer == 0 || integer > MAX_INTEGER_DIGITS {
            return Err(CapacityError::Integer);
        }
        if fraction > MAX_FRACTION_DIGITS {
            return Err(CapacityError::Fraction);
        }
        Ok(DigitCapacity { integer, fraction })
    }
    pub fn integer(self) -> u8 {
        self.integer
    }
    pub fn fraction(self) -> u8 {
        self.fraction
    }
    /// How it is written on a meter card: «5,3» means 5 integer and 3 fraction digits.
    pub fn label(self) -> String {
        format!("{},{}", self.integer, self.fraction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_refuses_what_no_meter_has() {
        assert_eq!(DigitCapacity::new(0, 2), Err(CapacityError::Integer));
        assert_eq!(DigitCapacity::new(10, 2), Err(CapacityError::Integer));
        assert_eq!(DigitCapacity::new(5, 7), Err(CapacityError::Fraction));
        assert_eq!(DigitCapacity::new(5, 3).unwrap().label(), "5,3");
    }
}
