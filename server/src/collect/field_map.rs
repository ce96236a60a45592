//! Which field of a LoRaWAN uplink is which meter value, per meter model. The maps are data
//! (`server/maps/lorawan.json`, or `maps/lorawan.json` in the data directory, which wins), so
//! a new device model needs no new code: name the codec's fields, or say the payload is M-Bus.
//! A map may also name the codec's flags (a magnet, a leak, a low battery…): each is an
//! event of the meter, open while the flag is set; an M-Bus payload's status byte says the
//! same of itself.
//!
//! Numbers from a codec are JSON numbers the codec (JavaScript) printed from a double; they
//! are read back from that shortest text, so `123.456` stays exactly 123.456. Strings of
//! digits are accepted too.

use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::protocol::chirpstack::Uplink;
use super::protocol::{mbus, Measurement};

/// The maps shipped with Uchet.
const BUNDLED: &str = include_str!("../../maps/lorawan.json");

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldMapError {
    #[error("field map {0}: {1}")]
    Load(String, String),
    #[error("model {model:?}: unknown quantity {quantity:?}")]
    Quantity { model: String, quantity: String },
    #[error("model {model:?}: unknown unit {unit:?}")]
    Unit { model: String, unit: String },
    #[error("model {model:?}: bad scale {scale:?}")]
    Scale { model: String, scale: String },
    #[error("model {model:?}: unknown event {event:?} (one of {known})")]
    Event { model: String, event: String, known: String },
}

/// What went wrong turning one uplink into values (logged; the uplink is still acknowledged).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MapError {
    #[error("нет карты полей для модели «{0}»")]
    NoMap(String),
    #[error("в пакете нет расшифрованных полей (object)")]
    NoObject,
    #[error("поле {0} не число")]
    NotANumber(String),
    #[error("данные M-Bus в пакете не читаются: {0}")]
    Mbus(String),
}

#[derive(Deserialize)]
struct File {
    models: Vec<ModelFile>,
}

#[derive(Deserialize)]
struct ModelFile {
    /// Meter model names this map is for (compared without case; a name may be a prefix).
    #[serde(rename = "match")]
    names: Vec<String>,
    /// `object` (the codec's fields, default) or `mbus` (the raw payload is M-Bus user data).
    #[serde(default)]
    payload: Option<String>,
    #[serde(default)]
    fields: Vec<FieldFile>,
    /// The codec's flags that are events of the meter.
    #[serde(default)]
    flags: Vec<FlagFile>,
}

#[derive(Deserialize)]
struct FlagFile {
    /// Dotted path into `object` of a boolean (or 0/1) flag.
    path: String,
    /// The event it is: one of [`FLAG_EVENTS`].
    event: String,
    #[serde(default)]
    input: Option<u32>,
}

/// The events a codec's flag may name.
pub const FLAG_EVENTS: &[&str] = &["magnet", "cover_opened", "leak", "battery_low", "meter_error"];

#[derive(Debug, Clone)]
struct Flag {
    path: Vec<String>,
    event: &'static str,
    input: u32,
}

#[derive(Deserialize)]
struct FieldFile {
    /// Dotted path into `object`: `volume`, `meters.0.value`.
    path: String,
    quantity: String,
    unit: String,
    #[serde(default)]
    tariff: u8,
    /// The device's input this field belongs to (pulse counters with several meters); 1 when absent.
    #[serde(default)]
    input: Option<u32>,
    /// Multiplier as a decimal string, e.g. `"0.01"` m³ per pulse.
    #[serde(default)]
    scale: Option<String>,
}

#[derive(Debug, Clone)]
enum Payload {
    Object(Vec<Field>),
    Mbus,
}

#[derive(Debug, Clone)]
struct Field {
    path: Vec<String>,
    quantity: &'static str,
    unit: &'static str,
    tariff: u8,
    input: u32,
    scale: Option<Decimal>,
}

#[derive(Debug, Clone)]
struct Model {
    names: Vec<String>,
    payload: Payload,
    flags: Vec<Flag>,
}

/// All known device maps.
#[derive(Debug, Clone)]
pub struct FieldMaps {
    models: Vec<Model>,
}

const QUANTITIES: &[&str] = &[
    "energy",
    "energy_a_plus",
    "energy_a_minus",
    "energy_r_plus",
    "energy_r_minus",
    "heat_energy",
    "volume",
    "t_supply",
    "t_return",
    "t_diff",
    "power",
    "flow",
];
const UNITS: &[&str] = &[
    "kWh", "kvarh", "MWh", "Gcal", "GJ", "m3", "l", "°C", "K", "kW", "m3/h",
];

impl FieldMaps {
    /// The maps shipped with Uchet.
    pub fn bundled() -> FieldMaps {
        FieldMaps::parse(BUNDLED, "bundled").expect("the bundled field map is valid (tested)")
    }

    /// The data directory's `maps/lorawan.json` before the bundled maps.
    pub fn load(data_dir: &Path) -> Result<FieldMaps, FieldMapError> {
        let path = data_dir.join("maps").join("lorawan.json");
        let mut maps = match std::fs::read_to_string(&path) {
            Ok(text) => FieldMaps::parse(&text, &path.display().to_string())?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FieldMaps { models: Vec::new() },
            Err(e) => {
                return Err(FieldMapError::Load(
                    path.display().to_string(),
                    e.to_string(),
                ))
            }
        };
        maps.models.extend(FieldMaps::bundled().models);
        Ok(maps)
    }

    pub fn parse(text: &str, source: &str) -> Result<FieldMaps, FieldMapError> {
        let file: File = serde_json::from_str(text)
            .map_err(|e| FieldMapError::Load(source.to_string(), e.to_string()))?;
        let mut models = Vec::new();
        for m in file.models {
            let model_name = m.names.first().cloned().unwrap_or_default();
            let payload =
                match m.payload.as_deref() {
                    Some("mbus") => Payload::Mbus,
                    None | Some("object") => {
                        let mut fields = Vec::new();
                        for f in m.fields {
                            let quantity = QUANTITIES
                                .iter()
                                .find(|q| **q == f.quantity)
                                .copied()
                                .ok_or_else(|| FieldMapError::Quantity {
                                model: model_name.clone(),
                                quantity: f.quantity.clone(),
                            })?;
                            let unit =
                                UNITS
                                    .iter()
                                    .find(|u| **u == f.unit)
                                    .copied()
                                    .ok_or_else(|| FieldMapError::Unit {
                                        model: model_name.clone(),
                                        unit: f.unit.clone(),
                                    })?;
                            let scale = match f.scale {
                                None => None,
                                Some(s) => Some(Decimal::from_str(s.trim()).map_err(|_| {
                                    FieldMapError::Scale {
                                        model: model_name.clone(),
                                        scale: s.clone(),
                                    }
                                })?),
                            };
                            fields.push(Field {
                                path: f.path.split('.').map(str::to_string).collect(),
                                quantity,
                                unit,
                                tariff: f.tariff.min(4),
                                input: f.input.unwrap_or(1),
                                scale,
                            });
                        }
                        Payload::Object(fields)
                    }
                    Some(other) => return Err(FieldMapError::Load(
                        source.to_string(),
                        format!(
                            "model {model_name:?}: payload {other:?} is neither object nor mbus"
                        ),
                    )),
                };
            let mut flags = Vec::new();
            for f in m.flags {
                let event = FLAG_EVENTS.iter().find(|e| **e == f.event).copied().ok_or_else(|| FieldMapError::Event {
                    model: model_name.clone(),
                    event: f.event.clone(),
                    known: FLAG_EVENTS.join(", "),
                })?;
                flags.push(Flag { path: f.path.split('.').map(str::to_string).collect(), event, input: f.input.unwrap_or(1) });
            }
            models.push(Model {
                names: m.names.iter().map(|n| n.trim().to_lowercase()).collect(),
                payload,
                flags,
            });
        }
        Ok(FieldMaps { models })
    }

    fn model(&self, meter_model: &str) -> Option<&Model> {
        let name = meter_model.trim().to_lowercase();
        self.models.iter().find(|m| {
            m.names
                .iter()
                .any(|n| !n.is_empty() && name.starts_with(n.as_str()))
        })
    }

    /// The conditions an uplink reports of the meter of `meter_model` on `input`: each event
    /// with whether it is on. A flag the uplink does not carry says nothing; an M-Bus
    /// payload's status byte says battery and error.
    pub fn conditions(&self, meter_model: &str, input: u32, uplink: &Uplink) -> Vec<(&'static str, bool)> {
        let Some(model) = self.model(meter_model) else { return Vec::new() };
        let mut out = Vec::new();
        if let Payload::Mbus = model.payload {
            if let Some(status) = mbus::decode_user_data(&uplink.data, None).ok().and_then(|r| r.status) {
                out.extend(super::status::conditions(status).map(|(k, on)| (k.as_str(), on)));
            }
        }
        if let Some(object) = uplink.object.as_ref() {
            for f in model.flags.iter().filter(|f| f.input == input) {
                let on = match at(object, &f.path) {
                    Some(serde_json::Value::Bool(b)) => *b,
                    Some(serde_json::Value::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
                    Some(serde_json::Value::String(s)) => matches!(s.trim().to_lowercase().as_str(), "1" | "true" | "yes" | "да"),
                    _ => continue,
                };
                out.push((f.event, on));
            }
        }
        out
    }

    /// The values an uplink carries for the meter of `meter_model` on `input` of the device.
    pub fn measurements(
        &self,
        meter_model: &str,
        input: u32,
        uplink: &Uplink,
    ) -> Result<Vec<Measurement>, MapError> {
        let model = self
            .model(meter_model)
            .ok_or_else(|| MapError::NoMap(meter_model.to_string()))?;
        match &model.payload {
            Payload::Mbus => {
                let reply = mbus::decode_user_data(&uplink.data, None)
                    .map_err(|e| MapError::Mbus(e.to_string()))?;
                Ok(reply.measurements().cloned().collect())
            }
            Payload::Object(fields) => {
                let object = uplink.object.as_ref().ok_or(MapError::NoObject)?;
                let mut out = Vec::new();
                for f in fields.iter().filter(|f| f.input == input) {
                    let Some(value) = at(object, &f.path) else {
                        continue;
                    };
                    let mut value =
                        number(value).ok_or_else(|| MapError::NotANumber(f.path.join(".")))?;
                    if let Some(scale) = f.scale {
                        value = value
                            .checked_mul(scale)
                            .ok_or_else(|| MapError::NotANumber(f.path.join(".")))?
                            .normalize();
                    }
                    out.push(Measurement {
                        quantity: f.quantity,
                        value,
                        unit: f.unit,
                        tariff: f.tariff,
                        storage: 0,
                        function: "instantaneous",
                    });
                }
                Ok(out)
            }
        }
    }
}

fn at<'a>(mut v: &'a serde_json::Value, path: &[String]) -> Option<&'a serde_json::Value> {
    for key in path {
        v = match v {
            serde_json::Value::Object(o) => o.get(key)?,
            serde_json::Value::Array(a) => a.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// A JSON number or numeric string as an exact decimal.
fn number(v: &serde_json::Value) -> Option<Decimal> {
    let text = match v {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().replace(',', "."),
        _ => return None,
    };
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
        .map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uplink(object: serde_json::Value) -> Uplink {
        Uplink {
            dev_eui: "0101010101010101".into(),
            device_name: String::new(),
            deduplication_id: String::new(),
            time: None,
            f_cnt: Some(1),
            f_port: Some(1),
            data: Vec::new(),
            object: Some(object),
            rssi: None,
            snr: None,
            gateway: String::new(),
            dr: None,
        }
    }

    #[test]
    fn a_codecs_flags_are_the_meters_conditions_and_a_missing_flag_says_nothing() {
        let maps = FieldMaps::bundled();
        let u = uplink(serde_json::json!({"volume": 1, "magnet": true, "leak": 0, "battery_low": "1"}));
        assert_eq!(maps.conditions("Пульсар LoRa", 1, &u), vec![("magnet", true), ("leak", false), ("battery_low", true)]);
        let quiet = uplink(serde_json::json!({"volume": 1}));
        assert!(maps.conditions("Пульсар LoRa", 1, &quiet).is_empty());
        assert!(maps.conditions("Счётчик без карты", 1, &u).is_empty());
        let bad = r#"{"models":[{"match":["X"],"fields":[],"flags":[{"path":"a","event":"fire"}]}]}"#;
        assert!(matches!(FieldMaps::parse(bad, "test"), Err(FieldMapError::Event { .. })));
    }

    #[test]
    fn the_bundled_maps_load() {
        let maps = FieldMaps::bundled();
        assert!(maps.model("Пульсар LoRa").is_some());
        assert!(maps.model("вега си-22").is_some());
    }

    #[test]
    fn a_codec_double_comes_back_exact() {
        let maps = FieldMaps::bundled();
        let u = uplink(serde_json::json!({"volume": 123.456, "battery": 98}));
        let ms = maps.measurements("Пульсар LoRa ХВ", 1, &u).unwrap();
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].quantity, "volume");
        assert_eq!(ms[0].value.to_string(), "123.456");
        assert_eq!(ms[0].unit, "m3");
    }

    #[test]
    fn a_pulse_counter_gives_each_input_to_its_own_meter_scaled() {
        let maps = FieldMaps::bundled();
        let u = uplink(serde_json::json!({"input1": 12345, "input2": "700"}));
        let first = maps.measurements("Вега СИ-22", 1, &u).unwrap();
        let second = maps.measurements("Вега СИ-22", 2, &u).unwrap();
        assert_eq!(first[0].value.to_string(), "123.45");
        assert_eq!(second[0].value.to_string(), "7");
    }

    #[test]
    fn an_unknown_model_and_a_word_for_a_number_are_named() {
        let maps = FieldMaps::bundled();
        let u = uplink(serde_json::json!({"volume": "много"}));
        assert_eq!(
            maps.measurements("Счётчик без карты", 1, &u),
            Err(MapError::NoMap("Счётчик без карты".into()))
        );
        assert_eq!(
            maps.measurements("Пульсар LoRa", 1, &u),
            Err(MapError::NotANumber("volume".into()))
        );
    }

    #[test]
    fn a_map_with_an_unknown_unit_is_refused_on_load() {
        let e = FieldMaps::parse(
            r#"{"models":[{"match":["X"],"fields":[{"path":"v","quantity":"volume","unit":"галлон"}]}]}"#,
            "test",
        )
        .unwrap_err();
        assert!(matches!(e, FieldMapError::Unit { .. }));
    }

    #[test]
    fn an_mbus_payload_is_read_with_the_wired_decoder() {
        let maps = FieldMaps::bundled();
        // CI 0x72 long header, then one record: 4-digit BCD volume in litres (VIF 0x13).
        let mut data = vec![
            0x72, 0x78, 0x56, 0x34, 0x12, 0x24, 0x40, 0x01, 0x07, 0x55, 0x00, 0x00, 0x00,
        ];
        data.extend([0x0C, 0x13, 0x56, 0x34, 0x12, 0x00]);
        let mut u = uplink(serde_json::json!(null));
        u.object = None;
        u.data = data;
        let ms = maps.measurements("Водосчётчик LoRa M-Bus", 1, &u).unwrap();
        assert_eq!(ms[0].quantity, "volume");
        assert_eq!(ms[0].value.to_string(), "123.456");
        assert_eq!(ms[0].unit, "m3");
    }

    /// A JSON value such as a device codec might send, odd ones included.
    fn json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "[0-9.,eE+-]{0,30}".prop_map(serde_json::Value::from),
            ".{0,20}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            let key = prop_oneof![
                Just("volume".to_string()),
                Just("input1".to_string()),
                Just("input2".to_string()),
                Just("energy".to_string()),
                Just("heat".to_string()),
                ".{0,8}".prop_map(|s: String| s),
            ];
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(key, inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn no_codec_object_or_payload_makes_a_field_map_panic(
            object in json(),
            data in proptest::collection::vec(proptest::num::u8::ANY, 0..120),
            input in 0u32..4,
        ) {
            let maps = FieldMaps::bundled();
            let mut u = uplink(object);
            u.data = data;
            for m in &maps.models {
                for name in &m.names {
                    let _ = maps.measurements(name, input, &u);
                }
            }
        }

        #[test]
        fn no_map_file_makes_the_loader_panic(text in ".{0,200}", object in json()) {
            let _ = FieldMaps::parse(&text, "fuzz");
            let _ = FieldMaps::parse(&object.to_string(), "fuzz");
        }
    }
}
