//! `yyyy-mm-dd` in and out of JSON for dates the field screen carries, as chrono writes
//! them, read by hand: chrono's own reader brings its whole format parser (RFC 2822 and
//! 3339 included) into the bundle every page loads.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serializer};

/// `2026-12-04` to a date; None for anything else.
pub fn parse(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// For `#[serde(with = "crate::models::iso_date::option")]` on an `Option<NaiveDate>`.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => parse(&text)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Dated {
        #[serde(with = "option")]
        on: Option<NaiveDate>,
    }

    #[test]
    fn dates_travel_as_chrono_writes_them_and_come_back() {
        let d = Dated { on: NaiveDate::from_ymd_opt(2026, 3, 9) };
        let text = serde_json::to_string(&d).unwrap();
        assert_eq!(text, r#"{"on":"2026-03-09"}"#);
        assert_eq!(
            text,
            serde_json::to_string(&serde_json::json!({ "on": NaiveDate::from_ymd_opt(2026, 3, 9) })).unwrap()
        );
        assert_eq!(serde_json::from_str::<Dated>(&text).unwrap(), d);
        assert_eq!(serde_json::from_str::<Dated>(r#"{"on":null}"#).unwrap(), Dated { on: None });
    }

    #[test]
    fn a_date_that_is_not_one_is_refused() {
        for bad in ["2026-02-30", "2026-13-01", "09.03.2026", "", "2026-03"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(serde_json::from_str::<Dated>(r#"{"on":"30.02.2026"}"#).is_err());
    }
}
