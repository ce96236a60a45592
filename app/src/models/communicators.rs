//! «Коммуникаторы» (issue 22, point 7; F32, EK 4.5.4): the lines a company's meters are
//! reached over — a TCP/IP gateway, a GPRS modem with its SIM, a LoRaWAN end device, a serial
//! RS-485 or M-Bus port — with the timing the collector keeps on each, and which meters hang
//! on it. Without this page a company could only have the lines the demo or a file named.

use serde::{Deserialize, Serialize};

use super::building::typed_whole as number;
use super::cell::Cell;
use super::inventory::LineKind;
use crate::errors::{AppError, Problem};
use crate::i18n::{Lang, Msg};

/// The kinds of line a communicator is, in the list's order (no «by hand» here).
pub const KINDS: [LineKind; 5] = [LineKind::Tcp, LineKind::Gprs, LineKind::Lorawan, LineKind::Rs485, LineKind::Mbus];

/// A serial port's speeds, as adapters and meters offer them.
pub const BAUD_RATES: [i64; 10] = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

/// A serial port's parity as stored; empty: the line's usual one.
pub const PARITIES: [&str; 3] = ["none", "even", "odd"];

pub const LORAWAN_CLASSES: [&str; 3] = ["A", "B", "C"];

pub const LORAWAN_VERSIONS: [&str; 6] = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.1"];

/// The collector's timing bounds: an answer within a minute at most, a pause between
/// characters and between frames within 5 s, at most 10 tries again.
pub const TIMEOUT_MS: std::ops::RangeInclusive<i64> = 50..=60_000;
pub const CHAR_TIMEOUT_MS: std::ops::RangeInclusive<i64> = 1..=5_000;
pub const FRAME_GAP_MS: std::ops::RangeInclusive<i64> = 0..=5_000;
pub const RETRIES: std::ops::RangeInclusive<i64> = 0..=10;

/// The longest name or address kept.
const MAX_TEXT: usize = 100;

/// The form as typed; every value text, checked on the server (and the same check in the
/// browser would give the same answer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommunicatorForm {
    pub name: String,
    /// 0: shared by the company's buildings.
    pub object_id: i64,
    /// `tcp`, `gprs`, `lorawan`, `rs485`, `mbus`.
    pub line: String,
    /// The meter's own modem or radio, not a separate box.
    pub built_in: bool,
    pub host: String,
    pub port: String,
    pub sim_iccid: String,
    pub imsi: String,
    pub phone: String,
    pub serial_port: String,
    pub baud_rate: String,
    pub parity: String,
    pub dev_eui: String,
    pub lorawan_class: String,
    pub lorawan_version: String,
    pub field_map: String,
    pub timeout_ms: String,
    pub char_timeout_ms: String,
    pub frame_gap_ms: String,
    pub retries: String,
}

/// A line as it is kept: only the fields of its kind (a GPRS modem keeps no DevEUI), numbers
/// as numbers, a phone as +7 and ten digits, a DevEUI as 16 lowercase hex digits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineSpec {
    pub name: String,
    pub object_id: Option<i64>,
    pub line: String,
    pub built_in: bool,
    pub host: String,
    pub port: Option<i64>,
    pub sim_iccid: String,
    pub imsi: String,
    pub phone: String,
    pub serial_port: String,
    pub baud_rate: Option<i64>,
    pub parity: String,
    pub dev_eui: String,
    pub lorawan_class: String,
    pub lorawan_version: String,
    pub field_map: String,
    pub timeout_ms: i64,
    pub char_timeout_ms: i64,
    pub frame_gap_ms: i64,
    pub retries: i64,
}

/// The collector's defaults, for a new line and for a form left empty.
pub const DEFAULT_TIMING: (i64, i64, i64, i64) = (500, 30, 5, 2);

/// A host name or an IP address (v4, or v6 in brackets or bare): letters, digits, dots,
/// hyphens and colons, nothing else.
pub fn host_ok(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && !host.starts_with(['-', '.'])
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'))
}

/// Whether a number's last digit is its Luhn check digit (an ICCID's is).
pub fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else { return false };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// Digits of a number typed with spaces or hyphens.
fn digits_of(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{a0}')).collect()
}

/// A Russian mobile number as +7 and ten digits, from «8 912 345-67-89», «+7 (912) 3456789»…
pub fn phone(text: &str) -> Option<String> {
    let d: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{a0}')).collect();
    let rest = d.strip_prefix("+7").or_else(|| d.strip_prefix('8').filter(|r| r.len() == 10)).or_else(|| d.strip_prefix('7').filter(|r| r.len() == 10))?;
    (rest.len() == 10 && rest.chars().all(|c| c.is_ascii_digit())).then(|| format!("+7{rest}"))
}

/// «+7 (912) 345-67-89» for a stored «+79123456789».
pub fn phone_shown(stored: &str) -> String {
    match stored.strip_prefix("+7") {
        Some(r) if r.len() == 10 => format!("+7 ({}) {}-{}-{}", &r[..3], &r[3..6], &r[6..8], &r[8..]),
        _ => stored.to_string(),
    }
}

/// A DevEUI as 16 lowercase hex digits, from «70B3D5…», «70-b3-d5-…» or «70:B3:…».
pub fn dev_eui(text: &str) -> Option<String> {
    let d: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | ':')).collect();
    (d.len() == 16 && d.chars().all(|c| c.is_ascii_hexdigit())).then(|| d.to_ascii_lowercase())
}

impl CommunicatorForm {
    /// The line the form asks for, or the first field that is wrong. Whether the name and
    /// the DevEUI are free, and the building the company's, is the caller's to check.
    pub fn check(&self) -> Result<LineSpec, AppError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(AppError::invalid(Msg::CmName, Problem::Required));
        }
        if name.chars().count() > MAX_TEXT {
            return Err(AppError::invalid(Msg::CmName, Problem::TooLong));
        }
        let kind = LineKind::parse(self.line.trim())
            .filter(|k| KINDS.contains(k))
            .ok_or(AppError::invalid(Msg::InvLine, Problem::Required))?;
        let (t, c, g, r) = DEFAULT_TIMING;
        let mut spec = LineSpec {
            name: name.to_string(),
            object_id: (self.object_id != 0).then_some(self.object_id),
            line: kind.as_str().to_string(),
            built_in: self.built_in,
            timeout_ms: number(&self.timeout_ms, Msg::CmTimeout, TIMEOUT_MS)?.unwrap_or(t),
            char_timeout_ms: number(&self.char_timeout_ms, Msg::CmCharTimeout, CHAR_TIMEOUT_MS)?.unwrap_or(c),
            frame_gap_ms: number(&self.frame_gap_ms, Msg::CmFrameGap, FRAME_GAP_MS)?.unwrap_or(g),
            retries: number(&self.retries, Msg::CmRetries, RETRIES)?.unwrap_or(r),
            ..Default::default()
        };
        match kind {
            LineKind::Tcp | LineKind::Gprs => {
                let host = self.host.trim();
                if host.is_empty() {
                    return Err(AppError::invalid(Msg::CmHost, Problem::Required));
                }
                if !host_ok(host) {
                    return Err(AppError::invalid(Msg::CmHost, Problem::BadFormat));
                }
                spec.host = host.to_string();
                spec.port = Some(number(&self.port, Msg::CmPort, 1..=65_535)?.ok_or(AppError::invalid(Msg::CmPort, Problem::Required))?);
                if kind == LineKind::Gprs {
                    let iccid = digits_of(self.sim_iccid.trim());
                    if !iccid.is_empty() {
                        if !(19..=20).contains(&iccid.len()) || !iccid.chars().all(|c| c.is_ascii_digit()) {
                            return Err(AppError::invalid(Msg::CmIccid, Problem::BadFormat));
                        }
                        if !luhn_ok(&iccid) {
                            return Err(AppError::invalid(Msg::CmIccid, Problem::BadCheckDigit));
                        }
                    }
                    let imsi = digits_of(self.imsi.trim());
                    if !imsi.is_empty() && (imsi.len() != 15 || !imsi.chars().all(|c| c.is_ascii_digit())) {
                        return Err(AppError::invalid(Msg::CmImsi, Problem::BadFormat));
                    }
                    if !self.phone.trim().is_empty() {
                        spec.phone = phone(&self.phone).ok_or(AppError::invalid(Msg::CmSimPhone, Problem::BadFormat))?;
                    }
                    (spec.sim_iccid, spec.imsi) = (iccid, imsi);
                }
            }
            LineKind::Lorawan => {
                if self.dev_eui.trim().is_empty() {
                    return Err(AppError::invalid(Msg::CmDevEui, Problem::Required));
                }
                spec.dev_eui = dev_eui(&self.dev_eui).ok_or(AppError::invalid(Msg::CmDevEui, Problem::BadFormat))?;
                let class = self.lorawan_class.trim().to_ascii_uppercase();
                spec.lorawan_class = match class.as_str() {
                    "" => "A".into(),
                    c if LORAWAN_CLASSES.contains(&c) => class,
                    _ => return Err(AppError::invalid(Msg::CmClass, Problem::BadFormat)),
                };
                let version = self.lorawan_version.trim();
                if !version.is_empty() && !LORAWAN_VERSIONS.contains(&version) {
                    return Err(AppError::invalid(Msg::CmVersion, Problem::BadFormat));
                }
                spec.lorawan_version = version.to_string();
                let map = self.field_map.trim();
                if map.chars().count() > MAX_TEXT {
                    return Err(AppError::invalid(Msg::CmFieldMap, Problem::TooLong));
                }
                spec.field_map = map.to_string();
                // its meters report by themselves: the collector's timing is not used
                (spec.timeout_ms, spec.char_timeout_ms, spec.frame_gap_ms, spec.retries) = DEFAULT_TIMING;
            }
            LineKind::Rs485 | LineKind::Mbus => {
                let port = self.serial_port.trim();
                if port.is_empty() {
                    return Err(AppError::invalid(Msg::CmSerialPort, Problem::Required));
                }
                if port.chars().count() > MAX_TEXT || port.chars().any(char::is_whitespace) {
                    return Err(AppError::invalid(Msg::CmSerialPort, Problem::BadFormat));
                }
                spec.serial_port = port.to_string();
                spec.baud_rate = match number(&self.baud_rate, Msg::CmBaud, 1..=1_000_000)? {
                    Some(b) if !BAUD_RATES.contains(&b) => return Err(AppError::invalid(Msg::CmBaud, Problem::OutOfBounds)),
                    b => b,
                };
                let parity = self.parity.trim();
                if !parity.is_empty() && !PARITIES.contains(&parity) {
                    return Err(AppError::invalid(Msg::CmParity, Problem::BadFormat));
                }
                spec.parity = parity.to_string();
            }
            LineKind::None => unreachable!("filtered above"),
        }
        Ok(spec)
    }

    /// The form of a stored line (numbers as typed back).
    pub fn of(s: &LineSpec) -> CommunicatorForm {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        CommunicatorForm {
            name: s.name.clone(),
            object_id: s.object_id.unwrap_or(0),
            line: s.line.clone(),
            built_in: s.built_in,
            host: s.host.clone(),
            port: n(s.port),
            sim_iccid: s.sim_iccid.clone(),
            imsi: s.imsi.clone(),
            phone: phone_shown(&s.phone),
            serial_port: s.serial_port.clone(),
            baud_rate: n(s.baud_rate),
            parity: s.parity.clone(),
            dev_eui: s.dev_eui.clone(),
            lorawan_class: s.lorawan_class.clone(),
            lorawan_version: s.lorawan_version.clone(),
            field_map: s.field_map.clone(),
            timeout_ms: s.timeout_ms.to_string(),
            char_timeout_ms: s.char_timeout_ms.to_string(),
            frame_gap_ms: s.frame_gap_ms.to_string(),
            retries: s.retries.to_string(),
        }
    }
}

impl LineSpec {
    /// Where the line is reached, as people write it: «10.0.0.5:4001», «/dev/ttyUSB0, 9600
    /// 8N1», «DevEUI 70b3d5…».
    pub fn address(&self) -> String {
        match self.line.as_str() {
            "tcp" | "gprs" => match self.port {
                Some(p) => format!("{}:{p}", self.host),
                None => self.host.clone(),
            },
            "rs485" | "mbus" => {
                let mbus = self.line == "mbus";
                let baud = self.baud_rate.unwrap_or(if mbus { 2400 } else { 9600 });
                let parity = match (self.parity.as_str(), mbus) {
                    ("even", _) | ("", true) => "E",
                    ("odd", _) => "O",
                    _ => "N",
                };
                format!("{}, {baud} 8{parity}1", self.serial_port)
            }
            "lorawan" => format!("DevEUI {}", self.dev_eui),
            _ => String::new(),
        }
    }

    /// «до 500 мс, 2 повтора» for a polled line; empty for a LoRaWAN device.
    pub fn timing(&self, lang: Lang) -> String {
        if self.line == "lorawan" {
            return String::new();
        }
        format!("{} {} {}, {} {}", Msg::CmUpTo.text(lang), self.timeout_ms, Msg::Ms.text(lang), self.retries, Msg::CmRetriesShort.text(lang))
    }

    /// ««Шлюз 1»: Адрес: «10.0.0.5:4001» → «10.0.0.6:4001»» for each field an edit changed,
    /// for the action log.
    pub fn changes(&self, before: &LineSpec) -> String {
        let pairs = |s: &LineSpec| {
            [
                ("Название", s.name.clone()),
                ("Дом", s.object_id.map(|o| o.to_string()).unwrap_or_default()),
                ("Тип линии", s.line.clone()),
                ("Встроенный", if s.built_in { "да".into() } else { "нет".into() }),
                ("Адрес", s.address()),
                ("ICCID", s.sim_iccid.clone()),
                ("IMSI", s.imsi.clone()),
                ("Телефон", s.phone.clone()),
                ("Класс", s.lorawan_class.clone()),
                ("Версия LoRaWAN", s.lorawan_version.clone()),
                ("Карта полей", s.field_map.clone()),
                ("Тайм-аут, мс", s.timeout_ms.to_string()),
                ("Межсимвольный тайм-аут, мс", s.char_timeout_ms.to_string()),
                ("Пауза между кадрами, мс", s.frame_gap_ms.to_string()),
                ("Повторов", s.retries.to_string()),
            ]
        };
        let changed: Vec<String> = pairs(before)
            .into_iter()
            .zip(pairs(self))
            .filter(|((_, a), (_, b))| a != b)
            .map(|((t, a), (_, b))| format!("{t}: «{a}» → «{b}»"))
            .collect();
        if changed.is_empty() {
            "без изменений".into()
        } else {
            changed.join("; ")
        }
    }
}

/// One line as the list shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommunicatorRow {
    pub id: i64,
    pub spec: LineSpec,
    /// The building's name; empty for a line the company's buildings share.
    pub object: String,
    /// Meters in service on it.
    pub meters: i64,
    /// Building (or Moscow) time, `dd.mm.yyyy HH:MM`; empty if none of its meters was heard.
    pub last_contact: String,
}

/// What «Коммуникаторы» is asked for; every part in the page's address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommunicatorQuery {
    pub object: Option<i64>,
    pub line: Option<LineKind>,
}

impl CommunicatorQuery {
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> CommunicatorQuery {
        let mut q = CommunicatorQuery::default();
        for (k, v) in pairs {
            match k {
                "object" => q.object = v.parse().ok(),
                "line" => q.line = LineKind::parse(v).filter(|l| KINDS.contains(l)),
                _ => {}
            }
        }
        q
    }

    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(o) = self.object {
            parts.push(format!("object={o}"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line={}", l.as_str()));
        }
        parts.join("&")
    }
}

/// «Коммуникаторы»: the lines the filters leave.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommunicatorList {
    pub query: CommunicatorQuery,
    pub objects: Vec<(i64, String)>,
    pub rows: Vec<CommunicatorRow>,
    /// The caller may add, change and remove lines.
    pub editable: bool,
}

/// The list's columns, on screen and in the files.
pub const COLUMNS: [Msg; 9] = [
    Msg::CmName,
    Msg::NpObject,
    Msg::InvLine,
    Msg::CmAddress,
    Msg::CmSim,
    Msg::CmTiming,
    Msg::CmMeters,
    Msg::LastContact,
    Msg::CmBuiltIn,
];

impl CommunicatorList {
    /// The header and a row of cells for each line, as the page and the files show them.
    pub fn table(&self, lang: Lang) -> (Vec<String>, Vec<Vec<Cell>>) {
        let header = COLUMNS.iter().map(|m| m.text(lang).to_string()).collect();
        let rows = self.rows.iter().map(|r| cells(r, lang)).collect();
        (header, rows)
    }

    /// «Коммуникаторов: 12, приборов на них: 340».
    pub fn summary(&self, lang: Lang) -> String {
        use crate::models::format::integer;
        let meters: i64 = self.rows.iter().map(|r| r.meters).sum();
        format!("{}: {}, {}: {}", Msg::CmCount.text(lang), integer(self.rows.len() as i64), Msg::CmMetersOn.text(lang), integer(meters))
    }
}

/// One line's cells.
pub fn cells(r: &CommunicatorRow, lang: Lang) -> Vec<Cell> {
    let s = &r.spec;
    let kind = LineKind::parse(&s.line).map(|k| k.label(lang).to_string()).unwrap_or_else(|| s.line.clone());
    let object = if r.object.is_empty() { Msg::CmShared.text(lang).to_string() } else { r.object.clone() };
    let sim = [s.sim_iccid.clone(), phone_shown(&s.phone)].into_iter().filter(|v| !v.is_empty()).collect::<Vec<_>>().join(", ");
    vec![
        Cell::Text(s.name.clone()),
        Cell::Text(object),
        Cell::Text(kind),
        Cell::Text(s.address()),
        Cell::Text(sim),
        Cell::Text(s.timing(lang)),
        Cell::Number(r.meters.into()),
        Cell::Text(r.last_contact.clone()),
        Cell::Text(if s.built_in { Msg::Yes.text(lang).to_string() } else { String::new() }),
    ]
}

/// A meter on a line, as its card lists it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineMeter {
    pub meter_id: i64,
    pub object: String,
    /// «кв. 12», or «ОДПУ».
    pub place: String,
    pub model: String,
    pub serial: String,
    pub protocol: String,
    pub bus_address: String,
    pub last_contact: String,
}

/// What a line's card opens with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommunicatorCard {
    /// `None`: a new line.
    pub id: Option<i64>,
    pub form: CommunicatorForm,
    pub objects: Vec<(i64, String)>,
    pub meters: Vec<LineMeter>,
    pub editable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp() -> CommunicatorForm {
        CommunicatorForm { name: " Шлюз подъезда 1 ".into(), line: "tcp".into(), host: "10.0.0.5".into(), port: "4 001".into(), ..Default::default() }
    }

    fn refused(f: &CommunicatorForm) -> (Msg, Problem) {
        match f.check() {
            Err(AppError::Invalid { field, problem }) => (field, problem),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_tcp_gateway_keeps_its_address_and_the_default_timing() {
        let s = tcp().check().unwrap();
        assert_eq!(s.name, "Шлюз подъезда 1");
        assert_eq!((s.host.as_str(), s.port), ("10.0.0.5", Some(4001)));
        assert_eq!((s.timeout_ms, s.char_timeout_ms, s.frame_gap_ms, s.retries), DEFAULT_TIMING);
        assert_eq!(s.address(), "10.0.0.5:4001");
        assert_eq!(s.object_id, None);
        assert_eq!(s.timing(Lang::Ru), "до 500 мс, 2 повт.");
    }

    #[test]
    fn a_line_without_its_address_or_with_a_bad_one_is_refused_by_name() {
        assert_eq!(refused(&CommunicatorForm { name: " ".into(), ..tcp() }), (Msg::CmName, Problem::Required));
        assert_eq!(refused(&CommunicatorForm { line: "pigeon".into(), ..tcp() }), (Msg::InvLine, Problem::Required));
        assert_eq!(refused(&CommunicatorForm { line: "none".into(), ..tcp() }), (Msg::InvLine, Problem::Required));
        assert_eq!(refused(&CommunicatorForm { host: "".into(), ..tcp() }), (Msg::CmHost, Problem::Required));
        assert_eq!(refused(&CommunicatorForm { host: "шлюз 1".into(), ..tcp() }), (Msg::CmHost, Problem::BadFormat));
        assert_eq!(refused(&CommunicatorForm { port: "".into(), ..tcp() }), (Msg::CmPort, Problem::Required));
        assert_eq!(refused(&CommunicatorForm { port: "70000".into(), ..tcp() }), (Msg::CmPort, Problem::OutOfBounds));
        assert_eq!(refused(&CommunicatorForm { port: "4001a".into(), ..tcp() }), (Msg::CmPort, Problem::BadFormat));
        assert_eq!(refused(&CommunicatorForm { timeout_ms: "10".into(), ..tcp() }), (Msg::CmTimeout, Problem::OutOfBounds));
        assert_eq!(refused(&CommunicatorForm { retries: "11".into(), ..tcp() }), (Msg::CmRetries, Problem::OutOfBounds));
        assert_eq!(refused(&CommunicatorForm { name: "ш".repeat(101), ..tcp() }), (Msg::CmName, Problem::TooLong));
    }

    #[test]
    fn a_gprs_modem_checks_its_sim_and_writes_its_phone_one_way() {
        // 8970101234567890123 + its Luhn digit 4, worked by hand
        let f = CommunicatorForm {
            line: "gprs".into(),
            sim_iccid: "8970 1012 3456 7890 1234".into(),
            imsi: "250 01 1234567890".into(),
            phone: "8 (912) 345-67-89".into(),
            ..tcp()
        };
        let s = f.check().unwrap();
        assert_eq!(s.sim_iccid, "89701012345678901234");
        assert_eq!(s.imsi, "250011234567890");
        assert_eq!(s.phone, "+79123456789");
        assert_eq!(phone_shown(&s.phone), "+7 (912) 345-67-89");
        assert_eq!(refused(&CommunicatorForm { sim_iccid: "89701012345678901235".into(), ..f.clone() }), (Msg::CmIccid, Problem::BadCheckDigit));
        assert_eq!(refused(&CommunicatorForm { sim_iccid: "8970".into(), ..f.clone() }), (Msg::CmIccid, Problem::BadFormat));
        assert_eq!(refused(&CommunicatorForm { imsi: "25001".into(), ..f.clone() }), (Msg::CmImsi, Problem::BadFormat));
        assert_eq!(refused(&CommunicatorForm { phone: "12345".into(), ..f.clone() }), (Msg::CmSimPhone, Problem::BadFormat));
        // a TCP gateway keeps no SIM even if one was typed before its kind was changed
        let t = CommunicatorForm { line: "tcp".into(), ..f }.check().unwrap();
        assert_eq!((t.sim_iccid.as_str(), t.phone.as_str()), ("", ""));
    }

    #[test]
    fn a_lorawan_device_keeps_its_dev_eui_lowercase_and_no_bus_timing() {
        let f = CommunicatorForm { name: "LoRa кв. 5".into(), line: "lorawan".into(), dev_eui: "70-B3-D5-7E-D0-05-12-34".into(), host: "10.0.0.5".into(), timeout_ms: "900".into(), ..Default::default() };
        let s = f.check().unwrap();
        assert_eq!(s.dev_eui, "70b3d57ed0051234");
        assert_eq!(s.lorawan_class, "A");
        assert_eq!(s.host, "", "a radio has no host");
        assert_eq!(s.timeout_ms, DEFAULT_TIMING.0);
        assert_eq!(s.address(), "DevEUI 70b3d57ed0051234");
        assert_eq!(s.timing(Lang::Ru), "");
        assert_eq!(refused(&CommunicatorForm { dev_eui: "70b3d57ed005123".into(), ..f.clone() }), (Msg::CmDevEui, Problem::BadFormat));
        assert_eq!(refused(&CommunicatorForm { dev_eui: "70b3d57ed005123g".into(), ..f.clone() }), (Msg::CmDevEui, Problem::BadFormat));
        assert_eq!(refused(&CommunicatorForm { dev_eui: "".into(), ..f.clone() }), (Msg::CmDevEui, Problem::Required));
        assert_eq!(refused(&CommunicatorForm { lorawan_class: "D".into(), ..f.clone() }), (Msg::CmClass, Problem::BadFormat));
        assert_eq!(refused(&CommunicatorForm { lorawan_version: "2.0".into(), ..f }), (Msg::CmVersion, Problem::BadFormat));
    }

    #[test]
    fn a_serial_port_takes_only_the_speeds_ports_have_and_shows_its_frame() {
        let f = CommunicatorForm { name: "M-Bus подвал".into(), line: "mbus".into(), serial_port: "/dev/ttyUSB0".into(), ..Default::default() };
        assert_eq!(f.check().unwrap().address(), "/dev/ttyUSB0, 2400 8E1");
        let rs = CommunicatorForm { line: "rs485".into(), baud_rate: "9 600".into(), parity: "odd".into(), ..f.clone() }.check().unwrap();
        assert_eq!(rs.address(), "/dev/ttyUSB0, 9600 8O1");
        assert_eq!(refused(&CommunicatorForm { baud_rate: "9601".into(), ..f.clone() }), (Msg::CmBaud, Problem::OutOfBounds));
        assert_eq!(refused(&CommunicatorForm { parity: "mark".into(), ..f.clone() }), (Msg::CmParity, Problem::BadFormat));
        assert_eq!(refused(&CommunicatorForm { serial_port: "".into(), ..f.clone() }), (Msg::CmSerialPort, Problem::Required));
        assert_eq!(refused(&CommunicatorForm { serial_port: "/dev/tty USB0".into(), ..f }), (Msg::CmSerialPort, Problem::BadFormat));
    }

    #[test]
    fn a_stored_line_comes_back_as_the_same_form_and_an_edit_names_its_changes() {
        let s = CommunicatorForm { line: "gprs".into(), phone: "+79123456789".into(), ..tcp() }.check().unwrap();
        let back = CommunicatorForm::of(&s).check().unwrap();
        assert_eq!(back, s);
        let moved = LineSpec { host: "10.0.0.6".into(), retries: 3, ..s.clone() };
        assert_eq!(moved.changes(&s), "Адрес: «10.0.0.5:4001» → «10.0.0.6:4001»; Повторов: «2» → «3»");
        assert_eq!(s.changes(&s), "без изменений");
    }

    #[test]
    fn the_luhn_check_and_the_host_rule_hold_on_known_numbers() {
        assert!(luhn_ok("79927398713"));
        assert!(!luhn_ok("79927398710"));
        assert!(host_ok("gw-1.uk-ogni.ru") && host_ok("[fe80::1]") && host_ok("192.168.0.10"));
        assert!(!host_ok("-gw") && !host_ok("gw/1") && !host_ok(""));
    }

    #[test]
    fn a_list_query_survives_its_address_and_ignores_by_hand() {
        let q = CommunicatorQuery { object: Some(3), line: Some(LineKind::Mbus) };
        let s = q.query_string();
        assert_eq!(CommunicatorQuery::from_pairs(s.split('&').filter_map(|p| p.split_once('='))), q);
        assert_eq!(CommunicatorQuery::from_pairs([("line", "none")].into_iter()).line, None);
    }
}
