//! A simulated Mercury 230/236: answers test link, open and close channel, serial number and
//! energy since reset per tariff, and refuses energy reads while its channel is closed, as
//! the real meter does. Energy grows with time when given a load.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{Device, Faults, RequestScan, Shared};
use crate::collect::protocol::mercury::{self as m, Status};

/// One simulated meter.
pub struct MercuryMeter {
    pub address: u8,
    /// Eight digits, two per byte on the wire.
    pub serial: [u8; 4],
    /// A+ since reset per tariff T1..T4, in Wh; the sum is theirs.
    pub energy_wh: [u64; 4],
    /// Wh per hour added to each tariff while the simulator runs.
    pub load_wh_per_hour: [u64; 4],
    /// R+ is kept as a fixed share of A+ (tenths), to show a second register.
    pub reactive_tenths: u64,
    pub password: [u8; 6],
    pub faults: Faults,
    open: bool,
    since: Instant,
}

impl MercuryMeter {
    pub fn new(address: u8, serial: u32, energy_wh: [u64; 4]) -> MercuryMeter {
        let s = serial % 100_000_000;
        MercuryMeter {
            address,
            serial: [
                (s / 1_000_000) as u8,
                (s / 10_000 % 100) as u8,
                (s / 100 % 100) as u8,
                (s % 100) as u8,
            ],
            energy_wh,
            load_wh_per_hour: [0; 4],
            reactive_tenths: 2,
            password: [1; 6],
            faults: Faults::default(),
            open: false,
            since: Instant::now(),
        }
    }

    pub fn shared(self) -> Shared {
        Arc::new(Mutex::new(self))
    }

    /// The registers now, in Wh, tariffs T1..T4.
    pub fn registers(&self) -> [u64; 4] {
        let hours_millis = self.since.elapsed().as_millis() as u64;
        let mut r = self.energy_wh;
        for (v, load) in r.iter_mut().zip(self.load_wh_per_hour) {
            *v += load * hours_millis / 3_600_000;
        }
        r
    }

    fn energy_reply(&self, tariff: u8) -> Vec<u8> {
        let r = self.registers();
        let a_plus = match tariff {
            0 => r.iter().sum(),
            t @ 1..=4 => r[t as usize - 1],
            _ => return self.status(Status::BadCommand),
        };
        let clamp = |v: u64| Some((v % 0xFFFF_FFFF) as u32);
        let mut f = vec![self.address];
        f.extend_from_slice(&m::register_bytes(clamp(a_plus)));
        f.extend_from_slice(&m::register_bytes(None));
        f.extend_from_slice(&m::register_bytes(clamp(
            a_plus * self.reactive_tenths / 10,
        )));
        f.extend_from_slice(&m::register_bytes(None));
        m::with_crc(f)
    }

    fn status(&self, s: Status) -> Vec<u8> {
        m::with_crc(vec![self.address, s.to_byte()])
    }
}

impl Device for MercuryMeter {
    fn answer(&mut self, req: &[u8]) -> Option<Vec<u8>> {
        let (&address, &command) = (req.first()?, req.get(1)?);
        if address != self.address && address != m::ANY_ADDRESS {
            return None;
        }
        Some(match command {
            0x00 => self.status(Status::Ok),
            0x01 => {
                let ok =
                    req.get(3..9) == Some(&self.password[..]) && matches!(req.get(2), Some(1 | 2));
                self.open = ok;
                self.status(if ok { Status::Ok } else { Status::AccessDenied })
            }
            0x02 => {
                self.open = false;
                self.status(Status::Ok)
            }
            _ if !self.open => self.status(Status::ChannelNotOpen),
            0x05 => match m::EnergyArray::from_byte(*req.get(2)?) {
                Some(m::EnergyArray::SinceReset) => self.energy_reply(*req.get(3)?),
                _ => self.status(Status::BadCommand),
            },
            0x08 if req.get(2) == Some(&0x00) => {
                let mut f = vec![self.address];
                f.extend_from_slice(&self.serial);
                f.extend_from_slice(&[15, 6, 21]);
                m::with_crc(f)
            }
            _ => self.status(Status::BadCommand),
        })
    }

    fn faults_mut(&mut self) -> &mut Faults {
        &mut self.faults
    }
}

/// Finds a whole Mercury request: its length follows from the command.
pub fn scan_request(buf: &[u8]) -> RequestScan {
    for start in 0..buf.len() {
        let Some(&command) = buf.get(start + 1) else {
            return RequestScan::Wait;
        };
        let len = match command {
            0x00 | 0x02 => 4,
            0x01 => 11,
            0x05 => 6,
            0x08 => 5,
            _ => continue,
        };
        let Some(frame) = buf.get(start..start + len) else {
            return RequestScan::Wait;
        };
        if m::crc_ok(frame) {
            return RequestScan::Frame(start..start + len);
        }
    }
    RequestScan::Wait
}
