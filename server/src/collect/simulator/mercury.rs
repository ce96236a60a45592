//! A simulated Mercury 230/236: answers test link, open and close channel, serial number,
//! energy since reset per tariff and the energy of today, yesterday and each of the last
//! twelve months by its own clock, and refuses energy reads while its channel is closed, as
//! the real meter does. It keeps event journals (power, cover, magnet) as a real one does,
//! ten records each, and calls a journal it was not given a bad command. Energy grows with time when given a load, and grew by a daily amount
//! before the simulator started, so its archives have a past.

use std::sync::{Arc, Mutex};

use chrono::{Datelike, Months, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::{Device, Faults, RequestScan, Shared};
use crate::collect::protocol::mercury::journal::{self as j, Journal};
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
    /// Wh per day each tariff grew by before the simulator started (before `past`, when
    /// that is given).
    pub daily_wh: [u64; 4],
    /// Registers the meter had at past moments (UTC milliseconds, oldest first): between
    /// them, and up to the start, the past is drawn as straight lines.
    pub past: Vec<(i64, [u64; 4])>,
    /// The meter's clock: its days and months begin at this zone's midnights.
    pub zone: Tz,
    /// Whether it keeps period energies; without, it refuses all but since reset (an older
    /// or cheaper model).
    pub archives: bool,
    /// Its event journals: the records of each, newest first (at most ten are kept).
    pub journals: Vec<(Journal, Vec<j::Record>)>,
    open: bool,
    /// When the simulator started, UTC milliseconds: `energy_wh` is the registers then.
    started_ms: i64,
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
            daily_wh: [0; 4],
            past: Vec::new(),
            zone: chrono_tz::Europe::Moscow,
            archives: true,
            journals: Vec::new(),
            open: false,
            started_ms: chrono::Utc::now().timestamp_millis(),
        }
    }

    pub fn shared(self) -> Shared {
        Arc::new(Mutex::new(self))
    }

    /// The registers now, in Wh, tariffs T1..T4.
    pub fn registers(&self) -> [u64; 4] {
        self.registers_at(chrono::Utc::now().timestamp_millis())
    }

    /// The registers at a moment (UTC milliseconds): grown by the load since the start, or
    /// less the daily growth before it.
    pub fn registers_at(&self, ms: i64) -> [u64; 4] {
        let mut r = self.energy_wh;
        let d = ms - self.started_ms;
        if d >= 0 {
            for t in 0..4 {
                r[t] += self.load_wh_per_hour[t] * d as u64 / 3_600_000;
            }
            return r;
        }
        // the known point at or before `ms` and the next one (the start is the last)
        let anchors: Vec<(i64, [u64; 4])> = self
            .past
            .iter()
            .copied()
            .filter(|(at, _)| *at < self.started_ms)
            .chain(std::iter::once((self.started_ms, self.energy_wh)))
            .collect();
        let next = anchors.iter().position(|(at, _)| *at > ms).unwrap_or(anchors.len() - 1);
        let (t1, v1) = anchors[next];
        if next == 0 {
            for t in 0..4 {
                r[t] = v1[t].saturating_sub(self.daily_wh[t] * (t1 - ms).unsigned_abs() / 86_400_000);
            }
            return r;
        }
        let (t0, v0) = anchors[next - 1];
        for t in 0..4 {
            let rise = v1[t].saturating_sub(v0[t]) as u128;
            let part = rise * (ms - t0) as u128 / (t1 - t0).max(1) as u128;
            r[t] = v0[t] + part as u64;
        }
        r
    }

    /// The registers at a local midnight of the meter's clock.
    pub fn registers_on(&self, day: NaiveDate) -> [u64; 4] {
        let ms = self
            .zone
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .earliest()
            .map_or(0, |t| t.timestamp_millis());
        self.registers_at(ms)
    }

    /// Energy of a period by the meter's clock, per tariff: between two of its midnights, or
    /// from one to now.
    fn period_energy(&self, array: m::EnergyArray) -> Option<[u64; 4]> {
        let now = self.registers();
        let today = chrono::Utc::now().with_timezone(&self.zone).date_naive();
        let (from, to) = match array {
            m::EnergyArray::SinceReset => return Some(now),
            _ if !self.archives => return None,
            m::EnergyArray::Today => (self.registers_on(today), now),
            m::EnergyArray::Yesterday => (self.registers_on(today.pred_opt()?), self.registers_on(today)),
            m::EnergyArray::Month(month) => {
                let this = today.with_day(1)?;
                let back = (this.month() + 12 - month as u32) % 12;
                let start = this.checked_sub_months(Months::new(back))?;
                let end = if back == 0 { now } else { self.registers_on(start.checked_add_months(Months::new(1))?) };
                (self.registers_on(start), end)
            }
            m::EnergyArray::CurrentYear | m::EnergyArray::PreviousYear => return None,
        };
        let mut e = [0; 4];
        for t in 0..4 {
            e[t] = to[t].saturating_sub(from[t]);
        }
        Some(e)
    }

    fn energy_reply(&self, array: m::EnergyArray, tariff: u8) -> Vec<u8> {
        let Some(r) = self.period_energy(array) else {
            return self.status(Status::BadCommand);
        };
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
                Some(array) => self.energy_reply(array, *req.get(3)?),
                None => self.status(Status::BadCommand),
            },
            0x04 => {
                let (number, record) = (*req.get(2)?, *req.get(3)?);
                let kept = Journal::from_number(number).and_then(|jn| self.journals.iter().find(|(k, _)| *k == jn));
                match kept {
                    Some((_, records)) if record < j::RECORDS => {
                        let r = records.get(record as usize);
                        let mut f = vec![self.address];
                        f.extend_from_slice(&j::time_bytes(r.map(|r| r.began)));
                        f.extend_from_slice(&j::time_bytes(r.and_then(|r| r.ended)));
                        m::with_crc(f)
                    }
                    _ => self.status(Status::BadCommand),
                }
            }
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
            0x04 | 0x05 => 6,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_past_is_drawn_through_the_known_registers_and_the_daily_growth_before_them() {
        let mut m = MercuryMeter::new(1, 1, [10_000, 0, 0, 0]);
        let start = m.started_ms;
        let day = 86_400_000;
        m.daily_wh = [100, 0, 0, 0];
        m.past = vec![(start - 10 * day, [8_000, 0, 0, 0]), (start - 2 * day, [9_000, 0, 0, 0])];
        assert_eq!(m.registers_at(start - 6 * day)[0], 8_500, "halfway between two known points");
        assert_eq!(m.registers_at(start - day)[0], 9_500, "halfway to the start");
        assert_eq!(m.registers_at(start - 12 * day)[0], 7_800, "daily growth before the first");
        assert_eq!(m.registers_at(start)[0], 10_000);
    }
}
