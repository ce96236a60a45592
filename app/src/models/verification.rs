//! «Поверка» (F31): when each meter is due for its next verification, by year, month and day,
//! the overdue ones marked, so the service plans its rounds and the company does not bill by
//! a meter whose verification lapsed.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Resource;

/// What part of the calendar the table shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    /// 1–12; `None` is the whole year.
    pub month: Option<u32>,
    /// A day of `month`; `None` is the whole month.
    pub day: Option<u32>,
}

impl Period {
    /// The first day of the period and the first day after it; `None` for a period no
    /// calendar has (13th month, 31 February, a year out of range).
    pub fn bounds(self) -> Option<(NaiveDate, NaiveDate)> {
        if !(1990..=2100).contains(&self.year) {
            return None;
        }
        match (self.month, self.day) {
            (None, None) => Some((
                NaiveDate::from_ymd_opt(self.year, 1, 1)?,
                NaiveDate::from_ymd_opt(self.year + 1, 1, 1)?,
            )),
            (Some(m), None) => {
                let first = NaiveDate::from_ymd_opt(self.year, m, 1)?;
                Some((first, first.checked_add_months(chrono::Months::new(1))?))
            }
            (Some(m), Some(d)) => {
                let day = NaiveDate::from_ymd_opt(self.year, m, d)?;
                Some((day, day.succ_opt()?))
            }
            (None, Some(_)) => None,
        }
    }

    /// The address of the period's page.
    pub fn href(self, object: Option<i64>) -> String {
        let mut url = format!("/service/verification?year={}", self.year);
        if let Some(m) = self.month {
            url.push_str(&format!("&month={m}"));
        }
        if let Some(d) = self.day {
            url.push_str(&format!("&day={d}"));
        }
        if let Some(o) = object {
            url.push_str(&format!("&object={o}"));
        }
        url
    }

    /// The month of today, where the page opens.
    pub fn month_of(today: NaiveDate) -> Period {
        Period { year: today.year(), month: Some(today.month()), day: None }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerificationRow {
    pub meter_id: i64,
    pub object: String,
    /// «кв. 12» or «ОДПУ».
    pub place: String,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    pub verified_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
}

impl VerificationRow {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.due_on < today
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DueCalendar {
    pub period: Period,
    pub object_id: Option<i64>,
    pub objects: Vec<(i64, String)>,
    /// In the company's (Moscow) calendar.
    pub today: NaiveDate,
    /// Meters due in each month of the period's year.
    pub by_month: [u32; 12],
    /// Meters due on each day of the period's month (empty for a year).
    pub by_day: Vec<u32>,
    /// Meters overdue today, whatever the period.
    pub overdue: u32,
    /// `true`: the rows are every overdue meter, not the period's.
    pub overdue_only: bool,
    pub rows: Vec<VerificationRow>,
}

impl DueCalendar {
    /// The period as its page and file name it: «декабрь 2026», «05.12.2026», «2026», or
    /// «Просрочено».
    pub fn period_name(&self, lang: crate::i18n::Lang) -> String {
        let p = self.period;
        match (self.overdue_only, p.month, p.day) {
            (true, _, _) => crate::i18n::Msg::VerOverdue.text(lang).to_string(),
            (false, Some(m), Some(d)) => format!("{d:02}.{m:02}.{}", p.year),
            (false, Some(m), None) => format!("{} {}", crate::i18n::month_name(lang, m - 1), p.year),
            (false, None, _) => p.year.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_period_is_a_year_a_month_or_a_day() {
        let p = |month, day| Period { year: 2026, month, day }.bounds();
        assert_eq!(p(None, None), Some((d(2026, 1, 1), d(2027, 1, 1))));
        assert_eq!(p(Some(12), None), Some((d(2026, 12, 1), d(2027, 1, 1))));
        assert_eq!(p(Some(2), Some(28)), Some((d(2026, 2, 28), d(2026, 3, 1))));
        assert_eq!(p(Some(2), Some(30)), None);
        assert_eq!(p(Some(13), None), None);
        assert_eq!(p(None, Some(3)), None);
        assert_eq!(Period { year: 3000, month: None, day: None }.bounds(), None);
    }

    #[test]
    fn a_period_has_its_own_address() {
        let p = Period { year: 2026, month: Some(3), day: Some(9) };
        assert_eq!(p.href(Some(4)), "/service/verification?year=2026&month=3&day=9&object=4");
        assert_eq!(Period::month_of(d(2026, 12, 5)).href(None), "/service/verification?year=2026&month=12");
    }
}
