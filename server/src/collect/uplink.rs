//! LoRaWAN uplinks into readings: find the device by its DevEUI, the meters on it, what the
//! uplink says for each (by the model's field map), and store a whole batch in one write.
//! An uplink that cannot be read, or comes from a device Uchet does not know, is logged and
//! counted; only a storage failure stops a batch (and then nothing of it is acknowledged).
//! The radio side of every uplink of a known device (counter, signal, gateway, payload) is
//! kept for «LoRa-сеансы», whether or not its values mapped.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::models::Resource;
use app::storage::channel::{self, Channel};
use app::storage::reading::{self, Reading, Source};
use app::models::monitoring::{EventKind, EventSource, EventValues};
use app::storage::event::{self, NewEvent};
use app::storage::lora_packet::{self, Packet};
use app::storage::{self, communicator, decimal, meter, Db, StorageError};

use super::field_map::FieldMaps;
use super::ingest;
use super::protocol::chirpstack;
use super::transport::mqtt::{self, Message, MqttSettings};

/// How long what we know of a device (its meters and channels) is trusted before it is read
/// again, so a device added in the UI starts reporting within this time.
const DEVICE_TTL: Duration = Duration::from_secs(60);
/// At most this many DevEUIs are remembered, so a stream of made-up DevEUIs cannot grow the
/// server's memory; far above the devices of one installation.
const MAX_DEVICES: usize = 50_000;
/// An uplink dated further ahead than this is refused: a reading from the future would stand
/// as the meter's current value until the calendar caught up with it.
const MAX_AHEAD_SECONDS: i64 = 3600;
/// An uplink dated before this (1 January 2000) is refused too: a device clock never set.
const EARLIEST: i64 = 946_684_800;

/// What happened to uplinks, summed over batches.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UplinkStats {
    pub uplinks: u64,
    /// Readings stored (a redelivered uplink stores none).
    pub readings: u64,
    /// Uplinks from a DevEUI no communicator has.
    pub unknown_devices: u64,
    /// Uplinks that were not ChirpStack v4 uplink events.
    pub bad: u64,
    /// Uplinks whose values found no map or no channel.
    pub unmapped: u64,
    /// Uplinks dated in the future or before 2000: refused.
    pub misdated: u64,
}

impl std::ops::AddAssign for UplinkStats {
    fn add_assign(&mut self, o: UplinkStats) {
        self.uplinks += o.uplinks;
        self.readings += o.readings;
        self.unknown_devices += o.unknown_devices;
        self.bad += o.bad;
        self.unmapped += o.unmapped;
        self.misdated += o.misdated;
    }
}

/// A device Uchet knows: whose it is and the meters on it.
struct Device {
    company_id: i64,
    communicator_id: i64,
    meters: Vec<DeviceMeter>,
}

struct DeviceMeter {
    meter_id: i64,
    object_id: i64,
    resource: Resource,
    model: String,
    /// The device input the meter hangs on (its bus address; 1 when empty).
    input: u32,
    channels: Vec<Channel>,
}

/// Stores uplinks; keeps what it learnt of devices between batches.
pub struct Uplinks {
    db: Db,
    maps: FieldMaps,
    devices: HashMap<String, (Instant, Option<Arc<Device>>)>,
    max_devices: usize,
    pub stats: UplinkStats,
}

impl Uplinks {
    pub fn new(db: Db, maps: FieldMaps) -> Uplinks {
        Uplinks {
            db,
            maps,
            devices: HashMap::new(),
            max_devices: MAX_DEVICES,
            stats: UplinkStats::default(),
        }
    }

    /// Remembers at most `n` DevEUIs (the default is [`MAX_DEVICES`]).
    pub fn remember_at_most(mut self, n: usize) -> Uplinks {
        self.max_devices = n.max(1);
        self
    }

    /// How many DevEUIs are remembered now.
    pub fn remembered_devices(&self) -> usize {
        self.devices.len()
    }

    /// Makes room for one more DevEUI: the outdated go first, then the unknown, then all.
    fn make_room(&mut self) {
        if self.devices.len() < self.max_devices {
            return;
        }
        self.devices.retain(|_, (at, _)| at.elapsed() < DEVICE_TTL);
        if self.devices.len() >= self.max_devices {
            self.devices.retain(|_, (_, known)| known.is_some());
        }
        if self.devices.len() >= self.max_devices {
            self.devices.clear();
        }
    }

    async fn device(
        &mut self,
        dev_eui: &str,
    ) -> Result<Option<Arc<Device>>, StorageError> {
        if let Some((at, known)) = self.devices.get(dev_eui) {
            if at.elapsed() < DEVICE_TTL {
                return Ok(known.clone());
            }
        }
        let known = match communicator::get_by_dev_eui(&self.db, dev_eui).await? {
            None => None,
            Some(c) => {
                let mut meters = Vec::new();
                for m in meter::list_for_communicator(&self.db, c.company_id, c.id).await? {
                    meters.push(DeviceMeter {
                        meter_id: m.id,
                        object_id: m.object_id,
                        resource: m.resource,
                        // the device's own field map, where «Коммуникаторы» names one, wins
                        model: if c.field_map.is_empty() { m.model.clone() } else { c.field_map.clone() },
                        input: m.bus_address.trim().parse().unwrap_or(1),
                        channels: channel::list_for_meter(&self.db, c.company_id, m.id).await?,
                    });
                }
                Some(Arc::new(Device { company_id: c.company_id, communicator_id: c.id, meters }))
            }
        };
        if !self.devices.contains_key(dev_eui) {
            self.make_room();
        }
        self.devices
            .insert(dev_eui.to_string(), (Instant::now(), known.clone()));
        Ok(known)
    }

    /// Stores a batch of messages in one write; returns what happened to this batch.
    pub async fn store(&mut self, batch: &[Message]) -> Result<UplinkStats, StorageError> {
        let mut stats = UplinkStats::default();
        let mut readings = Vec::new();
        let mut heard = Vec::new();
        let mut packets = Vec::new();
        // each meter's flags as the batch leaves them: on (since when) or off
        let mut conditions: HashMap<(i64, &'static str), Condition> = HashMap::new();
        let now = storage::now();
        for message in batch {
            stats.uplinks += 1;
            let uplink = match chirpstack::parse(&message.payload, Some(&message.topic)) {
                Ok(u) => u,
                Err(e) => {
                    stats.bad += 1;
                    tracing::warn!(topic = %message.topic, error = %e, "uplink not read");
                    continue;
                }
            };
            let ts = uplink.time.map(|t| t.timestamp()).unwrap_or(now);
            if ts > now + MAX_AHEAD_SECONDS || ts < EARLIEST {
                stats.misdated += 1;
                tracing::warn!(dev_eui = %uplink.dev_eui, time = ts, "uplink dated in the future or before 2000, refused");
                continue;
            }
            let Some(device) = self.device(&uplink.dev_eui).await? else {
                stats.unknown_devices += 1;
                tracing::debug!(dev_eui = %uplink.dev_eui, "uplink from an unknown device");
                continue;
            };
            packets.push(packet_of(&device, &uplink, ts));
            let mut mapped = false;
            for m in device.meters.iter() {
                for (kind, on) in self.maps.conditions(&m.model, m.input, &uplink) {
                    let c = conditions.entry((m.meter_id, kind)).or_insert(Condition {
                        company_id: device.company_id,
                        object_id: m.object_id,
                        on,
                        since: ts,
                        dev_eui: uplink.dev_eui.clone(),
                    });
                    if on && !c.on {
                        c.since = ts;
                    }
                    c.on = on;
                }
                let measurements = match self.maps.measurements(&m.model, m.input, &uplink) {
                    Ok(ms) => ms,
                    Err(e) => {
                        tracing::warn!(dev_eui = %uplink.dev_eui, meter = m.meter_id, error = %e, "uplink not mapped");
                        continue;
                    }
                };
                let (rs, skipped) = ingest::readings(
                    m.resource,
                    &m.channels,
                    &measurements,
                    ts,
                    Source::LoraUplink,
                );
                if !skipped.is_empty() {
                    tracing::warn!(meter = m.meter_id, skipped = %skipped.join("; "), "uplink values without a channel");
                }
                if let Some(e) = rs.iter().find_map(|r| storable(r).err()) {
                    // Refused here, so one odd value cannot hold up the stream.
                    tracing::warn!(meter = m.meter_id, error = %e, "uplink value not stored");
                    continue;
                }
                if !rs.is_empty() {
                    mapped = true;
                    heard.push(m.meter_id);
                    readings.extend(rs);
                }
            }
            if !mapped {
                stats.unmapped += 1;
            }
        }
        if !readings.is_empty() {
            // checked as typed readings are: a lowered or jumping value waits for a dispatcher
            app::ingest::validate::flag(&self.db, &mut readings).await?;
            stats.readings = reading::insert_many(&self.db, &readings).await?;
        }
        heard.sort_unstable();
        heard.dedup();
        meter::set_last_contact_many(&self.db, &heard, now).await?;
        lora_packet::insert_many(&self.db, &packets).await?;
        self.record_conditions(conditions, now).await?;
        self.stats += stats;
        Ok(stats)
    }
}

/// A meter's flag as a batch of uplinks leaves it.
struct Condition {
    company_id: i64,
    object_id: i64,
    on: bool,
    /// The uplink time it came on (the first of a run of «on»).
    since: i64,
    dev_eui: String,
}

impl Uplinks {
    /// Opens an event for each flag left on (one per meter and kind, however many uplinks
    /// repeat it) and ends the open ones of each flag left off: a statement per kind.
    async fn record_conditions(&self, conditions: HashMap<(i64, &'static str), Condition>, at: i64) -> Result<(), StorageError> {
        let mut open = Vec::new();
        let mut ended: HashMap<&'static str, Vec<i64>> = HashMap::new();
        for ((meter_id, kind), c) in conditions {
            if !c.on {
                ended.entry(kind).or_default().push(meter_id);
                continue;
            }
            let Some(k) = EventKind::parse(kind) else { continue };
            let values = EventValues { message: Some(format!("по пакету LoRaWAN устройства {}", c.dev_eui)), ..Default::default() };
            open.push(NewEvent {
                company_id: c.company_id,
                object_id: c.object_id,
                meter_id: Some(meter_id),
                channel_id: None,
                kind: k.as_str(),
                severity: k.severity().as_str(),
                source: EventSource::Meter.as_str(),
                started_at: c.since,
                details: serde_json::to_string(&values).unwrap_or_else(|_| "{}".into()),
            });
        }
        if !open.is_empty() {
            event::open_many(&self.db, &open, at).await?;
        }
        for (kind, meters) in ended {
            event::end_of_meters(&self.db, EventSource::Meter.as_str(), kind, &meters, at).await?;
        }
        Ok(())
    }
}

/// Takes uplinks from the broker for as long as the server runs. A batch that cannot be
/// stored (the database is away) is tried again after a pause, and acknowledged only then.
pub async fn run(db: Db, settings: MqttSettings, maps: FieldMaps) {
    let mut uplinks = Uplinks::new(db, maps);
    let mut subscription = match mqtt::subscribe(&settings) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "LoRaWAN uplinks not taken: the broker connection cannot be set up");
            return;
        }
    };
    while let Some(batch) = subscription.next().await {
        let mut pause = Duration::from_millis(200);
        while let Err(e) = uplinks.store(&batch.messages).await {
            tracing::warn!(error = %e, messages = batch.messages.len(), "uplinks not stored; trying again");
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(10));
        }
        if let Err(e) = subscription.ack(batch).await {
            tracing::warn!(error = %e, "uplinks stored but not acknowledged; the broker will send them again");
            return;
        }
    }
}

/// The radio side of an uplink, as «LoRa-сеансы» keeps it.
fn packet_of(device: &Device, u: &chirpstack::Uplink, ts: i64) -> Packet {
    Packet {
        company_id: device.company_id,
        communicator_id: device.communicator_id,
        received_at: ts,
        f_cnt: u.f_cnt,
        f_port: u.f_port,
        rssi: u.rssi,
        // the gateway's float as its shortest decimal text: 7.5 stays 7,5
        snr: u.snr.filter(|s| s.is_finite()).and_then(|s| s.to_string().parse().ok()),
        gateway: u.gateway.clone(),
        dr: u.dr,
        // a LoRaWAN payload is at most 242 bytes; anything longer is not kept whole
        payload: u.data.iter().take(256).map(|b| format!("{b:02x}")).collect(),
        dedup: u.deduplication_id.chars().take(100).collect(),
    }
}

/// Whether every value of a reading can be stored exactly (six fraction digits at most).
fn storable(r: &Reading) -> Result<(), StorageError> {
    for v in std::iter::once(r.total).chain(r.tariffs).flatten() {
        decimal::to_micro(v)?;
    }
    Ok(())
}
