//! «Отчёты» (F38; Kvant-Energo reports, EnergoKabinet 4.3): what a report is asked for and
//! what it holds. Every report is the same shape — a title, columns, rows and total rows —
//! so one page shows them all (search, sort, CSV) and one writer makes each file (Excel,
//! PDF, CSV) from exactly what the page shows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

pub use super::cell::Cell;

/// The reports there are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Реестр показаний ИПУ за месяц: previous and current reading per tariff, consumption.
    #[default]
    Registry,
    /// Показания всех приборов за месяц: the registry with the common meters (ОДПУ) too.
    AllMeters,
    /// Баланс дома: ОДПУ against the sum of ИПУ per resource.
    Balance,
    /// Карточка ОДПУ: a building's common meters day by day, with readings at the ends.
    CommonMeter,
    /// Перечень измерительных каналов и их изменения за месяц.
    Channels,
    /// Ведомость поверки: overdue, due this month, due in the next three months.
    Verification,
}

impl ReportKind {
    pub const ALL: [ReportKind; 6] = [
        ReportKind::Registry,
        ReportKind::AllMeters,
        ReportKind::Balance,
        ReportKind::CommonMeter,
        ReportKind::Channels,
        ReportKind::Verification,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Registry => "registry",
            ReportKind::AllMeters => "all_meters",
            ReportKind::Balance => "balance",
            ReportKind::CommonMeter => "common_meter",
            ReportKind::Channels => "channels",
            ReportKind::Verification => "verification",
        }
    }

    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn title(self) -> Msg {
        match self {
            ReportKind::Registry => Msg::RepRegistry,
            ReportKind::AllMeters => Msg::RepAllMeters,
            ReportKind::Balance => Msg::RepBalance,
            ReportKind::CommonMeter => Msg::RepCommonMeter,
            ReportKind::Channels => Msg::RepChannelsTitle,
            ReportKind::Verification => Msg::RepVerification,
        }
    }

    pub fn about(self) -> Msg {
        match self {
            ReportKind::Registry => Msg::RepRegistryAbout,
            ReportKind::AllMeters => Msg::RepAllMetersAbout,
            ReportKind::Balance => Msg::RepBalanceAbout,
            ReportKind::CommonMeter => Msg::RepCommonMeterAbout,
            ReportKind::Channels => Msg::RepChannelsAbout,
            ReportKind::Verification => Msg::RepVerificationAbout,
        }
    }

    /// Whether the report may be read by billing period instead of calendar month.
    pub fn has_period(self) -> bool {
        matches!(self, ReportKind::Registry | ReportKind::AllMeters)
    }

    /// Whether the report is of a month (the others are of today).
    pub fn has_month(self) -> bool {
        !matches!(self, ReportKind::Verification)
    }
}

/// What the page asks for; the whole of it lives in the address, so a report can be
/// reloaded, shared and downloaded as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub kind: ReportKind,
    /// A building; none: all the company's buildings.
    pub object: Option<i64>,
    /// Any day of the month; none: the last whole month (or the last closed period).
    pub month: Option<NaiveDate>,
    /// The billing period's figures (hand-read meters) instead of the calendar month's.
    pub by_period: bool,
}

impl ReportQuery {
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> ReportQuery {
        let mut q = ReportQuery::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k {
                "kind" => q.kind = ReportKind::parse(v).unwrap_or_default(),
                "object" => q.object = v.parse().ok(),
                "by" => q.by_period = v == "period",
                // both the page's `yyyy-mm` and a full date
                "month" => {
                    q.month = NaiveDate::parse_from_str(v, "%Y-%m-%d")
                        .or_else(|_| NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d"))
                        .ok()
                }
                _ => {}
            }
        }
        q
    }

    pub fn to_query(&self) -> String {
        let mut parts = vec![format!("kind={}", self.kind.as_str())];
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(m) = self.month {
            parts.push(format!("month={}", m.format("%Y-%m-%d")));
        }
        if self.by_period {
            parts.push("by=period".into());
        }
        parts.join("&")
    }
}

/// A report as made: everything the page, the Excel sheet and the PDF print.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub query: ReportQuery,
    /// Lines above the table: the report's name with its building, the period.
    pub title: Vec<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Sums below the rows (not sorted or searched with them).
    pub totals: Vec<Vec<Cell>>,
    /// The month reported, where the report is of one.
    pub month: Option<NaiveDate>,
    /// The buildings to choose from.
    pub objects: Vec<(i64, String)>,
    /// A line under the table: what its marks mean.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_query_reads_back_what_it_wrote_and_takes_the_pages_month() {
        let q = ReportQuery { kind: ReportKind::Registry, object: Some(3), month: NaiveDate::from_ymd_opt(2026, 11, 1), by_period: true };
        let s = q.to_query();
        let back = ReportQuery::from_pairs(s.split('&').filter_map(|p| p.split_once('=')));
        assert_eq!(back, q);
        let from_page = ReportQuery::from_pairs([("kind", "registry"), ("month", "2026-10")].into_iter());
        assert_eq!(from_page.month, NaiveDate::from_ymd_opt(2026, 10, 1));
        assert_eq!(ReportQuery::from_pairs([("kind", "nonsense")].into_iter()).kind, ReportKind::Registry);
    }
}
