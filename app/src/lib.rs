//! Uchet's shared application: pages and components rendered on the server and hydrated in
//! the browser, the server functions behind them, and (server side only) storage and auth.
// Leptos views are deeply nested types; wide tables need more than the default 128.
#![recursion_limit = "256"]

pub mod components;
pub mod errors;
pub mod functions;
pub mod i18n;
pub mod models;
pub mod offline;
pub mod prefs;
pub mod resource;
pub mod routes;
pub mod shell;

#[cfg(feature = "ssr")]
pub mod attachments;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod balance;
#[cfg(feature = "ssr")]
pub mod consumption;
#[cfg(feature = "ssr")]
pub mod exports;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod ingest;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod monitoring;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod rollup;
#[cfg(feature = "ssr")]
pub mod storage;

pub use shell::{shell, App};
