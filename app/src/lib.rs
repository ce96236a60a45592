//! Uchet's shared application: pages and components rendered on the server and hydrated in
//! the browser, the server functions behind them, and (server side only) storage and auth.

pub mod components;
pub mod errors;
pub mod functions;
pub mod i18n;
pub mod models;
pub mod prefs;
pub mod routes;
pub mod shell;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod consumption;
#[cfg(feature = "ssr")]
pub mod exports;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod storage;

pub use shell::{shell, App};
