//! A simulated wired M-Bus meter: a heat meter (energy in Mcal, volume, flow and return
//! temperatures, and energy at the end of last month, dated) or a water meter (volume). It acknowledges SND_NKE and
//! answers REQ_UD2 with an RSP_UD long frame; readings grow with time when given a load.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{Datelike, Timelike};

use super::{Device, Faults, RequestScan, Shared};
use crate::collect::protocol::mbus::{self, ACK};
pub use crate::collect::protocol::mbus::status::POWER_LOW;

/// What the meter measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    Heat,
    ColdWater,
    HotWater,
}

pub struct MbusMeter {
    pub address: u8,
    pub identification: u32,
    pub medium: Medium,
    /// Heat energy in Mcal (thousandths of a Gcal).
    pub energy_mcal: u64,
    /// Volume in litres.
    pub volume_l: u64,
    /// Per hour while the simulator runs.
    pub load_mcal_per_hour: u64,
    pub load_l_per_hour: u64,
    /// Tenths of a degree.
    pub t_supply: i16,
    pub t_return: i16,
    /// Heat energy stored at the end of last month (storage 1), Mcal; nine tenths of the
    /// energy now when not set.
    pub month_end_mcal: Option<u64>,
    /// The status byte of its replies (EN 13757-3: 0x04 power low, 0x08 permanent error,
    /// 0x10 temporary error).
    pub status: u8,
    pub faults: Faults,
    access: u8,
    since: Instant,
}

impl MbusMeter {
    pub fn new(address: u8, identification: u32, medium: Medium) -> MbusMeter {
        MbusMeter {
            address,
            identification,
            medium,
            energy_mcal: 0,
            volume_l: 0,
            load_mcal_per_hour: 0,
            load_l_per_hour: 0,
            t_supply: 752,
            t_return: 481,
            month_end_mcal: None,
            status: 0,
            faults: Faults::default(),
            access: 0,
            since: Instant::now(),
        }
    }

    pub fn shared(self) -> Shared {
        Arc::new(Mutex::new(self))
    }

    /// Energy (Mcal) and volume (l) now.
    pub fn registers(&self) -> (u64, u64) {
        let ms = self.since.elapsed().as_millis() as u64;
        (
            self.energy_mcal + self.load_mcal_per_hour * ms / 3_600_000,
            self.volume_l + self.load_l_per_hour * ms / 3_600_000,
        )
    }

    fn data(&mut self) -> Vec<u8> {
        self.access = self.access.wrapping_add(1);
        let (energy, volume) = self.registers();
        let medium = match self.medium {
            Medium::Heat => 0x04,
            Medium::ColdWater => 0x16,
            Medium::HotWater => 0x06,
        };
        // Header: identification (BCD), manufacturer "UCH", version, medium, access, status,
        // signature.
        let mut d = mbus::bcd_bytes(self.identification as u64, 4);
        let man: u16 = ((b'U' - 64) as u16) << 10 | ((b'C' - 64) as u16) << 5 | (b'H' - 64) as u16;
        d.extend_from_slice(&man.to_le_bytes());
        d.extend_from_slice(&[0x01, medium, self.access, self.status, 0x00, 0x00]);
        if self.medium == Medium::Heat {
            // Energy, 10^6 cal = 1 Mcal, 32-bit integer.
            d.extend_from_slice(&[0x04, 0xFB, 0x0D]);
            d.extend_from_slice(&(energy as u32).to_le_bytes());
        }
        // Volume, 10^-3 m³, 8-digit BCD.
        d.extend_from_slice(&[0x0C, 0x13]);
        d.extend_from_slice(&mbus::bcd_bytes(volume, 4));
        if self.medium == Medium::Heat {
            d.extend_from_slice(&[0x02, 0x5A]);
            d.extend_from_slice(&self.t_supply.to_le_bytes());
            d.extend_from_slice(&[0x02, 0x5E]);
            d.extend_from_slice(&self.t_return.to_le_bytes());
            // Storage 1: energy at the end of last month, and that day (type G date).
            d.extend_from_slice(&[0x44, 0xFB, 0x0D]);
            let stored = self.month_end_mcal.unwrap_or(energy * 9 / 10);
            d.extend_from_slice(&(stored as u32).to_le_bytes());
            let local = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive();
            if let Some(end) = local.with_day(1).and_then(|d| d.pred_opt()) {
                d.extend_from_slice(&[0x42, 0x6C]);
                d.extend_from_slice(&mbus::date_g_bytes(end.year() as u32, end.month() as u8, end.day() as u8));
            }
        }
        let now = chrono::Utc::now();
        d.extend_from_slice(&[0x04, 0x6D]);
        d.extend_from_slice(&mbus::date_time_f_bytes(
            now.year() as u32,
            now.month() as u8,
            now.day() as u8,
            now.hour() as u8,
            now.minute() as u8,
        ));
        d
    }
}

impl Device for MbusMeter {
    fn answer(&mut self, req: &[u8]) -> Option<Vec<u8>> {
        if req.len() != 5 || req[0] != 0x10 || req[2] != self.address {
            return None;
        }
        match req[1] {
            0x40 => Some(vec![ACK]),
            0x5B | 0x7B => {
                let data = self.data();
                Some(mbus::long_frame(0x08, self.address, 0x72, &data))
            }
            _ => None,
        }
    }

    fn faults_mut(&mut self) -> &mut Faults {
        &mut self.faults
    }
}

/// Finds a whole M-Bus request (a short frame; long frames are not asked of meters here).
pub fn scan_request(buf: &[u8]) -> RequestScan {
    match mbus::scan(buf) {
        mbus::Scan::Frame { start, end } => RequestScan::Frame(start..end),
        _ => RequestScan::Wait,
    }
}
