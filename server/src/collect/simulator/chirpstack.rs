//! A LoRaWAN network server in a box: publishes uplink events as ChirpStack v4 does, at
//! QoS 1 through a real broker, and counts what the broker acknowledged. The tests and the
//! uplink benchmark stand it in for ChirpStack and its gateways.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use rumqttc::{AsyncClient, Event, MqttOptions, Outgoing, Packet, QoS};

/// The uplink topic of a device in an application.
pub fn topic(application_id: &str, dev_eui: &str) -> String {
    format!("application/{application_id}/device/{dev_eui}/event/up")
}

/// An uplink event of a device whose codec decoded `object` from `data`.
pub fn event(
    application_id: &str,
    dev_eui: &str,
    f_cnt: u32,
    time: DateTime<Utc>,
    object: &serde_json::Value,
    data: &[u8],
) -> Vec<u8> {
    serde_json::json!({
        "deduplicationId": format!("{dev_eui}-{f_cnt}"),
        "time": time.to_rfc3339_opts(SecondsFormat::Micros, false),
        "deviceInfo": {
            "tenantId": "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
            "tenantName": "ChirpStack",
            "applicationId": application_id,
            "applicationName": "Uchet",
            "deviceProfileName": "simulated",
            "deviceName": dev_eui,
            "devEui": dev_eui,
            "tags": {}
        },
        "devAddr": "00189440",
        "adr": true,
        "dr": 5,
        "fCnt": f_cnt,
        "fPort": 1,
        "confirmed": false,
        "data": base64::engine::general_purpose::STANDARD.encode(data),
        "object": object,
        "rxInfo": [{"gatewayId": "0016c001f153a14c", "rssi": -87, "snr": 7.5, "channel": 2, "crcStatus": "CRC_OK"}],
        "txInfo": {"frequency": 868500000, "modulation": {"lora": {"bandwidth": 125000, "spreadingFactor": 7, "codeRate": "CR_4_5"}}}
    })
    .to_string()
    .into_bytes()
}

/// `uplinks` uplinks of water meters spread over the devices, each a new minute of its
/// device from 1 January 2026 (`minute_offset` later); volumes with three fraction digits.
pub fn water_stream(
    application_id: &str,
    euis: &[String],
    uplinks: usize,
    minute_offset: i64,
) -> Vec<crate::collect::transport::mqtt::Message> {
    let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .expect("a valid time")
        .with_timezone(&Utc);
    (0..uplinks)
        .map(|i| {
            let eui = &euis[i % euis.len()];
            let round = (i / euis.len()) as i64 + minute_offset;
            let time = start + chrono::Duration::minutes(round);
            let volume = format!("{}.{:03}", 100 + round, i % 1000);
            crate::collect::transport::mqtt::Message {
                topic: topic(application_id, eui),
                payload: event(
                    application_id,
                    eui,
                    round as u32,
                    time,
                    &serde_json::json!({ "volume": volume, "battery": 97 }),
                    &[0x01, 0x02, 0x03, 0x04],
                ),
            }
        })
        .collect()
}

/// Publishes at QoS 1 over a persistent session, so what was not acknowledged before a
/// broker restart is sent again after it.
pub struct Publisher {
    client: AsyncClient,
    acked: Arc<AtomicU64>,
    connected: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Publisher {
    pub fn connect(host: &str, port: u16, client_id: &str) -> Publisher {
        let mut options = MqttOptions::new(client_id, host, port);
        options
            .set_clean_session(false)
            .set_keep_alive(Duration::from_secs(30))
            .set_inflight(1000);
        let (client, mut events) = AsyncClient::new(options, 10_000);
        let acked = Arc::new(AtomicU64::new(0));
        let connected = Arc::new(AtomicU64::new(0));
        let (a, c) = (acked.clone(), connected.clone());
        let task = tokio::spawn(async move {
            loop {
                match events.poll().await {
                    Ok(Event::Incoming(Packet::PubAck(_))) => {
                        a.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        c.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(Event::Outgoing(Outgoing::Disconnect)) => return,
                    Ok(_) => {}
                    Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
                }
            }
        });
        Publisher {
            client,
            acked,
            connected,
            task,
        }
    }

    pub async fn publish(&self, topic: String, payload: Vec<u8>) {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, payload)
            .await
            .expect("the publisher's event loop runs");
    }

    /// Messages the broker acknowledged (PUBACK) so far.
    pub fn acked(&self) -> u64 {
        self.acked.load(Ordering::Relaxed)
    }

    /// Connections made so far (more than one after a broker restart).
    pub fn connections(&self) -> u64 {
        self.connected.load(Ordering::Relaxed)
    }

    /// Waits until `n` messages are acknowledged or `limit` passes; returns the count.
    pub async fn wait_acked(&self, n: u64, limit: Duration) -> u64 {
        let until = tokio::time::Instant::now() + limit;
        while self.acked() < n && tokio::time::Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.acked()
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.task.abort();
    }
}
