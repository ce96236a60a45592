//! Read models: what pages and file exports show, assembled from storage (and, where it is
//! consumption, from the engine). Server functions and download handlers share these, so a
//! table on screen and its Excel file always hold the same rows.

pub mod activation;
pub mod archive;
pub mod audit;
pub mod balance;
pub mod billing;
pub mod cabinet;
pub mod communicators;
pub mod dashboard;
pub mod entry_sheet;
pub mod field_sheet;
pub mod history;
pub mod inventory;
pub mod console;
pub mod consumption;
pub mod meter_card;
pub mod meter_form;
pub mod monitoring;
pub mod not_polled;
pub mod notices;
pub mod period;
pub mod premises;
pub mod readings_table;
pub mod reports;
pub mod requests;
pub mod season;
pub mod subscribers;
pub mod verification;

/// Where a meter is, as lists name it: «кв. 12», or «ОДПУ» for a common meter.
pub(crate) fn place(placement: &str, premise: Option<&str>) -> String {
    match (crate::models::Placement::parse(placement), premise) {
        (Some(crate::models::Placement::Individual), Some(p)) => format!("кв. {p}"),
        _ => "ОДПУ".into(),
    }
}

/// A stored instant as building time, `dd.mm.yyyy HH:MM`.
pub(crate) fn local_time(tz: chrono_tz::Tz, ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| crate::models::format::date_time(t.with_timezone(&tz).naive_local()))
        .unwrap_or_default()
}
