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

/// Reads back what [`url_encode`] (or a browser's form) wrote: `%XX` bytes and `+` for a
/// space; a broken escape stays as it was, bytes that are not UTF-8 become U+FFFD.
pub fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(a), Some(b)) => {
                    out.push((a * 16 + b) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `k=v&k=v` of a query string, each value read back from its escapes.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (url_decode(k), url_decode(v)))
        .collect()
}

pub fn integer(n: i64) -> String {
    decimal(Decimal::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_value_reads_back_from_its_escapes() {
        let typed = "кв. 12 & W-4123+1%";
        assert_eq!(url_decode(&url_encode(typed)), typed);
        assert_eq!(url_decode("a+b%2"), "a b%2");
        assert_eq!(url_decode("%zz%"), "%zz%");
        assert_eq!(query_pairs("?q=%D0%BA%D0%B2&object=3"), vec![("q".into(), "кв".into()), ("object".into(), "3".into())]);
    }

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
