//! A meter's archives (F15): what it stored per hour, per day and per month, every
//! parameter as the meter keeps it (running totals per tariff, temperatures, volumes).

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::i18n::{parameter_name, unit_text, Lang};

/// Which archive: hours of a day, days of a month, months of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ArchiveKind {
    Hour,
    #[default]
    Day,
    Month,
}

impl ArchiveKind {
    pub const ALL: [ArchiveKind; 3] = [ArchiveKind::Hour, ArchiveKind::Day, ArchiveKind::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveKind::Hour => "hour",
            ArchiveKind::Day => "day",
            ArchiveKind::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<ArchiveKind> {
        ArchiveKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The first local date of the span holding `date`: the day itself, the 1st of its
    /// month, or 1 January.
    pub fn start(self, date: NaiveDate) -> NaiveDate {
        match self {
            ArchiveKind::Hour => date,
            ArchiveKind::Day => date.with_day(1).expect("the 1st exists"),
            ArchiveKind::Month => NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("1 January"),
        }
    }

    /// The span `steps` spans away (negative: earlier).
    pub fn shift(self, date: NaiveDate, steps: i32) -> NaiveDate {
        let start = self.start(date);
        let months = |n: i32| {
            if n >= 0 {
                start + Months::new(n as u32)
            } else {
                start - Months::new(n.unsigned_abs())
            }
        };
        match self {
            ArchiveKind::Hour => start + chrono::Duration::days(steps as i64),
            ArchiveKind::Day => months(steps),
            ArchiveKind::Month => months(12 * steps),
        }
    }

    /// The first local date after the span.
    pub fn end(self, date: NaiveDate) -> NaiveDate {
        self.shift(date, 1)
    }
}

/// One column of the archive: a parameter (a channel of the meter) and, for a
/// multi-tariff register, the tariff (0 is the total).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchiveColumn {
    /// e.g. `energy_a_plus`, `volume`, `t_supply`.
    pub parameter: String,
    pub unit: String,
    pub slot: u8,
    /// A running total (integral) rather than a value of the period.
    pub integral: bool,
}

impl ArchiveColumn {
    /// The column's heading: «Активная энергия A+ T1, кВт·ч».
    pub fn name(&self, lang: Lang) -> String {
        let tariff = if self.slot == 0 { String::new() } else { format!(" T{}", self.slot) };
        format!("{}{tariff}, {}", parameter_name(&self.parameter, lang), unit_text(&self.unit, lang))
    }
}

/// One stored record: local time and a value per column (None where the meter kept none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchiveRow {
    /// Local `dd.mm.yyyy hh:mm`.
    pub at: String,
    pub values: Vec<Option<Decimal>>,
    /// Per column, what was consumed from this record to the next interval's (the register's
    /// rise times the meter's multiplier); `None` for values of the period, where the next
    /// record is missing, or where the register went down.
    pub usage: Vec<Option<Decimal>>,
}

/// One archive of one meter over one span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeterArchive {
    pub meter_id: i64,
    pub model: String,
    pub serial: String,
    pub object_name: String,
    pub where_: String,
    /// Fraction digits of the meter's display.
    pub fraction: u8,
    pub kind: ArchiveKind,
    /// The first local date of the span.
    pub date: NaiveDate,
    pub prev: NaiveDate,
    /// None when the next span has not begun.
    pub next: Option<NaiveDate>,
    pub columns: Vec<ArchiveColumn>,
    pub rows: Vec<ArchiveRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn an_hourly_archive_spans_one_day_a_daily_one_month_a_monthly_one_year() {
        assert_eq!(ArchiveKind::Hour.start(d(2026, 3, 15)), d(2026, 3, 15));
        assert_eq!(ArchiveKind::Hour.end(d(2026, 3, 31)), d(2026, 4, 1));
        assert_eq!(ArchiveKind::Day.start(d(2026, 3, 15)), d(2026, 3, 1));
        assert_eq!(ArchiveKind::Day.end(d(2026, 12, 15)), d(2027, 1, 1));
        assert_eq!(ArchiveKind::Month.start(d(2026, 3, 15)), d(2026, 1, 1));
        assert_eq!(ArchiveKind::Month.shift(d(2026, 3, 15), -1), d(2025, 1, 1));
        assert_eq!(ArchiveKind::Day.shift(d(2026, 1, 31), -1), d(2025, 12, 1));
    }

    #[test]
    fn a_tariff_column_is_named_with_its_parameter_tariff_and_unit() {
        let c = ArchiveColumn { parameter: "energy_a_plus".into(), unit: "kWh".into(), slot: 2, integral: true };
        assert_eq!(c.name(Lang::Ru), "Активная энергия A+ T2, кВт·ч");
        let t = ArchiveColumn { parameter: "t_supply".into(), unit: "°C".into(), slot: 0, integral: false };
        assert_eq!(t.name(Lang::En), "Supply temperature, °C");
    }

    #[test]
    fn archive_kinds_travel_by_name() {
        for k in ArchiveKind::ALL {
            assert_eq!(ArchiveKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ArchiveKind::parse("week"), None);
    }
}
