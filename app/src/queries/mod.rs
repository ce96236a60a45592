//! Read models: what pages and file exports show, assembled from storage (and, where it is
//! consumption, from the engine). Server functions and download handlers share these, so a
//! table on screen and its Excel file always hold the same rows.

pub mod dashboard;
pub mod entry_sheet;
pub mod field_sheet;
pub mod history;
pub mod console;
pub mod meter_card;
pub mod not_polled;
pub mod readings_table;
