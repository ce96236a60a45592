//! The dispatcher's home: consumption of every resource over a month, a year or one date,
//! per tariff and in total, with a row per day (or per month) for the chart and the table.
//! Only whole days count (today is not over yet) and common meters (ОДПУ) are shown apart,
//! as the Kvant-Energo home does and says. The billing period (issue 27) is the other view:
//! what hand-read flats are charged for a month, a row per building, each figure with what
//! it stands on.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Resource;

/// Value slots: the total and T1–T4.
pub const SLOTS: usize = 5;

/// The period a dashboard covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    #[default]
    Month,
    Year,
    Date,
    /// The billing period of the month: readings of its window, the average or the norm
    /// where they are missing.
    Period,
}

impl Span {
    pub const ALL: [Span; 4] = [Span::Month, Span::Period, Span::Year, Span::Date];

    pub fn as_str(self) -> &'static str {
        match self {
            Span::Month => "month",
            Span::Year => "year",
            Span::Date => "date",
            Span::Period => "period",
        }
    }

    pub fn parse(s: &str) -> Option<Span> {
        Span::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The period holding `day`: its first and last date.
    pub fn bounds(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Span::Date => (day, day),
            Span::Month | Span::Period => {
                let first = day.with_day(1).expect("the 1st exists");
                (first, first + Months::new(1) - chrono::Duration::days(1))
            }
            Span::Year => {
                let first = NaiveDate::from_ymd_opt(day.year(), 1, 1).expect("1 January exists");
                (first, first + Months::new(12) - chrono::Duration::days(1))
            }
        }
    }

    /// The same kind of period before or after the one holding `day` (`step` −1 or +1).
    pub fn shift(self, day: NaiveDate, step: i32) -> NaiveDate {
        let (first, _) = self.bounds(day);
        let months = |n: u32| Months::new(n);
        match (self, step >= 0) {
            (Span::Date, _) => day + chrono::Duration::days(step as i64),
            (Span::Month | Span::Period, true) => first + months(step as u32),
            (Span::Month | Span::Period, false) => first - months(step.unsigned_abs()),
            (Span::Year, true) => first + months(12 * step as u32),
            (Span::Year, false) => first - months(12 * step.unsigned_abs()),
        }
    }

    /// The days of the period that count: whole days only, so nothing from `today` on.
    /// `None` when the period has not had a whole day yet.
    pub fn counted(self, day: NaiveDate, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let (first, last) = self.bounds(day);
        let yesterday = today - chrono::Duration::days(1);
        let last = last.min(yesterday);
        (first <= last).then_some((first, last))
    }
}

/// One resource's consumption over the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceTotal {
    pub resource: Resource,
    /// Total and T1–T4, `None` where no meter gave that slot.
    pub values: [Option<Decimal>; SLOTS],
    /// Meters of this resource and how many of them had data on the last counted day.
    pub meters: i64,
    pub meters_heard: i64,
    /// Some meter had a gap or a partial day in the period.
    pub gaps: bool,
    /// The billing period's view: what the meters' figures stand on.
    pub bases: Option<BasisCounts>,
}

/// How many meters' period figures stand on each basis, and how many have none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasisCounts {
    pub measured: i64,
    pub recalculated: i64,
    pub average: i64,
    pub norm: i64,
    pub none: i64,
}

impl BasisCounts {
    /// Counts one meter's figure: its basis, or none when it has no figure.
    pub fn count(&mut self, basis: Option<super::period::Basis>) {
        use super::period::Basis;
        *match basis {
            Some(Basis::Measured) => &mut self.measured,
            Some(Basis::Recalculated) => &mut self.recalculated,
            Some(Basis::Average) => &mut self.average,
            Some(Basis::Norm) => &mut self.norm,
            None => &mut self.none,
        } += 1;
    }

    /// Every meter counted, whatever its figure stands on.
    pub fn total(&self) -> i64 {
        self.read() + self.average + self.norm + self.none
    }

    /// The meters whose figure stands on readings (as read, or recalculated from them).
    pub fn read(&self) -> i64 {
        self.measured + self.recalculated
    }

    pub fn add(&mut self, o: &BasisCounts) {
        self.measured += o.measured;
        self.recalculated += o.recalculated;
        self.average += o.average;
        self.norm += o.norm;
        self.none += o.none;
    }

    /// Each basis with its count, those with none left out: «по показаниям 120 · по среднему 3».
    pub fn parts(&self) -> Vec<(Option<super::period::Basis>, i64)> {
        use super::period::Basis;
        [
            (Some(Basis::Measured), self.measured),
            (Some(Basis::Recalculated), self.recalculated),
            (Some(Basis::Average), self.average),
            (Some(Basis::Norm), self.norm),
            (None, self.none),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
    }
}

impl ResourceTotal {
    /// The tariff slots (1–4) with any value.
    pub fn tariffs(&self) -> Vec<usize> {
        (1..SLOTS).filter(|&s| self.values[s].is_some()).collect()
    }
}

/// A day (month and date spans) or a month (year span) of the table and chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashRow {
    /// The first day of the row.
    pub date: NaiveDate,
    /// The billing period's view: the building the row is of.
    pub name: Option<String>,
    /// Per resource in [`Dashboard::resources`] order.
    pub values: Vec<[Option<Decimal>; SLOTS]>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The building (id, name) the figures are of; None: every building of the company.
    pub object: Option<(i64, String)>,
    pub span: Span,
    /// The date that picks the period (the 1st of the month, 1 January, or the date).
    pub date: NaiveDate,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The whole days counted, if any.
    pub counted: Option<(NaiveDate, NaiveDate)>,
    pub prev: NaiveDate,
    /// `None` when the next period has not begun.
    pub next: Option<NaiveDate>,
    /// Individual meters (ИПУ), the figures of the widgets.
    pub resources: Vec<ResourceTotal>,
    /// Common meters (ОДПУ), shown apart and never added in.
    pub common: Vec<ResourceTotal>,
    pub rows: Vec<DashRow>,
    /// Meters whose new readings are not counted yet (the rollup is still at work).
    pub pending: i64,
    /// The billing period's view: the days of the month its readings are taken on.
    pub window: Option<(NaiveDate, NaiveDate)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_month_runs_from_the_first_to_its_last_day() {
        assert_eq!(Span::Month.bounds(d(2024, 2, 17)), (d(2024, 2, 1), d(2024, 2, 29)));
        assert_eq!(Span::Year.bounds(d(2026, 7, 3)), (d(2026, 1, 1), d(2026, 12, 31)));
    }

    #[test]
    fn previous_and_next_periods_cross_year_ends() {
        assert_eq!(Span::Month.shift(d(2026, 1, 20), -1), d(2025, 12, 1));
        assert_eq!(Span::Month.shift(d(2026, 12, 5), 1), d(2027, 1, 1));
        assert_eq!(Span::Year.shift(d(2026, 5, 5), -1), d(2025, 1, 1));
        assert_eq!(Span::Date.shift(d(2026, 3, 1), -1), d(2026, 2, 28));
    }

    #[test]
    fn only_whole_days_count() {
        let today = d(2026, 11, 22);
        assert_eq!(
            Span::Month.counted(d(2026, 11, 1), today),
            Some((d(2026, 11, 1), d(2026, 11, 21)))
        );
        assert_eq!(Span::Date.counted(today, today), None);
        assert_eq!(Span::Month.counted(d(2026, 12, 1), today), None);
        assert_eq!(
            Span::Month.counted(d(2026, 10, 9), today),
            Some((d(2026, 10, 1), d(2026, 10, 31)))
        );
    }
}
