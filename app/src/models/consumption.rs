//! «Потребление» (F12, F13; EK 4.1.4, 4.1.5): a building's consumption premise by premise
//! for a day or a month — the registry of every resource it meters, and one resource over
//! its premises (absolute, per m² or per resident, share of what the common meters counted).
//! A premise whose meter has no archive for the span shows `–*`, two meters of which one
//! has none `1,77*`: nothing missing is guessed.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::balance::{amount_cell, By, CompareQuery};
use super::cell::Cell;
use super::{Amount, Resource};
use crate::i18n::{month_year, resource_name, unit_name, Lang, Msg};

/// One premise: what its meters of each resource shown counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PremiseRow {
    pub premise_id: i64,
    pub number: String,
    pub entrance: Option<i64>,
    /// м², as the premise's card has it (empty or not a number: unknown).
    pub area: String,
    pub residents: i64,
    /// Per resource shown: the sum of its meters; `None`: it has no meter of that resource.
    pub values: Vec<Option<Amount>>,
}

impl PremiseRow {
    pub fn area_m2(&self) -> Option<Decimal> {
        Decimal::from_str(self.area.trim().replace(',', ".").as_str()).ok().filter(|a| *a > Decimal::ZERO)
    }
}

/// A building's premises for a day or a month, as both consumption pages show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Premises {
    /// As answered: the building, the resource (breakdown), both periods filled in.
    pub query: CompareQuery,
    pub objects: Vec<(i64, String)>,
    /// Every resource the building meters, for the picker.
    pub resources: Vec<Resource>,
    /// The resources of the columns: all of them (registry) or the one asked (breakdown).
    pub shown: Vec<Resource>,
    /// Premises with a meter of a shown resource, as people count them (1, 2, 10, 10а).
    pub rows: Vec<PremiseRow>,
    /// Per resource shown: the premises' meters' sum.
    pub individual: Vec<Amount>,
    /// Per resource shown: the common meters' sum; `None`: the building has none.
    pub common: Vec<Option<Amount>>,
    /// False for a day or month still to come: nothing to show yet, and no `–*` for it.
    pub begun: bool,
}

/// A known figure divided, keeping whether it was whole; `None` with nothing to divide by.
fn divided(a: Amount, by: Option<Decimal>, scale: Decimal, dp: u32) -> Option<Amount> {
    let by = by.filter(|d| !d.is_zero())?;
    // half away from zero, as people round (0,885 → 0,89)
    let per = |v: Decimal| (v * scale / by).round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero).normalize();
    Some(match a {
        Amount::Full(v) => Amount::Full(per(v)),
        Amount::Partial(v) => Amount::Partial(per(v)),
        Amount::NoData => Amount::NoData,
    })
}

/// Writes the columns' figures with as many fraction digits as each column's longest one, so
/// they line up (9,520 under 10,038): exact, only zeros are added.
fn line_up(rows: &mut [Vec<Cell>], columns: impl Iterator<Item = usize>) {
    for col in columns {
        let scale = rows.iter().filter_map(|r| r.get(col)?.figure()).map(|v| v.scale()).max().unwrap_or(0);
        for cell in rows.iter_mut().filter_map(|r| r.get_mut(col)) {
            if let Some(mut v) = cell.figure() {
                v.rescale(scale);
                *cell = match cell {
                    Cell::Number(_) => Cell::Number(v),
                    _ => Cell::Text(format!("{}*", super::format::decimal(v))),
                };
            }
        }
    }
}

impl Premises {
    pub fn object_name(&self) -> String {
        self.objects.iter().find(|(id, _)| Some(*id) == self.query.object).map(|(_, n)| n.clone()).unwrap_or_default()
    }

    /// «за 05.12.2026» or «за ноябрь 2026».
    pub fn period_text(&self, lang: Lang) -> String {
        let parse = |s: &Option<String>, suffix: &str| {
            s.as_deref().and_then(|v| chrono::NaiveDate::parse_from_str(&format!("{v}{suffix}"), "%Y-%m-%d").ok())
        };
        match self.query.by {
            By::Day => parse(&self.query.day, "").map(super::format::date),
            By::Month => parse(&self.query.month, "-01").map(|d| month_year(lang, d)),
        }
        .unwrap_or_default()
    }

    /// The breakdown's resource.
    pub fn resource(&self) -> Option<Resource> {
        self.shown.first().copied()
    }

    /// Heat per m² of the premise, the rest per resident (EK 4.1.4).
    pub fn specific(&self, r: &PremiseRow) -> Option<Amount> {
        let a = r.values.first().copied().flatten()?;
        let by = match self.resource()? {
            Resource::Heat => r.area_m2(),
            _ => (r.residents > 0).then(|| Decimal::from(r.residents)),
        };
        divided(a, by, Decimal::ONE, 4)
    }

    /// The premise's share of what the common meters counted, %: only where they counted
    /// something whole.
    pub fn share(&self, r: &PremiseRow) -> Option<Amount> {
        let a = r.values.first().copied().flatten()?;
        let common = match self.common.first().copied().flatten()? {
            Amount::Full(v) if v > Decimal::ZERO => v,
            _ => return None,
        };
        divided(a, Some(common), Decimal::ONE_HUNDRED, 2)
    }

    /// The words of the specific column: per m² (heat) or per resident.
    pub fn per(&self) -> Msg {
        match self.resource() {
            Some(Resource::Heat) => Msg::CmpPerArea,
            _ => Msg::CmpPerResident,
        }
    }

    fn place_cells(r: &PremiseRow) -> [Cell; 4] {
        [
            Cell::Text(r.number.clone()),
            r.entrance.map(|e| Cell::Number(Decimal::from(e))).unwrap_or(Cell::Empty),
            r.area_m2().map(Cell::Number).unwrap_or(Cell::Empty),
            Cell::Number(Decimal::from(r.residents)),
        ]
    }

    fn place_header(lang: Lang) -> Vec<String> {
        [Msg::ConPremise, Msg::ConEntrance, Msg::Area, Msg::Residents].map(|m| m.text(lang).to_string()).to_vec()
    }

    /// «Реестр потребления»: the premises × resources, and two rows below — the premises'
    /// sum and the common meters'.
    pub fn registry_table(&self, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>, Vec<Vec<Cell>>) {
        let mut header = Self::place_header(lang);
        header.extend(self.shown.iter().map(|r| format!("{}, {}", resource_name(*r).text(lang), unit_name(*r).text(lang))));
        let rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|r| {
                let mut cells = Self::place_cells(r).to_vec();
                cells.extend(r.values.iter().map(|v| v.map(amount_cell).unwrap_or(Cell::Empty)));
                cells
            })
            .collect();
        let label = |m: Msg| [Cell::Text(m.text(lang).to_string()), Cell::Empty, Cell::Empty, Cell::Empty].to_vec();
        let mut individual = label(Msg::ConIndividualTotal);
        individual.extend(self.individual.iter().map(|a| amount_cell(*a)));
        let mut common = label(Msg::ConCommonTotal);
        common.extend(self.common.iter().map(|a| a.map(amount_cell).unwrap_or(Cell::Empty)));
        let mut all: Vec<Vec<Cell>> = rows;
        let n = all.len();
        all.extend([individual, common]);
        line_up(&mut all, std::iter::once(2).chain(4..4 + self.shown.len()));
        let foot = all.split_off(n);
        (header, all, foot)
    }

    /// «Потребление по помещениям»: each premise's figure, specific figure and share of
    /// the common meters.
    pub fn breakdown_table(&self, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>, Vec<Vec<Cell>>) {
        let mut header = Self::place_header(lang);
        header.extend([Msg::BalAmount, self.per(), Msg::ConShare].map(|m| m.text(lang).to_string()));
        let opt = |a: Option<Amount>| a.map(amount_cell).unwrap_or(Cell::Empty);
        let rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|r| {
                let mut cells = Self::place_cells(r).to_vec();
                cells.extend([opt(r.values.first().copied().flatten()), opt(self.specific(r)), opt(self.share(r))]);
                cells
            })
            .collect();
        let row = |m: Msg, a: Option<Amount>| {
            vec![Cell::Text(m.text(lang).to_string()), Cell::Empty, Cell::Empty, Cell::Empty, opt(a), Cell::Empty, Cell::Empty]
        };
        let mut all: Vec<Vec<Cell>> = rows;
        let n = all.len();
        all.extend([
            row(Msg::ConIndividualTotal, self.individual.first().copied()),
            row(Msg::ConCommonTotal, self.common.first().copied().flatten()),
        ]);
        line_up(&mut all, [2, 4, 5, 6].into_iter());
        let foot = all.split_off(n);
        (header, all, foot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn flat(number: &str, area: &str, residents: i64, value: Option<Amount>) -> PremiseRow {
        PremiseRow { premise_id: 1, number: number.into(), entrance: Some(1), area: area.into(), residents, values: vec![value] }
    }

    fn premises(resource: Resource, common: Option<Amount>) -> Premises {
        Premises {
            query: CompareQuery { resource: Some(resource), ..Default::default() },
            objects: vec![],
            resources: vec![resource],
            shown: vec![resource],
            rows: vec![],
            individual: vec![Amount::NoData],
            common: vec![common],
            begun: true,
        }
    }

    #[test]
    fn heat_is_divided_by_the_flats_area_and_water_by_its_residents() {
        let heat = premises(Resource::Heat, None);
        let f = flat("12", "54,3", 3, Some(Amount::Full(d("1.086"))));
        assert_eq!(heat.specific(&f), Some(Amount::Full(d("0.02"))));
        let water = premises(Resource::ColdWater, None);
        assert_eq!(water.specific(&f), Some(Amount::Full(d("0.362"))));
        let nobody = flat("13", "", 0, Some(Amount::Full(d("2"))));
        assert_eq!(water.specific(&nobody), None, "nobody lives there: nothing to divide by");
        assert_eq!(heat.specific(&nobody), None, "no area: nothing to divide by");
    }

    #[test]
    fn a_partial_figure_stays_partial_when_divided_and_nothing_stays_nothing() {
        let water = premises(Resource::ColdWater, Some(Amount::Full(d("200"))));
        let partial = flat("1", "40", 2, Some(Amount::Partial(d("1.77"))));
        assert_eq!(water.specific(&partial), Some(Amount::Partial(d("0.885"))));
        assert_eq!(water.share(&partial), Some(Amount::Partial(d("0.89"))));
        let none = flat("2", "40", 2, Some(Amount::NoData));
        assert_eq!(water.share(&none).map(Amount::display), Some("–*".to_string()));
    }

    #[test]
    fn the_share_needs_a_whole_common_figure() {
        let f = flat("1", "40", 2, Some(Amount::Full(d("5"))));
        assert_eq!(premises(Resource::ColdWater, Some(Amount::Full(d("200")))).share(&f), Some(Amount::Full(d("2.5"))));
        assert_eq!(premises(Resource::ColdWater, Some(Amount::Partial(d("200")))).share(&f), None);
        assert_eq!(premises(Resource::ColdWater, None).share(&f), None, "no common meter: no share");
    }

    #[test]
    fn the_registry_writes_a_missing_archive_as_dash_star_and_a_half_known_sum_with_a_star() {
        let mut p = premises(Resource::ColdWater, Some(Amount::Full(d("10"))));
        p.shown = vec![Resource::ColdWater, Resource::HotWater];
        p.rows = vec![PremiseRow {
            premise_id: 1,
            number: "5".into(),
            entrance: None,
            area: "33".into(),
            residents: 1,
            values: vec![Some(Amount::NoData), Some(Amount::Partial(d("1.77")))],
        }];
        p.individual = vec![Amount::NoData, Amount::Partial(d("1.77"))];
        p.common = vec![Some(Amount::Full(d("10"))), None];
        let (header, rows, foot) = p.registry_table(Lang::Ru);
        assert_eq!(header.len(), 6);
        let shown: Vec<String> = rows[0].iter().map(Cell::shown).collect();
        assert_eq!(shown[4..], ["–*".to_string(), "1,77*".to_string()]);
        assert_eq!(foot[1][4].shown(), "10");
        assert_eq!(foot[1][5], Cell::Empty, "no common hot water meter");
    }

    #[test]
    fn a_partial_figure_sorts_by_its_value_among_whole_ones() {
        assert_eq!(Cell::Text("1\u{a0}234,5*".into()).figure(), Some(d("1234.5")));
        assert_eq!(Cell::Text("–*".into()).figure(), None);
        assert_eq!(Cell::Text("кв. 5".into()).figure(), None, "a word is no figure");
        let partial = Cell::Text("1,77*".into());
        assert_eq!(crate::routes::reports::compare(&partial, &Cell::Number(d("10"))), std::cmp::Ordering::Less);
    }

    #[test]
    fn a_cell_without_its_figure_sorts_last_in_either_direction() {
        use crate::routes::reports::sorted;
        use std::cmp::Ordering::*;
        let missing = Cell::Text("–*".into());
        let five = Cell::Number(d("5"));
        for ascending in [true, false] {
            assert_eq!(sorted(&missing, &five, ascending), Greater, "ascending {ascending}");
            assert_eq!(sorted(&Cell::Empty, &five, ascending), Greater, "ascending {ascending}");
            assert_eq!(sorted(&five, &missing, ascending), Less, "ascending {ascending}");
        }
        assert_eq!(sorted(&five, &Cell::Number(d("7")), false), Greater, "7 before 5 descending");
    }

    #[test]
    fn a_column_s_figures_are_written_with_as_many_fraction_digits_as_its_longest() {
        let mut p = premises(Resource::ColdWater, None);
        p.rows = vec![flat("1", "40", 1, Some(Amount::Full(d("9.52")))), flat("2", "40,25", 1, Some(Amount::Partial(d("10.038"))))];
        p.individual = vec![Amount::Partial(d("19.558"))];
        let (_, rows, foot) = p.registry_table(Lang::Ru);
        assert_eq!([rows[0][4].shown(), rows[1][4].shown(), foot[0][4].shown()], ["9,520", "10,038*", "19,558*"]);
        assert_eq!([rows[0][2].shown(), rows[1][2].shown()], ["40,00", "40,25"]);
        assert_eq!(rows[0][4], Cell::Number(d("9.520")), "only a zero is added");
    }
}
