//! «Помещения дома» (issue 22, point 4; F41, EK 4.5.2): a building's flats and
//! non-residential premises, added the way a housing company counts them — a range of flats
//! laid out over entrances and floors («кв. 1–120, подъезды по 40»), or one premise by its
//! name («Аптека») — edited, and removed while nothing depends on them.

use serde::{Deserialize, Serialize};

use super::building::typed_whole as whole;
use super::cell::Cell;
use crate::errors::{AppError, Problem};
use crate::i18n::{Lang, Msg};

/// The most flats one range adds: a building of 50 entrances of 40 flats.
pub const RANGE_MAX: i64 = 2_000;

/// The longest premise number or name kept.
const NUMBER_MAX: usize = 50;

/// A range of flats as typed: numbers from and to, flats per entrance and floors (empty: one
/// entrance, floors unknown), the first entrance's number.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RangeForm {
    pub from: String,
    pub to: String,
    pub per_entrance: String,
    pub floors: String,
    pub first_entrance: String,
}

/// One premise as typed (a single one, or an edit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PremiseForm {
    pub number: String,
    /// `flat` or `non_residential`.
    pub kind: String,
    pub entrance: String,
    pub floor: String,
    /// m², as people write it («54,3»).
    pub area: String,
    pub residents: String,
}

/// A premise to add or to keep.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlannedPremise {
    pub number: String,
    pub kind: String,
    pub entrance: Option<i64>,
    pub floor: Option<i64>,
    /// Exact, as text.
    pub area: String,
    pub residents: i64,
}

impl RangeForm {
    /// The flats of the range with their entrance and floor: flats fill an entrance floor by
    /// floor (per floor: the entrance's flats over its floors, rounded up), then the next
    /// entrance.
    pub fn plan(&self) -> Result<Vec<PlannedPremise>, AppError> {
        let from = whole(&self.from, Msg::PrFrom, 1..=99_999)?.ok_or(AppError::invalid(Msg::PrFrom, Problem::Required))?;
        let to = whole(&self.to, Msg::PrTo, 1..=99_999)?.ok_or(AppError::invalid(Msg::PrTo, Problem::Required))?;
        if to < from {
            return Err(AppError::invalid(Msg::PrTo, Problem::OutOfBounds));
        }
        if to - from + 1 > RANGE_MAX {
            return Err(AppError::invalid(Msg::PrTo, Problem::TooLong));
        }
        let per_entrance = whole(&self.per_entrance, Msg::PrPerEntrance, 1..=1_000)?;
        let floors = whole(&self.floors, Msg::Floors, 1..=200)?;
        let first = whole(&self.first_entrance, Msg::PrFirstEntrance, 1..=100)?.unwrap_or(1);
        Ok((from..=to)
            .map(|n| {
                let i = n - from;
                let (entrance, within) = match per_entrance {
                    Some(p) => (first + i / p, i % p),
                    None => (first, i),
                };
                let floor = match (per_entrance, floors) {
                    (Some(p), Some(f)) => Some(within / ((p + f - 1) / f) + 1),
                    _ => None,
                };
                PlannedPremise { number: n.to_string(), kind: "flat".into(), entrance: Some(entrance), floor, area: "0".into(), residents: 0 }
            })
            .collect())
    }
}

impl PremiseForm {
    /// The premise the form asks for, or the first field that is wrong.
    pub fn check(&self) -> Result<PlannedPremise, AppError> {
        let number = self.number.trim();
        if number.is_empty() {
            return Err(AppError::invalid(Msg::PrNumber, Problem::Required));
        }
        if number.chars().count() > NUMBER_MAX {
            return Err(AppError::invalid(Msg::PrNumber, Problem::TooLong));
        }
        let kind = match self.kind.trim() {
            "" | "flat" => "flat",
            "non_residential" => "non_residential",
            _ => return Err(AppError::invalid(Msg::PrKind, Problem::BadFormat)),
        };
        let area = match self.area.trim() {
            "" => "0".to_string(),
            a => {
                let d = crate::models::building::typed_decimal(a).ok_or(AppError::invalid(Msg::PrArea, Problem::BadFormat))?;
                if d.is_sign_negative() || d > rust_decimal::Decimal::from(100_000) {
                    return Err(AppError::invalid(Msg::PrArea, Problem::OutOfBounds));
                }
                d.normalize().to_string()
            }
        };
        Ok(PlannedPremise {
            number: number.to_string(),
            kind: kind.to_string(),
            entrance: whole(&self.entrance, Msg::PrEntrance, 1..=100)?,
            floor: whole(&self.floor, Msg::PrFloor, -5..=200)?,
            area,
            residents: whole(&self.residents, Msg::ResidentsCount, 0..=100)?.unwrap_or(0),
        })
    }

    pub fn of(p: &PlannedPremise) -> PremiseForm {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        PremiseForm {
            number: p.number.clone(),
            kind: p.kind.clone(),
            entrance: n(p.entrance),
            floor: n(p.floor),
            area: p.area.replace('.', ","),
            residents: p.residents.to_string(),
        }
    }
}

/// One premise as the list shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PremiseRow {
    pub id: i64,
    pub premise: PlannedPremise,
    /// Personal account numbers, leading zeros kept.
    pub accounts: Vec<String>,
    /// Meters in service in it.
    pub meters: i64,
}

/// «Помещения дома».
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PremisesPage {
    pub object_id: i64,
    pub object: String,
    /// The building's floors (the range form's default), if known.
    pub floors: Option<i64>,
    pub rows: Vec<PremiseRow>,
    pub editable: bool,
}

/// What a range added: new flats, and numbers that were there already (left as they were).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RangeAdded {
    pub added: usize,
    pub existing: usize,
}

pub const COLUMNS: [Msg; 8] = [Msg::PrNumber, Msg::PrKind, Msg::PrEntrance, Msg::PrFloor, Msg::PrArea, Msg::ResidentsCount, Msg::PrAccounts, Msg::CmMeters];

pub fn kind_name(kind: &str) -> Msg {
    if kind == "non_residential" { Msg::PrNonResidential } else { Msg::PrFlat }
}

impl PremisesPage {
    pub fn table(&self, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>) {
        let header = COLUMNS.iter().map(|m| m.text(lang).to_string()).collect();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let p = &r.premise;
                let opt = |v: Option<i64>| v.map(|v| Cell::Number(v.into())).unwrap_or(Cell::Empty);
                vec![
                    Cell::Text(p.number.clone()),
                    Cell::Text(kind_name(&p.kind).text(lang).to_string()),
                    opt(p.entrance),
                    opt(p.floor),
                    Cell::Number(p.area.parse().unwrap_or_default()),
                    Cell::Number(p.residents.into()),
                    Cell::Text(r.accounts.join(", ")),
                    Cell::Number(r.meters.into()),
                ]
            })
            .collect();
        (header, rows)
    }

    /// «Помещений: 120 (квартир 119, нежилых 1), площадь 6 512,4 м²».
    pub fn summary(&self, lang: Lang) -> String {
        use crate::models::format::{decimal, integer};
        let flats = self.rows.iter().filter(|r| r.premise.kind != "non_residential").count();
        let area: rust_decimal::Decimal = self.rows.iter().map(|r| r.premise.area.parse::<rust_decimal::Decimal>().unwrap_or_default()).sum();
        format!(
            "{}: {} ({} {}, {} {}), {} {} {}",
            Msg::PrCount.text(lang),
            integer(self.rows.len() as i64),
            Msg::PrFlats.text(lang),
            integer(flats as i64),
            Msg::PrNonResidentialCount.text(lang),
            integer((self.rows.len() - flats) as i64),
            Msg::PrTotalArea.text(lang),
            decimal(area),
            Msg::M2.text(lang),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(from: &str, to: &str, per: &str, floors: &str) -> RangeForm {
        RangeForm { from: from.into(), to: to.into(), per_entrance: per.into(), floors: floors.into(), first_entrance: String::new() }
    }

    #[test]
    fn a_range_of_flats_fills_each_entrance_floor_by_floor() {
        // 120 flats, 40 to an entrance, 10 floors: 4 a floor
        let p = range("1", "120", "40", "10").plan().unwrap();
        assert_eq!(p.len(), 120);
        let at = |n: usize| (p[n - 1].number.as_str(), p[n - 1].entrance, p[n - 1].floor);
        assert_eq!(at(1), ("1", Some(1), Some(1)));
        assert_eq!(at(4), ("4", Some(1), Some(1)));
        assert_eq!(at(5), ("5", Some(1), Some(2)));
        assert_eq!(at(40), ("40", Some(1), Some(10)));
        assert_eq!(at(41), ("41", Some(2), Some(1)));
        assert_eq!(at(120), ("120", Some(3), Some(10)));
        // 9 floors for 40 flats: 5 a floor, the last floors short
        let q = range("1", "40", "40", "9").plan().unwrap();
        assert_eq!(q[39].floor, Some(8));
        // no layout: one entrance, floors unknown
        let r = range("101", "103", "", "").plan().unwrap();
        assert_eq!(r.iter().map(|p| (p.number.as_str(), p.entrance, p.floor)).collect::<Vec<_>>(), vec![("101", Some(1), None), ("102", Some(1), None), ("103", Some(1), None)]);
        let s = RangeForm { first_entrance: "3".into(), ..range("1", "80", "40", "") }.plan().unwrap();
        assert_eq!((s[0].entrance, s[79].entrance, s[79].floor), (Some(3), Some(4), None));
    }

    #[test]
    fn a_bad_range_is_refused_by_its_field() {
        let wrong = |f: RangeForm| match f.plan() {
            Err(AppError::Invalid { field, problem }) => (field, problem),
            other => panic!("{other:?}"),
        };
        assert_eq!(wrong(range("", "10", "", "")), (Msg::PrFrom, Problem::Required));
        assert_eq!(wrong(range("10", "1", "", "")), (Msg::PrTo, Problem::OutOfBounds));
        assert_eq!(wrong(range("1", "2001", "", "")), (Msg::PrTo, Problem::TooLong));
        assert_eq!(wrong(range("1", "десять", "", "")), (Msg::PrTo, Problem::BadFormat));
        assert_eq!(wrong(range("1", "10", "0", "")), (Msg::PrPerEntrance, Problem::OutOfBounds));
        assert_eq!(wrong(range("0", "10", "", "")), (Msg::PrFrom, Problem::OutOfBounds));
    }

    #[test]
    fn one_premise_keeps_its_name_and_its_area_exact() {
        let f = PremiseForm { number: " Аптека ".into(), kind: "non_residential".into(), area: "54,30".into(), floor: "1".into(), ..Default::default() };
        let p = f.check().unwrap();
        assert_eq!((p.number.as_str(), p.kind.as_str(), p.area.as_str(), p.floor), ("Аптека", "non_residential", "54.3", Some(1)));
        assert_eq!(PremiseForm::of(&p).area, "54,3");
        let wrong = |f: PremiseForm| match f.check() {
            Err(AppError::Invalid { field, problem }) => (field, problem),
            other => panic!("{other:?}"),
        };
        assert_eq!(wrong(PremiseForm { number: "".into(), ..f.clone() }), (Msg::PrNumber, Problem::Required));
        assert_eq!(wrong(PremiseForm { area: "-3".into(), ..f.clone() }), (Msg::PrArea, Problem::OutOfBounds));
        assert_eq!(wrong(PremiseForm { area: "много".into(), ..f.clone() }), (Msg::PrArea, Problem::BadFormat));
        assert_eq!(wrong(PremiseForm { kind: "garage".into(), ..f.clone() }), (Msg::PrKind, Problem::BadFormat));
        assert_eq!(wrong(PremiseForm { residents: "101".into(), ..f }), (Msg::ResidentsCount, Problem::OutOfBounds));
    }
}
