//! «Выгрузка в биллинг» (issue 28): the runs of the monthly export and each run's protocol.

pub mod export;
pub mod protocol;

/// A period as `<input type="month">` writes it: `2026-11`.
pub fn month_value(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}", d.year(), d.month())
}
