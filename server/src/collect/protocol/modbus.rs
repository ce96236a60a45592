//! Modbus register maps: which registers of a device model hold which meter value, and how
//! to read them exactly. Pure functions over register words; the conversation itself is
//! tokio-modbus's (`driver::modbus`). The maps are data (`server/maps/modbus.json`, or
//! `maps/modbus.json` in the data directory, which wins), so a new device needs no new code.
//!
//! Only integer registers are read (u16, i16, u32, i32, u64, BCD), scaled by an exact
//! decimal: a value is never a float on its way to storage.

use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{scaled, Measurement};

/// The maps shipped with Uchet.
const BUNDLED: &str = include_str!("../../../maps/modbus.json");

/// Most registers one request may ask for (Modbus: 125).
pub const MAX_BLOCK: u16 = 125;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModbusError {
    #[error("register map {0}: {1}")]
    Load(String, String),
    #[error("нет карты регистров Modbus для модели «{0}»")]
    NoMap(String),
    #[error("model {model:?}: {problem}")]
    BadMap { model: String, problem: String },
    #[error("ответ короче карты: нужно {wanted} регистров, пришло {got}")]
    Short { wanted: usize, got: usize },
    #[error("регистр {0} не BCD")]
    NotBcd(u16),
    #[error("значение регистра {0} не помещается в десятичное число")]
    Overflow(u16),
    #[error("устройство ответило исключением Modbus {0}")]
    Exception(String),
}

/// Which register table a value sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// Function 0x03.
    Holding,
    /// Function 0x04.
    Input,
}

/// How the words of a value are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    U16,
    I16,
    /// Two words, the high word first («ABCD»).
    U32,
    I32,
    /// Two words, the low word first («CDAB», common in meters).
    U32Swapped,
    I32Swapped,
    /// Four words, the highest first.
    U64,
    /// Two words of packed BCD, high word first (8 digits).
    Bcd32,
}

impl Kind {
    pub fn words(self) -> u16 {
        match self {
            Kind::U16 | Kind::I16 => 1,
            Kind::U32 | Kind::I32 | Kind::U32Swapped | Kind::I32Swapped | Kind::Bcd32 => 2,
            Kind::U64 => 4,
        }
    }
}

/// One value of a device model: where it is and what it means.
#[derive(Clone, Debug, PartialEq)]
pub struct Register {
    pub table: Table,
    pub address: u16,
    pub kind: Kind,
    /// The raw integer times this is the value in `unit`.
    pub scale: Decimal,
    pub quantity: &'static str,
    pub unit: &'static str,
    pub tariff: u8,
}

/// A device model's registers.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceMap {
    pub names: Vec<String>,
    pub registers: Vec<Register>,
}

/// Consecutive registers of one table read in one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub table: Table,
    pub start: u16,
    pub count: u16,
}

impl DeviceMap {
    /// The requests that read every register of the map: neighbouring values of a table
    /// share a request (gaps up to 8 words are read through), at most [`MAX_BLOCK`] each.
    pub fn blocks(&self) -> Vec<Block> {
        let mut spans: Vec<(Table, u16, u16)> = self
            .registers
            .iter()
            .map(|r| (r.table, r.address, r.address.saturating_add(r.kind.words())))
            .collect();
        spans.sort();
        let mut out: Vec<Block> = Vec::new();
        for (table, start, end) in spans {
            match out.last_mut() {
                Some(b)
                    if b.table == table
                        && start as u32 <= b.start as u32 + b.count as u32 + 8
                        && end.saturating_sub(b.start) <= MAX_BLOCK =>
                {
                    b.count = b.count.max(end - b.start);
                }
                _ => out.push(Block {
                    table,
                    start,
                    count: end - start,
                }),
            }
        }
        out
    }

    /// The values of the map from the blocks' words (as [`blocks`](Self::blocks) gave
    /// them, in order).
    pub fn decode(&self, blocks: &[(Block, Vec<u16>)]) -> Result<Vec<Measurement>, ModbusError> {
        let mut out = Vec::with_capacity(self.registers.len());
        for r in &self.registers {
            let (b, words) = blocks
                .iter()
                .find(|(b, _)| {
                    b.table == r.table
                        && r.address >= b.start
                        && r.address as u32 + r.kind.words() as u32
                            <= b.start as u32 + b.count as u32
                })
                .ok_or(ModbusError::Short {
                    wanted: r.kind.words() as usize,
                    got: 0,
                })?;
            let at = (r.address - b.start) as usize;
            let wanted = at + r.kind.words() as usize;
            if words.len() < wanted {
                return Err(ModbusError::Short {
                    wanted,
                    got: words.len(),
                });
            }
            let raw = raw_value(r.kind, &words[at..wanted], r.address)?;
            let value = scaled(raw, 0)
                .and_then(|v| v.checked_mul(r.scale))
                .ok_or(ModbusError::Overflow(r.address))?
                .normalize();
            out.push(Measurement {
                quantity: r.quantity,
                value,
                unit: r.unit,
                tariff: r.tariff,
                storage: 0,
                function: "instantaneous",
            });
        }
        Ok(out)
    }
}

/// The integer a register holds.
fn raw_value(kind: Kind, w: &[u16], address: u16) -> Result<i128, ModbusError> {
    let pair = |hi: u16, lo: u16| ((hi as u32) << 16) | lo as u32;
    Ok(match kind {
        Kind::U16 => w[0] as i128,
        Kind::I16 => w[0] as i16 as i128,
        Kind::U32 => pair(w[0], w[1]) as i128,
        Kind::I32 => pair(w[0], w[1]) as i32 as i128,
        Kind::U32Swapped => pair(w[1], w[0]) as i128,
        Kind::I32Swapped => pair(w[1], w[0]) as i32 as i128,
        Kind::U64 => {
            (((w[0] as u64) << 48) | ((w[1] as u64) << 32) | ((w[2] as u64) << 16) | w[3] as u64)
                as i128
        }
        Kind::Bcd32 => {
            let mut v: i128 = 0;
            for word in [w[0], w[1]] {
                for shift in [12, 8, 4, 0] {
                    let digit = (word >> shift) & 0xF;
                    if digit > 9 {
                        return Err(ModbusError::NotBcd(address));
                    }
                    v = v * 10 + digit as i128;
                }
            }
            v
        }
    })
}

#[derive(Deserialize)]
struct File {
    models: Vec<ModelFile>,
}

#[derive(Deserialize)]
struct ModelFile {
    #[serde(rename = "match")]
    names: Vec<String>,
    registers: Vec<RegisterFile>,
}

#[derive(Deserialize)]
struct RegisterFile {
    table: Table,
    address: u16,
    #[serde(rename = "type")]
    kind: Kind,
    quantity: String,
    unit: String,
    #[serde(default)]
    scale: Option<String>,
    #[serde(default)]
    tariff: u8,
}

/// Quantities and units a map may name (the collector's vocabulary).
const QUANTITIES: &[&str] = &[
    "energy_a_plus",
    "energy_a_minus",
    "energy_r_plus",
    "energy_r_minus",
    "heat_energy",
    "volume",
    "mass",
    "t_supply",
    "t_return",
    "power",
    "flow",
    "operating_time",
];
const UNITS: &[&str] = &["kWh", "kvarh", "Gcal", "GJ", "MWh", "m3", "t", "°C", "kW", "m3/h", "h"];

fn intern(list: &'static [&'static str], s: &str) -> Option<&'static str> {
    list.iter().copied().find(|x| *x == s)
}

/// Reads a maps file.
pub fn parse(text: &str, origin: &str) -> Result<Vec<DeviceMap>, ModbusError> {
    let file: File =
        serde_json::from_str(text).map_err(|e| ModbusError::Load(origin.into(), e.to_string()))?;
    let mut out = Vec::new();
    for m in file.models {
        let model = m.names.first().cloned().unwrap_or_default();
        let bad = |problem: String| ModbusError::BadMap {
            model: model.clone(),
            problem,
        };
        let mut registers = Vec::new();
        for r in m.registers {
            let quantity = intern(QUANTITIES, &r.quantity)
                .ok_or_else(|| bad(format!("unknown quantity {:?}", r.quantity)))?;
            let unit =
                intern(UNITS, &r.unit).ok_or_else(|| bad(format!("unknown unit {:?}", r.unit)))?;
            let scale = match &r.scale {
                Some(s) => Decimal::from_str(s)
                    .ok()
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| bad(format!("bad scale {s:?}")))?,
                None => Decimal::ONE,
            };
            if r.tariff > 4 {
                return Err(bad(format!("tariff {} is not 0–4", r.tariff)));
            }
            if r.address.checked_add(r.kind.words()).is_none() {
                return Err(bad(format!("register {} runs past the table", r.address)));
            }
            registers.push(Register {
                table: r.table,
                address: r.address,
                kind: r.kind,
                scale,
                quantity,
                unit,
                tariff: r.tariff,
            });
        }
        out.push(DeviceMap {
            names: m.names,
            registers,
        });
    }
    Ok(out)
}

/// The register maps: the data directory's own first, then the bundled ones.
#[derive(Clone, Debug, Default)]
pub struct RegisterMaps {
    maps: Vec<DeviceMap>,
}

impl RegisterMaps {
    pub fn bundled() -> RegisterMaps {
        RegisterMaps {
            maps: parse(BUNDLED, "server/maps/modbus.json").expect("the bundled Modbus maps parse"),
        }
    }

    pub fn load(data_dir: &Path) -> Result<RegisterMaps, ModbusError> {
        let own = data_dir.join("maps").join("modbus.json");
        let mut maps = Vec::new();
        if own.exists() {
            let text = std::fs::read_to_string(&own)
                .map_err(|e| ModbusError::Load(own.display().to_string(), e.to_string()))?;
            maps = parse(&text, &own.display().to_string())?;
        }
        maps.extend(RegisterMaps::bundled().maps);
        Ok(RegisterMaps { maps })
    }

    /// The map of a meter model: the first whose name begins the model, ignoring case.
    pub fn find(&self, model: &str) -> Result<&DeviceMap, ModbusError> {
        let model_l = model.to_lowercase();
        self.maps
            .iter()
            .find(|m| m.names.iter().any(|n| model_l.starts_with(&n.to_lowercase())))
            .ok_or_else(|| ModbusError::NoMap(model.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn map() -> DeviceMap {
        parse(
            r#"{"models":[{"match":["Тест"],"registers":[
                {"table":"holding","address":0,"type":"u32","quantity":"volume","unit":"m3","scale":"0.001"},
                {"table":"holding","address":2,"type":"u32_swapped","quantity":"heat_energy","unit":"Gcal","scale":"0.0001"},
                {"table":"input","address":10,"type":"i16","quantity":"t_supply","unit":"°C","scale":"0.01"},
                {"table":"holding","address":40,"type":"bcd32","quantity":"operating_time","unit":"h"}
            ]}]}"#,
            "test",
        )
        .unwrap()
        .remove(0)
    }

    #[test]
    fn neighbouring_registers_share_a_request() {
        let b = map().blocks();
        assert_eq!(
            b,
            vec![
                Block { table: Table::Holding, start: 0, count: 4 },
                Block { table: Table::Holding, start: 40, count: 2 },
                Block { table: Table::Input, start: 10, count: 1 },
            ]
        );
    }

    #[test]
    fn registers_read_exactly_in_every_layout() {
        let m = map();
        let blocks = vec![
            (m.blocks()[0], vec![0x0001, 0xE240, 0x5678, 0x0012]),
            (m.blocks()[1], vec![0x0012, 0x3456]),
            (m.blocks()[2], vec![(-1234i16) as u16]),
        ];
        let v = m.decode(&blocks).unwrap();
        // 0x0001E240 = 123456 → 123,456 m³; swapped 0x00125678 = 1201784 → 120,1784 Gcal
        assert_eq!(v[0].value.to_string(), "123.456");
        assert_eq!(v[1].value.to_string(), "120.1784");
        assert_eq!(v[2].value.to_string(), "-12.34");
        assert_eq!(v[3].value.to_string(), "123456");
        assert_eq!((v[1].quantity, v[1].unit), ("heat_energy", "Gcal"));
    }

    #[test]
    fn bad_bcd_and_short_replies_are_errors() {
        let m = map();
        let blocks = vec![
            (m.blocks()[0], vec![0, 1, 0, 0]),
            (m.blocks()[1], vec![0x00A0, 0]),
            (m.blocks()[2], vec![1]),
        ];
        assert_eq!(m.decode(&blocks), Err(ModbusError::NotBcd(40)));
        let short = vec![(m.blocks()[0], vec![0, 1])];
        assert!(matches!(m.decode(&short), Err(ModbusError::Short { .. })));
    }

    #[test]
    fn maps_refuse_unknown_quantities_units_and_scales() {
        for bad in [
            r#"{"models":[{"match":["X"],"registers":[{"table":"holding","address":0,"type":"u16","quantity":"volts","unit":"m3"}]}]}"#,
            r#"{"models":[{"match":["X"],"registers":[{"table":"holding","address":0,"type":"u16","quantity":"volume","unit":"gallon"}]}]}"#,
            r#"{"models":[{"match":["X"],"registers":[{"table":"holding","address":0,"type":"u16","quantity":"volume","unit":"m3","scale":"0"}]}]}"#,
            r#"{"models":[{"match":["X"],"registers":[{"table":"holding","address":0,"type":"u16","quantity":"volume","unit":"m3","scale":"one"}]}]}"#,
            r#"{"models":[{"match":["X"],"registers":[{"table":"coils","address":0,"type":"u16","quantity":"volume","unit":"m3"}]}]}"#,
        ] {
            assert!(parse(bad, "t").is_err(), "{bad}");
        }
    }

    #[test]
    fn the_bundled_maps_parse_and_find_models_by_prefix() {
        let maps = RegisterMaps::bundled();
        assert!(maps.find("Unknown device").is_err());
        for m in &maps.maps {
            assert!(!m.registers.is_empty());
            assert!(maps.find(&format!("{} rev.2", m.names[0])).is_ok());
        }
    }

    proptest! {
        #[test]
        fn any_words_decode_or_refuse_without_panic(words in proptest::collection::vec(any::<u16>(), 0..8)) {
            let m = map();
            let blocks: Vec<(Block, Vec<u16>)> = m.blocks().into_iter().map(|b| (b, words.clone())).collect();
            let _ = m.decode(&blocks);
        }

        #[test]
        fn no_register_map_file_makes_the_loader_panic(text in ".{0,300}") {
            let _ = parse(&text, "fuzz");
            let wrapped = format!(r#"{{"models":[{{"match":["X"],"registers":[{text}]}}]}}"#);
            let _ = parse(&wrapped, "fuzz");
        }
    }
}
