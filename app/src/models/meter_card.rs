//! A meter's page (F9, F15): what it is, where it sits, its current value per tariff, and
//! its consumption by day for a month with the readings behind it.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Amount, MeterState, Placement, Resource};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeterCard {
    pub id: i64,
    pub object_id: i64,
    pub object_name: String,
    pub address: String,
    pub flat: Option<String>,
    pub account: Option<String>,
    pub placement: Placement,
    pub resource: Resource,
    pub unit: String,
    pub model: String,
    pub serial: String,
    pub tariffs: u8,
    /// e.g. "6,2" — integer and fraction digits.
    pub capacity: String,
    /// Fraction digits of the display: values are shown with this many.
    pub fraction: u8,
    pub multiplier: Decimal,
    /// Electricity: `1`, `3` or the line a single-phase meter hangs on (`L1`…`L3`).
    #[serde(default)]
    pub phase: String,
    pub installed_on: Option<NaiveDate>,
    pub verified_on: Option<NaiveDate>,
    pub next_verification_on: Option<NaiveDate>,
    pub state: MeterState,
    /// The meter this one replaced, if any.
    pub replaces: Option<i64>,
    /// Local date and time of the last contact, `dd.mm.yyyy hh:mm`.
    pub last_contact: Option<String>,
    /// The caller may change the card (the wizard's edit form); a retired meter's never.
    #[serde(default)]
    pub editable: bool,
    pub month: NaiveDate,
    pub days: Vec<DayConsumption>,
    /// The building's today: days from it on are not over and show nothing.
    pub today: chrono::NaiveDate,
    /// The month as a whole: total, T1–T4.
    pub month_total: [Amount; 5],
    /// The billing period of the same month (hand-read meters count by it): total, T1–T4,
    /// each with its basis.
    #[serde(default)]
    pub period: [super::period::PeriodAmount; 5],
    #[serde(default)]
    pub window: super::period::BillingWindow,
    pub readings: Vec<ReadingLine>,
    /// The meter's events that are still going on or nobody resolved, newest first.
    #[serde(default)]
    pub events: Vec<super::monitoring::EventRow>,
}

/// Consumption of one local day: total, T1–T4.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayConsumption {
    pub date: NaiveDate,
    pub amounts: [Amount; 5],
}

/// A stored reading as the meter page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadingLine {
    /// Local `dd.mm.yyyy hh:mm`.
    pub at: String,
    pub values: [Option<Decimal>; 5],
    pub source: String,
    pub flags: i64,
    /// Who typed it (full name), for readings entered by people.
    pub entered_by: Option<String>,
    /// Which stored reading it is (UTC seconds and archive period), for a dispatcher's
    /// confirmation or rejection.
    pub ts: i64,
    pub period: i64,
}
