//! How dates and numbers are written for people: `dd.mm.yyyy`, decimal comma, thin groups.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

pub fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub fn date_time(d: NaiveDateTime) -> String {
    d.format("%d.%m.%Y %H:%M").to_string()
}

/// A decimal as Russian users write it: `12 345,678`. The value is never rounded here.
pub fn decimal(d: Decimal) -> String {
    let s = d.to_string();
    let (sign, s) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

pub fn integer(n: i64) -> String {
    decimal(Decimal::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn dates_are_day_month_year() {
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()),
            "07.03.2026"
        );
    }

    #[test]
    fn decimals_use_a_comma_and_group_thousands_without_rounding() {
        assert_eq!(
            decimal(Decimal::from_str("12345.678").unwrap()),
            "12\u{a0}345,678"
        );
        assert_eq!(decimal(Decimal::from_str("-1000").unwrap()), "-1\u{a0}000");
        assert_eq!(decimal(Decimal::from_str("0.000001").unwrap()), "0,000001");
        assert_eq!(integer(999), "999");
    }
}
