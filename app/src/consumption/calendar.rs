//! Bucket bounds in the object's time zone: a day starts at local midnight, a month on the
//! 1st, and an hour is 3 600 s from the local day's start (so a DST day has 23 or 25 hours).

use chrono::{Datelike, Months, NaiveDate, TimeZone};
use chrono_tz::Tz;

/// The UTC instant a local day starts. Where midnight does not exist (a DST jump at 00:00)
/// the day starts at the first local time that does.
pub fn day_start(tz: Tz, day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    (0..4)
        .find_map(|h| {
            tz.from_local_datetime(&(midnight + chrono::Duration::hours(h)))
                .earliest()
        })
        .map(|t| t.timestamp())
        .unwrap_or_else(|| midnight.and_utc().timestamp())
}

/// The local date an instant falls on.
pub fn local_date(tz: Tz, ts: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive()
}

/// Bounds of `days` consecutive local days from `first`: `days + 1` instants.
pub fn day_bounds(tz: Tz, first: NaiveDate, days: u32) -> Vec<i64> {
    (0..=days)
        .map(|i| day_start(tz, first + chrono::Duration::days(i as i64)))
        .collect()
}

/// Bounds of `months` consecutive local months from the month holding `first`.
pub fn month_bounds(tz: Tz, first: NaiveDate, months: u32) -> Vec<i64> {
    let first = first.with_day(1).expect("the 1st exists");
    (0..=months)
        .map(|i| day_start(tz, first + Months::new(i)))
        .collect()
}

/// Bounds of the hours of one local day.
pub fn hour_bounds(tz: Tz, day: NaiveDate) -> Vec<i64> {
    let start = day_start(tz, day);
    let end = day_start(tz, day + chrono::Duration::days(1));
    let mut out: Vec<i64> = (start..end).step_by(3600).collect();
    out.push(end);
    out
}

/// The 1st of the month holding `day`.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("the 1st exists")
}

/// The number of days in the month holding `day`.
pub fn days_in_month(day: NaiveDate) -> u32 {
    let first = day.with_day(1).expect("the 1st exists");
    ((first + Months::new(1)) - first).num_days() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_moscow_day_starts_at_21_00_utc_the_day_before() {
        let start = day_start(chrono_tz::Europe::Moscow, date(2026, 3, 1));
        assert_eq!(
            chrono::DateTime::from_timestamp(start, 0)
                .unwrap()
                .to_rfc3339(),
            "2026-02-28T21:00:00+00:00"
        );
        assert_eq!(
            local_date(chrono_tz::Europe::Moscow, start),
            date(2026, 3, 1)
        );
        assert_eq!(
            local_date(chrono_tz::Europe::Moscow, start - 1),
            date(2026, 2, 28)
        );
    }

    #[test]
    fn months_follow_the_calendar_in_the_object_zone() {
        let b = month_bounds(chrono_tz::Asia::Novosibirsk, date(2026, 1, 15), 2);
        assert_eq!(b.len(), 3);
        assert_eq!(b[1] - b[0], 31 * 86_400);
        assert_eq!(b[2] - b[1], 28 * 86_400);
        assert_eq!(days_in_month(date(2028, 2, 3)), 29);
    }

    #[test]
    fn a_dst_day_has_the_hours_it_really_had() {
        // Berlin went to summer time on 29.03.2026: that day had 23 hours
        let hours = hour_bounds(chrono_tz::Europe::Berlin, date(2026, 3, 29));
        assert_eq!(hours.len(), 24);
        assert_eq!(
            hour_bounds(chrono_tz::Europe::Moscow, date(2026, 3, 29)).len(),
            25
        );
    }
}
