//! Types shared by the server and the browser.

pub mod capacity;
pub mod format;
pub mod menu;
pub mod resource;
pub mod role;
pub mod views;

pub use resource::{MeterState, Placement, Resource};
pub use role::{Permission, Role};
