//! Server functions grouped by domain. Each begins with `auth::caller::authorize` (or, for
//! signing in and "who am I", with the session itself) and scopes every query to the
//! caller's company. Endpoints are named so tests and other clients can call them.

pub mod activation;
pub mod alerts;
pub mod api;
pub mod auth;
pub mod balance;
pub mod billing;
pub mod badges;
pub mod cabinet;
pub mod company;
pub mod communicators;
pub mod consumption;
pub mod dashboard;
pub mod deviation;
pub mod entry;
pub mod home;
pub mod inventory;
pub mod meter_form;
pub mod meters;
pub mod monitoring;
pub mod notices;
pub mod objects;
pub mod period;
pub mod polling;
pub mod premises;
pub mod readings;
pub mod registration;
pub mod reports;
pub mod requests;
pub mod season;
pub mod setup;
pub mod subscribers;
pub mod verification;
pub mod users;
