//! Uchet's integration tests, one module per area, in one test binary: each binary links
//! the whole server, so one binary instead of thirty saves most of the suite's compile time
//! on a fresh machine (each storage test still runs on SQLite and on PostgreSQL).
//! Run one area with `cargo test --release -p server --test suite monitoring::`.

#[macro_use]
mod common;

mod alerts;
mod api;
mod archive;
mod arrival;
mod audit;
mod authorization;
mod balance;
mod billing;
mod cabinet;
mod collect;
mod communicators;
mod console;
mod consumption;
mod dashboard;
mod demo;
mod deviation;
mod entry;
mod field;
mod first_start;
mod inventory;
mod leptos_toml;
mod lora;
mod map;
mod meter_form;
mod modbus;
mod premises;
mod monitoring;
mod readings;
mod requests;
mod reports;
mod season;
mod sign_in;
mod subscribers;
mod uplinks;
mod users;
mod verification;
