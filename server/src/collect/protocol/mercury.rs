//! Mercury 230 / 231 / 234 / 236 (Incotex) over RS-485, from the Incotex exchange protocol:
//! `[address][command][parameters…][CRC lo][CRC hi]`, CRC-16/Modbus over all bytes before it.
//! A reply is `[address][data…][CRC]`; a 4-byte reply is a status.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{scaled, Measurement};

pub mod journal;

/// Any meter answers (point to point only).
pub const ANY_ADDRESS: u8 = 0;
/// Every meter listens, none answers.
pub const BROADCAST: u8 = 0xFE;
/// Length of a status reply: address, status, CRC.
pub const STATUS_LEN: usize = 4;
/// Length of an energy reply: address, A+ A− R+ R− (4 bytes each), CRC.
pub const ENERGY_LEN: usize = 19;
/// Length of the serial number reply: address, 4 serial bytes, 3 date bytes, CRC.
pub const SERIAL_LEN: usize = 10;

const CRC: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_MODBUS);

/// What can be wrong with a reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MercuryError {
    #[error("reply too short: {0} bytes")]
    Short(usize),
    #[error("reply of {got} bytes where {expected} were expected")]
    Length { got: usize, expected: usize },
    #[error("CRC mismatch: frame says {stated:04X}, bytes give {computed:04X}")]
    Crc { stated: u16, computed: u16 },
    #[error("reply from address {got} to a request for {expected}")]
    Address { got: u8, expected: u8 },
    #[error("meter refused: {0}")]
    Status(Status),
    #[error("serial number bytes are not decimal: {0:02X?}")]
    Serial([u8; 4]),
    #[error("journal record is not a time: {0:02X?}")]
    Time(Vec<u8>),
}

/// A status the meter answers instead of data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Ok,
    BadCommand,
    InternalError,
    AccessDenied,
    ClockAlreadyCorrected,
    ChannelNotOpen,
    Unknown(u8),
}

impl Status {
    pub fn from_byte(b: u8) -> Status {
        match b & 0x0F {
            0 => Status::Ok,
            1 => Status::BadCommand,
            2 => Status::InternalError,
            3 => Status::AccessDenied,
            4 => Status::ClockAlreadyCorrected,
            5 => Status::ChannelNotOpen,
            _ => Status::Unknown(b),
        }
    }

    pub fn to_byte(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::BadCommand => 1,
            Status::InternalError => 2,
            Status::AccessDenied => 3,
            Status::ClockAlreadyCorrected => 4,
            Status::ChannelNotOpen => 5,
            Status::Unknown(b) => b,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Ok => "OK",
            Status::BadCommand => "bad command or parameter",
            Status::InternalError => "internal error",
            Status::AccessDenied => "access level too low",
            Status::ClockAlreadyCorrected => "clock already corrected today",
            Status::ChannelNotOpen => "channel not open",
            Status::Unknown(_) => "unknown status",
        })
    }
}

/// Access level of an open channel: 1 reads, 2 also writes settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    User = 1,
    Admin = 2,
}

/// Which energy register an energy read asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum EnergyArray {
    SinceReset,
    CurrentYear,
    PreviousYear,
    /// Month 1–12: the latest such month of the last twelve (this month's so far).
    Month(u8),
    Today,
    Yesterday,
}

impl EnergyArray {
    fn byte(self) -> u8 {
        match self {
            EnergyArray::SinceReset => 0x00,
            EnergyArray::CurrentYear => 0x10,
            EnergyArray::PreviousYear => 0x20,
            EnergyArray::Month(m) => 0x30 | (m & 0x0F),
            EnergyArray::Today => 0x40,
            EnergyArray::Yesterday => 0x50,
        }
    }

    pub fn from_byte(b: u8) -> Option<EnergyArray> {
        Some(match (b >> 4, b & 0x0F) {
            (0, 0) => EnergyArray::SinceReset,
            (1, 0) => EnergyArray::CurrentYear,
            (2, 0) => EnergyArray::PreviousYear,
            (3, m @ 1..=12) => EnergyArray::Month(m),
            (4, 0) => EnergyArray::Today,
            (5, 0) => EnergyArray::Yesterday,
            _ => return None,
        })
    }
}

/// CRC-16/Modbus of the bytes.
pub fn crc16(bytes: &[u8]) -> u16 {
    CRC.checksum(bytes)
}

/// Bytes with their CRC appended, low byte first.
pub fn with_crc(mut bytes: Vec<u8>) -> Vec<u8> {
    let c = crc16(&bytes);
    bytes.extend_from_slice(&c.to_le_bytes());
    bytes
}

/// Whether a whole frame (CRC included) checks.
pub fn crc_ok(frame: &[u8]) -> bool {
    frame.len() >= 3 && {
        let (body, c) = frame.split_at(frame.len() - 2);
        crc16(body) == u16::from_le_bytes([c[0], c[1]])
    }
}

pub fn test_link(address: u8) -> Vec<u8> {
    with_crc(vec![address, 0x00])
}

/// Opens a channel. The password is six bytes as the meter expects them: "111111" is sent
/// as six 0x01 bytes by most tools, as ASCII by some (see [`password_bytes`]).
pub fn open_channel(address: u8, level: Level, password: [u8; 6]) -> Vec<u8> {
    let mut f = vec![address, 0x01, level as u8];
    f.extend_from_slice(&password);
    with_crc(f)
}

pub fn close_channel(address: u8) -> Vec<u8> {
    with_crc(vec![address, 0x02])
}

/// Reads A+, A−, R+, R− of one register; tariff 0 is the sum, 1–4 are T1–T4.
pub fn read_energy(address: u8, array: EnergyArray, tariff: u8) -> Vec<u8> {
    with_crc(vec![address, 0x05, array.byte(), tariff])
}

/// Reads the serial number and manufacture date (parameter 0x00).
pub fn read_serial(address: u8) -> Vec<u8> {
    with_crc(vec![address, 0x08, 0x00])
}

/// The six password bytes: digits as values (`"111111"` → six 0x01) or, when `ascii`, as
/// their ASCII codes. `None` unless exactly six characters (digits unless ASCII).
pub fn password_bytes(password: &str, ascii: bool) -> Option<[u8; 6]> {
    let b = password.as_bytes();
    if b.len() != 6 {
        return None;
    }
    let mut out = [0u8; 6];
    for (o, &c) in out.iter_mut().zip(b) {
        *o = if ascii {
            c
        } else if c.is_ascii_digit() {
            c - b'0'
        } else {
            return None;
        };
    }
    Some(out)
}

/// The length of the reply a request expects when the meter agrees (a status reply is
/// always [`STATUS_LEN`]), or `None` for a request we do not know.
pub fn expected_reply_len(request: &[u8]) -> Option<usize> {
    match request.get(1)? {
        0x00..=0x02 => Some(STATUS_LEN),
        0x05 => Some(ENERGY_LEN),
        0x08 if request.get(2) == Some(&0x00) => Some(SERIAL_LEN),
        0x04 if request.get(2).copied().and_then(journal::Journal::from_number).is_some() => Some(journal::JOURNAL_LEN),
        _ => None,
    }
}

/// Checks a reply's length, CRC and address and returns the data between address and CRC.
/// A status reply other than OK is an error; an OK status gives empty data.
pub fn check_reply(address: u8, reply: &[u8], expected: usize) -> Result<&[u8], MercuryError> {
    if reply.len() < STATUS_LEN {
        return Err(MercuryError::Short(reply.len()));
    }
    let (body, c) = reply.split_at(reply.len() - 2);
    let stated = u16::from_le_bytes([c[0], c[1]]);
    let computed = crc16(body);
    if stated != computed {
        return Err(MercuryError::Crc { stated, computed });
    }
    if address != ANY_ADDRESS && body[0] != address {
        return Err(MercuryError::Address {
            got: body[0],
            expected: address,
        });
    }
    if reply.len() == STATUS_LEN && expected != STATUS_LEN {
        return Err(MercuryError::Status(Status::from_byte(body[1])));
    }
    if reply.len() != expected {
        return Err(MercuryError::Length {
            got: reply.len(),
            expected,
        });
    }
    if expected == STATUS_LEN {
        return match Status::from_byte(body[1]) {
            Status::Ok => Ok(&body[2..]),
            s => Err(MercuryError::Status(s)),
        };
    }
    Ok(&body[1..])
}

/// The four energy registers of a reply, in kWh / kvarh; `None` where the meter says the
/// register is not supported (`FF FF FF FF`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Energy {
    pub a_plus: Option<Decimal>,
    pub a_minus: Option<Decimal>,
    pub r_plus: Option<Decimal>,
    pub r_minus: Option<Decimal>,
}

/// A register is a word-swapped u32 in Wh: `b1 b0 b3 b2` on the wire.
fn register(b: &[u8]) -> Option<Decimal> {
    let raw = u32::from_be_bytes([b[1], b[0], b[3], b[2]]);
    (raw != u32::MAX).then(|| scaled(raw as i128, -3)).flatten()
}

/// The inverse of [`register`], for the simulator: Wh as the meter puts them on the wire.
pub fn register_bytes(wh: Option<u32>) -> [u8; 4] {
    match wh {
        None => [0xFF; 4],
        Some(v) => {
            let b = v.to_be_bytes();
            [b[1], b[0], b[3], b[2]]
        }
    }
}

/// Decodes the 16 data bytes of an energy reply.
pub fn decode_energy(data: &[u8]) -> Result<Energy, MercuryError> {
    if data.len() != 16 {
        return Err(MercuryError::Length {
            got: data.len() + 3,
            expected: ENERGY_LEN,
        });
    }
    Ok(Energy {
        a_plus: register(&data[0..4]),
        a_minus: register(&data[4..8]),
        r_plus: register(&data[8..12]),
        r_minus: register(&data[12..16]),
    })
}

impl Energy {
    /// The registers as measurements of one tariff (0 = sum).
    pub fn measurements(&self, tariff: u8) -> Vec<Measurement> {
        [
            ("energy_a_plus", "kWh", self.a_plus),
            ("energy_a_minus", "kWh", self.a_minus),
            ("energy_r_plus", "kvarh", self.r_plus),
            ("energy_r_minus", "kvarh", self.r_minus),
        ]
        .into_iter()
        .filter_map(|(quantity, unit, v)| {
            v.map(|value| Measurement {
                quantity,
                value,
                unit,
                tariff,
                storage: 0,
                function: "instantaneous",
            })
        })
        .collect()
    }
}

/// Serial number and manufacture date as the meter keeps them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SerialInfo {
    /// Eight digits: each of the four bytes holds two (0–99).
    pub serial: String,
    /// Manufacture date `dd.mm.yy` when the three bytes read as a date.
    pub made: Option<String>,
}

/// Decodes the 7 data bytes of a serial number reply.
pub fn decode_serial(data: &[u8]) -> Result<SerialInfo, MercuryError> {
    if data.len() != 7 {
        return Err(MercuryError::Length {
            got: data.len() + 3,
            expected: SERIAL_LEN,
        });
    }
    let s = [data[0], data[1], data[2], data[3]];
    if s.iter().any(|&b| b > 99) {
        return Err(MercuryError::Serial(s));
    }
    let serial = s.iter().map(|b| format!("{b:02}")).collect();
    let (d, m, y) = (data[4], data[5], data[6]);
    let made = ((1..=31).contains(&d) && (1..=12).contains(&m) && y <= 99)
        .then(|| format!("{d:02}.{m:02}.{y:02}"));
    Ok(SerialInfo { serial, made })
}

/// The bus address a meter answers on by default: the last three digits of its serial
/// number when below 240, else the last two.
pub fn default_address(serial: &str) -> Option<u8> {
    let digits: String = serial.chars().filter(|c| c.is_ascii_digit()).collect();
    let n = digits.len();
    let last3: u32 = digits.get(n.saturating_sub(3)..)?.parse().ok()?;
    if last3 < 240 && last3 > 0 {
        return Some(last3 as u8);
    }
    let last2: u32 = digits.get(n.saturating_sub(2)..)?.parse().ok()?;
    Some(last2 as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    #[test]
    fn requests_match_the_published_vectors() {
        assert_eq!(test_link(1), hex("01 00 00 20"));
        assert_eq!(
            open_channel(1, Level::User, password_bytes("111111", false).unwrap()),
            hex("01 01 01 01 01 01 01 01 01 7A 11")
        );
        assert_eq!(close_channel(1), hex("01 02 81 E1"));
        assert_eq!(
            read_energy(1, EnergyArray::SinceReset, 0),
            hex("01 05 00 00 11 D9")
        );
        assert_eq!(
            read_energy(1, EnergyArray::SinceReset, 1),
            hex("01 05 00 01 D0 19")
        );
    }

    #[test]
    fn energy_reply_decodes_to_the_published_values() {
        let reply = hex("01 01 00 40 E2 FF FF FF FF 00 00 D2 1E FF FF FF FF 77 32");
        let data = check_reply(1, &reply, ENERGY_LEN).unwrap();
        let e = decode_energy(data).unwrap();
        assert_eq!(e.a_plus.unwrap().to_string(), "123.456");
        assert_eq!(e.a_minus, None);
        assert_eq!(e.r_plus.unwrap().to_string(), "7.89");
        assert_eq!(e.r_minus, None);
        let m = e.measurements(2);
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].quantity, m[0].unit, m[0].tariff),
            ("energy_a_plus", "kWh", 2)
        );
    }

    #[test]
    fn status_five_says_the_channel_is_not_open() {
        let reply = hex("01 05 C0 23");
        assert_eq!(
            check_reply(1, &reply, ENERGY_LEN),
            Err(MercuryError::Status(Status::ChannelNotOpen))
        );
    }

    #[test]
    fn test_link_ok_reply_is_the_request_itself() {
        let reply = hex("01 00 00 20");
        assert_eq!(check_reply(1, &reply, STATUS_LEN), Ok(&[][..]));
        assert_eq!(expected_reply_len(&test_link(1)), Some(STATUS_LEN));
    }

    #[test]
    fn a_flipped_bit_fails_the_crc() {
        let mut reply = hex("01 01 00 40 E2 FF FF FF FF 00 00 D2 1E FF FF FF FF 77 32");
        reply[3] ^= 0x10;
        assert!(matches!(
            check_reply(1, &reply, ENERGY_LEN),
            Err(MercuryError::Crc { .. })
        ));
    }

    #[test]
    fn a_reply_from_another_meter_is_refused() {
        let reply = with_crc(vec![2, 0]);
        assert_eq!(
            check_reply(1, &reply, STATUS_LEN),
            Err(MercuryError::Address {
                got: 2,
                expected: 1
            })
        );
    }

    #[test]
    fn registers_round_trip_through_the_word_swap() {
        for wh in [0u32, 1, 123_456, 99_999_999, u32::MAX - 1] {
            let b = register_bytes(Some(wh));
            assert_eq!(register(&b), scaled(wh as i128, -3));
        }
        assert_eq!(register(&register_bytes(None)), None);
    }

    #[test]
    fn serial_number_reads_two_digits_a_byte() {
        let s = decode_serial(&[12, 34, 5, 78, 15, 6, 21]).unwrap();
        assert_eq!(s.serial, "12340578");
        assert_eq!(s.made.as_deref(), Some("15.06.21"));
        assert!(decode_serial(&[120, 0, 0, 0, 1, 1, 1]).is_err());
    }

    #[test]
    fn default_address_follows_the_serial_number() {
        assert_eq!(default_address("41234123"), Some(123));
        assert_eq!(default_address("41234567"), Some(67));
        assert_eq!(default_address("x"), None);
    }

    #[test]
    fn passwords_as_values_or_ascii() {
        assert_eq!(password_bytes("222222", false), Some([2; 6]));
        assert_eq!(password_bytes("111111", true), Some([b'1'; 6]));
        assert_eq!(password_bytes("11111", false), None);
        assert_eq!(password_bytes("abcdef", false), None);
    }

    proptest::proptest! {
        #[test]
        fn no_reply_makes_the_decoder_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64), expected in 0usize..40) {
            if let Ok(data) = check_reply(bytes.first().copied().unwrap_or(0), &bytes, expected) {
                let _ = decode_energy(data);
                let _ = decode_serial(data);
            }
            let _ = decode_energy(&bytes);
            let _ = decode_serial(&bytes);
            let _ = expected_reply_len(&bytes);
            let _ = EnergyArray::from_byte(bytes.first().copied().unwrap_or(0));
        }
    }
}
