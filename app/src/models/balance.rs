//! Balance (issue 24): what a building's common meters (ОДПУ) counted against its flats'
//! meters (ИПУ), by balance group, day and month, against the allowed imbalance.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::cell::Cell;
use super::{Amount, Resource};
use crate::errors::{AppError, Problem};
use crate::i18n::{month_year, Lang, Msg};

/// How a meter takes part in a balance group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Part {
    /// What the group's input counted (a building's ОДПУ); several roots are summed.
    Root,
    /// A child added to the sum the root is compared with.
    Plus,
    /// A child taken off that sum (a shop fed through a flat's meter, a transit).
    Minus,
    /// Listed, left out of the sums.
    Excluded,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Root, Part::Plus, Part::Minus, Part::Excluded];

    /// The name in forms and links.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Root => "root",
            Part::Plus => "plus",
            Part::Minus => "minus",
            Part::Excluded => "excluded",
        }
    }

    pub fn parse(s: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// As stored: the role and the sign.
    pub fn role_sign(self) -> (&'static str, i64) {
        match self {
            Part::Root => ("root", 1),
            Part::Plus => ("child", 1),
            Part::Minus => ("child", -1),
            Part::Excluded => ("child", 0),
        }
    }

    pub fn of_role_sign(role: &str, sign: i64) -> Option<Part> {
        match (role, sign) {
            ("root", _) => Some(Part::Root),
            ("child", 1) => Some(Part::Plus),
            ("child", -1) => Some(Part::Minus),
            ("child", 0) => Some(Part::Excluded),
            _ => None,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Part::Root => Msg::BalRoot,
            Part::Plus => Msg::BalPlus,
            Part::Minus => Msg::BalMinus,
            Part::Excluded => Msg::BalExcluded,
        }
    }
}

/// Rows by day of a month, or by month of a year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum By {
    Day,
    #[default]
    Month,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::Day => "day",
            By::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<By> {
        match s {
            "day" => Some(By::Day),
            "month" => Some(By::Month),
            _ => None,
        }
    }
}

/// What the balance page shows, as its address holds it: building, resource, group (none:
/// the building's own group of the resource), rows by day or by month, and the month
/// (`yyyy-mm`) the days are of or the year (`yyyy`) the months are of; none: the current.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BalanceQuery {
    pub object: Option<i64>,
    pub resource: Option<Resource>,
    pub group: Option<i64>,
    pub by: By,
    pub month: Option<String>,
    pub year: Option<String>,
}

impl BalanceQuery {
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> BalanceQuery {
        let mut q = BalanceQuery::default();
        for (k, v) in pairs {
            match k {
                "object" => q.object = v.parse().ok(),
                "resource" => q.resource = Resource::parse(v),
                "group" => q.group = v.parse().ok(),
                "by" => q.by = By::parse(v).unwrap_or_default(),
                "month" if !v.is_empty() => q.month = Some(v.to_string()),
                "year" if !v.is_empty() => q.year = Some(v.to_string()),
                _ => {}
            }
        }
        q
    }

    /// The page's address (and, after `/export/balance.xlsx`, the file's) for this query.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(r) = self.resource {
            parts.push(format!("resource={}", r.as_str()));
        }
        if let Some(g) = self.group {
            parts.push(format!("group={g}"));
        }
        parts.push(format!("by={}", self.by.as_str()));
        if let Some(m) = &self.month {
            parts.push(format!("month={m}"));
        }
        if let Some(y) = &self.year {
            parts.push(format!("year={y}"));
        }
        parts.join("&")
    }

    /// The first day of the asked period: the month's by days, the year's by months; `None`
    /// when nothing is asked, 422 when what is asked is not a month or a year.
    pub fn first_day(&self) -> Result<Option<NaiveDate>, AppError> {
        let parsed = match self.by {
            By::Day => match self.month.as_deref() {
                None => return Ok(None),
                Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok(),
            },
            By::Month => match self.year.as_deref() {
                None => return Ok(None),
                Some(y) => y.trim().parse::<i32>().ok().and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
            },
        };
        parsed
            .filter(|d| (1990..=2100).contains(&d.year()))
            .map(Some)
            .ok_or(AppError::invalid(Msg::BalPeriod, Problem::BadFormat))
    }

    /// The period in words: «март 2026» by days, «2026» by months.
    pub fn period_text(&self, lang: Lang) -> String {
        match (self.by, self.first_day()) {
            (By::Day, Ok(Some(d))) => month_year(lang, d),
            (By::Month, Ok(Some(d))) => d.year().to_string(),
            _ => String::new(),
        }
    }
}

/// Whether a day's (or month's) imbalance is within the allowed one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Within,
    Over,
    /// A root or a child has no data, or only part of it: the imbalance is not judged.
    Incomplete,
    /// No norm is set for the resource.
    NoNorm,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Within => "within",
            Verdict::Over => "over",
            Verdict::Incomplete => "incomplete",
            Verdict::NoNorm => "no-norm",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Verdict::Within => Msg::BalWithin,
            Verdict::Over => Msg::BalOver,
            Verdict::Incomplete => Msg::BalIncomplete,
            Verdict::NoNorm => Msg::BalNoNorm,
        }
    }
}

/// One day or month of a group's balance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceRow {
    /// Its first day; `None` for the period's total.
    pub day: Option<NaiveDate>,
    /// The sum of the roots.
    pub root: Amount,
    /// The signed sum of the children.
    pub children: Amount,
    /// Root − children: partial when either is.
    pub imbalance: Amount,
    /// Imbalance as % of the root, only when both are whole.
    pub share: Option<Decimal>,
    /// Members without data that day (excluded ones not counted).
    pub missing: usize,
    /// Members with only part of the day measured.
    pub partial: usize,
    pub verdict: Verdict,
}

/// A meter of the group with what it counted over the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub meter_id: i64,
    pub serial: String,
    /// «кв. 12», or empty for a common meter.
    pub place: String,
    pub common: bool,
    pub part: Part,
    pub amount: Amount,
}

/// A group to choose: `None` is the building's own group of the resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupChoice {
    pub id: Option<i64>,
    pub name: String,
    pub resource: Resource,
}

/// The balance page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Balance {
    /// The query as answered: building, resource and period filled in.
    pub query: BalanceQuery,
    pub objects: Vec<(i64, String)>,
    /// The building's resources that have meters.
    pub resources: Vec<Resource>,
    /// The groups of the chosen resource.
    pub groups: Vec<GroupChoice>,
    pub group_name: String,
    /// The allowed imbalance, % of the root, that holds for the building.
    pub norm: Option<Decimal>,
    pub rows: Vec<BalanceRow>,
    pub total: BalanceRow,
    pub members: Vec<MemberRow>,
    /// Electricity: the three lines of the input as the group's single-phase meters load
    /// them over the period; empty when none of them names its line.
    pub phases: Vec<PhaseRow>,
    /// The caller may change the groups.
    pub editable: bool,
}

/// The line a meter's `phase` names: `L1`…`L3` (also `A`…`C`); `1`, `3` or empty: none.
pub fn line_of(phase: &str) -> Option<u8> {
    match phase.trim().to_ascii_uppercase().as_str() {
        "L1" | "A" => Some(1),
        "L2" | "B" => Some(2),
        "L3" | "C" => Some(3),
        _ => None,
    }
}

/// One line (L1–L3) of a building's input: its single-phase meters, what they counted, its
/// share of the three lines and its departure from their mean, %.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseRow {
    pub line: u8,
    pub meters: usize,
    pub amount: Amount,
    /// Partial where a meter of any line is missing data: of what is known.
    pub share: Option<Amount>,
    pub deviation: Option<Amount>,
}

/// The largest departure of a line from the mean, %: the asymmetry a dispatcher judges
/// (partial where a line is; none where nothing is known of a line).
pub fn asymmetry(rows: &[PhaseRow]) -> Option<Amount> {
    let deviations: Vec<Amount> = rows.iter().map(|r| r.deviation).collect::<Option<_>>()?;
    let largest = deviations.iter().filter_map(|a| a.known()).map(|d| d.abs()).max()?;
    Some(if deviations.iter().all(|a| a.is_full()) { Amount::Full(largest) } else { Amount::Partial(largest) })
}

/// One meter in the group editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupMeter {
    pub meter_id: i64,
    pub serial: String,
    pub place: String,
    pub common: bool,
    /// How it takes part now; `None`: not in the group (only in a group of its own).
    pub part: Option<Part>,
}

/// The group editor of a building: its groups and the chosen one's meters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupsView {
    pub object_id: i64,
    pub object_name: String,
    pub objects: Vec<(i64, String)>,
    pub resource: Resource,
    pub resources: Vec<Resource>,
    pub groups: Vec<GroupChoice>,
    /// The chosen group (`None`: the building's own).
    pub group: Option<i64>,
    pub group_name: String,
    pub meters: Vec<GroupMeter>,
    /// The building's own allowed imbalance for the resource as typed, and the one that
    /// holds without it (the city's or the company's).
    pub own_norm: String,
    pub inherited_norm: String,
    pub editable: bool,
}

/// The longest name of a group.
pub const GROUP_NAME_MAX: usize = 100;

impl Balance {
    /// The name of the group shown: its own, or the words for the building's own group.
    pub fn group_title(&self, lang: Lang) -> String {
        match self.query.group {
            Some(_) => self.group_name.clone(),
            None => Msg::BalOwnGroup.text(lang).to_string(),
        }
    }

    /// How many days (or months) are over the allowed imbalance.
    pub fn over(&self) -> usize {
        self.rows.iter().filter(|r| r.verdict == Verdict::Over).count()
    }

    /// The table as the page, its CSV and its files hold it: a row per day or month, then
    /// the period's total.
    pub fn table(&self, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>) {
        let first = match self.query.by {
            By::Day => Msg::BalDay,
            By::Month => Msg::BalMonth,
        };
        let header = [first, Msg::BalRootSum, Msg::BalChildrenSum, Msg::BalImbalance, Msg::BalShare, Msg::BalVerdict, Msg::BalMissing]
            .map(|m| m.text(lang).to_string())
            .to_vec();
        let mut rows: Vec<Vec<Cell>> = self
            .rows
            .iter()
            .map(|r| {
                let label = match (self.query.by, r.day) {
                    (By::Day, Some(d)) => Cell::Date(d),
                    (By::Month, Some(d)) => Cell::Text(month_year(lang, d)),
                    (_, None) => Cell::Empty,
                };
                row_cells(label, r, lang)
            })
            .collect();
        rows.push(row_cells(Cell::Text(Msg::BalTotal.text(lang).to_string()), &self.total, lang));
        (header, rows)
    }
}

/// A figure as a cell: a whole one as a number, a partial one as «1,77*», none as «–*».
pub fn amount_cell(a: Amount) -> Cell {
    match a {
        Amount::Full(v) => Cell::Number(v),
        other => Cell::Text(other.display()),
    }
}

fn row_cells(label: Cell, r: &BalanceRow, lang: Lang) -> Vec<Cell> {
    let missing = match r.missing + r.partial {
        0 => Cell::Empty,
        n => Cell::Number(Decimal::from(n as i64)),
    };
    vec![
        label,
        amount_cell(r.root),
        amount_cell(r.children),
        amount_cell(r.imbalance),
        r.share.into(),
        Cell::Text(r.verdict.label().text(lang).to_string()),
        missing,
    ]
}

/// What «Сравнение объектов» shows: a resource on one day or in one month (`yyyy-mm-dd`,
/// `yyyy-mm`; none: yesterday, or the last whole month).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompareQuery {
    /// The building, where the page is about one (the consumption pages); none: all, or
    /// the one chosen in the top bar.
    pub object: Option<i64>,
    pub resource: Option<Resource>,
    pub by: By,
    pub day: Option<String>,
    pub month: Option<String>,
}

impl CompareQuery {
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> CompareQuery {
        let mut q = CompareQuery::default();
        for (k, v) in pairs {
            match k {
                "object" => q.object = v.parse().ok(),
                "resource" => q.resource = Resource::parse(v),
                "by" => q.by = By::parse(v).unwrap_or_default(),
                "day" if !v.is_empty() => q.day = Some(v.to_string()),
                "month" if !v.is_empty() => q.month = Some(v.to_string()),
                _ => {}
            }
        }
        q
    }

    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(r) = self.resource {
            parts.push(format!("resource={}", r.as_str()));
        }
        parts.push(format!("by={}", self.by.as_str()));
        if let Some(d) = &self.day {
            parts.push(format!("day={d}"));
        }
        if let Some(m) = &self.month {
            parts.push(format!("month={m}"));
        }
        parts.join("&")
    }

    /// The asked day (by days) or month's 1st (by months); 422 when it is not a date.
    pub fn asked(&self) -> Result<Option<NaiveDate>, AppError> {
        let parsed = match self.by {
            By::Day => match self.day.as_deref() {
                None => return Ok(None),
                Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
            },
            By::Month => match self.month.as_deref() {
                None => return Ok(None),
                Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok(),
            },
        };
        parsed
            .filter(|d| (1990..=2100).contains(&d.year()))
            .map(Some)
            .ok_or(AppError::invalid(Msg::BalPeriod, Problem::BadFormat))
    }

    /// The day shown (by days: the asked day or yesterday; by months: the 1st of the asked
    /// or the last whole month) and the query as answered, both periods filled in so the
    /// page can switch between them.
    pub fn settle(&self, today: NaiveDate) -> Result<(NaiveDate, CompareQuery), AppError> {
        let yesterday = today - chrono::Duration::days(1);
        let day = match (self.asked()?, self.by) {
            (Some(d), _) => d,
            (None, By::Day) => yesterday,
            (None, By::Month) => today.with_day(1).unwrap_or(today) - chrono::Months::new(1),
        };
        let answered = CompareQuery {
            day: Some(match self.by {
                By::Day => day,
                By::Month => yesterday,
            }
            .format("%Y-%m-%d")
            .to_string()),
            month: Some(day.format("%Y-%m").to_string()),
            ..self.clone()
        };
        Ok((day, answered))
    }
}

/// One building in «Сравнение объектов».
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    pub object_id: i64,
    pub name: String,
    /// What its common meters counted; `None`: it has none of the resource.
    pub common: Option<Amount>,
    /// What its flats' meters counted; `None`: it has none.
    pub individual: Option<Amount>,
    /// Its balance (the building's own group): imbalance, share and verdict.
    pub imbalance: Amount,
    pub share: Option<Decimal>,
    pub verdict: Verdict,
    /// Consumption per m² (heat) or per resident (the rest): of the common meters where it
    /// has them, else of the flats'; `None` without area or residents.
    pub specific: Option<Decimal>,
    /// The specific figure stands on a partial sum.
    pub specific_partial: bool,
}

/// «Сравнение объектов»: the company's buildings side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The query as answered: resource and period filled in.
    pub query: CompareQuery,
    pub resources: Vec<Resource>,
    pub rows: Vec<CompareRow>,
}

impl Comparison {
    /// The specific figure's unit words: per m² for heat, per resident for the rest.
    pub fn per(&self) -> Msg {
        match self.query.resource {
            Some(Resource::Heat) => Msg::CmpPerArea,
            _ => Msg::CmpPerResident,
        }
    }

    /// The table as the page, its CSV and its files hold it.
    pub fn table(&self, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>) {
        let header = [Msg::NpObject, Msg::BalRootSum, Msg::BalChildrenSum, Msg::BalImbalance, Msg::BalShare, Msg::BalVerdict, self.per()]
            .map(|m| m.text(lang).to_string())
            .to_vec();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let specific = match (r.specific, r.specific_partial) {
                    (Some(v), false) => Cell::Number(v),
                    (Some(v), true) => Cell::Text(format!("{}*", super::format::decimal(v))),
                    (None, _) => Cell::Empty,
                };
                vec![
                    Cell::Text(r.name.clone()),
                    r.common.map(amount_cell).unwrap_or(Cell::Empty),
                    r.individual.map(amount_cell).unwrap_or(Cell::Empty),
                    match r.common {
                        Some(_) => amount_cell(r.imbalance),
                        None => Cell::Empty,
                    },
                    r.share.into(),
                    match r.common {
                        Some(_) => Cell::Text(r.verdict.label().text(lang).to_string()),
                        None => Cell::Text(Msg::CmpNoCommon.text(lang).to_string()),
                    },
                    specific,
                ]
            })
            .collect();
        (header, rows)
    }
}
