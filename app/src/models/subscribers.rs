//! «Абоненты и потребление» (F9; Kvant-Energo 3.3.2): a building's personal accounts, one
//! row each, with the month's consumption per resource and tariff; totals of individual
//! meters apart from the common ones; and one account's card with its meters.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::cabinet::CabinetMeter;
use super::period::{Basis, BillingWindow, PeriodAmount};
use super::{Amount, Resource};

/// Rows a page may hold.
pub const PAGE_SIZES: [usize; 3] = [25, 50, 100];

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriberSort {
    #[default]
    Flat,
    Account,
    Owner,
    /// By the total of one resource (the first column group's index).
    Resource(u8),
}

impl SubscriberSort {
    pub fn as_param(self) -> String {
        match self {
            SubscriberSort::Flat => "flat".into(),
            SubscriberSort::Account => "account".into(),
            SubscriberSort::Owner => "owner".into(),
            SubscriberSort::Resource(i) => format!("r{i}"),
        }
    }

    pub fn parse(s: &str) -> SubscriberSort {
        match s {
            "account" => SubscriberSort::Account,
            "owner" => SubscriberSort::Owner,
            r if r.starts_with('r') => r[1..]
                .parse()
                .map(SubscriberSort::Resource)
                .unwrap_or_default(),
            _ => SubscriberSort::Flat,
        }
    }
}

/// The list's address query.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubscribersQuery {
    pub object: Option<i64>,
    /// Any day of the month shown; none: the last whole month.
    pub month: Option<NaiveDate>,
    /// Words of an account number, flat, owner or meter serial.
    pub q: String,
    pub sort: SubscriberSort,
    pub desc: bool,
    pub page: usize,
    pub per_page: usize,
    /// The billing period's figures (hand-read meters) instead of the calendar month's.
    pub by_period: bool,
}

impl SubscribersQuery {
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> SubscribersQuery {
        let mut q = SubscribersQuery::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k {
                "object" => q.object = v.parse().ok(),
                "month" => q.month = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
                "q" => q.q = v.to_string(),
                "sort" => q.sort = SubscriberSort::parse(v),
                "desc" => q.desc = v == "1" || v == "true",
                "page" => q.page = v.parse().unwrap_or(0),
                "per_page" => q.per_page = v.parse().unwrap_or(0),
                "by" => q.by_period = v == "period",
                _ => {}
            }
        }
        q
    }

    /// The same query as an address, with some fields changed by the caller first.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(m) = self.month {
            parts.push(format!("month={}", m.format("%Y-%m-%d")));
        }
        if !self.q.trim().is_empty() {
            parts.push(format!("q={}", super::format::url_encode(self.q.trim())));
        }
        if self.sort != SubscriberSort::Flat {
            parts.push(format!("sort={}", self.sort.as_param()));
        }
        if self.desc {
            parts.push("desc=1".into());
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if self.per_page != 0 && self.per_page != PAGE_SIZES[0] {
            parts.push(format!("per_page={}", self.per_page));
        }
        if self.by_period {
            parts.push("by=period".into());
        }
        parts.join("&")
    }

    pub fn page_size(&self) -> usize {
        if PAGE_SIZES.contains(&self.per_page) {
            self.per_page
        } else {
            PAGE_SIZES[0]
        }
    }
}

/// One resource's columns: its tariff slots (1–4) and the total (slot 0).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceColumns {
    pub resource: Resource,
    /// Slots shown, in order (T1…Tn then 0, or just 0).
    pub slots: Vec<usize>,
    /// Fraction digits the figures keep: the most any of the resource's meters shows, so a
    /// column reads 505,90 beside 501,08, not 505,9.
    #[serde(default)]
    pub fraction: u8,
}

/// A personal account and its premise's consumption, per resource in column order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriberRow {
    pub account: String,
    pub premise_id: i64,
    pub flat: String,
    pub owner: String,
    /// Per resource column group: total and T1–T4; `None` where the premise has no meter
    /// with that register (shown empty), `Some(NoData)` where it has one with nothing measured.
    pub values: Vec<[Option<Amount>; 5]>,
    /// Per resource column group, in the billing period's view: what the figures stand on
    /// (the least measured of the premise's meters).
    #[serde(default)]
    pub bases: Vec<Basis>,
}

/// A page of the list with the building's totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscribersPage {
    pub object_id: i64,
    pub object_name: String,
    pub objects: Vec<(i64, String)>,
    pub month: NaiveDate,
    /// The month is over: its figures will not grow.
    pub whole: bool,
    pub columns: Vec<ResourceColumns>,
    pub rows: Vec<SubscriberRow>,
    /// Rows matching the search, all pages.
    pub total_rows: usize,
    pub page: usize,
    pub per_page: usize,
    /// Sums over the building's individual meters (ИПУ) and its common meters (ОДПУ), per
    /// resource column group.
    pub individual: Vec<[Option<Amount>; 5]>,
    pub common: Vec<[Option<Amount>; 5]>,
    /// The billing period's view: what the individual total stands on, per column group.
    #[serde(default)]
    pub individual_bases: Vec<Basis>,
    /// The billing period's view: `month` is the period, and this is its window.
    pub window: Option<BillingWindow>,
}

/// A meter on an account's card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountMeter {
    /// The meter as its owner sees it in the cabinet.
    pub meter: CabinetMeter,
    /// The month's consumption: total and T1–T4 (a replaced meter's counts under its
    /// successor).
    pub month: [Amount; 5],
    /// The billing period of the same month: total and T1–T4, each with its basis.
    #[serde(default)]
    pub period: [PeriodAmount; 5],
}

/// One personal account: where, whose, and its meters (retired ones too, greyed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub account: String,
    pub owner: String,
    pub object_id: i64,
    pub object_name: String,
    pub address: String,
    pub flat: String,
    pub area: String,
    pub residents: i64,
    /// Residents registered in the cabinet for this premise.
    pub cabinet: Vec<String>,
    pub month: NaiveDate,
    /// The company's billing window (the period shown is `month`'s).
    #[serde(default)]
    pub window: BillingWindow,
    pub meters: Vec<AccountMeter>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_query_reads_back_what_it_wrote() {
        let q = SubscribersQuery {
            object: Some(2),
            month: NaiveDate::from_ymd_opt(2026, 11, 1),
            q: "кв 12".into(),
            sort: SubscriberSort::Resource(1),
            desc: true,
            page: 3,
            per_page: 50,
            by_period: true,
        };
        let s = q.to_query();
        let back = SubscribersQuery::from_pairs(s.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| {
            (k, if k == "q" { "кв 12" } else { v })
        }));
        assert_eq!(back, q);
        assert_eq!(SubscribersQuery::default().page_size(), 25);
        assert_eq!(SubscriberSort::parse("r7"), SubscriberSort::Resource(7));
        assert_eq!(SubscriberSort::parse("nonsense"), SubscriberSort::Flat);
    }
}
