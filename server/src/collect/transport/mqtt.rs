//! MQTT: the broker a LoRaWAN network server (ChirpStack) publishes uplinks to. Uchet keeps a
//! persistent session (clean session off, QoS 1), subscribes again on every ConnAck (rumqttc
//! does not restore subscriptions), and acknowledges a message only after the batch it came
//! in was stored, so a crash or a broker restart loses nothing the broker accepted.
//! `mqtts://` speaks TLS (rustls), trusting the Mozilla roots or the company's own CA file;
//! the broker password never reaches a log or an error.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rumqttc::{AsyncClient, Event, MqttOptions, Packet, Publish, QoS, Transport};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

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
#[derive(Clone, PartialEq)]
pub struct MqttSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Stable across restarts, so the broker keeps the session and what arrived meanwhile.
    pub client_id: String,
    pub topic: String,
    /// `mqtts://`: the connection is encrypted and the broker's certificate checked.
    pub tls: bool,
    /// PEM file of the CA that signed the broker's certificate; none: the Mozilla roots.
    pub ca_file: Option<PathBuf>,
}

/// Everything but the password, so settings can be logged.
impl std::fmt::Debug for MqttSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("client_id", &self.client_id)
            .field("topic", &self.topic)
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// The address as it may be shown: a password in it becomes `***`.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.rsplit_once('@') {
        Some((credentials, address)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{address}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

fn open_error(message: String) -> TransportError {
    TransportError::Open {
        line: "mqtt".into(),
        message,
    }
}

impl MqttSettings {
    /// `mqtt://[user[:password]@]host[:port]` (port 1883 when absent), or `mqtts://…`
    /// (TLS, port 8883 when absent).
    pub fn from_url(
        url: &str,
        client_id: &str,
        topic: &str,
    ) -> Result<MqttSettings, TransportError> {
        let shown = without_password(url.trim());
        let bad = |m: &str| open_error(format!("{m}: {shown:?}"));
        let url = url.trim();
        let (rest, tls) = if let Some(r) = url.strip_prefix("mqtts://").or_else(|| url.strip_prefix("ssl://")) {
            (r, true)
        } else if let Some(r) = url.strip_prefix("mqtt://").or_else(|| url.strip_prefix("tcp://")) {
            (r, false)
        } else {
            return Err(bad("the address must start with mqtt:// or mqtts://"));
        };
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
            None => (address, if tls { 8883 } else { 1883 }),
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
            tls,
            ca_file: None,
        })
    }

    /// How to reach the broker: plain TCP, or TLS with the trusted roots. A CA file that
    /// cannot be read is an error at start, not a silent fallback to other roots.
    pub fn transport(&self) -> Result<Transport, TransportError> {
        if !self.tls {
            return Ok(Transport::Tcp);
        }
        let roots = match &self.ca_file {
            Some(path) => roots_from(path)?,
            None => rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            },
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| open_error(format!("TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Transport::tls_with_config(config.into()))
    }
}

/// The certificates of a PEM file, as roots.
fn roots_from(path: &Path) -> Result<rustls::RootCertStore, TransportError> {
    let bad = |m: String| open_error(format!("CA file {}: {m}", path.display()));
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| bad(e.to_string()))? {
        let cert = cert.map_err(|e| bad(e.to_string()))?;
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("no certificate in it".into()));
    }
    Ok(roots)
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
pub fn subscribe(settings: &MqttSettings) -> Result<Subscription, TransportError> {
    let mut options = MqttOptions::new(&settings.client_id, &settings.host, settings.port);
    options.set_transport(settings.transport()?);
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
    Ok(Subscription {
        client,
        incoming,
        pump,
    })
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
    fn the_broker_password_never_shows() {
        let s = MqttSettings::from_url("mqtts://uchet:секрет@broker.local", "c", "t/#").unwrap();
        assert!((s.tls, s.port) == (true, 8883));
        let shown = format!("{s:?}");
        assert!(!shown.contains("секрет") && shown.contains("***"), "{shown}");
        let e = MqttSettings::from_url("mqtt://uchet:секрет@broker.local:порт", "c", "t").unwrap_err();
        let e = e.to_string();
        assert!(!e.contains("секрет") && e.contains("uchet:***@broker.local"), "{e}");
        assert_eq!(without_password("mqtt://broker:1883"), "mqtt://broker:1883");
    }

    #[test]
    fn a_ca_file_that_cannot_be_read_is_an_error_at_start() {
        let mut s = MqttSettings::from_url("mqtts://broker.local", "c", "t").unwrap();
        assert!(s.transport().is_ok(), "the Mozilla roots");
        s.ca_file = Some(PathBuf::from("/no/such/ca.pem"));
        let e = s.transport().err().unwrap().to_string();
        assert!(e.contains("/no/such/ca.pem"), "{e}");
        let dir = std::env::temp_dir().join(format!("uchet-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        s.ca_file = Some(empty);
        assert!(s.transport().is_err(), "a file with no certificate in it");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_bad_broker_address_is_refused() {
        assert!(MqttSettings::from_url("http://x", "c", "t").is_err());
        assert!(MqttSettings::from_url("mqtt://x:порт", "c", "t").is_err());
        assert!(MqttSettings::from_url("mqtt://", "c", "t").is_err());
        assert!(MqttSettings::from_url("mqtt://x", "c", " ").is_err());
    }
}
