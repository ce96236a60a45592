//! The residents' cabinet (F44): premises, readings, consumption, requests, notices.

pub mod consumption;
pub mod notices;
pub mod premises;
pub mod readings;
pub mod requests;
