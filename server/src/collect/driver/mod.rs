//! Drivers: the conversation with one meter of a protocol over a [`Line`], from opening to
//! the values it gives. One file per protocol.

pub mod mbus;
pub mod mercury;
pub mod modbus;

use super::line::LineError;
use super::protocol::mbus::MbusError;
use super::protocol::mercury::{EnergyArray, MercuryError};
use super::protocol::modbus::ModbusError;
use super::protocol::Measurement;

/// What one meter gave in one poll.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Readout {
    pub measurements: Vec<Measurement>,
    /// The serial number the meter reported, to catch a meter swapped on the bus.
    pub serial: Option<String>,
    /// Energies of past periods a Mercury gave, to rebuild the records an outage missed.
    pub arrays: Vec<(EnergyArray, Vec<Measurement>)>,
    /// Why the periods asked were not all given (the registers now were read all the same).
    pub arrays_error: Option<String>,
    /// Values an M-Bus meter stored at past local times (its storage numbers).
    pub stored: Vec<(chrono::NaiveDateTime, Vec<Measurement>)>,
    /// A Mercury's event journals, when they were asked and read: every written record.
    pub journal: Option<Vec<(super::protocol::mercury::journal::Journal, super::protocol::mercury::journal::Record)>>,
    /// Why the journals asked were not read (the registers were, all the same).
    pub journal_error: Option<String>,
    /// The status byte an M-Bus meter sent with its values.
    pub status: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DriverError {
    #[error(transparent)]
    Line(#[from] LineError),
    #[error("Mercury: {0}")]
    Mercury(#[from] MercuryError),
    #[error("M-Bus: {0}")]
    Mbus(#[from] MbusError),
    #[error("Modbus: {0}")]
    Modbus(#[from] ModbusError),
    #[error("bus address {0:?} is not a number from 1 to 250")]
    Address(String),
    #[error("protocol {0:?} is not one the collector speaks")]
    Unsupported(String),
}

impl DriverError {
    /// Whether the meter did not answer at all (as opposed to answering wrongly).
    pub fn is_silence(&self) -> bool {
        matches!(self, DriverError::Line(LineError::NoAnswer))
    }
}

/// A primary bus address as configured on the meter card.
pub fn bus_address(text: &str) -> Result<u8, DriverError> {
    text.trim()
        .parse::<u8>()
        .ok()
        .filter(|a| (1..=250).contains(a))
        .ok_or_else(|| DriverError::Address(text.to_string()))
}
