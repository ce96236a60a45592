//! A reading typed by a person: what the input accepts and why a value is refused. Shared by
//! the browser (the field stops extra digits as they are typed or pasted) and the server
//! (which checks again: a client is never trusted).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::capacity::DigitCapacity;

/// Why a typed value was not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryProblem {
    Empty,
    NotANumber,
    TooManyIntegerDigits {
        max: u8,
    },
    TooManyFractionDigits {
        max: u8,
    },
    /// The meter has no such tariff.
    NoSuchTariff,
    /// The meter is not in this company or retired.
    UnknownMeter,
    /// The device sent no usable entry id (empty or over 100 characters).
    BadEntryId,
}

impl EntryProblem {
    /// The sentence shown next to the refused value.
    pub fn text(self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Msg;
        match self {
            EntryProblem::Empty => Msg::EntryEmpty.text(lang).into(),
            EntryProblem::NotANumber => Msg::EntryNotANumber.text(lang).into(),
            EntryProblem::TooManyIntegerDigits { max } => {
                format!("{} {max}", Msg::EntryTooManyInteger.text(lang))
            }
            EntryProblem::TooManyFractionDigits { max } => {
                format!("{} {max}", Msg::EntryTooManyFraction.text(lang))
            }
            EntryProblem::NoSuchTariff => Msg::EntryNoSuchTariff.text(lang).into(),
            EntryProblem::UnknownMeter => Msg::EntryUnknownMeter.text(lang).into(),
            EntryProblem::BadEntryId => Msg::EntryBadId.text(lang).into(),
        }
    }
}

/// Parses a typed reading: digits with one comma or point, spaces between groups allowed,
/// no sign, no exponent, and no more digits on either side than the meter shows.
pub fn parse_reading(text: &str, capacity: DigitCapacity) -> Result<Decimal, EntryProblem> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if cleaned.is_empty() {
        return Err(EntryProblem::Empty);
    }
    let normalized = cleaned.replace(',', ".");
    let (int, frac) = match normalized.split_once('.') {
        Some((i, f)) => (i, f),
        None => (normalized.as_str(), ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(int) || !digits(frac) || (int.is_empty() && frac.is_empty()) {
        return Err(EntryProblem::NotANumber);
    }
    let significant_int = int.trim_start_matches('0');
    if significant_int.len() > capacity.integer() as usize {
        return Err(EntryProblem::TooManyIntegerDigits {
            max: capacity.integer(),
        });
    }
    if frac.len() > capacity.fraction() as usize {
        return Err(EntryProblem::TooManyFractionDigits {
            max: capacity.fraction(),
        });
    }
    let text = format!(
        "{}.{}",
        if int.is_empty() { "0" } else { int },
        if frac.is_empty() { "0" } else { frac }
    );
    Decimal::from_str(&text).map_err(|_| EntryProblem::NotANumber)
}

/// What an input field keeps of what was typed or pasted: digits and one separator, at most
/// the meter's integer digits before it and fraction digits after it; the rest is dropped.
pub fn limit_input(text: &str, capacity: DigitCapacity) -> String {
    let mut out = String::new();
    let mut int_digits = 0u8;
    let mut frac_digits = 0u8;
    let mut seen_separator = false;
    for c in text.chars() {
        match c {
            '0'..='9' if !seen_separator => {
                if int_digits < capacity.integer() {
                    out.push(c);
                    int_digits += 1;
                }
            }
            '0'..='9' => {
                if frac_digits < capacity.fraction() {
                    out.push(c);
                    frac_digits += 1;
                }
            }
            // a meter without fraction digits ignores what follows the separator
            ',' | '.' if !seen_separator => {
                seen_separator = true;
                if capacity.fraction() > 0 {
                    out.push(',');
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(i: u8, f: u8) -> DigitCapacity {
        DigitCapacity::new(i, f).unwrap()
    }

    #[test]
    fn field_entry_rejects_more_digits_than_the_meter_has() {
        assert_eq!(
            parse_reading("123456", cap(5, 3)),
            Err(EntryProblem::TooManyIntegerDigits { max: 5 })
        );
        assert_eq!(
            parse_reading("12345,6789", cap(5, 3)),
            Err(EntryProblem::TooManyFractionDigits { max: 3 })
        );
        assert_eq!(
            parse_reading("12345,678", cap(5, 3)),
            Ok(Decimal::from_str("12345.678").unwrap())
        );
    }

    #[test]
    fn a_comma_a_point_and_group_spaces_are_all_understood() {
        let v = Decimal::from_str("1234.5").unwrap();
        assert_eq!(parse_reading("1234,5", cap(5, 3)), Ok(v));
        assert_eq!(parse_reading("1234.5", cap(5, 3)), Ok(v));
        assert_eq!(parse_reading(" 1\u{a0}234,5 ", cap(5, 3)), Ok(v));
        assert_eq!(
            parse_reading("00042", cap(2, 0)),
            Ok(Decimal::from(42)),
            "leading zeros as on the drum"
        );
        assert_eq!(
            parse_reading(",5", cap(2, 1)),
            Ok(Decimal::from_str("0.5").unwrap())
        );
    }

    #[test]
    fn a_refusal_says_how_many_digits_the_meter_has() {
        assert_eq!(
            EntryProblem::TooManyIntegerDigits { max: 5 }.text(crate::i18n::Lang::Ru),
            "Больше знаков, чем у прибора: целых не более 5"
        );
    }

    #[test]
    fn anything_else_is_not_a_number() {
        for bad in ["abc", "-5", "1e3", "1,2,3", "12.3.4", ",", "+1", "1 2x"] {
            assert_eq!(
                parse_reading(bad, cap(6, 3)),
                Err(EntryProblem::NotANumber),
                "{bad}"
            );
        }
        assert_eq!(parse_reading("  ", cap(6, 3)), Err(EntryProblem::Empty));
    }

    #[test]
    fn the_input_drops_what_the_meter_cannot_show_as_it_is_typed() {
        assert_eq!(limit_input("123456", cap(5, 3)), "12345");
        assert_eq!(limit_input("12.34567", cap(5, 3)), "12,345");
        assert_eq!(limit_input("1a2,3,4", cap(5, 3)), "12,34");
        assert_eq!(limit_input("12,5", cap(5, 0)), "12");
    }
}

/// What the dispatcher's entry form shows for one personal account (Kvant-Energo «Ввод
/// показаний»): the premise and, per meter and tariff, the last value and the expected one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntrySheet {
    pub account: String,
    pub object_name: String,
    pub address: String,
    pub flat: String,
    pub meters: Vec<EntryMeter>,
    /// The company's billing window: the screen says which period the readings count for.
    #[serde(default)]
    pub window: super::period::BillingWindow,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryMeter {
    pub meter_id: i64,
    pub resource: super::Resource,
    pub model: String,
    pub serial: String,
    pub capacity: DigitCapacity,
    pub registers: Vec<EntryRegister>,
}

/// The value slots a person types for a meter with `tariffs` tariffs: the total (slot 0) of
/// a single-tariff meter, else T1…Tn (slots 1–n).
pub fn typed_slots(tariffs: i64) -> Vec<usize> {
    match tariffs.clamp(1, 4) as usize {
        1 => vec![0],
        n => (1..=n).collect(),
    }
}

/// One field of the form: a tariff (1–4), or 0 for a single-tariff meter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryRegister {
    pub tariff: u8,
    pub last: Option<Decimal>,
    #[serde(default, with = "crate::models::iso_date::option")]
    pub last_date: Option<chrono::NaiveDate>,
    /// The last value moved on by the usual consumption to today; the last value itself
    /// when no usual consumption is known.
    pub expected: Option<Decimal>,
    /// A newer value waiting for a dispatcher's check (not the last value until confirmed).
    #[serde(default)]
    pub waiting: Option<Decimal>,
}

/// One value of an entry: `tariff` 1–4, or 0 for a single-tariff meter's total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypedValue {
    pub tariff: u8,
    pub text: String,
}

/// What a person typed for one meter. `entry_id` is made on the device when the value is
/// first kept, so a send repeated after a lost answer stores once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryInput {
    pub entry_id: String,
    pub meter_id: i64,
    pub values: Vec<TypedValue>,
    /// When it was typed (device clock, UTC seconds); the server's time when absent or absurd.
    pub typed_at: Option<i64>,
}

/// A value that was refused, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedValue {
    pub tariff: u8,
    pub problem: EntryProblem,
}

/// What became of one entry: stored (with the flags the checks set), already stored by an
/// earlier send, and the values refused. Refusing one value keeps the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryResult {
    pub entry_id: String,
    pub stored: bool,
    pub duplicate: bool,
    /// Reading flags: went down, implausible jump, needs confirmation.
    pub flags: i64,
    pub refused: Vec<RefusedValue>,
}
