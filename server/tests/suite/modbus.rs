//! Modbus devices polled by the collector through tokio-modbus, against the simulated device
//! (written from the specification, not with tokio-modbus): RTU on a real pseudo-terminal,
//! Modbus TCP, a silent device, an exception, and a line shared with another protocol.

use app::db_test;
use app::models::capacity::DigitCapacity;
use app::models::{Placement, Resource};
use app::storage::{channel, communicator, company, meter, object, poll_job, poll_result, reading, Db};
use rust_decimal::Decimal;
use server::collect::driver::modbus::Framing;
use server::collect::protocol::modbus::Table;
use server::collect::run_next;
use server::collect::simulator::{self, modbus::ModbusDevice, Pace, Shared};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

struct Site {
    company_id: i64,
    object_id: i64,
    bus_id: i64,
}

async fn site(db: &Db, line: &str, port: Option<i64>, serial_port: &str) -> Site {
    let c = company::create(db, &company::Company { name: "УК «Modbus»".into(), ..Default::default() })
        .await
        .unwrap();
    let o = object::create(
        db,
        &object::Object {
            company_id: c.id,
            name: "Котельная".into(),
            address: "ул. Вавилова, д. 7".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut bus = communicator::create(
        db,
        &communicator::Communicator {
            company_id: c.id,
            object_id: Some(o.id),
            name: "Modbus".into(),
            line: line.into(),
            host: "127.0.0.1".into(),
            port,
            serial_port: serial_port.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    bus.timeout_ms = 300;
    bus.retries = 1;
    communicator::set_line(db, &bus).await.unwrap();
    Site { company_id: c.id, object_id: o.id, bus_id: bus.id }
}

/// A Modbus meter of `model` at `address` on the site's line; its main channel.
async fn device_meter(db: &Db, s: &Site, resource: Resource, model: &str, serial: &str, address: u8, protocol: &str) -> (i64, i64) {
    let mut m = meter::Meter::new(s.company_id, s.object_id, resource, model, serial, DigitCapacity::new(8, 4).unwrap());
    m.placement = Placement::Common;
    m.communicator_id = Some(s.bus_id);
    m.bus_address = address.to_string();
    let m = meter::create(db, &m).await.unwrap();
    meter::set_protocol(db, s.company_id, m.id, protocol, "").await.unwrap();
    let ch = channel::create_main(db, &m).await.unwrap();
    (m.id, ch.id)
}

async fn poll(db: &Db, s: &Site) -> server::collect::poll::Outcome {
    poll_job::create_manual(
        db,
        &poll_job::Manual {
            company_id: s.company_id,
            object_id: s.object_id,
            meter_id: None,
            resource: None,
            meters: vec![],
            requested_by: None,
        },
    )
    .await
    .unwrap();
    run_next(db, "test").await.unwrap().expect("a job")
}

async fn latest(db: &Db, company_id: i64, channel_id: i64) -> reading::Reading {
    reading::latest(db, company_id, channel_id, reading::Period::Instant, i64::MAX)
        .await
        .unwrap()
        .expect("a polled reading")
}

fn heat_meter(unit: u8, framing: Framing) -> Shared {
    ModbusDevice::new(unit, framing)
        .counter(Table::Holding, 0, 123_456, 0, false)
        .counter(Table::Holding, 2, 456_789, 0, false)
        .register(Table::Input, 10, 7_525)
        .register(Table::Input, 11, 4_810)
        .shared()
}

db_test!(a_modbus_heat_meter_is_read_exactly_over_rtu_on_a_pseudo_terminal, |db| {
    let (path, _bus) = simulator::pty_bus(vec![heat_meter(3, Framing::Rtu)], Pace::real(9600, 10, 20), simulator::modbus::scan_rtu).unwrap();
    let s = site(&db, "rs485", None, &path).await;
    let (meter_id, energy) = device_meter(&db, &s, Resource::Heat, "Modbus-теплосчётчик ТС-1", "MB-3", 3, "modbus").await;
    let volume = channel::create(&db, &channel::Channel {
        company_id: s.company_id,
        meter_id,
        resource: "heat".into(),
        resource_number: 1,
        parameter: "volume".into(),
        unit: "m3".into(),
        kind: "integral".into(),
        ..Default::default()
    })
    .await
    .unwrap();

    let outcome = poll(&db, &s).await;
    assert_eq!((outcome.meters, outcome.ok, outcome.readings), (1, 1, 2));
    // 123 456 × 0,0001 Gcal and 456 789 × 0,001 m³, exactly
    assert_eq!(latest(&db, s.company_id, energy).await.total, Some(dec("12.3456")));
    assert_eq!(latest(&db, s.company_id, volume.id).await.total, Some(dec("456.789")));
    let jobs = poll_job::list(&db, s.company_id, 1).await.unwrap();
    let results = poll_result::list_for_job(&db, s.company_id, jobs[0].id).await.unwrap();
    assert!(results[0].ok, "{:?}", results[0]);
    assert_eq!(results[0].requests, 2, "holding 0–3 in one request, input 10–11 in another");
    // the terminal sees the RTU frames: address 3, function 3, and the reply
    let frames: Vec<serde_json::Value> = serde_json::from_str(&results[0].exchange).unwrap();
    assert!(frames.iter().any(|f| f["d"] == ">" && f["hex"].as_str().unwrap().starts_with("0303")), "{frames:?}");
    assert!(frames.iter().any(|f| f["d"] == "<" && f["hex"].as_str().unwrap().starts_with("030308")), "{frames:?}");
});

db_test!(a_modbus_tcp_line_reads_one_device_and_logs_the_silent_one, |db| {
    let water = ModbusDevice::new(1, Framing::Tcp).counter(Table::Holding, 0, 74_565, 0, false).counter(Table::Input, 100, 87_600, 0, false).shared();
    let silent = ModbusDevice::new(2, Framing::Tcp).counter(Table::Holding, 0, 1, 0, false).counter(Table::Input, 100, 1, 0, false).shared();
    silent.lock().unwrap().faults_mut().silent = true;
    let (addr, _bus) = simulator::tcp_bus("127.0.0.1:0", vec![water, silent], Pace::default(), simulator::modbus::scan_tcp).await.unwrap();
    let s = site(&db, "modbus_tcp", Some(addr.port() as i64), "").await;
    let (_, ch) = device_meter(&db, &s, Resource::ColdWater, "Modbus-счётчик воды", "MB-W1", 1, "modbus").await;
    let (quiet, _) = device_meter(&db, &s, Resource::ColdWater, "Modbus-счётчик воды", "MB-W2", 2, "modbus").await;

    let outcome = poll(&db, &s).await;
    assert_eq!((outcome.meters, outcome.ok), (2, 1));
    assert_eq!(latest(&db, s.company_id, ch).await.total, Some(dec("74.565")));
    let missing = poll_result::not_polled(&db, s.company_id, s.object_id, 0).await.unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].0, quiet);
    let last = missing[0].1.as_ref().unwrap();
    assert_eq!(last.message, "нет ответа");
    assert!(last.timeouts >= 2, "the request was retried: {last:?}");
});

db_test!(a_register_the_device_lacks_is_its_exception_and_mixed_lines_are_refused, |db| {
    // a water meter without the operating-hours register the map asks for
    let partial = ModbusDevice::new(4, Framing::Rtu).counter(Table::Holding, 0, 10, 0, false).shared();
    let (path, _bus) = simulator::pty_bus(vec![partial], Pace::default(), simulator::modbus::scan_rtu).unwrap();
    let s = site(&db, "rs485", None, &path).await;
    let (meter_id, _) = device_meter(&db, &s, Resource::ColdWater, "Modbus-счётчик воды", "MB-4", 4, "modbus").await;
    let outcome = poll(&db, &s).await;
    assert_eq!(outcome.ok, 0);
    let missing = poll_result::not_polled(&db, s.company_id, s.object_id, 0).await.unwrap();
    assert_eq!(missing[0].0, meter_id);
    assert!(missing[0].1.as_ref().unwrap().message.contains("исключением Modbus"), "{missing:?}");

    // a model with no register map
    sqlx::query("UPDATE meters SET model = 'Неизвестное устройство' WHERE id = $1").bind(meter_id).execute(db.pool()).await.unwrap();
    poll(&db, &s).await;
    let missing = poll_result::not_polled(&db, s.company_id, s.object_id, 0).await.unwrap();
    assert!(missing[0].1.as_ref().unwrap().message.contains("нет карты регистров"), "{missing:?}");

    // a Mercury on the same line: the Modbus meter needs a line of its own
    sqlx::query("UPDATE meters SET model = 'Modbus-счётчик воды' WHERE id = $1").bind(meter_id).execute(db.pool()).await.unwrap();
    device_meter(&db, &s, Resource::Electricity, "Меркурий 230", "41234005", 5, "mercury").await;
    poll(&db, &s).await;
    let missing = poll_result::not_polled(&db, s.company_id, s.object_id, 0).await.unwrap();
    let modbus = missing.iter().find(|(id, _)| *id == meter_id).unwrap();
    assert!(modbus.1.as_ref().unwrap().message.contains("на своей линии"), "{missing:?}");
});
