//! «Приборы учёта» (F29, EK 4.5.1): the company's meter inventory — every meter with its
//! place, model, serial and barcode, capacity, line and state, narrowed by the filters a
//! service engineer asks by (building, ИПУ/ОДПУ, resource, line, state, verification due, a
//! serial or a flat typed in), on screen and as a file with the same rows.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::cell::Cell;
use super::{MeterState, Placement, Resource};

use crate::i18n::{resource_name, state_name, Lang, Msg};

/// How a meter is reached: over a kind of line, or by people (no line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LineKind {
    Tcp,
    Gprs,
    Lorawan,
    Rs485,
    Mbus,
    /// No communicator on record (read by hand, or its line not entered yet).
    None,
}

impl LineKind {
    pub const ALL: [LineKind; 6] =
        [LineKind::Tcp, LineKind::Gprs, LineKind::Lorawan, LineKind::Rs485, LineKind::Mbus, LineKind::None];

    /// As stored in `communicators.line`; `none` for a meter without one.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Tcp => "tcp",
            LineKind::Gprs => "gprs",
            LineKind::Lorawan => "lorawan",
            LineKind::Rs485 => "rs485",
            LineKind::Mbus => "mbus",
            LineKind::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The line's name as people say it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LineKind::Tcp => "TCP/IP",
            LineKind::Gprs => "GPRS",
            LineKind::Lorawan => "LoRaWAN",
            LineKind::Rs485 => "RS-485",
            LineKind::Mbus => "M-Bus",
            LineKind::None => Msg::InvByHand.text(lang),
        }
    }
}

/// Which verification dates a list asks for, counted from the company's today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Due {
    /// The date has passed.
    Overdue,
    /// Due from today to the end of this month.
    ThisMonth,
    /// Due from today to three months on.
    Quarter,
    /// No date is known.
    Unknown,
}

impl Due {
    pub const ALL: [Due; 4] = [Due::Overdue, Due::ThisMonth, Due::Quarter, Due::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Due::Overdue => "overdue",
            Due::ThisMonth => "month",
            Due::Quarter => "quarter",
            Due::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Due> {
        Due::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Due::Overdue => Msg::InvDueOverdue,
            Due::ThisMonth => Msg::InvDueMonth,
            Due::Quarter => Msg::InvDueQuarter,
            Due::Unknown => Msg::InvDueUnknown,
        }
    }

    /// The days `[from, to)` a next verification must fall in; `None` for [`Due::Unknown`]
    /// (no date at all).
    pub fn span(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let long_ago = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real day");
        let next_month = |d: NaiveDate| {
            NaiveDate::from_ymd_opt(chrono::Datelike::year(&d), chrono::Datelike::month(&d), 1)
                .and_then(|first| first.checked_add_months(Months::new(1)))
                .unwrap_or(d)
        };
        match self {
            Due::Overdue => Some((long_ago, today)),
            Due::ThisMonth => Some((today, next_month(today))),
            Due::Quarter => Some((today, today.checked_add_months(Months::new(3)).unwrap_or(today))),
            Due::Unknown => None,
        }
    }
}

/// The longest text a search field takes: a serial, a barcode or a flat fits many times.
pub const SEARCH_MAX: usize = 100;

/// What the inventory is asked for; every part in the page's address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InventoryQuery {
    pub object: Option<i64>,
    pub placement: Option<Placement>,
    pub resource: Option<Resource>,
    pub line: Option<LineKind>,
    pub state: Option<MeterState>,
    pub due: Option<Due>,
    /// Words each shown meter holds in its serial, barcode, model or premise number.
    pub q: String,
}

impl InventoryQuery {
    /// The query read off a page's address (unknown values are ignored, not refused).
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> InventoryQuery {
        let mut q = InventoryQuery::default();
        for (k, v) in pairs {
            match k {
                "object" => q.object = v.parse().ok(),
                "placement" => q.placement = Placement::parse(v),
                "resource" => q.resource = Resource::parse(v),
                "line" => q.line = LineKind::parse(v),
                "state" => q.state = MeterState::parse(v),
                "due" => q.due = Due::parse(v),
                "q" => q.q = v.trim().chars().take(SEARCH_MAX).collect(),
                _ => {}
            }
        }
        q
    }

    /// The page's address (and, after `/export/meters.xlsx`, the file's) for this query.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(p) = self.placement {
            parts.push(format!("placement={}", p.as_str()));
        }
        if let Some(r) = self.resource {
            parts.push(format!("resource={}", r.as_str()));
        }
        if let Some(l) = self.line {
            parts.push(format!("line={}", l.as_str()));
        }
        if let Some(s) = self.state {
            parts.push(format!("state={}", s.as_str()));
        }
        if let Some(d) = self.due {
            parts.push(format!("due={}", d.as_str()));
        }
        if !self.q.is_empty() {
            parts.push(format!("q={}", crate::models::format::url_encode(&self.q)));
        }
        parts.join("&")
    }

    /// Whether every word of the search is in the meter's serial, barcode, model or premise
    /// (any case; «кв.» before a flat's number may be typed or not).
    pub fn finds(&self, r: &InventoryRow) -> bool {
        let place = match r.placement {
            Placement::Individual => format!("кв. {}", r.premise),
            Placement::Common => "ОДПУ".into(),
        };
        let hay = format!("{} {} {} {place}", r.serial, r.barcode, r.model).to_lowercase();
        self.q.split_whitespace().all(|w| hay.contains(&w.to_lowercase()))
    }
}

/// One meter as the inventory lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InventoryRow {
    pub meter_id: i64,
    pub object: String,
    /// The premise's number; empty for a common meter.
    pub premise: String,
    pub placement: Placement,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    pub barcode: String,
    pub tariffs: i64,
    /// «5,3».
    pub capacity: String,
    pub multiplier: rust_decimal::Decimal,
    pub line: LineKind,
    /// The communicator's name; empty without one.
    pub communicator: String,
    pub bus_address: String,
    pub state: MeterState,
    pub installed_on: Option<NaiveDate>,
    pub verified_on: Option<NaiveDate>,
    pub next_verification_on: Option<NaiveDate>,
    /// Building time, `dd.mm.yyyy HH:MM`; empty if never heard from.
    pub last_contact: String,
}

impl InventoryRow {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.state != MeterState::Retired && self.next_verification_on.is_some_and(|d| d < today)
    }
}

/// The most meters a page shows; the file holds every one the filters leave.
pub const INVENTORY_PAGE: usize = 2_000;

/// «Приборы учёта»: the meters the filters leave, counted by resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub query: InventoryQuery,
    pub objects: Vec<(i64, String)>,
    /// In the company's (Moscow) calendar.
    pub today: NaiveDate,
    /// How many meters the filters leave, the shown ones and the rest.
    pub matched: usize,
    /// Of the matched, how many of each resource (for the summary line).
    pub by_resource: Vec<(Resource, usize)>,
    /// Of the matched, how many are overdue for verification.
    pub overdue: usize,
    pub rows: Vec<InventoryRow>,
    /// The caller may add and change meters (the wizard).
    #[serde(default)]
    pub editable: bool,
}

/// The list's columns, on screen and in the files.
pub const COLUMNS: [Msg; 17] = [
    Msg::Serial,
    Msg::NpObject,
    Msg::ConPremise,
    Msg::InvPlacement,
    Msg::NpResource,
    Msg::Model,
    Msg::InvBarcode,
    Msg::Tariffs,
    Msg::Capacity,
    Msg::Multiplier,
    Msg::InvLine,
    Msg::InvBusAddress,
    Msg::ColState,
    Msg::Installed,
    Msg::VerVerifiedOn,
    Msg::VerDueOn,
    Msg::LastContact,
];

impl Inventory {
    /// The header and a row of cells for each meter, as the page and the files show them.
    pub fn table(&self, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>) {
        let header = COLUMNS.iter().map(|m| m.text(lang).to_string()).collect();
        let rows = self.rows.iter().map(|r| cells(r, lang)).collect();
        (header, rows)
    }

    /// «Найдено приборов: 1 092 — Электроэнергия 364, ХВС 695…; просрочена поверка: 3».
    pub fn summary(&self, lang: Lang) -> String {
        use crate::models::format::integer;
        let resources: Vec<String> = self
            .by_resource
            .iter()
            .map(|(r, n)| format!("{} {}", resource_name(*r).text(lang), integer(*n as i64)))
            .collect();
        let mut text = format!("{}: {}", Msg::InvFound.text(lang), integer(self.matched as i64));
        if !resources.is_empty() {
            text.push_str(&format!(" — {}", resources.join(", ")));
        }
        if self.overdue > 0 {
            text.push_str(&format!("; {}: {}", Msg::InvOverdueCount.text(lang), integer(self.overdue as i64)));
        }
        text
    }

    /// More meters matched than the page shows.
    pub fn truncated(&self) -> bool {
        self.rows.len() < self.matched
    }
}

/// One meter's cells; a number keeps its exact digits, a date is a date.
pub fn cells(r: &InventoryRow, lang: Lang) -> Vec<Cell> {
    let placement = match r.placement {
        Placement::Individual => Msg::InvIndividual,
        Placement::Common => Msg::InvCommon,
    };
    let line = match (r.line, r.communicator.as_str()) {
        (LineKind::None, _) | (_, "") => r.line.label(lang).to_string(),
        (l, name) => format!("{} · {name}", l.label(lang)),
    };
    vec![
        Cell::Text(r.serial.clone()),
        Cell::Text(r.object.clone()),
        Cell::Text(r.premise.clone()),
        Cell::Text(placement.text(lang).to_string()),
        Cell::Text(resource_name(r.resource).text(lang).to_string()),
        Cell::Text(r.model.clone()),
        Cell::Text(r.barcode.clone()),
        Cell::Number(r.tariffs.into()),
        Cell::Text(r.capacity.clone()),
        Cell::Number(r.multiplier.normalize()),
        Cell::Text(line),
        Cell::Text(r.bus_address.clone()),
        Cell::Text(state_name(r.state).text(lang).to_string()),
        r.installed_on.into(),
        r.verified_on.into(),
        r.next_verification_on.into(),
        Cell::Text(r.last_contact.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn an_inventory_query_survives_its_own_address() {
        let q = InventoryQuery {
            object: Some(3),
            placement: Some(Placement::Common),
            resource: Some(Resource::Heat),
            line: Some(LineKind::None),
            state: Some(MeterState::Repair),
            due: Some(Due::Quarter),
            q: "кв. 12 & 4123".into(),
        };
        let s = q.query_string();
        assert!(s.ends_with("&q=%D0%BA%D0%B2.%2012%20%26%204123"), "{s}");
        let pairs: Vec<(String, String)> = s
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), if k == "q" { q.q.clone() } else { v.to_string() }))
            .collect();
        let back = InventoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, q);
    }

    #[test]
    fn an_unknown_filter_value_is_ignored_and_a_long_search_is_cut() {
        let long = "9".repeat(500);
        let q = InventoryQuery::from_pairs([("state", "broken"), ("line", "pigeon"), ("object", "x"), ("q", long.as_str())].into_iter());
        assert_eq!(q.state, None);
        assert_eq!(q.line, None);
        assert_eq!(q.object, None);
        assert_eq!(q.q.chars().count(), SEARCH_MAX);
    }

    #[test]
    fn verification_due_spans_count_from_today() {
        let today = d(2026, 12, 6);
        assert_eq!(Due::Overdue.span(today), Some((d(1900, 1, 1), today)));
        assert_eq!(Due::ThisMonth.span(today), Some((today, d(2027, 1, 1))));
        assert_eq!(Due::Quarter.span(today), Some((today, d(2027, 3, 6))));
        assert_eq!(Due::Unknown.span(today), None);
    }

    #[test]
    fn a_meter_row_keeps_its_multiplier_exact_and_names_its_line() {
        let r = InventoryRow {
            meter_id: 1,
            object: "ул. Ленина, 1".into(),
            premise: "12".into(),
            placement: Placement::Individual,
            resource: Resource::Electricity,
            model: "Меркурий 230".into(),
            serial: "41234012".into(),
            barcode: "4600000000017".into(),
            tariffs: 2,
            capacity: "6,2".into(),
            multiplier: Decimal::new(4000, 2),
            line: LineKind::Rs485,
            communicator: "Шина подъезда 1".into(),
            bus_address: "12".into(),
            state: MeterState::InOperation,
            installed_on: Some(d(2020, 1, 15)),
            verified_on: None,
            next_verification_on: Some(d(2026, 1, 1)),
            last_contact: String::new(),
        };
        let c = cells(&r, Lang::Ru);
        assert_eq!(c.len(), COLUMNS.len());
        assert_eq!(c[9], Cell::Number(Decimal::new(40, 0)));
        assert_eq!(c[9].shown(), "40");
        assert_eq!(c[10].shown(), "RS-485 · Шина подъезда 1");
        assert_eq!(c[3].shown(), "ИПУ");
        assert!(r.overdue(d(2026, 12, 6)));
        let by_hand = InventoryRow { line: LineKind::None, communicator: String::new(), state: MeterState::Retired, ..r };
        assert_eq!(cells(&by_hand, Lang::Ru)[10].shown(), "не указана");
        assert!(!by_hand.overdue(d(2026, 12, 6)), "a retired meter is not due");
    }

    #[test]
    fn the_search_finds_a_meter_by_serial_barcode_model_or_flat() {
        let r = InventoryRow {
            meter_id: 1,
            object: "ул. Ленина, 1".into(),
            premise: "12".into(),
            placement: Placement::Individual,
            resource: Resource::ColdWater,
            model: "Пульсар".into(),
            serial: "W-4123".into(),
            barcode: "4600000000017".into(),
            tariffs: 1,
            capacity: "5,3".into(),
            multiplier: Decimal::ONE,
            line: LineKind::None,
            communicator: String::new(),
            bus_address: String::new(),
            state: MeterState::InOperation,
            installed_on: None,
            verified_on: None,
            next_verification_on: None,
            last_contact: String::new(),
        };
        let finds = |q: &str| InventoryQuery { q: q.into(), ..Default::default() }.finds(&r);
        assert!(finds(""));
        assert!(finds("w-4123"));
        assert!(finds("ПУЛЬСАР кв. 12"));
        assert!(finds("0017"));
        assert!(!finds("кв. 13"));
        assert!(!finds("ОДПУ"));
    }
}
