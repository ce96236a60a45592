//! The residents' cabinet (F44): a resident's premises with their meters and last readings,
//! consumption by month or by day, and the company's contacts.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Amount, MeterState, Resource};

/// Everything the cabinet's first page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CabinetView {
    pub premises: Vec<CabinetPremise>,
    pub company: CompanyContacts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CabinetPremise {
    pub id: i64,
    pub object_id: i64,
    pub object_name: String,
    pub address: String,
    pub number: String,
    pub accounts: Vec<String>,
    pub meters: Vec<CabinetMeter>,
}

/// A meter as its owner sees it: what it is, its life (install and verification dates) and
/// what it showed last.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CabinetMeter {
    pub id: i64,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    pub tariffs: u8,
    pub fraction: u8,
    pub state: MeterState,
    pub installed_on: Option<NaiveDate>,
    pub verified_on: Option<NaiveDate>,
    pub next_verification_on: Option<NaiveDate>,
    pub last: Option<LastReading>,
}

impl CabinetMeter {
    /// Verification is due within this many days (or overdue): the cabinet warns.
    pub fn verification_due(&self, today: NaiveDate, within_days: i64) -> bool {
        self.next_verification_on
            .is_some_and(|d| (d - today).num_days() <= within_days)
    }
}

/// A meter's registers as they read now (`storage::current`'s rule): each register's
/// latest confirmed value, and when the newest was read (building time).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LastReading {
    /// Empty when no value is confirmed yet (only one waiting for a check).
    pub at: String,
    /// Total, then T1–T4.
    pub values: [Option<Decimal>; 5],
    /// A newer reading waiting for a dispatcher's check (lower than before, or a jump):
    /// shown marked, never in the confirmed values' place.
    pub waiting: Option<WaitingReading>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitingReading {
    pub at: String,
    pub values: [Option<Decimal>; 5],
}

/// A meter's registers in one line: «T1: 1 234,56 · T2: 789,00», or the single total.
pub fn registers_text(values: &[Option<Decimal>; 5], tariffs: u8, fraction: u32) -> String {
    if tariffs > 1 {
        (1..=tariffs as usize)
            .filter_map(|t| values[t].map(|v| format!("T{t}: {}", super::format::fixed(v, fraction))))
            .collect::<Vec<_>>()
            .join(" · ")
    } else {
        values[0]
            .or(values[1])
            .map(|v| super::format::fixed(v, fraction))
            .unwrap_or_default()
    }
}

/// How a resident reaches the company.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompanyContacts {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub working_hours: String,
}

/// Consumption of one premise: a year by month, or a month by day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PremiseConsumption {
    pub premise_id: i64,
    pub title: String,
    /// Every premise of the resident, to switch between: (id, «address, flat»).
    pub premises: Vec<(i64, String)>,
    /// The year shown, or the month's first day when a month is shown by day.
    pub year: i32,
    pub month: Option<NaiveDate>,
    /// Column labels: month names' numbers or day numbers.
    pub labels: Vec<String>,
    /// The first column not over yet (today, this month or later): shown empty, not «–*».
    pub not_yet_from: usize,
    pub resources: Vec<ResourceLine>,
    /// A year's billing periods per resource (the year view only), each figure with its basis.
    #[serde(default)]
    pub periods: Vec<PeriodLine>,
    /// The first period whose window has not closed yet (shown empty).
    #[serde(default)]
    pub periods_open_from: usize,
    #[serde(default)]
    pub window: super::period::BillingWindow,
}

/// One resource over a year's billing periods: the sum of the premise's meters of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodLine {
    pub resource: Resource,
    pub values: Vec<super::period::PeriodAmount>,
}

/// One resource over the period: the sum of the premise's meters of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceLine {
    pub resource: Resource,
    pub values: Vec<Amount>,
    pub total: Amount,
}

/// Where a code or an invite leads before the resident registers: «ул. …, кв. 12».
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeTarget {
    pub company: String,
    pub address: String,
    pub premise: String,
    pub email: String,
    pub valid_until: NaiveDate,
}

/// A premise's code state on the dispatcher's activation page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeRow {
    pub premise_id: i64,
    pub number: String,
    pub accounts: Vec<String>,
    /// Residents registered on it: then it needs no code.
    pub residents: i64,
    pub code: Option<String>,
    pub valid_until: Option<NaiveDate>,
    /// Where the invite went, if the code was mailed; and whether the letter left.
    pub email: Option<String>,
    pub mail: Option<MailState>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MailState {
    Waiting,
    Sent,
    Failed(String),
}

/// A building's premises and their codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeSheet {
    pub object_id: i64,
    pub object_name: String,
    pub address: String,
    pub company: String,
    pub objects: Vec<(i64, String)>,
    pub rows: Vec<CodeRow>,
}

/// A plausible email address: one `@`, something before it, a dotted domain after it, no
/// spaces. The letter itself is the real check.
pub fn email_ok(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_checked_for_shape_only() {
        assert!(email_ok("petrov@mail.ru"));
        assert!(email_ok(" ivan.petrov+uk@почта.рф "));
        assert!(!email_ok("petrov"));
        assert!(!email_ok("petrov@mail"));
        assert!(!email_ok("@mail.ru"));
        assert!(!email_ok("pe trov@mail.ru"));
        assert!(!email_ok("a@b@mail.ru"));
    }
}
