//! «LoRa-сеансы» (issue 23, point 8) on both databases: each uplink of a known device keeps
//! its radio side (counter, port, signal, gateway, data rate, payload) once however often
//! the broker delivers it; the sessions page shows each device's last packet and its packet
//! error rate from the counter's gaps, none across a counter reset; a device's log of five
//! days has its averages; packets older than ten days go with the sweep; another company's
//! device is not found and a resident is refused.

use crate::common;

use app::errors::AppError;
use app::models::capacity::DigitCapacity;
use app::models::lora::{LoraLog, LoraSessions};
use app::models::{Placement, Resource, Role};
use app::storage::{communicator, lora_packet, meter, now, premise};
use chrono::{TimeZone, Utc};
use server::collect::field_map::FieldMaps;
use server::collect::simulator::chirpstack;
use server::collect::transport::mqtt::Message;
use server::collect::uplink::Uplinks;

async fn sessions(w: &common::World, object: Option<i64>, cookie: &str) -> Result<LoraSessions, AppError> {
    let o = object.map(|o| o.to_string()).unwrap_or_default();
    let args: Vec<(&str, &str)> = if object.is_some() { vec![("object", &o)] } else { vec![] };
    let (_, text, _) = common::call(&w.app, "lora_devices", &common::form(&args), Some(cookie)).await;
    serde_json::from_str::<LoraSessions>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

async fn log(w: &common::World, device: i64, cookie: &str) -> Result<LoraLog, AppError> {
    let id = device.to_string();
    let (_, text, _) = common::call(&w.app, "lora_packet_log", &common::form(&[("device", &id)]), Some(cookie)).await;
    serde_json::from_str::<LoraLog>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

/// A LoRaWAN water meter in flat `flat` of company A's building on a device of its own;
/// (device id, DevEUI).
async fn device(w: &common::World, flat: &str, eui: &str) -> (i64, String) {
    let c = w.a.company_id;
    let d = communicator::create(
        &w.db,
        &communicator::Communicator { company_id: c, object_id: Some(w.a.object_id), name: format!("LoRa {flat}"), line: "lorawan".into(), dev_eui: eui.into(), ..Default::default() },
    )
    .await
    .unwrap();
    let p = premise::create(&w.db, &premise::Premise { company_id: c, object_id: w.a.object_id, number: flat.into(), ..Default::default() }).await.unwrap();
    let mut m = meter::Meter::new(c, w.a.object_id, Resource::ColdWater, "Пульсар LoRa Ду15", &format!("L-{flat}"), DigitCapacity::new(5, 3).unwrap());
    m.premise_id = Some(p.id);
    m.placement = Placement::Individual;
    m.communicator_id = Some(d.id);
    let m = meter::create(&w.db, &m).await.unwrap();
    app::storage::channel::create_main(&w.db, &m).await.unwrap();
    (d.id, eui.into())
}

/// Uplinks of `eui` with these counters, an hour apart, the last an hour ago.
fn uplinks(eui: &str, counters: &[u32]) -> Vec<Message> {
    let start = now() - 3600 * counters.len() as i64;
    counters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let time = Utc.timestamp_opt(start + 3600 * i as i64, 0).unwrap();
            Message {
                topic: chirpstack::topic("app", eui),
                payload: chirpstack::event("app", eui, *c, time, &serde_json::json!({"volume": 100 + i}), &[0x0a, *c as u8]),
            }
        })
        .collect()
}

both_backends!(uplinks_keep_their_radio_side_and_the_page_works_out_each_devices_loss, |w| {
    let (good, good_eui) = device(w, "11", "70b3d59ba0000101").await;
    let (reset, reset_eui) = device(w, "12", "70b3d59ba0000102").await;
    let (quiet, _) = device(w, "13", "70b3d59ba0000103").await;
    let mut store = Uplinks::new(w.db.clone(), FieldMaps::bundled());
    // counters 1 to 10 with 3, 4 and 8 lost; then the same batch redelivered by the broker
    let batch = uplinks(&good_eui, &[1, 2, 5, 6, 7, 9, 10]);
    store.store(&batch).await.unwrap();
    store.store(&batch).await.unwrap();
    // the second device joined again: its counter went back from 501 to 1
    store.store(&uplinks(&reset_eui, &[500, 501, 1, 2])).await.unwrap();

    let cookie = w.cookie(Role::Dispatcher);
    let page = sessions(w, None, cookie).await.unwrap();
    let find = |id: i64| page.devices.iter().find(|d| d.communicator_id == id).unwrap();
    let d = find(good);
    assert_eq!(d.packets, 7, "a redelivered uplink is kept once");
    assert_eq!(d.per.map(|p| p.to_string()).as_deref(), Some("30.0"), "3 of 10 lost");
    let last = d.last.as_ref().unwrap();
    assert_eq!((last.f_cnt, last.f_port, last.rssi, last.dr), (Some(10), Some(1), Some(-87), Some(5)));
    assert_eq!(last.snr.map(|s| s.to_string()).as_deref(), Some("7.5"));
    assert_eq!(last.gateway, "0016c001f153a14c");
    assert_eq!(last.payload, "0a0a");
    assert_eq!(d.meters.len(), 1);
    assert_eq!((d.meters[0].place.as_str(), d.meters[0].serial.as_str()), ("кв. 11", "L-11"));
    assert_eq!(d.object.as_str(), "Дом 1");
    let r = find(reset);
    assert!(r.reset && r.per.is_none(), "no PER across a counter reset: {r:?}");
    let q = find(quiet);
    assert!(q.last.is_none() && q.per.is_none() && q.packets == 0);

    // the log: newest first, with its averages
    let l = log(w, good, cookie).await.unwrap();
    assert_eq!(l.packets.iter().map(|p| p.f_cnt.unwrap()).collect::<Vec<_>>(), vec![10, 9, 7, 6, 5, 2, 1]);
    assert_eq!(l.per.map(|p| p.to_string()).as_deref(), Some("30.0"));
    assert_eq!(l.rssi.map(|p| p.to_string()).as_deref(), Some("-87.0"));
    assert_eq!(l.snr.map(|p| p.to_string()).as_deref(), Some("7.5"));
    assert_eq!(l.packets[0].received.len(), "dd.mm.yyyy hh:mm:ss".len(), "{}", l.packets[0].received);

    // packets older than ten days go with the sweep; the recent ones stay
    let old = lora_packet::Packet { company_id: w.a.company_id, communicator_id: good, received_at: now() - 11 * 86_400, f_cnt: Some(0), ..Default::default() };
    assert_eq!(lora_packet::insert_many(&w.db, &[old]).await.unwrap(), 1);
    app::monitoring::sweep_all(&w.db, now()).await.unwrap();
    assert_eq!(sessions(w, None, cookie).await.unwrap().devices.iter().find(|d| d.communicator_id == good).unwrap().packets, 7);
    assert_eq!(lora_packet::of_device(&w.db, w.a.company_id, good, 0, 100).await.unwrap().len(), 7, "the old packet is gone");

    // one building's devices; the meter's card counts it heard from
    assert_eq!(sessions(w, Some(w.a.object_id), cookie).await.unwrap().devices.len(), 3);
});

both_backends!(another_companys_device_is_not_found_and_a_resident_is_refused_the_sessions, |w| {
    let (good, good_eui) = device(w, "21", "70b3d59ba0000201").await;
    Uplinks::new(w.db.clone(), FieldMaps::bundled()).store(&uplinks(&good_eui, &[1, 2])).await.unwrap();
    assert_eq!(log(w, good, &w.b_dispatcher).await.unwrap_err(), AppError::NotFound);
    assert!(sessions(w, None, &w.b_dispatcher).await.unwrap().devices.is_empty(), "company B has no LoRaWAN device");
    assert_eq!(sessions(w, Some(w.a.object_id), &w.b_dispatcher).await.unwrap_err(), AppError::NotFound);
    // a line that is not LoRaWAN has no packet log
    let bus = communicator::create(&w.db, &communicator::Communicator { company_id: w.a.company_id, name: "Шина".into(), line: "rs485".into(), ..Default::default() }).await.unwrap();
    assert_eq!(log(w, bus.id, w.cookie(Role::Dispatcher)).await.unwrap_err(), AppError::NotFound);
    assert_eq!(sessions(w, None, w.cookie(Role::Reader)).await.unwrap().devices.len(), 1);
    assert_eq!(sessions(w, None, w.cookie(Role::Resident)).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(log(w, good, w.cookie(Role::Resident)).await.unwrap_err(), AppError::Forbidden);
});
