//! A Mercury's event journals (command 0x04): the meter keeps the last ten times each
//! condition began and ended — its power went off and came back, its cover was opened and
//! closed, a magnet was held to it and taken away. Request `[address] 04 [journal] [record]`,
//! record 0–9; the reply holds two times, each six BCD bytes `ss mm hh DD MM YY` in the
//! meter's clock: when the condition began, and when it ended (zeros while it lasts, and for
//! a record never written). Journal numbers as the Incotex protocol lists them (1 power,
//! 0x12 cover, 0x1A magnetic field); the order of the two times is the sources' reading of
//! it and wants checking against a meter on the bench.

use chrono::{NaiveDate, NaiveDateTime};

use super::{with_crc, MercuryError};

/// Length of a journal record reply: address, two six-byte times, CRC.
pub const JOURNAL_LEN: usize = 15;
/// Records each journal keeps.
pub const RECORDS: u8 = 10;

/// A journal the collector reads: each is a condition that a dispatcher must hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Journal {
    /// The meter lost power (the flat's supply, or someone cut it off the meter).
    Power,
    /// The meter's cover was opened: a seal broken, a tampering.
    Cover,
    /// A magnetic field on the meter: the common way to slow one down.
    Magnet,
}

impl Journal {
    pub const ALL: [Journal; 3] = [Journal::Power, Journal::Cover, Journal::Magnet];

    pub fn number(self) -> u8 {
        match self {
            Journal::Power => 0x01,
            Journal::Cover => 0x12,
            Journal::Magnet => 0x1A,
        }
    }

    pub fn from_number(n: u8) -> Option<Journal> {
        Journal::ALL.into_iter().find(|j| j.number() == n)
    }
}

/// Asks for record `record` (0–9) of a journal.
pub fn read_journal(address: u8, journal: Journal, record: u8) -> Vec<u8> {
    with_crc(vec![address, 0x04, journal.number(), record])
}

/// One record: when the condition began and when it ended, in the meter's clock. `None`
/// for a record never written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub began: NaiveDateTime,
    /// `None` while the condition lasts.
    pub ended: Option<NaiveDateTime>,
}

fn bcd(b: u8) -> Option<u32> {
    let (hi, lo) = (b >> 4, b & 0x0F);
    (hi < 10 && lo < 10).then_some((hi * 10 + lo) as u32)
}

fn to_bcd(n: u32) -> u8 {
    (((n / 10) % 10) << 4 | (n % 10)) as u8
}

/// Six BCD bytes `ss mm hh DD MM YY` as a time; `Ok(None)` when all are zero (not written).
fn time(b: &[u8]) -> Result<Option<NaiveDateTime>, MercuryError> {
    if b.iter().all(|&x| x == 0) {
        return Ok(None);
    }
    let bad = || MercuryError::Time(b.to_vec());
    let v: Vec<u32> = b.iter().map(|&x| bcd(x)).collect::<Option<_>>().ok_or_else(bad)?;
    NaiveDate::from_ymd_opt(2000 + v[5] as i32, v[4], v[3])
        .and_then(|d| d.and_hms_opt(v[2], v[1], v[0]))
        .map(Some)
        .ok_or_else(bad)
}

/// The six bytes of a time, as the meter writes them (the simulator's side).
pub fn time_bytes(t: Option<NaiveDateTime>) -> [u8; 6] {
    use chrono::{Datelike, Timelike};
    match t {
        None => [0; 6],
        Some(t) => [
            to_bcd(t.second()),
            to_bcd(t.minute()),
            to_bcd(t.hour()),
            to_bcd(t.day()),
            to_bcd(t.month()),
            to_bcd(t.year().rem_euclid(100) as u32),
        ],
    }
}

/// Decodes the twelve data bytes of a journal reply. A record with no beginning is one
/// never written; an end before its beginning is the meter's garbage, not an event.
pub fn decode_journal(data: &[u8]) -> Result<Option<Record>, MercuryError> {
    if data.len() != 12 {
        return Err(MercuryError::Length {
            got: data.len() + 3,
            expected: JOURNAL_LEN,
        });
    }
    let (Some(began), ended) = (time(&data[..6])?, time(&data[6..])?) else {
        return Ok(None);
    };
    if ended.is_some_and(|e| e < began) {
        return Err(MercuryError::Time(data.to_vec()));
    }
    Ok(Some(Record { began, ended }))
}

#[cfg(test)]
mod tests {
    use super::super::{check_reply, crc16, expected_reply_len};
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%d.%m.%Y %H:%M:%S").unwrap()
    }

    #[test]
    fn a_journal_request_names_the_journal_and_the_record_and_expects_fifteen_bytes() {
        let f = read_journal(0x2A, Journal::Cover, 3);
        assert_eq!(&f[..4], &[0x2A, 0x04, 0x12, 0x03]);
        assert_eq!(u16::from_le_bytes([f[4], f[5]]), crc16(&f[..4]));
        assert_eq!(expected_reply_len(&f), Some(JOURNAL_LEN));
        assert_eq!(Journal::from_number(0x1A), Some(Journal::Magnet));
        assert_eq!(Journal::from_number(0x02), None);
    }

    #[test]
    fn a_record_reads_its_two_times_from_bcd() {
        // cover opened 03.12.2026 14:03:27, closed 14:07:05
        let mut reply = vec![0x2A, 0x27, 0x03, 0x14, 0x03, 0x12, 0x26, 0x05, 0x07, 0x14, 0x03, 0x12, 0x26];
        reply = with_crc(reply);
        let data = check_reply(0x2A, &reply, JOURNAL_LEN).unwrap();
        let r = decode_journal(data).unwrap().unwrap();
        assert_eq!(r.began, at("03.12.2026 14:03:27"));
        assert_eq!(r.ended, Some(at("03.12.2026 14:07:05")));
        let back: Vec<u8> = [time_bytes(Some(r.began)), time_bytes(r.ended)].concat();
        assert_eq!(back, data);
    }

    #[test]
    fn a_condition_still_lasting_has_no_end_and_an_empty_record_is_none() {
        let mut data = time_bytes(Some(at("06.12.2026 23:59:59"))).to_vec();
        data.extend_from_slice(&[0; 6]);
        assert_eq!(decode_journal(&data).unwrap().unwrap().ended, None);
        assert_eq!(decode_journal(&[0; 12]).unwrap(), None);
    }

    #[test]
    fn garbage_in_a_record_is_an_error_not_an_event() {
        // not BCD
        assert!(matches!(decode_journal(&[0xFF; 12]), Err(MercuryError::Time(_))));
        // 31 February
        let mut data = vec![0x00, 0x00, 0x12, 0x31, 0x02, 0x26];
        data.extend_from_slice(&[0; 6]);
        assert!(matches!(decode_journal(&data), Err(MercuryError::Time(_))));
        // ended before it began
        let mut data = time_bytes(Some(at("03.12.2026 14:00:00"))).to_vec();
        data.extend_from_slice(&time_bytes(Some(at("03.12.2026 13:00:00"))));
        assert!(decode_journal(&data).is_err());
        // too short
        assert!(matches!(decode_journal(&[0x01; 5]), Err(MercuryError::Length { .. })));
    }
}
