//! Types shared by the server and the browser.

pub mod amount;
pub mod api;
pub mod archive;
pub mod audit;
pub mod billing;
pub mod building;
pub mod cabinet;
pub mod capacity;
pub mod cell;
pub mod company;
pub mod dashboard;
pub mod entry;
pub mod field;
pub mod format;
pub mod key_map;
pub mod import;
pub mod iso_date;
pub mod menu;
pub mod meter_card;
pub mod not_polled;
pub mod notice;
pub mod period;
pub mod polling;
pub mod readings_table;
pub mod reports;
pub mod request;
pub mod requisites;
pub mod resource;
pub mod role;
pub mod subscribers;
pub mod text;
pub mod verification;
pub mod views;

pub use amount::Amount;
pub use resource::{MeterState, Placement, Resource};
pub use role::{Permission, Role};
