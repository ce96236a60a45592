//! Server functions grouped by domain. Each begins with `auth::caller::authorize` (or, for
//! signing in and "who am I", with the session itself) and scopes every query to the
//! caller's company. Endpoints are named so tests and other clients can call them.

pub mod auth;
pub mod company;
pub mod dashboard;
pub mod entry;
pub mod home;
pub mod meters;
pub mod objects;
pub mod polling;
pub mod readings;
pub mod resident;
pub mod users;
