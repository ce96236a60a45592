//! MQTT: the broker a LoRaWAN network server (ChirpStack) publishes uplinks to. Uchet keeps a
//! persistent session (clean session off, QoS 1), subscribes again on every ConnAck (rumqttc
//! does not restore subscriptions), and acknowledges a message only after the batch it came
//! in was stored, so a crash or a broker restart loses nothing the broker accepted.

use std::time::Duration;

use rumqttc::{AsyncClient, Event, MqttOptions, Packet, Publish, QoS};

use super::TransportError;

/// At most this many messages are stored in one write.
const MAX_BATCH: usize = 2000;
/// Room for the acknowledgements of a batch and more in the client's request queue.
const REQUEST_QUEUE: usize = 4 * MAX_BATCH;
const MAX_PACKET: usize = 256 * 1024;

/// One message as the broker delivered it.
#[derive(Debug, Clone)]
pub struct Message {
    pub topic: String,
    pub payload: Vec<u8>,
}

/// Where the broker is and what to subscribe to.
#[derive(Debug, Clone, PartialEq)]
pub struct MqttSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Stable across restarts, so the broker keeps the session and what arrived meanwhile.
    pub client_id: String,
    pub topic: String,
}

impl MqttSettings {
    /// `mqtt://[user[:password]@]host[:port]` (port 1883 when absent).
    pub fn from_url(
        url: &str,
        client_id: &str,
        topic: &str,
    ) -> Result<MqttSettings, TransportError> {
        let bad = |m: &str| TransportError::Open {
            line: "mqtt".into(),
            message: format!("{m}: {url:?}"),
        };
        let rest = url
            .trim()
            .strip_prefix("mqtt://")
            .or_else(|| url.trim().strip_prefix("tcp://"))
            .ok_or_else(|| bad("the address must start with mqtt://"))?;
        let rest = rest.trim_end_matches('/');
        let (credentials, address) = match rest.rsplit_once('@') {
            Some((c, a)) => (Some(c), a),
            None => (None, rest),
        };
        let (username, password) = match credentials {
            None => (None, None),
            Some(c) => match c.split_once(':') {
                Some((u, p)) => (Some(u.to_string()), Some(p.to_string())),
                None => (Some(c.to_string()), None),
            },
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad("bad port"))?),
            None => (address, 1883),
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        if topic.trim().is_empty() || client_id.trim().is_empty() {
            return Err(bad("topic and client id must not be empty"));
        }
        Ok(MqttSettings {
            host: host.to_string(),
            port,
            username,
            password,
            client_id: client_id.to_string(),
            topic: topic.to_string(),
        })
    }
}

/// A live subscription: batches of messages in the order they arrived, each acknowledged
/// by [`Subscription::ack`] once it is stored. Dropping it stops the connection.
pub struct Subscription {
    client: AsyncClient,
    incoming: tokio::sync::mpsc::UnboundedReceiver<Publish>,
    pump: tokio::task::JoinHandle<()>,
}

/// A batch as delivered, and what is needed to acknowledge it.
pub struct Batch {
    pub messages: Vec<Message>,
    publishes: Vec<Publish>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.pump.abort();
    }
}

/// Connects (and keeps reconnecting whenever the broker goes away) and subscribes.
pub fn subscribe(settings: &MqttSettings) -> Subscription {
    let mut options = MqttOptions::new(&settings.client_id, &settings.host, settings.port);
    options
        .set_clean_session(false)
        .set_manual_acks(true)
        .set_keep_alive(Duration::from_secs(30))
        .set_max_packet_size(MAX_PACKET, MAX_PACKET);
    if let Some(user) = &settings.username {
        options.set_credentials(user, settings.password.clone().unwrap_or_default());
    }
    let (client, mut events) = AsyncClient::new(options, REQUEST_QUEUE);
    // The broker sends no more than its in-flight window before we acknowledge, so this
    // queue stays short; unbounded, the event loop never waits on it and keeps sending acks.
    let (tx, incoming) = tokio::sync::mpsc::unbounded_channel::<Publish>();
    let topic = settings.topic.clone();
    let subscriber = client.clone();
    let pump = tokio::spawn(async move {
        let mut failures = 0u32;
        loop {
            match events.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                    if failures > 0 {
                        tracing::info!(
                            session_present = ack.session_present,
                            "MQTT broker reachable again"
                        );
                    }
                    failures = 0;
                    if let Err(e) = subscriber.try_subscribe(&topic, QoS::AtLeastOnce) {
                        tracing::warn!(error = %e, "MQTT subscription not sent");
                    }
                }
                Ok(Event::Incoming(Packet::Publish(p))) => {
                    if tx.send(p).is_err() {
                        return;
                    }
                }
                Ok(Event::Incoming(Packet::SubAck(ack))) => {
                    tracing::info!(topic = %topic, codes = ?ack.return_codes, "MQTT subscribed");
                }
                Ok(_) => {}
                Err(e) => {
                    failures += 1;
                    if failures == 1 || failures % 60 == 0 {
                        tracing::warn!(error = %e, failures, "MQTT broker unreachable; retrying every second");
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    });
    Subscription {
        client,
        incoming,
        pump,
    }
}

impl Subscription {
    /// The next messages: waits for one, then takes what else has arrived (at most
    /// [`MAX_BATCH`]). `None` when the connection task has ended.
    pub async fn next(&mut self) -> Option<Batch> {
        let first = self.incoming.recv().await?;
        let mut publishes = vec![first];
        while publishes.len() < MAX_BATCH {
            match self.incoming.try_recv() {
                Ok(p) => publishes.push(p),
                Err(_) => break,
            }
        }
        let messages = publishes
            .iter()
            .map(|p| Message {
                topic: p.topic.clone(),
                payload: p.payload.to_vec(),
            })
            .collect();
        Some(Batch {
            messages,
            publishes,
        })
    }

    /// Acknowledges a stored batch, in the order it arrived.
    pub async fn ack(&self, batch: Batch) -> Result<(), TransportError> {
        for p in &batch.publishes {
            self.client.ack(p).await.map_err(|e| TransportError::Open {
                line: "mqtt".into(),
                message: e.to_string(),
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broker_address_reads_host_port_and_credentials() {
        let s = MqttSettings::from_url("mqtt://uchet:секрет@broker.local:1884", "uchet-1", "t/#")
            .unwrap();
        assert_eq!(s.host, "broker.local");
        assert_eq!(s.port, 1884);
        assert_eq!(s.username.as_deref(), Some("uchet"));
        assert_eq!(s.password.as_deref(), Some("секрет"));
        let s = MqttSettings::from_url("mqtt://127.0.0.1", "uchet-1", "t/#").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.username),
            ("127.0.0.1", 1883, None)
        );
    }

    #[test]
    fn a_bad_broker_address_is_refused() {
        assert!(MqttSettings::from_url("http://x", "c", "t").is_err());
        assert!(MqttSettings::from_url("mqtt://x:порт", "c", "t").is_err());
        assert!(MqttSettings::from_url("mqtt://", "c", "t").is_err());
        assert!(MqttSettings::from_url("mqtt://x", "c", " ").is_err());
    }
}
