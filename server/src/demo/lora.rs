//! The demo's LoRaWAN devices: in ТСЖ «Рассвет» the cold-water meters of flats 1–4 report
//! through radio modules, one uplink an hour for the last ten days, so «LoRa-сеансы» has
//! something to show on the first look: a device in good reach, one that loses about one
//! packet in eight, one that joined the network again three days ago (its counter started
//! over: no PER across it) and one at the edge of its gateway's reach.

use app::models::{Placement, Resource};
use app::storage::{communicator, lora_packet, meter, object, premise, Db, StorageError};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

/// The gateways on the roofs of Ленина, 21 and its neighbour.
const GATEWAYS: [&str; 2] = ["0016c001f1500a21", "0016c001f1500b07"];

/// What each device is like: its share of packets lost, its signal, whether it re-joined.
struct Radio {
    lost: f64,
    rssi: i32,
    snr: f64,
    rejoined: bool,
}

const RADIOS: [Radio; 4] = [
    Radio { lost: 0.0, rssi: -78, snr: 9.5, rejoined: false },
    Radio { lost: 0.12, rssi: -104, snr: -2.5, rejoined: false },
    Radio { lost: 0.02, rssi: -91, snr: 4.0, rejoined: true },
    Radio { lost: 0.05, rssi: -118, snr: -12.5, rejoined: false },
];

/// Puts flats 1–4's cold-water meters of the company's first building on LoRaWAN devices
/// and writes their packets of the last ten days up to `now`; returns the devices made.
pub async fn generate(db: &Db, company_id: i64, now: i64) -> Result<usize, StorageError> {
    let Some(building) = object::list(db, company_id).await?.into_iter().min_by_key(|o| o.id) else {
        return Ok(0);
    };
    let flats = premise::list(db, company_id, building.id).await?;
    let meters = meter::list_for_object(db, company_id, building.id).await?;
    let mut rng = SmallRng::seed_from_u64(21);
    let mut made = 0;
    for (i, radio) in RADIOS.iter().enumerate() {
        let number = (i + 1).to_string();
        let Some(flat) = flats.iter().find(|p| p.number == number) else { continue };
        let Some(m) = meters
            .iter()
            .find(|m| m.premise_id == Some(flat.id) && m.placement == Placement::Individual && m.resource == Resource::ColdWater)
        else {
            continue;
        };
        let dev_eui = format!("70b3d59ba0000{:03x}", 0x101 + i);
        let device = communicator::create(
            db,
            &communicator::Communicator {
                company_id,
                object_id: Some(building.id),
                name: format!("LoRa-модуль кв. {number}"),
                line: "lorawan".into(),
                dev_eui: dev_eui.clone(),
                lorawan_class: "A".into(),
                lorawan_version: "1.0.3".into(),
                ..Default::default()
            },
        )
        .await?;
        meter::set_communicator(db, company_id, m.id, Some(device.id)).await?;

        let hours = 10 * 24;
        let mut counter: u32 = 3_100 + 97 * i as u32;
        let mut packets = Vec::new();
        let mut last = None;
        for h in (0..hours).rev() {
            let at = now - h * 3600 - 600 - 37 * i as i64;
            if radio.rejoined && h == 3 * 24 {
                counter = 0;
            }
            counter += 1;
            if rng.gen_bool(radio.lost) {
                continue;
            }
            let litres = 120_000 + (hours - h) as u32 * (7 + i as u32);
            let payload: String = std::iter::once(0x0au8)
                .chain(litres.to_le_bytes())
                .chain([0x00])
                .map(|b| format!("{b:02x}"))
                .collect();
            let rssi = radio.rssi + rng.gen_range(-4..=4);
            let snr = Decimal::new(((radio.snr + rng.gen_range(-1.5..1.5)) * 10.0).round() as i64, 1);
            packets.push(lora_packet::Packet {
                company_id,
                communicator_id: device.id,
                received_at: at,
                f_cnt: Some(counter),
                f_port: Some(2),
                rssi: Some(rssi),
                snr: Some(snr),
                gateway: GATEWAYS[usize::from(rssi < -100)].into(),
                dr: Some(if rssi < -110 { 0 } else if rssi < -100 { 2 } else { 5 }),
                payload,
                dedup: format!("demo-{dev_eui}-{counter}-{at}"),
            });
            last = Some(at);
        }
        lora_packet::insert_many(db, &packets).await?;
        if let Some(at) = last {
            meter::set_last_contact(db, m.id, at).await?;
        }
        made += 1;
    }
    Ok(made)
}
