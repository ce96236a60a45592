//! File exports of tables: one sheet model written as Excel (.xlsx) or CSV, so every list
//! offers both and they never disagree.

pub mod archive;
pub mod audit;
pub mod balance;
pub mod billing;
pub mod communicators;
pub mod consumption;
pub mod inventory;
pub mod monitoring;
pub mod not_polled;
pub mod pdf;
pub mod polling;
pub mod readings;
pub mod reports;
pub mod requests;
pub mod verification;
pub mod sheet;
pub mod subscribers;

pub use sheet::{Cell, Sheet};

/// What a list of one building or of all is of, for a file's title: the building's name or
/// «Все дома».
pub fn scope(objects: &[(i64, String)], object_id: Option<i64>, lang: crate::i18n::Lang) -> String {
    object_id
        .and_then(|id| objects.iter().find(|(o, _)| *o == id))
        .map(|(_, name)| name.clone())
        .unwrap_or_else(|| crate::i18n::Msg::NpAllObjects.text(lang).to_string())
}
