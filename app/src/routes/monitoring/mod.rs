//! Monitoring: what went wrong and what the collector did — abnormal situations, the event
//! journal, the map of meters, LoRa sessions, data arrival, alerts, meters not polled and the polling console.

pub mod abnormal;
pub mod alerts;
pub mod arrival;
pub mod deviations;
pub mod events;
pub mod lora;
pub mod map;
pub mod not_polled;
pub mod polling;
