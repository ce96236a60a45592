//! Serial ports: an RS-485 adapter (8N1, 9600 by default) or an M-Bus level converter (8E1,
//! 2400 by default), through tokio-serial; a line's own speed and parity win.

use app::storage::communicator::Communicator;
use tokio_serial::{DataBits, Parity, SerialPortBuilderExt, SerialStream, StopBits};

use super::TransportError;

/// The line's parity as «Коммуникаторы» set it, else its usual one (M-Bus even, RS-485 none).
fn parity(c: &Communicator) -> Parity {
    match c.parity.as_str() {
        "none" => Parity::None,
        "even" => Parity::Even,
        "odd" => Parity::Odd,
        _ if c.line == "mbus" => Parity::Even,
        _ => Parity::None,
    }
}

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
        .parity(parity(c))
        .stop_bits(StopBits::One)
        .open_native_async()
        .map_err(|e| TransportError::Open {
            line: c.line.clone(),
            message: format!("{}: {e}", c.serial_port),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_keeps_its_own_parity_or_its_kinds_usual_one() {
        let line = |line: &str, parity: &str| Communicator { line: line.into(), parity: parity.into(), ..Default::default() };
        assert_eq!(parity(&line("mbus", "")), Parity::Even);
        assert_eq!(parity(&line("rs485", "")), Parity::None);
        assert_eq!(parity(&line("rs485", "odd")), Parity::Odd);
        assert_eq!(parity(&line("mbus", "none")), Parity::None);
    }
}
