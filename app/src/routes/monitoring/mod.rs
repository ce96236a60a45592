//! Monitoring: what went wrong and what the collector did — abnormal situations, the event
//! journal, meters not polled and the polling console.

pub mod abnormal;
pub mod events;
pub mod not_polled;
pub mod polling;
