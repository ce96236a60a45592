//! ChirpStack v4 uplink events (`application/{app}/device/{devEui}/event/up`, JSON): who sent
//! it, when, the frame counter, the raw payload and what the device profile's codec decoded.
//! Pure: bytes in, an [`Uplink`] or an error out; never panics on any input.

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UplinkError {
    #[error("not ChirpStack v4 JSON: {0}")]
    Json(String),
    #[error("no deviceInfo.devEui (a ChirpStack v3 event is not accepted)")]
    NoDevEui,
    #[error("devEui {0:?} is not 16 hex digits")]
    BadDevEui(String),
    #[error("time {0:?} is not RFC 3339")]
    BadTime(String),
    #[error("data is not base64: {0}")]
    BadData(String),
    #[error("topic {0:?} is not an uplink topic application/…/device/…/event/up")]
    Topic(String),
    #[error("topic names device {topic} but the event is from {event}")]
    TopicMismatch { topic: String, event: String },
}

/// One uplink, as Uchet keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Uplink {
    /// Lower-case hex, 16 digits.
    pub dev_eui: String,
    pub device_name: String,
    pub deduplication_id: String,
    /// When the network server received it; `None` when the event carries no time.
    pub time: Option<DateTime<Utc>>,
    pub f_cnt: Option<u32>,
    pub f_port: Option<u8>,
    /// The raw application payload.
    pub data: Vec<u8>,
    /// What the device profile's codec decoded, when it has one.
    pub object: Option<serde_json::Value>,
    /// The best gateway's signal, for the LoRa sessions page.
    pub rssi: Option<i32>,
    pub snr: Option<f64>,
    /// The gateway that heard it best (hex), empty when the event names none.
    pub gateway: String,
    /// The data rate the device sent at (DR0–DR15).
    pub dr: Option<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    #[serde(default)]
    deduplication_id: String,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    device_info: Option<DeviceInfo>,
    #[serde(default)]
    f_cnt: Option<u32>,
    #[serde(default)]
    f_port: Option<u8>,
    #[serde(default)]
    dr: Option<u8>,
    #[serde(default)]
    data: Option<String>,
    #[serde(default)]
    object: Option<serde_json::Value>,
    #[serde(default)]
    rx_info: Vec<RxInfo>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeviceInfo {
    #[serde(default)]
    dev_eui: Option<String>,
    #[serde(default)]
    device_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RxInfo {
    #[serde(default)]
    gateway_id: String,
    #[serde(default)]
    rssi: Option<i32>,
    #[serde(default)]
    snr: Option<f64>,
}

/// The device a topic names, when it is an uplink topic.
pub fn topic_dev_eui(topic: &str) -> Result<String, UplinkError> {
    let parts: Vec<&str> = topic.split('/').collect();
    match parts.as_slice() {
        ["application", _, "device", eui, "event", "up"] => normalize_eui(eui),
        _ => Err(UplinkError::Topic(topic.chars().take(200).collect())),
    }
}

fn normalize_eui(eui: &str) -> Result<String, UplinkError> {
    if eui.len() == 16 && eui.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(eui.to_ascii_lowercase())
    } else {
        Err(UplinkError::BadDevEui(eui.chars().take(40).collect()))
    }
}

/// Reads an uplink event; `topic`, when given, must name the same device.
pub fn parse(payload: &[u8], topic: Option<&str>) -> Result<Uplink, UplinkError> {
    let event: Event =
        serde_json::from_slice(payload).map_err(|e| UplinkError::Json(e.to_string()))?;
    let info = event.device_info.ok_or(UplinkError::NoDevEui)?;
    let dev_eui = normalize_eui(info.dev_eui.as_deref().ok_or(UplinkError::NoDevEui)?)?;
    if let Some(topic) = topic {
        let named = topic_dev_eui(topic)?;
        if named != dev_eui {
            return Err(UplinkError::TopicMismatch {
                topic: named,
                event: dev_eui,
            });
        }
    }
    let time = match event.time.as_deref() {
        None | Some("") => None,
        Some(t) => Some(
            DateTime::parse_from_rfc3339(t)
                .map_err(|_| UplinkError::BadTime(t.chars().take(60).collect()))?
                .with_timezone(&Utc),
        ),
    };
    let data = match event.data.as_deref() {
        None | Some("") => Vec::new(),
        Some(d) => base64::engine::general_purpose::STANDARD
            .decode(d)
            .map_err(|e| UplinkError::BadData(e.to_string()))?,
    };
    let best = event
        .rx_info
        .iter()
        .filter(|r| r.rssi.is_some())
        .max_by_key(|r| r.rssi);
    Ok(Uplink {
        dev_eui,
        device_name: info.device_name,
        deduplication_id: event.deduplication_id,
        time,
        f_cnt: event.f_cnt,
        f_port: event.f_port,
        data,
        object: event.object.filter(|o| !o.is_null()),
        rssi: best.and_then(|r| r.rssi),
        snr: best.and_then(|r| r.snr),
        gateway: best.map(|r| r.gateway_id.chars().filter(char::is_ascii_hexdigit).take(16).collect()).unwrap_or_default(),
        dr: event.dr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An uplink as ChirpStack v4 publishes it (trimmed of fields Uchet does not read).
    pub const SAMPLE: &str = r#"{
        "deduplicationId": "3ac7e3c4-4401-4b8d-9386-a5c902f9202d",
        "time": "2026-11-20T07:00:01.123456+00:00",
        "deviceInfo": {
            "tenantId": "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
            "tenantName": "ChirpStack",
            "applicationId": "17c82e96-be03-4f38-aef3-f83d48582d97",
            "applicationName": "Вода",
            "deviceProfileId": "14855bf7-d10d-4aee-b618-ebfcb64dc7ad",
            "deviceProfileName": "Пульсар LoRa",
            "deviceName": "кв. 12 ХВС",
            "devEui": "0101010101010101",
            "tags": {}
        },
        "devAddr": "00189440",
        "dr": 1,
        "fCnt": 10,
        "fPort": 1,
        "confirmed": false,
        "data": "AQIDBA==",
        "object": {"volume": 123.456, "battery": 98},
        "rxInfo": [
            {"gatewayId": "0016c001f153a14c", "rssi": -97, "snr": 3.5, "channel": 1},
            {"gatewayId": "0016c001f153a14d", "rssi": -60, "snr": 9.0, "channel": 1}
        ],
        "txInfo": {"frequency": 868900000}
    }"#;

    #[test]
    fn a_v4_uplink_reads_device_counter_payload_and_object() {
        let u = parse(
            SAMPLE.as_bytes(),
            Some(
                "application/17c82e96-be03-4f38-aef3-f83d48582d97/device/0101010101010101/event/up",
            ),
        )
        .unwrap();
        assert_eq!(u.dev_eui, "0101010101010101");
        assert_eq!(u.device_name, "кв. 12 ХВС");
        assert_eq!(u.f_cnt, Some(10));
        assert_eq!(u.f_port, Some(1));
        assert_eq!(u.data, vec![1, 2, 3, 4]);
        assert_eq!(u.object.as_ref().unwrap()["battery"], 98);
        assert_eq!(u.rssi, Some(-60));
        assert_eq!(u.gateway, "0016c001f153a14d", "the gateway that heard it best");
        assert_eq!(u.snr, Some(9.0));
        assert_eq!(u.dr, Some(1));
        assert_eq!(
            u.time.unwrap().to_rfc3339(),
            "2026-11-20T07:00:01.123456+00:00"
        );
    }

    #[test]
    fn time_may_end_in_z_and_default_fields_may_be_absent() {
        let u = parse(
            br#"{"time":"2026-11-20T07:00:00Z","deviceInfo":{"devEui":"ABCDEF0123456789"}}"#,
            None,
        )
        .unwrap();
        assert_eq!(u.dev_eui, "abcdef0123456789");
        assert_eq!(u.f_cnt, None);
        assert!(u.data.is_empty());
        assert!(u.object.is_none());
        assert_eq!(u.time.unwrap().timestamp(), 1_795_158_000);
    }

    #[test]
    fn a_v3_event_with_base64_dev_eui_is_refused() {
        let e = parse(br#"{"devEUI":"AQEBAQEBAQE=","fCnt":1}"#, None).unwrap_err();
        assert_eq!(e, UplinkError::NoDevEui);
    }

    #[test]
    fn bad_device_time_payload_and_topic_are_named() {
        assert!(matches!(
            parse(br#"{"deviceInfo":{"devEui":"01"}}"#, None),
            Err(UplinkError::BadDevEui(_))
        ));
        assert!(matches!(
            parse(
                r#"{"time":"вчера","deviceInfo":{"devEui":"0101010101010101"}}"#.as_bytes(),
                None
            ),
            Err(UplinkError::BadTime(_))
        ));
        assert!(matches!(
            parse(
                br#"{"data":"***","deviceInfo":{"devEui":"0101010101010101"}}"#,
                None
            ),
            Err(UplinkError::BadData(_))
        ));
        assert!(matches!(
            parse(
                SAMPLE.as_bytes(),
                Some("application/x/device/0202020202020202/event/up")
            ),
            Err(UplinkError::TopicMismatch { .. })
        ));
        assert!(matches!(
            topic_dev_eui("application/x/device/0101010101010101/event/join"),
            Err(UplinkError::Topic(_))
        ));
    }

    proptest::proptest! {
        #[test]
        fn no_bytes_make_the_uplink_reader_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = parse(&bytes, Some("application/a/device/0101010101010101/event/up"));
        }

        #[test]
        fn no_topic_makes_the_topic_reader_panic(topic in ".{0,120}") {
            let _ = topic_dev_eui(&topic);
        }
    }
}
