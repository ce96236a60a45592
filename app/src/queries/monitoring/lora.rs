//! LoRa sessions (F25): each LoRaWAN device of the company with its meters, its last packet
//! and its packet error rate over ten days; one device's packet log of the last five days
//! with its averages.

use std::collections::HashMap;

use crate::auth::caller::Caller;
use crate::errors::AppError;
use crate::models::lora::{mean, mean_whole, packet_error_rate, rate, LoraDevice, LoraLog, LoraMeter, LoraPacket, LoraSessions, LOG_DAYS, PER_DAYS, PER_PACKETS};
use crate::models::MeterState;
use crate::storage::inventory::{self, Filter};
use crate::storage::lora_packet::{self, Packet};
use crate::storage::{communicator, now, object, Db};

use super::super::place;

/// A packet as the page shows it, its time in zone `tz` with seconds.
fn packet_of(p: &Packet, tz: chrono_tz::Tz) -> LoraPacket {
    LoraPacket {
        received: chrono::DateTime::from_timestamp(p.received_at, 0)
            .map(|t| t.with_timezone(&tz).format("%d.%m.%Y %H:%M:%S").to_string())
            .unwrap_or_default(),
        received_at: p.received_at,
        f_cnt: p.f_cnt,
        f_port: p.f_port,
        rssi: p.rssi,
        snr: p.snr,
        gateway: p.gateway.clone(),
        dr: p.dr,
        payload: p.payload.clone(),
    }
}

fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Europe::Moscow)
}

/// The company's LoRaWAN devices (those with a meter in building `object_id` when given),
/// by building and DevEUI.
pub async fn sessions(db: &Db, caller: &Caller, object_id: Option<i64>) -> Result<LoraSessions, AppError> {
    super::check_object(db, caller.company_id, object_id).await?;
    let filter = Filter { object_id, line: Some("lorawan".into()), ..Default::default() };
    // the meters on each device, and the building they stand in
    let mut on: HashMap<i64, (i64, String, String, Vec<LoraMeter>)> = HashMap::new();
    for l in inventory::list(db, caller.company_id, &filter).await? {
        let Some(c) = l.meter.communicator_id else { continue };
        if l.meter.state == MeterState::Retired {
            continue;
        }
        let m = LoraMeter {
            id: l.meter.id,
            place: place(l.meter.placement.as_str(), l.premise.as_deref()),
            resource: l.meter.resource,
            serial: l.meter.serial.clone(),
        };
        let entry = on.entry(c).or_insert_with(|| (l.meter.object_id, l.object_name.clone(), l.time_zone.clone(), Vec::new()));
        entry.3.push(m);
    }
    let at = now();
    let latest: HashMap<i64, Packet> = lora_packet::latest(db, caller.company_id).await?.into_iter().map(|p| (p.communicator_id, p)).collect();
    let counters: HashMap<i64, lora_packet::Counters> = lora_packet::counters(db, caller.company_id, at - PER_DAYS * 86_400, PER_PACKETS)
        .await?
        .into_iter()
        .map(|c| (c.communicator_id, c))
        .collect();
    let mut devices: Vec<LoraDevice> = communicator::list(db, caller.company_id)
        .await?
        .into_iter()
        .filter(|c| c.line == "lorawan")
        .filter_map(|c| {
            let (object_id, object, tz, meters) = match on.remove(&c.id) {
                Some((o, name, tz, m)) => (Some(o), name, tz, m),
                // a device with no meter in the building asked for is not listed
                None if object_id.is_some() => return None,
                None => (None, String::new(), String::new(), Vec::new()),
            };
            let n = counters.get(&c.id);
            let reset = n.is_some_and(|n| n.resets > 0);
            Some(LoraDevice {
                communicator_id: c.id,
                dev_eui: c.dev_eui,
                object_id,
                object,
                meters,
                last: latest.get(&c.id).map(|p| packet_of(p, zone(&tz))),
                per: n.filter(|_| !reset).map(|n| rate(n.first, n.last, n.distinct.max(0) as u64)),
                packets: n.map(|n| n.packets.max(0) as usize).unwrap_or(0),
                reset,
            })
        })
        .collect();
    devices.sort_by(|a, b| (a.object_id.is_none(), &a.object, &a.dev_eui).cmp(&(b.object_id.is_none(), &b.object, &b.dev_eui)));
    let objects = object::names(db, caller.company_id).await?;
    Ok(LoraSessions { objects, object_id, devices })
}

/// Device `communicator_id`'s packets of the last five days (at most 2 000), newest first,
/// with the PER, RSSI and SNR averaged over them. Another company's device, or a line that
/// is not LoRaWAN, is "not found".
pub async fn log(db: &Db, caller: &Caller, communicator_id: i64) -> Result<LoraLog, AppError> {
    let c = communicator::get(db, caller.company_id, communicator_id).await?;
    if c.line != "lorawan" {
        return Err(AppError::NotFound);
    }
    let tz = match c.object_id {
        Some(o) => zone(&object::get(db, caller.company_id, o).await?.time_zone),
        None => chrono_tz::Europe::Moscow,
    };
    let packets = lora_packet::of_device(db, caller.company_id, c.id, now() - LOG_DAYS * 86_400, PER_PACKETS).await?;
    let counters: Vec<u32> = packets.iter().rev().filter_map(|p| p.f_cnt).collect();
    Ok(LoraLog {
        communicator_id: c.id,
        dev_eui: c.dev_eui,
        per: packet_error_rate(&counters),
        rssi: mean_whole(packets.iter().filter_map(|p| p.rssi)),
        snr: mean(packets.iter().filter_map(|p| p.snr)),
        packets: packets.iter().map(|p| packet_of(p, tz)).collect(),
    })
}
