//! The billing period (расчётный период): hand-read flats hand in readings once a month,
//! between about the 15th and the 25th, and the month's consumption is this reading minus the
//! last one. A figure of a period says what it stands on, as ПП 354 (п. 59–61) counts it:
//! measured, by the average while readings are missing, by the norm after that, and settled
//! («перерасчёт») when a reading comes again. Nothing is shown as measured that was not.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Amount;

/// What a period's figure stands on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Basis {
    /// This period's reading minus the last one.
    #[default]
    Measured,
    /// A reading came after missed periods: what it measured less what was charged meanwhile.
    Recalculated,
    /// No reading: the average of the last periods with readings (п. 59 «б»).
    Average,
    /// No reading for longer than the average may stand in: the norm (п. 60).
    Norm,
}

impl Basis {
    /// The short mark beside a figure; none for a measured one.
    pub fn mark(self, english: bool) -> &'static str {
        match (self, english) {
            (Basis::Measured, _) => "",
            (Basis::Recalculated, false) => "пр",
            (Basis::Average, false) => "ср",
            (Basis::Norm, false) => "н",
            (Basis::Recalculated, true) => "rc",
            (Basis::Average, true) => "av",
            (Basis::Norm, true) => "n",
        }
    }

    /// The words a person reads for it.
    pub fn name(self, english: bool) -> &'static str {
        match (self, english) {
            (Basis::Measured, false) => "по показаниям",
            (Basis::Recalculated, false) => "перерасчёт по показаниям",
            (Basis::Average, false) => "по среднему",
            (Basis::Norm, false) => "по нормативу",
            (Basis::Measured, true) => "by readings",
            (Basis::Recalculated, true) => "recalculated by readings",
            (Basis::Average, true) => "by the average",
            (Basis::Norm, true) => "by the norm",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Measured => "measured",
            Basis::Recalculated => "recalculated",
            Basis::Average => "average",
            Basis::Norm => "norm",
        }
    }

    /// The basis of a sum: the least measured of its parts.
    pub fn worst(self, other: Basis) -> Basis {
        self.max(other)
    }
}

/// One period's consumption and what it stands on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodAmount {
    pub amount: Amount,
    pub basis: Basis,
}

impl PeriodAmount {
    pub const NONE: PeriodAmount = PeriodAmount {
        amount: Amount::NoData,
        basis: Basis::Measured,
    };
}

/// The days of a month in which readings are taken for it, in the building's time zone.
/// A reading after the window's last day counts for the next month's period; one before its
/// first day counts for this month's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingWindow {
    pub first_day: u32,
    pub last_day: u32,
}

impl Default for BillingWindow {
    /// 15th–25th: the 25th is ГИС ЖКХ's deadline for the month's readings.
    fn default() -> Self {
        BillingWindow {
            first_day: 15,
            last_day: 25,
        }
    }
}

impl BillingWindow {
    /// A window people can set: days 1–28 (every month has them), first not after last.
    pub fn new(first_day: u32, last_day: u32) -> Option<BillingWindow> {
        ((1..=28).contains(&first_day) && (1..=28).contains(&last_day) && first_day <= last_day)
            .then_some(BillingWindow { first_day, last_day })
    }

    /// The period (its month's 1st) a reading taken on this local day counts for.
    pub fn period_of(self, day: NaiveDate) -> NaiveDate {
        let first = day.with_day(1).expect("the 1st exists");
        if day.day() > self.last_day {
            first + Months::new(1)
        } else {
            first
        }
    }

    /// Whether a reading taken on this day is inside its period's window.
    pub fn contains(self, day: NaiveDate) -> bool {
        (self.first_day..=self.last_day).contains(&day.day())
    }

    /// The first local day after the window of the period `month`: where that period's
    /// readings end and the next one's begin.
    pub fn end_of(self, month: NaiveDate) -> NaiveDate {
        month.with_day(self.last_day + 1).expect("days up to 29 exist in every month")
    }
}

/// The billing terms as the settings page shows them: the window, and the norms for every
/// city of the company and for each city apart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BillingTerms {
    pub window: BillingWindow,
    pub norms: Vec<NormRow>,
    /// The caller may change them (the company's administrator).
    pub editable: bool,
}

/// The norms of one scope per resource, as a person types them («6,935»; empty where none
/// is set).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NormRow {
    /// 0: every city of the company; else the city.
    pub city_id: i64,
    /// The city's name; empty for every city.
    pub city: String,
    pub values: Vec<(super::Resource, String)>,
}

/// A building's own norms beside those that hold for it from its city or the company.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectNormsView {
    pub object_id: i64,
    /// Per resource: the building's own (may be empty) and the one that holds without it.
    pub values: Vec<(super::Resource, String, String)>,
    pub editable: bool,
}

/// The form name of a norm's field: `city<id>_<resource>` (`city0_cold_water` for every
/// city, `city12_heat`). It starts with a letter: a form key of digits would be read as a
/// list index.
pub fn norm_field(city_id: i64, resource: super::Resource) -> String {
    format!("city{city_id}_{}", resource.as_str())
}

/// Reads a norm's field name back.
pub fn parse_norm_field(name: &str) -> Option<(i64, super::Resource)> {
    let (city, resource) = name.strip_prefix("city")?.split_once('_')?;
    Some((city.parse().ok()?, super::Resource::parse(resource)?))
}

/// A norm as typed: empty for none, else a non-negative number with at most six fraction
/// digits («6,935», «6.935», «1 200»).
pub fn parse_norm(typed: &str) -> Result<Option<rust_decimal::Decimal>, ()> {
    let plain: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(',', ".");
    if plain.is_empty() {
        return Ok(None);
    }
    <rust_decimal::Decimal as std::str::FromStr>::from_str(&plain)
        .ok()
        .filter(|v| !v.is_sign_negative() && v.scale() <= 6)
        .map(Some)
        .ok_or(())
}

/// A period as a number that counts months (for the engine's arithmetic).
pub fn period_index(month: NaiveDate) -> i32 {
    month.year() * 12 + month.month0() as i32
}

/// The 1st of the month a period number names.
pub fn period_month(index: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
        .expect("a month of a representable year")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_reading_typed_on_the_26th_counts_for_the_next_period() {
        let w = BillingWindow::default();
        assert_eq!(w.period_of(date(2026, 11, 20)), date(2026, 11, 1));
        assert_eq!(w.period_of(date(2026, 11, 25)), date(2026, 11, 1));
        assert_eq!(w.period_of(date(2026, 11, 26)), date(2026, 12, 1));
        assert_eq!(w.period_of(date(2026, 12, 31)), date(2027, 1, 1));
        // before the window: still this month's period, but outside the window
        assert_eq!(w.period_of(date(2026, 11, 3)), date(2026, 11, 1));
        assert!(!w.contains(date(2026, 11, 3)));
        assert!(w.contains(date(2026, 11, 15)));
        assert_eq!(w.end_of(date(2026, 11, 1)), date(2026, 11, 26));
    }

    #[test]
    fn a_window_must_fit_every_month_and_run_forward() {
        assert!(BillingWindow::new(15, 25).is_some());
        assert!(BillingWindow::new(1, 28).is_some());
        assert!(BillingWindow::new(20, 10).is_none());
        assert!(BillingWindow::new(0, 10).is_none());
        assert!(BillingWindow::new(15, 31).is_none());
    }

    #[test]
    fn norms_are_read_as_people_type_them() {
        use rust_decimal::Decimal;
        use std::str::FromStr;
        assert_eq!(parse_norm(" 6,935 "), Ok(Some(Decimal::from_str("6.935").unwrap())));
        assert_eq!(parse_norm("1 200"), Ok(Some(Decimal::from(1200))));
        assert_eq!(parse_norm(""), Ok(None));
        assert_eq!(parse_norm("много"), Err(()));
        assert_eq!(parse_norm("-1"), Err(()));
        assert_eq!(parse_norm("0,0000001"), Err(()));
        let f = norm_field(12, super::super::Resource::ColdWater);
        assert_eq!(f, "city12_cold_water");
        assert_eq!(parse_norm_field(&f), Some((12, super::super::Resource::ColdWater)));
        assert_eq!(parse_norm_field("cityx_heat"), None);
        assert_eq!(parse_norm_field("city0_steam"), None);
        assert_eq!(parse_norm_field("0_heat"), None);
    }

    #[test]
    fn period_numbers_count_months_across_years() {
        let nov = period_index(date(2026, 11, 1));
        assert_eq!(period_index(date(2027, 1, 1)) - nov, 2);
        assert_eq!(period_month(nov + 2), date(2027, 1, 1));
        assert_eq!(period_month(nov), date(2026, 11, 1));
    }
}
