//! File exports of tables: one sheet model written as Excel (.xlsx) or CSV, so every list
//! offers both and they never disagree.

pub mod archive;
pub mod audit;
pub mod not_polled;
pub mod polling;
pub mod readings;
pub mod requests;
pub mod sheet;
pub mod subscribers;

pub use sheet::{Cell, Sheet};
