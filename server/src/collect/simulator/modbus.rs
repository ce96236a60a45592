//! A simulated Modbus device: holding and input registers that answer functions 0x03 and
//! 0x04 in RTU framing (on a pseudo-terminal or behind a transparent modem) or in Modbus
//! TCP framing, with exceptions for what it does not have. Written from the Modbus
//! specification, not with tokio-modbus, so the collector's client is checked against an
//! independent peer. Values grow with a load per hour, like a real meter's.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{Device, Faults, RequestScan, Shared};
use crate::collect::driver::modbus::Framing;
use crate::collect::protocol::modbus::Table;

const CRC: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_MODBUS);

/// Exception codes the device answers with.
const ILLEGAL_FUNCTION: u8 = 0x01;
const ILLEGAL_ADDRESS: u8 = 0x02;

/// A 32-bit value that grows: stored at `address` of `table`, high word first unless
/// `swapped`.
#[derive(Clone, Debug)]
pub struct Counter {
    pub table: Table,
    pub address: u16,
    pub swapped: bool,
    pub value: u32,
    pub per_hour: u32,
}

pub struct ModbusDevice {
    pub unit: u8,
    pub framing: Framing,
    /// Fixed registers (temperatures, hours…).
    pub registers: BTreeMap<(Table, u16), u16>,
    pub counters: Vec<Counter>,
    pub faults: Faults,
    since: Instant,
}

impl ModbusDevice {
    pub fn new(unit: u8, framing: Framing) -> ModbusDevice {
        ModbusDevice {
            unit,
            framing,
            registers: BTreeMap::new(),
            counters: Vec::new(),
            faults: Faults::default(),
            since: Instant::now(),
        }
    }

    pub fn shared(self) -> Shared {
        Arc::new(Mutex::new(self))
    }

    /// A counter of `value` at `address` (two words).
    pub fn counter(mut self, table: Table, address: u16, value: u32, per_hour: u32, swapped: bool) -> Self {
        self.counters.push(Counter {
            table,
            address,
            swapped,
            value,
            per_hour,
        });
        self
    }

    pub fn register(mut self, table: Table, address: u16, value: u16) -> Self {
        self.registers.insert((table, address), value);
        self
    }

    /// Every word the device has now.
    fn words(&self) -> BTreeMap<(Table, u16), u16> {
        let mut all = self.registers.clone();
        let hours = self.since.elapsed().as_secs_f64() / 3600.0;
        for c in &self.counters {
            let v = c.value.wrapping_add((c.per_hour as f64 * hours) as u32);
            let (hi, lo) = ((v >> 16) as u16, v as u16);
            let (first, second) = if c.swapped { (lo, hi) } else { (hi, lo) };
            all.insert((c.table, c.address), first);
            all.insert((c.table, c.address + 1), second);
        }
        all
    }

    /// The PDU answering a request PDU: the data, or an exception.
    fn respond(&self, pdu: &[u8]) -> Vec<u8> {
        let Some(&function) = pdu.first() else {
            return vec![0x80, ILLEGAL_FUNCTION];
        };
        let table = match function {
            0x03 => Table::Holding,
            0x04 => Table::Input,
            f => return vec![f | 0x80, ILLEGAL_FUNCTION],
        };
        if pdu.len() < 5 {
            return vec![function | 0x80, ILLEGAL_ADDRESS];
        }
        let start = u16::from_be_bytes([pdu[1], pdu[2]]);
        let count = u16::from_be_bytes([pdu[3], pdu[4]]);
        if count == 0 || count > 125 {
            return vec![function | 0x80, ILLEGAL_ADDRESS];
        }
        let words = self.words();
        let mut out = vec![function, (count * 2) as u8];
        for a in start..start.saturating_add(count) {
            match words.get(&(table, a)) {
                Some(w) => out.extend_from_slice(&w.to_be_bytes()),
                None => return vec![function | 0x80, ILLEGAL_ADDRESS],
            }
        }
        out
    }
}

impl Device for ModbusDevice {
    fn answer(&mut self, request: &[u8]) -> Option<Vec<u8>> {
        match self.framing {
            Framing::Rtu => {
                let (&unit, rest) = request.split_first()?;
                if unit != self.unit {
                    return None;
                }
                let pdu = &rest[..rest.len().checked_sub(2)?];
                let mut reply = vec![unit];
                reply.extend(self.respond(pdu));
                let crc = CRC.checksum(&reply);
                reply.extend_from_slice(&crc.to_le_bytes());
                Some(reply)
            }
            Framing::Tcp => {
                if request.len() < 8 || request[6] != self.unit {
                    return None;
                }
                let pdu = self.respond(&request[7..]);
                let mut reply = request[..4].to_vec();
                reply.extend_from_slice(&((pdu.len() + 1) as u16).to_be_bytes());
                reply.push(self.unit);
                reply.extend(pdu);
                Some(reply)
            }
        }
    }

    fn faults_mut(&mut self) -> &mut Faults {
        &mut self.faults
    }
}

/// An RTU request is 8 bytes (address, function, start, count, CRC) for the functions the
/// device reads; bytes before a frame whose CRC checks are noise and are dropped.
pub fn scan_rtu(buf: &[u8]) -> RequestScan {
    for start in 0..buf.len() {
        let end = start + 8;
        if end > buf.len() {
            return RequestScan::Wait;
        }
        let frame = &buf[start..end];
        let crc = u16::from_le_bytes([frame[6], frame[7]]);
        if CRC.checksum(&frame[..6]) == crc {
            return RequestScan::Frame(start..end);
        }
    }
    RequestScan::Wait
}

/// A Modbus TCP request: its MBAP header says its length.
pub fn scan_tcp(buf: &[u8]) -> RequestScan {
    if buf.len() < 6 {
        return RequestScan::Wait;
    }
    let len = u16::from_be_bytes([buf[4], buf[5]]) as usize;
    if buf.len() < 6 + len {
        return RequestScan::Wait;
    }
    RequestScan::Frame(0..6 + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_rtu_read_of_holding_registers_is_answered_with_its_words_and_crc() {
        let mut d = ModbusDevice::new(7, Framing::Rtu).counter(Table::Holding, 0, 0x0001_E240, 0, false);
        // 07 03 0000 0002 + CRC
        let mut req = vec![7, 3, 0, 0, 0, 2];
        req.extend_from_slice(&CRC.checksum(&req).to_le_bytes());
        assert!(matches!(scan_rtu(&req), RequestScan::Frame(r) if r == (0..8)));
        let reply = d.answer(&req).unwrap();
        assert_eq!(&reply[..7], &[7, 3, 4, 0x00, 0x01, 0xE2, 0x40]);
        assert_eq!(CRC.checksum(&reply[..7]).to_le_bytes(), [reply[7], reply[8]]);
        // another address stays quiet; a missing register is an exception
        req[0] = 8;
        assert!(d.answer(&req).is_none());
        let mut missing = vec![7, 4, 0, 50, 0, 1];
        missing.extend_from_slice(&CRC.checksum(&missing).to_le_bytes());
        assert_eq!(&d.answer(&missing).unwrap()[..3], &[7, 0x84, ILLEGAL_ADDRESS]);
    }

    #[test]
    fn a_tcp_request_is_answered_under_its_transaction() {
        let mut d = ModbusDevice::new(1, Framing::Tcp).register(Table::Input, 10, 0x1234);
        let req = [0x00, 0x2A, 0, 0, 0, 6, 1, 4, 0, 10, 0, 1];
        assert!(matches!(scan_tcp(&req), RequestScan::Frame(r) if r == (0..12)));
        assert_eq!(d.answer(&req).unwrap(), vec![0x00, 0x2A, 0, 0, 0, 5, 1, 4, 2, 0x12, 0x34]);
    }
}
