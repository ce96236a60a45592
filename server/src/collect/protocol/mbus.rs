//! Wired M-Bus (EN 13757-2/-3): the short frames a master sends, and the reading of a long
//! RSP_UD frame. `m-bus-parser` reads the link layer and the record headers (DIF/VIF:
//! storage number, tariff, function, unit, decimal exponent); the value itself is read here
//! from the record's bytes as an exact integer or BCD number and scaled as a decimal, because
//! the crate hands values out as `f64`.

use m_bus_parser::user_data::data_information::{DataFieldCoding, FunctionField};
use m_bus_parser::user_data::value_information::{UnitName, ValueInformation, ValueLabel};
use m_bus_parser::user_data::{parse_application_layer, UserDataBlock};
use m_bus_parser::{Address, WiredFrame};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{scaled, Measurement};

/// The single character a meter acknowledges with.
pub const ACK: u8 = 0xE5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MbusError {
    #[error("not an M-Bus frame: {0}")]
    Frame(String),
    #[error("not a reply with data (RSP_UD)")]
    NotData,
    #[error("reply from address {got:?} to a request for {expected}")]
    Address { got: Option<u8>, expected: u8 },
    #[error("application layer: {0}")]
    Application(String),
    #[error("the data is encrypted")]
    Encrypted,
}

/// Checksum of a short or long frame: the sum of control, address (and data) bytes.
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |s, b| s.wrapping_add(*b))
}

fn short_frame(control: u8, address: u8) -> Vec<u8> {
    vec![0x10, control, address, checksum(&[control, address]), 0x16]
}

/// SND_NKE: resets the meter's link layer; it answers [`ACK`].
pub fn snd_nke(address: u8) -> Vec<u8> {
    short_frame(0x40, address)
}

/// REQ_UD2: asks for the meter's data; the frame count bit toggles on each new request.
pub fn req_ud2(address: u8, fcb: bool) -> Vec<u8> {
    short_frame(if fcb { 0x7B } else { 0x5B }, address)
}

/// A long frame around control, address, CI and data, for the simulator.
pub fn long_frame(control: u8, address: u8, ci: u8, data: &[u8]) -> Vec<u8> {
    let len = (data.len() + 3) as u8;
    let mut f = vec![0x68, len, len, 0x68, control, address, ci];
    f.extend_from_slice(data);
    f.push(checksum(&f[4..]));
    f.push(0x16);
    f
}

/// Where a frame sits in received bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// More bytes may complete a frame.
    Incomplete,
    /// A whole, checked frame at `start..end`.
    Frame { start: usize, end: usize },
    /// A frame of full length whose checksum or stop byte is wrong (more bytes may still
    /// bring a good frame behind it).
    Bad { start: usize, end: usize },
}

/// Finds the first frame in `buf`, stepping over noise before it.
pub fn scan(buf: &[u8]) -> Scan {
    let mut bad = None;
    for i in 0..buf.len() {
        let rest = &buf[i..];
        match rest[0] {
            ACK => {
                return Scan::Frame {
                    start: i,
                    end: i + 1,
                }
            }
            0x10 => {
                if rest.len() < 5 {
                    return bad.unwrap_or(Scan::Incomplete);
                }
                if rest[4] == 0x16 && checksum(&rest[1..3]) == rest[3] {
                    return Scan::Frame {
                        start: i,
                        end: i + 5,
                    };
                }
                bad.get_or_insert(Scan::Bad {
                    start: i,
                    end: i + 5,
                });
            }
            0x68 => {
                if rest.len() < 4 {
                    return bad.unwrap_or(Scan::Incomplete);
                }
                if rest[1] != rest[2] || rest[3] != 0x68 || rest[1] < 3 {
                    continue;
                }
                let total = rest[1] as usize + 6;
                if rest.len() < total {
                    return bad.unwrap_or(Scan::Incomplete);
                }
                if rest[total - 1] == 0x16 && checksum(&rest[4..total - 2]) == rest[total - 2] {
                    return Scan::Frame {
                        start: i,
                        end: i + total,
                    };
                }
                bad.get_or_insert(Scan::Bad {
                    start: i,
                    end: i + total,
                });
            }
            _ => {}
        }
    }
    bad.unwrap_or(Scan::Incomplete)
}

/// One data record of a reply: the measurement when it is one Uchet keeps, and always what
/// the meter said, for the console and the `decode` command.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub measurement: Option<Measurement>,
    /// e.g. `Volume 10^-3 m^3`, as the record header describes it.
    pub description: String,
    pub storage: u32,
    pub tariff: u8,
    pub function: &'static str,
    /// The number as sent, before scaling (`None` for dates, text and unreadable data).
    pub raw_value: Option<String>,
    /// `yyyy-mm-dd hh:mm` for a date-time record.
    pub date_time: Option<String>,
    pub hex: String,
}

/// A meter's data reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    pub address: Option<u8>,
    /// Identification number from the header (the meter's serial, 8 digits).
    pub identification: Option<String>,
    pub manufacturer: Option<String>,
    pub medium: Option<String>,
    pub access_number: Option<u8>,
    /// The status byte of the header: what the meter says of itself (see [`status`]).
    pub status: Option<u8>,
    pub records: Vec<Record>,
    /// Records the parser could not read, with the reason; the rest are kept.
    pub errors: Vec<String>,
}

impl Reply {
    pub fn measurements(&self) -> impl Iterator<Item = &Measurement> {
        self.records.iter().filter_map(|r| r.measurement.as_ref())
    }

    /// The meter's own clock from the first current date-time record.
    pub fn device_time(&self) -> Option<&str> {
        self.records
            .iter()
            .find(|r| r.storage == 0 && r.date_time.is_some())
            .and_then(|r| r.date_time.as_deref())
    }
}

/// Reads a whole RSP_UD long frame. `expected` is the primary address asked, when one was.
pub fn decode_reply(frame: &[u8], expected: Option<u8>) -> Result<Reply, MbusError> {
    let parsed = WiredFrame::try_from(frame).map_err(|e| MbusError::Frame(format!("{e:?}")))?;
    let (address, data) = match parsed {
        WiredFrame::LongFrame { address, data, .. } => (address, data),
        _ => return Err(MbusError::NotData),
    };
    let address = match address {
        Address::Primary(a) => Some(a),
        _ => None,
    };
    if let (Some(e), got) = (expected, address) {
        if got != Some(e) {
            return Err(MbusError::Address { got, expected: e });
        }
    }
    decode_user_data(data, address)
}

/// The conditions a header's status byte reports (EN 13757-3, 6.2): the meter's battery or
/// supply is low; it has an error, lasting (permanent) or passing (temporary).
pub mod status {
    pub const POWER_LOW: u8 = 0x04;
    pub const PERMANENT_ERROR: u8 = 0x08;
    pub const TEMPORARY_ERROR: u8 = 0x10;
}

/// Reads the user data of a reply (CI field and records) without the wired frame around it,
/// as it comes in a LoRaWAN or wireless payload.
pub fn decode_user_data(data: &[u8], address: Option<u8>) -> Result<Reply, MbusError> {
    let block =
        parse_application_layer(data).map_err(|e| MbusError::Application(format!("{e:?}")))?;
    let mut reply = Reply {
        address,
        identification: None,
        manufacturer: None,
        medium: None,
        access_number: None,
        status: None,
        records: Vec::new(),
        errors: Vec::new(),
    };
    if let UserDataBlock::VariableDataStructureWithLongTplHeader {
        long_tpl_header: h, ..
    } = &block
    {
        reply.identification = Some(format!("{:08}", h.identification_number.number));
        reply.manufacturer = h.manufacturer.as_ref().ok().map(|m| format!("{m:?}"));
        reply.medium = Some(format!("{:?}", h.device_type));
        reply.access_number = Some(h.short_tpl_header.access_number);
        reply.status = Some(h.short_tpl_header.status.bits());
    }
    if block.is_encrypted() == Some(true) {
        return Err(MbusError::Encrypted);
    }
    let Some(records) = block.data_records() else {
        return Ok(reply);
    };
    for r in records {
        match r {
            Ok(r) => {
                let header = r.data_record_header.get_size();
                let body = r.raw_bytes().get(header..).unwrap_or(&[]);
                let Some(di) = r.data_information() else {
                    continue;
                };
                let vi = r.value_information();
                reply.records.push(record(
                    di.data_field_coding,
                    di.storage_number,
                    di.tariff,
                    di.function_field,
                    vi,
                    body,
                    r.raw_bytes(),
                ));
            }
            Err(e) => reply.errors.push(format!("{e:?}")),
        }
    }
    Ok(reply)
}

fn function_name(f: FunctionField) -> &'static str {
    match f {
        FunctionField::InstantaneousValue => "instantaneous",
        FunctionField::MaximumValue => "maximum",
        FunctionField::MinimumValue => "minimum",
        _ => "error_state",
    }
}

fn record(
    coding: DataFieldCoding,
    storage: u64,
    tariff: u64,
    function: FunctionField,
    vi: Option<&ValueInformation<'_>>,
    body: &[u8],
    raw: &[u8],
) -> Record {
    let storage = u32::try_from(storage).unwrap_or(u32::MAX);
    let tariff = u8::try_from(tariff).unwrap_or(u8::MAX);
    let function = function_name(function);
    let number = exact_number(coding, body);
    let date_time = match coding {
        DataFieldCoding::DateTimeTypeF => body.get(..4).and_then(date_time_f),
        DataFieldCoding::DateTypeG => body.get(..2).and_then(date_g),
        _ => None,
    };
    let description = vi.map(describe).unwrap_or_default();
    let measurement = match (vi, number) {
        (Some(vi), Some(n)) => meaning(vi).and_then(|(quantity, unit, exp)| {
            Some(Measurement {
                quantity,
                value: scaled(n, vi.decimal_scale_exponent as i32 + exp)?,
                unit,
                tariff,
                storage,
                function,
            })
        }),
        _ => None,
    };
    Record {
        measurement,
        description,
        storage,
        tariff,
        function,
        raw_value: number.map(|n| n.to_string()),
        date_time,
        hex: raw
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `Volume, m^3 ×10^-3`: the record's labels, units and decimal exponent.
fn describe(vi: &ValueInformation<'_>) -> String {
    let labels: Vec<String> = vi.labels().map(|l| format!("{l:?}")).collect();
    let units: Vec<String> = vi
        .units()
        .map(|u| match u.exponent {
            1 => format!("{:?}", u.name),
            e => format!("{:?}^{e}", u.name),
        })
        .collect();
    let mut out = labels.join(", ");
    if !units.is_empty() {
        out.push_str(&format!(", {}", units.join("·")));
    }
    if vi.decimal_scale_exponent != 0 {
        out.push_str(&format!(" ×10^{}", vi.decimal_scale_exponent));
    }
    out
}

/// What a record measures, the unit Uchet keeps it in, and the extra power of ten from the
/// record's unit to that unit.
fn meaning(vi: &ValueInformation<'_>) -> Option<(&'static str, &'static str, i32)> {
    let units: Vec<_> = vi.units().map(|u| (u.name, u.exponent)).collect();
    let first = units.first().copied();
    let per_hour = units.get(1) == Some(&(UnitName::Hour, -1));
    let label = |l| vi.has_label(l);
    Some(if label(ValueLabel::Energy) {
        match first? {
            (UnitName::Watt, 1) => ("energy", "kWh", -3),
            (UnitName::Joul, 1) => ("energy", "GJ", -9),
            (UnitName::Calorie, 1) => ("energy", "Gcal", -9),
            _ => return None,
        }
    } else if label(ValueLabel::Volume) && first? == (UnitName::Meter, 3) {
        ("volume", "m3", 0)
    } else if label(ValueLabel::FlowTemperature) && first? == (UnitName::Celsius, 1) {
        ("t_supply", "°C", 0)
    } else if label(ValueLabel::ReturnTemperature) && first? == (UnitName::Celsius, 1) {
        ("t_return", "°C", 0)
    } else if label(ValueLabel::TemperatureDifference) && first? == (UnitName::Kelvin, 1) {
        ("t_diff", "K", 0)
    } else if label(ValueLabel::Power) && first? == (UnitName::Watt, 1) {
        ("power", "kW", -3)
    } else if label(ValueLabel::VolumeFlow) && first? == (UnitName::Meter, 3) && per_hour {
        ("flow", "m3/h", 0)
    } else {
        return None;
    })
}

/// The record's number exactly: little-endian two's complement integers and BCD (a leading
/// `F` nibble makes it negative); a 32-bit real is taken as its shortest decimal form.
fn exact_number(coding: DataFieldCoding, body: &[u8]) -> Option<i128> {
    let int = |n: usize| -> Option<i128> {
        let b = body.get(..n)?;
        let mut v: i128 = 0;
        for (i, &x) in b.iter().enumerate() {
            v |= (x as i128) << (8 * i);
        }
        let sign = 1i128 << (8 * n - 1);
        Some(if v & sign != 0 { v - (sign << 1) } else { v })
    };
    let bcd = |n: usize| -> Option<i128> {
        let b = body.get(..n)?;
        let mut v: i128 = 0;
        let mut negative = false;
        for (i, &x) in b.iter().enumerate().rev() {
            for (k, nibble) in [x >> 4, x & 0x0F].into_iter().enumerate() {
                if i == n - 1 && k == 0 && nibble == 0x0F {
                    negative = true;
                    continue;
                }
                if nibble > 9 {
                    return None;
                }
                v = v * 10 + nibble as i128;
            }
        }
        Some(if negative { -v } else { v })
    };
    match coding {
        DataFieldCoding::Integer8Bit => int(1),
        DataFieldCoding::Integer16Bit => int(2),
        DataFieldCoding::Integer24Bit => int(3),
        DataFieldCoding::Integer32Bit => int(4),
        DataFieldCoding::Integer48Bit => int(6),
        DataFieldCoding::Integer64Bit => int(8),
        DataFieldCoding::BCD2Digit => bcd(1),
        DataFieldCoding::BCD4Digit => bcd(2),
        DataFieldCoding::BCD6Digit => bcd(3),
        DataFieldCoding::BCD8Digit => bcd(4),
        DataFieldCoding::BCDDigit12 => bcd(6),
        _ => None,
    }
}

/// A 32-bit real as the decimal it prints as; only for the rare meter that sends reals.
pub fn real_as_decimal(body: &[u8]) -> Option<Decimal> {
    let b: [u8; 4] = body.get(..4)?.try_into().ok()?;
    let f = f32::from_le_bytes(b);
    f.is_finite().then(|| f.to_string().parse().ok()).flatten()
}

/// Date and time, type F: minute, hour, day, month and year packed into four bytes.
fn date_time_f(b: &[u8]) -> Option<String> {
    if b[0] & 0x80 != 0 {
        return None; // "time invalid" bit
    }
    let minute = b[0] & 0x3F;
    let hour = b[1] & 0x1F;
    let (day, month, year) = date_g(&b[2..4]).map(|_| {
        let day = b[2] & 0x1F;
        let month = b[3] & 0x0F;
        let year = ((b[2] & 0xE0) >> 5) | ((b[3] & 0xF0) >> 1);
        (day, month, year)
    })?;
    (minute < 60 && hour < 24).then(|| {
        format!(
            "{:04}-{month:02}-{day:02} {hour:02}:{minute:02}",
            2000 + year as u32
        )
    })
}

/// Date, type G: day, month and year packed into two bytes.
fn date_g(b: &[u8]) -> Option<String> {
    let day = b[0] & 0x1F;
    let month = b[1] & 0x0F;
    let year = ((b[0] & 0xE0) >> 5) | ((b[1] & 0xF0) >> 1);
    ((1..=31).contains(&day) && (1..=12).contains(&month))
        .then(|| format!("{:04}-{month:02}-{day:02}", 2000 + year as u32))
}

/// Packs a date and time as type F, for the simulator.
pub fn date_time_f_bytes(year: u32, month: u8, day: u8, hour: u8, minute: u8) -> [u8; 4] {
    let y = (year.saturating_sub(2000) & 0x7F) as u8;
    [
        minute & 0x3F,
        hour & 0x1F,
        (day & 0x1F) | ((y & 0x07) << 5),
        (month & 0x0F) | ((y & 0x78) << 1),
    ]
}

/// Packs a date as type G, for the simulator.
pub fn date_g_bytes(year: u32, month: u8, day: u8) -> [u8; 2] {
    let f = date_time_f_bytes(year, month, day, 0, 0);
    [f[2], f[3]]
}

/// A number as `n`-byte little-endian BCD, for the simulator.
pub fn bcd_bytes(mut value: u64, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            let lo = (value % 10) as u8;
            value /= 10;
            let hi = (value % 10) as u8;
            value /= 10;
            (hi << 4) | lo
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reply libmbus and m-bus-parser use as their example: a water meter, address 1.
    const EXAMPLE: [u8; 83] = [
        0x68, 0x4D, 0x4D, 0x68, 0x08, 0x01, 0x72, 0x01, 0x00, 0x00, 0x00, 0x96, 0x15, 0x01, 0x00,
        0x18, 0x00, 0x00, 0x00, 0x0C, 0x78, 0x56, 0x00, 0x00, 0x00, 0x01, 0xFD, 0x1B, 0x00, 0x02,
        0xFC, 0x03, 0x48, 0x52, 0x25, 0x74, 0x44, 0x0D, 0x22, 0xFC, 0x03, 0x48, 0x52, 0x25, 0x74,
        0xF1, 0x0C, 0x12, 0xFC, 0x03, 0x48, 0x52, 0x25, 0x74, 0x63, 0x11, 0x02, 0x65, 0xB4, 0x09,
        0x22, 0x65, 0x86, 0x09, 0x12, 0x65, 0xB7, 0x09, 0x01, 0x72, 0x00, 0x72, 0x65, 0x00, 0x00,
        0xB2, 0x01, 0x65, 0x00, 0x00, 0x1F, 0xB3, 0x16,
    ];

    #[test]
    fn short_frames_carry_their_checksum() {
        assert_eq!(snd_nke(1), vec![0x10, 0x40, 0x01, 0x41, 0x16]);
        assert_eq!(req_ud2(1, true), vec![0x10, 0x7B, 0x01, 0x7C, 0x16]);
        assert_eq!(req_ud2(0xFE, false), vec![0x10, 0x5B, 0xFE, 0x59, 0x16]);
    }

    #[test]
    fn scan_steps_over_noise_and_waits_for_the_rest() {
        let mut buf = vec![0x00, 0xFF];
        buf.extend_from_slice(&EXAMPLE[..40]);
        assert_eq!(scan(&buf), Scan::Incomplete);
        buf.extend_from_slice(&EXAMPLE[40..]);
        assert_eq!(scan(&buf), Scan::Frame { start: 2, end: 85 });
        assert_eq!(scan(&[ACK]), Scan::Frame { start: 0, end: 1 });
        let mut bad = EXAMPLE.to_vec();
        bad[30] ^= 1;
        assert_eq!(scan(&bad), Scan::Bad { start: 0, end: 83 });
    }

    #[test]
    fn example_reply_reads_the_identification_and_records() {
        let r = decode_reply(&EXAMPLE, Some(1)).unwrap();
        assert_eq!(r.address, Some(1));
        assert_eq!(r.identification.as_deref(), Some("00000001"));
        // The first record is the fabrication number 00000056 (BCD 8 digits), then a digital
        // input; it is described, not kept as a measurement.
        assert_eq!(r.records[0].raw_value.as_deref(), Some("56"));
        assert_eq!(r.records[0].description, "FabricationNumber");
        assert!(r.records[0].measurement.is_none());
        // The parser does not read the plain-text unit record that follows: the reply keeps
        // what was read and says what was not, instead of failing whole.
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert_eq!(
            decode_reply(&EXAMPLE, Some(2)),
            Err(MbusError::Address {
                got: Some(1),
                expected: 2
            })
        );
    }

    #[test]
    fn bcd_and_integers_are_read_exactly() {
        assert_eq!(
            exact_number(DataFieldCoding::BCD8Digit, &[0x78, 0x56, 0x34, 0x12]),
            Some(12345678)
        );
        assert_eq!(
            exact_number(DataFieldCoding::BCD4Digit, &[0x23, 0xF1]),
            Some(-123)
        );
        assert_eq!(
            exact_number(DataFieldCoding::BCD4Digit, &[0x2A, 0x01]),
            None
        );
        assert_eq!(
            exact_number(DataFieldCoding::Integer16Bit, &[0xFE, 0xFF]),
            Some(-2)
        );
        assert_eq!(
            exact_number(DataFieldCoding::Integer32Bit, &[0x40, 0xE2, 0x01, 0x00]),
            Some(123456)
        );
        assert_eq!(exact_number(DataFieldCoding::Integer32Bit, &[0x40]), None);
        assert_eq!(bcd_bytes(12345678, 4), vec![0x78, 0x56, 0x34, 0x12]);
    }

    #[test]
    fn dates_pack_and_unpack() {
        let b = date_time_f_bytes(2026, 11, 22, 7, 5);
        assert_eq!(date_time_f(&b).as_deref(), Some("2026-11-22 07:05"));
        assert_eq!(date_g(&date_g_bytes(2026, 2, 28)).as_deref(), Some("2026-02-28"));
        assert_eq!(
            real_as_decimal(&1.5f32.to_le_bytes()).unwrap().to_string(),
            "1.5"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_bytes_make_the_decoder_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = scan(&bytes);
            let _ = decode_reply(&bytes, None);
            let _ = decode_user_data(&bytes, None);
        }

        #[test]
        fn a_well_framed_long_frame_of_any_data_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..240)) {
            let f = long_frame(0x08, 1, 0x72, &data);
            proptest::prop_assert_eq!(scan(&f), Scan::Frame { start: 0, end: f.len() });
            let _ = decode_reply(&f, Some(1));
        }
    }
}
