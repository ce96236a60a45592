//! Serial ports: an RS-485 adapter (8N1, 9600 by default) or an M-Bus level converter (8E1,
//! 2400 by default), through tokio-serial.

use app::storage::communicator::Communicator;
use tokio_serial::{DataBits, Parity, SerialPortBuilderExt, SerialStream, StopBits};

use super::TransportError;

pub fn open(c: &Communicator) -> Result<SerialStream, TransportError> {
    let mbus = c.line == "mbus";
    let default_baud = if mbus { 2400 } else { 9600 };
    let baud = c
        .baud_rate
        .and_then(|b| u32::try_from(b).ok())
        .filter(|&b| b > 0)
        .unwrap_or(default_baud);
    if c.serial_port.is_empty() {
        return Err(TransportError::Open {
            line: c.line.clone(),
            message: "no serial port set".into(),
        });
    }
    tokio_serial::new(&c.serial_port, baud)
        .data_bits(DataBits::Eight)
        .parity(if mbus { Parity::Even } else { Parity::None })
        .stop_bits(StopBits::One)
        .open_native_async()
        .map_err(|e| TransportError::Open {
            line: c.line.clone(),
            message: format!("{}: {e}", c.serial_port),
        })
}
