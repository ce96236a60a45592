//! The readings table of a building (SANEXT main window, F7): what the page asks for and
//! what one row shows. The whole query lives in the page URL, so a filtered, sorted page can
//! be reloaded, shared and exported as it is.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{MeterState, Placement, Resource};

/// The resource switch of the table: water covers cold and hot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ResourceGroup {
    #[default]
    Electricity,
    Heat,
    Water,
    Gas,
}

impl ResourceGroup {
    pub const ALL: [ResourceGroup; 4] = [
        ResourceGroup::Electricity,
        ResourceGroup::Heat,
        ResourceGroup::Water,
        ResourceGroup::Gas,
    ];

    pub fn resources(self) -> Vec<Resource> {
        match self {
            ResourceGroup::Electricity => vec![Resource::Electricity],
            ResourceGroup::Heat => vec![Resource::Heat],
            ResourceGroup::Water => vec![Resource::ColdWater, Resource::HotWater],
            ResourceGroup::Gas => vec![Resource::Gas],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceGroup::Electricity => "electricity",
            ResourceGroup::Heat => "heat",
            ResourceGroup::Water => "water",
            ResourceGroup::Gas => "gas",
        }
    }

    pub fn parse(s: &str) -> Option<ResourceGroup> {
        ResourceGroup::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// Все / Квартирные / Общедомовые.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PlacementFilter {
    #[default]
    All,
    Flats,
    Common,
}

impl PlacementFilter {
    pub const ALL: [PlacementFilter; 3] = [
        PlacementFilter::All,
        PlacementFilter::Flats,
        PlacementFilter::Common,
    ];

    pub fn placement(self) -> Option<Placement> {
        match self {
            PlacementFilter::All => None,
            PlacementFilter::Flats => Some(Placement::Individual),
            PlacementFilter::Common => Some(Placement::Common),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlacementFilter::All => "all",
            PlacementFilter::Flats => "flats",
            PlacementFilter::Common => "common",
        }
    }

    pub fn parse(s: &str) -> Option<PlacementFilter> {
        PlacementFilter::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Sortable columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReadingsColumn {
    #[default]
    Flat,
    Address,
    Account,
    Serial,
    Model,
    Code,
    Value,
    ValueDate,
    Tariff,
}

impl ReadingsColumn {
    pub const ALL: [ReadingsColumn; 9] = [
        ReadingsColumn::Flat,
        ReadingsColumn::Address,
        ReadingsColumn::Account,
        ReadingsColumn::Serial,
        ReadingsColumn::Model,
        ReadingsColumn::Code,
        ReadingsColumn::Value,
        ReadingsColumn::ValueDate,
        ReadingsColumn::Tariff,
    ];

    /// What a new user sees: the SANEXT columns.
    pub const DEFAULT_VISIBLE: [ReadingsColumn; 7] = [
        ReadingsColumn::Flat,
        ReadingsColumn::Address,
        ReadingsColumn::Account,
        ReadingsColumn::Serial,
        ReadingsColumn::Code,
        ReadingsColumn::Value,
        ReadingsColumn::Tariff,
    ];

    /// Flat, meter number and reading are always shown.
    pub fn can_hide(self) -> bool {
        !matches!(
            self,
            ReadingsColumn::Flat | ReadingsColumn::Serial | ReadingsColumn::Value
        )
    }

    /// A stored column list (`flat,serial,value`); unknown names are skipped and the
    /// columns that cannot be hidden are always there.
    pub fn parse_list(s: &str) -> Vec<ReadingsColumn> {
        ReadingsColumn::ALL
            .into_iter()
            .filter(|c| !c.can_hide() || s.split(',').any(|n| n.trim() == c.as_str()))
            .collect()
    }

    pub fn list_text(columns: &[ReadingsColumn]) -> String {
        columns
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReadingsColumn::Flat => "flat",
            ReadingsColumn::Address => "address",
            ReadingsColumn::Account => "account",
            ReadingsColumn::Serial => "serial",
            ReadingsColumn::Model => "model",
            ReadingsColumn::Code => "code",
            ReadingsColumn::Value => "value",
            ReadingsColumn::ValueDate => "value_date",
            ReadingsColumn::Tariff => "tariff",
        }
    }

    pub fn parse(s: &str) -> Option<ReadingsColumn> {
        ReadingsColumn::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

pub const PAGE_SIZES: [u32; 4] = [25, 50, 100, 200];

/// What the readings table shows. Every field has a sensible default so a bare URL works.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReadingsQuery {
    /// The building; `None` takes the first one of the company.
    pub object: Option<i64>,
    /// Readings as of the end of this local day; `None` is today.
    pub date: Option<NaiveDate>,
    pub resource: ResourceGroup,
    pub placement: PlacementFilter,
    pub search: String,
    pub sort: ReadingsColumn,
    pub descending: bool,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

impl ReadingsQuery {
    /// Reads the page URL's query (`?object=3&date=2026-11-20&resource=water&type=flats&q=12&sort=value&desc=1&page=2&size=50`).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ReadingsQuery {
        let mut q = ReadingsQuery::default();
        for (k, v) in pairs {
            match k {
                "object" => q.object = v.parse().ok(),
                "date" => q.date = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
                "resource" => q.resource = ResourceGroup::parse(v).unwrap_or_default(),
                "type" => q.placement = PlacementFilter::parse(v).unwrap_or_default(),
                "q" => q.search = v.to_string(),
                "sort" => q.sort = ReadingsColumn::parse(v).unwrap_or_default(),
                "desc" => q.descending = v == "1",
                "page" => q.page = v.parse().unwrap_or(1),
                "size" => q.page_size = v.parse().unwrap_or(25),
                _ => {}
            }
        }
        q.normalized()
    }

    /// Page 1 at least; a page size from the offered ones.
    pub fn normalized(mut self) -> ReadingsQuery {
        self.page = self.page.max(1);
        if !PAGE_SIZES.contains(&self.page_size) {
            self.page_size = PAGE_SIZES[0];
        }
        self.search = self.search.trim().chars().take(100).collect();
        self
    }

    /// The URL query of this state; the defaults are left out.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(d) = self.date {
            parts.push(format!("date={}", d.format("%Y-%m-%d")));
        }
        if self.resource != ResourceGroup::default() {
            parts.push(format!("resource={}", self.resource.as_str()));
        }
        if self.placement != PlacementFilter::default() {
            parts.push(format!("type={}", self.placement.as_str()));
        }
        if !self.search.is_empty() {
            parts.push(format!("q={}", super::format::url_encode(&self.search)));
        }
        if self.sort != ReadingsColumn::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.descending {
            parts.push("desc=1".into());
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if self.page_size != PAGE_SIZES[0] && self.page_size != 0 {
            parts.push(format!("size={}", self.page_size));
        }
        parts.join("&")
    }

    /// The same query on another page.
    pub fn with_page(&self, page: u32) -> ReadingsQuery {
        ReadingsQuery {
            page,
            ..self.clone()
        }
    }

    /// Sorted by `column`: a second click on the same column turns the order round.
    pub fn sorted_by(&self, column: ReadingsColumn) -> ReadingsQuery {
        ReadingsQuery {
            sort: column,
            descending: self.sort == column && !self.descending,
            page: 1,
            ..self.clone()
        }
    }
}

/// One line of the table: a meter, or one tariff of a multi-tariff meter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadingsRow {
    pub meter_id: i64,
    pub premise_id: Option<i64>,
    /// Flat number; empty for a common meter.
    pub flat: String,
    pub address: String,
    pub account: String,
    pub serial: String,
    pub model: String,
    /// The identifier code: the meter's address on its bus.
    pub code: String,
    pub placement: Placement,
    pub resource: Resource,
    pub state: MeterState,
    /// 1..=4; a single-tariff meter shows tariff 1.
    pub tariff: u8,
    pub value: Option<Decimal>,
    /// Fraction digits of the meter's display.
    pub fraction: u8,
    /// Local date of the value.
    pub value_date: Option<NaiveDate>,
    /// A newer reading of this register waiting for a dispatcher's check: shown marked
    /// beside the value, never in its place.
    pub waiting: Option<WaitingValue>,
}

/// A reading that waits for a check, as a table shows it and as a dispatcher decides on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitingValue {
    pub value: Decimal,
    pub date: NaiveDate,
    /// What identifies the reading for `review_reading`.
    pub period: i64,
    pub ts: i64,
    /// Why it waits: went down (1) or a jump (2).
    pub flags: i64,
}

/// Why a reading waits for a check, from its flags: lower than the previous one (flag 1),
/// else a jump.
pub fn waiting_reason(flags: i64) -> crate::i18n::Msg {
    if flags & 1 != 0 {
        crate::i18n::Msg::ReasonWentDown
    } else {
        crate::i18n::Msg::ReasonJump
    }
}

/// One page of the table and where it sits in the whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadingsPage {
    pub query: ReadingsQuery,
    pub object_id: i64,
    pub object_name: String,
    /// Readings are as of the end of this day.
    pub date: NaiveDate,
    pub rows: Vec<ReadingsRow>,
    /// Rows in the whole filtered table.
    pub total: u64,
    pub pages: u32,
    /// Meters in the whole filtered table.
    pub meters: u64,
    /// The columns this user chose to see, in table order.
    pub columns: Vec<ReadingsColumn>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_survives_the_round_trip_through_the_url() {
        let q = ReadingsQuery {
            object: Some(3),
            date: NaiveDate::from_ymd_opt(2026, 11, 20),
            resource: ResourceGroup::Water,
            placement: PlacementFilter::Flats,
            search: "кв 12".into(),
            sort: ReadingsColumn::Value,
            descending: true,
            page: 2,
            page_size: 50,
        };
        let text = q.to_query_string();
        let pairs: Vec<(String, String)> = text
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), percent_decode(v))
            })
            .collect();
        let back = ReadingsQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, q);
    }

    #[test]
    fn a_bare_url_is_page_one_of_25_sorted_by_flat() {
        let q = ReadingsQuery::from_pairs([("page", "0"), ("size", "33")]);
        assert_eq!((q.page, q.page_size, q.sort), (1, 25, ReadingsColumn::Flat));
        assert_eq!(q.to_query_string(), "");
    }

    #[test]
    fn clicking_a_sorted_column_again_turns_the_order_round() {
        let q = ReadingsQuery::default().normalized().with_page(3);
        let by_value = q.sorted_by(ReadingsColumn::Value);
        assert_eq!((by_value.descending, by_value.page), (false, 1));
        assert!(by_value.sorted_by(ReadingsColumn::Value).descending);
    }

    #[test]
    fn a_stored_column_choice_always_keeps_flat_meter_and_reading() {
        let cols = ReadingsColumn::parse_list("code,nonsense");
        assert_eq!(
            cols,
            vec![
                ReadingsColumn::Flat,
                ReadingsColumn::Serial,
                ReadingsColumn::Code,
                ReadingsColumn::Value
            ]
        );
        assert_eq!(
            ReadingsColumn::parse_list(&ReadingsColumn::list_text(&cols)),
            cols
        );
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
