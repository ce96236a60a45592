//! LoRaWAN uplinks from a ChirpStack stand-in through a real Mosquitto into readings: values
//! stay exact, each input of a pulse counter reaches its own meter, garbage and strangers are
//! counted while the stream goes on, and a broker restart in the middle of a stream loses no
//! reading the broker acknowledged.

use std::time::Duration;

use app::db_test;
use app::models::capacity::DigitCapacity;
use app::models::{Placement, Resource};
use app::storage::reading::{Period, Source};
use app::storage::testing::fixtures;
use app::storage::{channel, communicator, meter, reading, Db};
use chrono::{TimeZone, Utc};
use rand::Rng;
use server::collect::field_map::FieldMaps;
use server::collect::simulator::broker::Broker;
use server::collect::simulator::chirpstack::{self, Publisher};
use server::collect::transport::mqtt::{Message, MqttSettings};
use server::collect::uplink::{self, Uplinks};

struct Device {
    company_id: i64,
    dev_eui: String,
    /// Main channels of the meters on it, by input.
    channels: Vec<i64>,
    meters: Vec<i64>,
}

fn random_eui() -> String {
    format!("{:016x}", rand::thread_rng().gen::<u64>())
}

async fn company(db: &Db) -> (i64, i64) {
    fixtures::company_with_building(db, "УК «Лора»", "Дом с LoRaWAN").await
}

/// A LoRaWAN device with one meter of `model` per input.
async fn device(db: &Db, (company_id, object_id): (i64, i64), model: &str, inputs: u32) -> Device {
    let dev_eui = random_eui();
    let c = communicator::create(
        db,
        &communicator::Communicator {
            company_id,
            object_id: Some(object_id),
            name: format!("LoRa {dev_eui}"),
            line: "lorawan".into(),
            dev_eui: dev_eui.clone(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut channels = Vec::new();
    let mut meters = Vec::new();
    for input in 1..=inputs {
        let mut m = meter::Meter::new(
            company_id,
            object_id,
            Resource::ColdWater,
            model,
            &format!("{dev_eui}-{input}"),
            DigitCapacity::new(5, 3).unwrap(),
        );
        m.placement = Placement::Common;
        m.communicator_id = Some(c.id);
        m.bus_address = input.to_string();
        let m = meter::create(db, &m).await.unwrap();
        channels.push(channel::create_main(db, &m).await.unwrap().id);
        meters.push(m.id);
    }
    Device {
        company_id,
        dev_eui,
        channels,
        meters,
    }
}

async fn count(db: &Db, d: &Device) -> i64 {
    let mut n = 0;
    for ch in &d.channels {
        n += reading::get_count(db, d.company_id, *ch).await.unwrap();
    }
    n
}

/// Waits until the devices hold `n` readings in all, or `limit` passes; returns the count.
async fn wait_readings(db: &Db, devices: &[Device], n: i64, limit: Duration) -> i64 {
    let until = tokio::time::Instant::now() + limit;
    loop {
        let mut total = 0;
        for d in devices {
            total += count(db, d).await;
        }
        if total >= n || tokio::time::Instant::now() >= until {
            return total;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn settings(port: u16, application: &str) -> MqttSettings {
    MqttSettings::from_url(
        &format!("mqtt://127.0.0.1:{port}"),
        &format!("uchet-test-{}", random_eui()),
        &format!("application/{application}/device/+/event/up"),
    )
    .unwrap()
}

db_test!(uplinks_through_the_broker_fill_readings_exactly, |db| {
    let site = company(&db).await;
    let pulsar = device(&db, site, "Пульсар LoRa Ду15", 1).await;
    let vega = device(&db, site, "Вега СИ-22", 2).await;
    // The machine's own broker; a topic of our own keeps other tests' traffic apart.
    let application = random_eui();
    let subscriber = tokio::spawn(uplink::run(
        db.clone(),
        settings(1883, &application),
        FieldMaps::bundled(),
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let publisher = Publisher::connect("127.0.0.1", 1883, &format!("ns-{}", random_eui()));
    let time = Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).unwrap();
    let topic = |eui: &str| chirpstack::topic(&application, eui);
    // Garbage and a stranger first: the stream must go on past them.
    publisher
        .publish(topic(&pulsar.dev_eui), b"\x00\xffnot json".to_vec())
        .await;
    let stranger = random_eui();
    publisher
        .publish(
            topic(&stranger),
            chirpstack::event(
                &application,
                &stranger,
                1,
                time,
                &serde_json::json!({"volume": 1}),
                &[],
            ),
        )
        .await;
    publisher
        .publish(
            topic(&pulsar.dev_eui),
            chirpstack::event(
                &application,
                &pulsar.dev_eui,
                7,
                time,
                &serde_json::json!({"volume": 123.456, "battery": 97}),
                &[1, 2],
            ),
        )
        .await;
    publisher
        .publish(
            topic(&vega.dev_eui),
            chirpstack::event(
                &application,
                &vega.dev_eui,
                3,
                time,
                &serde_json::json!({"input1": 12345, "input2": 70001}),
                &[],
            ),
        )
        .await;
    assert_eq!(publisher.wait_acked(4, Duration::from_secs(10)).await, 4);
    let devices = [pulsar, vega];
    assert_eq!(
        wait_readings(&db, &devices, 3, Duration::from_secs(20)).await,
        3
    );
    subscriber.abort();

    let [pulsar, vega] = devices;
    let at = time.timestamp();
    let get = |d: &Device, i: usize| {
        let db = db.clone();
        let (company_id, ch) = (d.company_id, d.channels[i]);
        async move {
            reading::list(&db, company_id, ch, Period::Instant, at, at + 1)
                .await
                .unwrap()
        }
    };
    let r = get(&pulsar, 0).await;
    assert_eq!(r[0].total.unwrap().to_string(), "123.456");
    assert_eq!(r[0].source, Source::LoraUplink);
    assert_eq!(get(&vega, 0).await[0].total.unwrap().to_string(), "123.45");
    assert_eq!(get(&vega, 1).await[0].total.unwrap().to_string(), "700.01");
    let m = meter::get(&db, pulsar.company_id, pulsar.meters[0])
        .await
        .unwrap();
    assert!(
        m.last_contact_at.is_some(),
        "the meter's last contact is kept"
    );
});

db_test!(
    garbage_strangers_and_unmapped_uplinks_are_counted_and_the_rest_stored,
    |db| {
        let site = company(&db).await;
        let pulsar = device(&db, site, "Пульсар LoRa", 1).await;
        let unmapped = device(&db, site, "Счётчик без карты", 1).await;
        let time = Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap();
        let message = |eui: &str, object: serde_json::Value| Message {
            topic: chirpstack::topic("app", eui),
            payload: chirpstack::event("app", eui, 1, time, &object, &[]),
        };
        let batch = vec![
            Message {
                topic: chirpstack::topic("app", &pulsar.dev_eui),
                payload: b"{\"deviceInfo\":".to_vec(),
            },
            message("ffffffffffffffff", serde_json::json!({"volume": 5})),
            message(&unmapped.dev_eui, serde_json::json!({"volume": 5})),
            // Seven fraction digits cannot be stored exactly: refused, not rounded.
            message(&pulsar.dev_eui, serde_json::json!({"volume": "1.0000001"})),
            message(&pulsar.dev_eui, serde_json::json!({"volume": "42,5"})),
        ];
        let dated = |time: chrono::DateTime<Utc>| Message {
            topic: chirpstack::topic("app", &pulsar.dev_eui),
            payload: chirpstack::event("app", &pulsar.dev_eui, 2, time, &serde_json::json!({"volume": 43}), &[]),
        };
        // a device clock far ahead, and one never set: refused, the stream goes on
        let batch: Vec<Message> = batch
            .into_iter()
            .chain([
                dated(Utc::now() + chrono::Duration::days(3650)),
                dated(Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap()),
            ])
            .collect();
        let mut uplinks = Uplinks::new(db.clone(), FieldMaps::bundled());
        let stats = uplinks.store(&batch).await.unwrap();
        assert_eq!(stats.uplinks, 7);
        assert_eq!(stats.misdated, 2);
        assert_eq!(stats.bad, 1);
        assert_eq!(stats.unknown_devices, 1);
        assert_eq!(stats.unmapped, 2);
        assert_eq!(stats.readings, 1);
        let r = reading::list(
            &db,
            pulsar.company_id,
            pulsar.channels[0],
            Period::Instant,
            0,
            i64::MAX,
        )
        .await
        .unwrap();
        assert_eq!(r[0].total.unwrap().to_string(), "42.5");
        // The same uplink again (QoS 1 may deliver twice) stores nothing new.
        let again = uplinks.store(&batch[4..5]).await.unwrap();
        assert_eq!(again.readings, 0);
        assert_eq!(count(&db, &pulsar).await, 1);
    }
);

db_test!(made_up_dev_euis_do_not_grow_what_is_remembered, |db| {
    let site = company(&db).await;
    let pulsar = device(&db, site, "Пульсар LoRa", 1).await;
    let time = Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap();
    let mut uplinks = Uplinks::new(db.clone(), FieldMaps::bundled()).remember_at_most(50);
    let strangers: Vec<Message> = (0..500)
        .map(|_| {
            let eui = random_eui();
            Message {
                topic: chirpstack::topic("app", &eui),
                payload: chirpstack::event("app", &eui, 1, time, &serde_json::json!({"volume": 1}), &[]),
            }
        })
        .collect();
    let stats = uplinks.store(&strangers).await.unwrap();
    assert_eq!(stats.unknown_devices, 500);
    assert!(uplinks.remembered_devices() <= 50, "{} remembered", uplinks.remembered_devices());
    // a real device still reports among them
    let ours = Message {
        topic: chirpstack::topic("app", &pulsar.dev_eui),
        payload: chirpstack::event("app", &pulsar.dev_eui, 1, time, &serde_json::json!({"volume": 7}), &[]),
    };
    assert_eq!(uplinks.store(&[ours]).await.unwrap().readings, 1);
    assert_eq!(count(&db, &pulsar).await, 1);
});

db_test!(uplinks_arrive_over_tls_only_from_a_broker_whose_certificate_is_trusted, |db| {
    let site = company(&db).await;
    let trusted = device(&db, site, "Пульсар LoRa", 1).await;
    let untrusted = device(&db, site, "Пульсар LoRa", 1).await;
    let broker = Broker::start_tls().await.expect("mosquitto starts with a TLS listener");
    let tls = |application: &str, ca: Option<std::path::PathBuf>| {
        let mut s = MqttSettings::from_url(
            &format!("mqtts://127.0.0.1:{}", broker.tls_port.unwrap()),
            &format!("uchet-test-{}", random_eui()),
            &format!("application/{application}/device/+/event/up"),
        )
        .unwrap();
        s.ca_file = ca;
        s
    };
    // one subscriber trusts the company's CA, the other only the public roots
    let ours = tokio::spawn(uplink::run(db.clone(), tls("tls", Some(broker.ca_file())), FieldMaps::bundled()));
    let theirs = tokio::spawn(uplink::run(db.clone(), tls("tls-untrusted", None), FieldMaps::bundled()));
    let publisher = Publisher::connect("127.0.0.1", broker.port, "network-server");
    let time = Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap();
    let until = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut i = 0u32;
    // published until one arrives: the subscription starts after the TLS handshake
    while count(&db, &trusted).await == 0 && tokio::time::Instant::now() < until {
        i += 1;
        for (application, d) in [("tls", &trusted), ("tls-untrusted", &untrusted)] {
            let event = chirpstack::event(
                application,
                &d.dev_eui,
                i,
                time + chrono::Duration::minutes(i as i64),
                &serde_json::json!({ "volume": format!("12.{i:03}") }),
                &[],
            );
            publisher.publish(chirpstack::topic(application, &d.dev_eui), event).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(count(&db, &trusted).await >= 1, "an uplink arrived over TLS");
    let r = reading::list(&db, trusted.company_id, trusted.channels[0], Period::Instant, 0, i64::MAX)
        .await
        .unwrap();
    assert!(r[0].total.unwrap().to_string().starts_with("12."), "exact over TLS too");
    assert_eq!(count(&db, &untrusted).await, 0, "a broker certificate nobody trusts is refused");
    ours.abort();
    theirs.abort();
});

db_test!(
    a_broker_restart_in_the_middle_of_a_stream_loses_no_acknowledged_reading,
    |db| {
        let site = company(&db).await;
        let mut devices = Vec::new();
        for _ in 0..20 {
            devices.push(device(&db, site, "Пульсар LoRa", 1).await);
        }
        let mut broker = Broker::start().await.expect("mosquitto starts");
        let application = "restart";
        let subscriber = tokio::spawn(uplink::run(
            db.clone(),
            settings(broker.port, application),
            FieldMaps::bundled(),
        ));
        tokio::time::sleep(Duration::from_millis(500)).await;
        let publisher = Publisher::connect("127.0.0.1", broker.port, "network-server");
        let start = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        let per_device = 100u32;
        let total = per_device as u64 * devices.len() as u64;
        let mut sent = 0u64;
        for i in 0..per_device {
            for d in &devices {
                let time = start + chrono::Duration::minutes(i as i64);
                let volume = format!("{}.{:03}", 100 + i, i);
                publisher
                    .publish(
                        chirpstack::topic(application, &d.dev_eui),
                        chirpstack::event(
                            application,
                            &d.dev_eui,
                            i,
                            time,
                            &serde_json::json!({ "volume": volume }),
                            &[],
                        ),
                    )
                    .await;
                sent += 1;
                if sent == total / 3 {
                    broker.restart(Duration::from_millis(300)).await.unwrap();
                }
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        // A PUBACK lost in the restart makes the publisher send that uplink again: at least once.
        let acked = publisher.wait_acked(total, Duration::from_secs(60)).await;
        assert!(
            acked >= total,
            "the broker acknowledged every uplink, {acked} of {total}"
        );
        assert!(
            publisher.connections() >= 2,
            "the broker really restarted mid-stream"
        );
        let stored = wait_readings(&db, &devices, total as i64, Duration::from_secs(60)).await;
        assert_eq!(
            stored, total as i64,
            "every acknowledged uplink became a reading"
        );
        subscriber.abort();
        let last = reading::list(
            &db,
            devices[0].company_id,
            devices[0].channels[0],
            Period::Instant,
            0,
            i64::MAX,
        )
        .await
        .unwrap();
        assert_eq!(last.last().unwrap().total.unwrap().to_string(), "199.099");
    }
);

db_test!(
    a_codecs_magnet_flag_opens_one_event_until_an_uplink_says_it_is_gone,
    |db| {
        use app::storage::event;
        let site = company(&db).await;
        let pulsar = device(&db, site, "Пульсар LoRa", 1).await;
        let at = |h: u32| Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap();
        let message = |n: u32, object: serde_json::Value| Message {
            topic: chirpstack::topic("app", &pulsar.dev_eui),
            payload: chirpstack::event("app", &pulsar.dev_eui, n, at(n), &object, &[]),
        };
        let (company_id, meter_id) = (pulsar.company_id, pulsar.meters[0]);
        let events = |db: Db| async move {
            event::list(&db, company_id, &event::Filter { meter_id: Some(meter_id), limit: 100, ..Default::default() }).await.unwrap()
        };
        let mut uplinks = Uplinks::new(db.clone(), FieldMaps::bundled());
        // the magnet comes at 9:00 and stays for three uplinks, over two batches
        uplinks
            .store(&[
                message(8, serde_json::json!({"volume": 10, "magnet": false})),
                message(9, serde_json::json!({"volume": 10.5, "magnet": true})),
                message(10, serde_json::json!({"volume": 11, "magnet": true})),
            ])
            .await
            .unwrap();
        uplinks.store(&[message(11, serde_json::json!({"volume": 11.5, "magnet": 1}))]).await.unwrap();
        let got = events(db.clone()).await;
        assert_eq!(got.len(), 1, "one event however many uplinks repeat it: {got:?}");
        assert_eq!((got[0].kind.as_str(), got[0].severity.as_str(), got[0].source.as_str()), ("magnet", "alarm", "meter"));
        assert_eq!((got[0].started_at, got[0].ended_at), (at(9).timestamp(), None));
        assert!(got[0].details.contains(&pulsar.dev_eui), "{}", got[0].details);
        // an uplink without the flag says nothing; one with it off ends the event
        uplinks.store(&[message(12, serde_json::json!({"volume": 12}))]).await.unwrap();
        assert_eq!(events(db.clone()).await[0].ended_at, None);
        uplinks.store(&[message(13, serde_json::json!({"volume": 12.5, "magnet": false}))]).await.unwrap();
        let got = events(db.clone()).await;
        assert_eq!(got.len(), 1);
        assert!(got[0].ended_at.is_some());
        // the readings went on all along
        assert_eq!(count(&db, &pulsar).await, 6);
    }
);

db_test!(a_devices_own_field_map_reads_the_uplinks_of_a_meter_model_without_one, |db| {
    // a water meter whose model has no map: its uplinks are counted unmapped and kept nowhere
    let site = company(&db).await;
    let d = device(&db, site, "Водомер СГВ-15 с радиомодулем", 1).await;
    let at = Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).unwrap();
    let message = |n: u32, volume: f64| Message {
        topic: chirpstack::topic("app", &d.dev_eui),
        payload: chirpstack::event("app", &d.dev_eui, n, at + chrono::Duration::hours(n as i64), &serde_json::json!({ "volume": volume }), &[]),
    };
    let stats = Uplinks::new(db.clone(), FieldMaps::bundled()).store(&[message(1, 10.125)]).await.unwrap();
    assert_eq!((stats.unmapped, stats.readings), (1, 0));

    // «Коммуникаторы» names the map of the radio module it carries
    let mut c = communicator::get_by_dev_eui(&db, &d.dev_eui).await.unwrap().unwrap();
    c.field_map = "Пульсар LoRa".into();
    communicator::update(&db, &c).await.unwrap();
    let stats = Uplinks::new(db.clone(), FieldMaps::bundled()).store(&[message(2, 10.25)]).await.unwrap();
    assert_eq!((stats.unmapped, stats.readings), (0, 1));
    let r = reading::list(&db, d.company_id, d.channels[0], Period::Instant, 0, i64::MAX).await.unwrap();
    assert_eq!(r.iter().map(|r| r.total.unwrap().to_string()).collect::<Vec<_>>(), vec!["10.25"]);
});
