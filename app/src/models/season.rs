//! «Сервис → Сезон» (issue 26, point 2; F33, EK 4.5.7): each building's heating season —
//! heating or between seasons, from which day, set by whom — and the rules a change keeps:
//! not before the building's previous change, not in the future, one change a day, and only
//! to the other season. A change is undone on the day it was made, not later.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::errors::Problem;
use crate::i18n::{Lang, Msg};
use crate::models::format;

/// A building's season now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SeasonState {
    Heating,
    Between,
    /// Never set: a new building, or one with no heat meter.
    Unset,
}

impl SeasonState {
    pub fn of(heating: Option<bool>) -> SeasonState {
        match heating {
            Some(true) => SeasonState::Heating,
            Some(false) => SeasonState::Between,
            None => SeasonState::Unset,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            SeasonState::Heating => Msg::SeHeating,
            SeasonState::Between => Msg::SeBetween,
            SeasonState::Unset => Msg::SeUnset,
        }
    }

    /// The value of the page's filter (`heating`, `between`, `unset`).
    pub fn as_str(self) -> &'static str {
        match self {
            SeasonState::Heating => "heating",
            SeasonState::Between => "between",
            SeasonState::Unset => "unset",
        }
    }
}

/// One change of a building's season, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeasonChange {
    pub id: i64,
    pub heating: bool,
    /// The first day, `yyyy-mm-dd` (the building's calendar).
    pub starts_on: String,
    /// Who set it; empty for a mark carried over from before the history was kept.
    pub set_by: String,
    /// When, `dd.mm.yyyy HH:MM` in the building's time.
    pub set_at: String,
}

impl SeasonChange {
    /// `dd.mm.yyyy`.
    pub fn starts(&self) -> String {
        crate::models::iso_date::parse(&self.starts_on).map(format::date).unwrap_or_default()
    }
}

/// A building's line on the page: its season now and every change before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeasonRow {
    pub object_id: i64,
    pub name: String,
    /// Newest first.
    pub changes: Vec<SeasonChange>,
    /// The newest change was made today and may be undone.
    pub undoable: bool,
    /// The building's today, `yyyy-mm-dd`: a new season starts no later.
    pub today: String,
}

impl SeasonRow {
    pub fn state(&self) -> SeasonState {
        SeasonState::of(self.changes.first().map(|c| c.heating))
    }

    /// The first day a next change may start on (the day after the newest change).
    pub fn earliest(&self) -> Option<String> {
        let last = crate::models::iso_date::parse(&self.changes.first()?.starts_on)?;
        last.succ_opt().map(|d| d.format("%Y-%m-%d").to_string())
    }

    /// What the list's search looks in and its file holds: building, season, since, who.
    pub fn cells(&self, lang: Lang) -> [String; 4] {
        let last = self.changes.first();
        [
            self.name.clone(),
            self.state().label().text(lang).to_string(),
            last.map(SeasonChange::starts).unwrap_or_default(),
            last.map(|c| format!("{} {}", c.set_by, c.set_at).trim().to_string()).unwrap_or_default(),
        ]
    }
}

/// The page: every building the caller sees, and whether the caller may change seasons.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SeasonPage {
    pub rows: Vec<SeasonRow>,
    pub editable: bool,
}

/// Whether a building whose newest change is `last` (its season and first day) may go to
/// `heating` from `starts_on`, its today being `today`; the field and the reason if not.
pub fn check_change(last: Option<(bool, NaiveDate)>, heating: bool, starts_on: NaiveDate, today: NaiveDate) -> Result<(), (Msg, Problem)> {
    if starts_on > today {
        return Err((Msg::SeStartsOn, Problem::InFuture));
    }
    if let Some((was, since)) = last {
        if was == heating {
            return Err((Msg::SeObjects, Problem::SameSeason));
        }
        if starts_on < since {
            return Err((Msg::SeStartsOn, Problem::BeforePrevious));
        }
        if starts_on == since {
            return Err((Msg::SeStartsOn, Problem::SameDay));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%d.%m.%Y").unwrap()
    }

    #[test]
    fn a_season_starts_today_or_before_never_tomorrow() {
        let today = d("07.12.2026");
        assert_eq!(check_change(None, true, today, today), Ok(()));
        assert_eq!(check_change(None, true, d("01.10.2026"), today), Ok(()), "set late, dated back");
        assert_eq!(check_change(None, true, d("08.12.2026"), today), Err((Msg::SeStartsOn, Problem::InFuture)));
    }

    #[test]
    fn a_change_comes_after_the_previous_one_and_to_the_other_season() {
        let today = d("07.12.2026");
        let heated = Some((true, d("01.10.2026")));
        assert_eq!(check_change(heated, false, d("02.10.2026"), today), Ok(()));
        assert_eq!(check_change(heated, false, d("30.09.2026"), today), Err((Msg::SeStartsOn, Problem::BeforePrevious)));
        assert_eq!(check_change(heated, false, d("01.10.2026"), today), Err((Msg::SeStartsOn, Problem::SameDay)), "one change a day");
        assert_eq!(check_change(heated, true, d("05.10.2026"), today), Err((Msg::SeObjects, Problem::SameSeason)));
    }

    #[test]
    fn a_row_offers_the_day_after_its_newest_change_as_the_earliest() {
        let change = |id, heating, starts_on: &str| SeasonChange { id, heating, starts_on: starts_on.into(), set_by: "Петрова".into(), set_at: "01.10.2026 09:00".into() };
        let row = SeasonRow {
            object_id: 1,
            name: "ул. Ленина, 1".into(),
            changes: vec![change(2, true, "2026-10-01"), change(1, false, "2026-05-04")],
            undoable: false,
            today: "2026-12-07".into(),
        };
        assert_eq!(row.state(), SeasonState::Heating);
        assert_eq!(row.earliest().as_deref(), Some("2026-10-02"));
        assert_eq!(row.cells(Lang::Ru)[1..], ["Отопительный".to_string(), "01.10.2026".into(), "Петрова 01.10.2026 09:00".into()]);
        let new = SeasonRow { changes: Vec::new(), ..row };
        assert_eq!((new.state(), new.earliest()), (SeasonState::Unset, None));
    }
}
