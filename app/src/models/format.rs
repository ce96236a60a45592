//! How dates and numbers are written for people: `dd.mm.yyyy`, decimal comma, thin groups.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;

/// Written by hand, not with `format("%d.%m.%Y")`: chrono's pattern interpreter would be
/// linked into the browser bundle every page loads for these two patterns.
pub fn date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

pub fn date_time(d: NaiveDateTime) -> String {
    format!("{} {:02}:{:02}", date(d.date()), d.hour(), d.minute())
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

/// A reading with the meter's fraction digits (`6 689,00` on a meter with two): padded with
/// zeros, never rounded — a value with more digits shows them all.
pub fn fixed(d: Decimal, fraction: u32) -> String {
    let mut v = d.normalize();
    if v.scale() < fraction {
        v.rescale(fraction);
    }
    decimal(v)
}

/// One CSV cell: quoted when it holds the separator, a quote or a line break. A text that
/// a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return: an owner's name typed as `=HYPERLINK(…)`) gets a leading apostrophe;
/// numbers, negative ones too, stay numbers.
pub fn csv_cell(cell: &str) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(cell);
    let cell = if formula { format!("'{cell}") } else { cell.to_string() };
    if cell.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// A number as this module writes it: `-12 345,678`.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}'))
}

/// Percent-encodes everything but unreserved characters: for query strings and `data:` links.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn integer(n: i64) -> String {
    decimal(Decimal::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_cell_that_a_spreadsheet_would_run_is_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv_cell("+7 900 000"), "'+7 900 000");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
        assert_eq!(csv_cell("-12\u{a0}345,5"), "-12\u{a0}345,5", "a negative number stays a number");
        assert_eq!(csv_cell("Иванова"), "Иванова");
    }
    use std::str::FromStr;

    #[test]
    fn readings_show_the_meters_fraction_digits_and_are_never_rounded() {
        let v = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(fixed(v("6689"), 2), "6\u{a0}689,00");
        assert_eq!(fixed(v("12.5"), 3), "12,500");
        assert_eq!(fixed(v("12.34567"), 2), "12,34567");
        assert_eq!(fixed(v("7.000"), 0), "7");
    }

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
