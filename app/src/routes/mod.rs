//! Pages, one file each, grouped by area.

pub mod account;
pub mod balance;
pub mod billing;
pub mod building;
pub mod building_norms;
pub mod consumption;
pub mod dashboard;
pub mod entry;
pub mod field;
pub mod home;
pub mod login;
pub mod meter;
pub mod meter_archive;
pub mod monitoring;
pub mod not_found;
pub mod objects;
pub mod readings;
pub mod register;
pub mod reports;
pub mod reset;
pub mod setup;
pub mod resident;
pub mod service;
pub mod settings;
pub mod split;
pub mod subscribers;
