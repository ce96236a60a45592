//! «Коммуникаторы» (issue 22, point 7) on both databases: a dispatcher adds a gateway, a GPRS
//! modem, a LoRaWAN device and an M-Bus port, each keeping only its kind's fields; an edit is
//! journaled with what it changed; a taken name or DevEUI and each bad field are refused by
//! name with nothing written; a line with a meter in service keeps it (no removal, no change
//! to a radio or to another building) until the meter leaves; a reader and company B change
//! and see nothing of company A's lines.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::communicators::{CommunicatorCard, CommunicatorForm, CommunicatorList};
use app::models::{MeterState, Role};
use app::storage::{audit, communicator, meter};

async fn save(w: &common::World, id: Option<i64>, f: &CommunicatorForm, cookie: &str) -> Result<i64, AppError> {
    let (status, text, _) = common::call(&w.app, "save_communicator", &common::nested_form("form", f, id), Some(cookie)).await;
    if status.is_success() {
        Ok(text.trim().parse().unwrap_or_else(|_| panic!("{text}")))
    } else {
        Err(common::error_of(&text).unwrap_or_else(|| panic!("{status} {text}")))
    }
}

async fn list(w: &common::World, query: &str, cookie: &str) -> CommunicatorList {
    let (_, text, _) = common::call(&w.app, "list_communicators", &common::form(&[("query", query)]), Some(cookie)).await;
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"))
}

async fn card(w: &common::World, id: i64, cookie: &str) -> Result<CommunicatorCard, AppError> {
    let (_, text, _) = common::call(&w.app, "open_communicator", &format!("id={id}"), Some(cookie)).await;
    serde_json::from_str(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

async fn delete(w: &common::World, id: i64, cookie: &str) -> Result<(), AppError> {
    let (status, text, _) = common::call(&w.app, "delete_communicator", &format!("id={id}"), Some(cookie)).await;
    if status.is_success() {
        Ok(())
    } else {
        Err(common::error_of(&text).unwrap_or_else(|| panic!("{status} {text}")))
    }
}

fn gateway(w: &common::World) -> CommunicatorForm {
    CommunicatorForm {
        name: "Шлюз RS-485/TCP, подъезд 1".into(),
        object_id: w.a.object_id,
        line: "tcp".into(),
        host: "10.0.0.5".into(),
        port: "4001".into(),
        timeout_ms: "800".into(),
        retries: "3".into(),
        // typed before the kind was chosen: a gateway keeps no serial port
        serial_port: "/dev/ttyUSB0".into(),
        ..Default::default()
    }
}

fn invalid(field: Msg, problem: Problem) -> Result<i64, AppError> {
    Err(AppError::invalid(field, problem))
}

async fn journal(w: &common::World) -> Vec<(String, String)> {
    audit::list(&w.db, w.a.company_id, 50).await.unwrap().into_iter().map(|e| (e.action, e.details)).collect()
}

both_backends!(a_dispatcher_adds_lines_of_each_kind_and_an_edit_is_journaled_with_its_changes, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    let id = save(w, None, &gateway(w), cookie).await.unwrap();
    let stored = communicator::get(&w.db, w.a.company_id, id).await.unwrap();
    assert_eq!((stored.host.as_str(), stored.port, stored.serial_port.as_str()), ("10.0.0.5", Some(4001), ""));
    assert_eq!((stored.timeout_ms, stored.char_timeout_ms, stored.frame_gap_ms, stored.retries), (800, 30, 5, 3));

    let modem = CommunicatorForm {
        name: "GPRS-модем котельной".into(),
        object_id: 0,
        line: "gprs".into(),
        host: "mdm-17.uk.test".into(),
        port: "5000".into(),
        sim_iccid: "8970 1012 3456 7890 1234".into(),
        phone: "8 912 345-67-89".into(),
        timeout_ms: "3000".into(),
        ..Default::default()
    };
    let modem_id = save(w, None, &modem, cookie).await.unwrap();
    let radio = CommunicatorForm { name: "LoRa кв. 5".into(), line: "lorawan".into(), dev_eui: "70:B3:D5:7E:D0:05:12:34".into(), lorawan_class: "c".into(), field_map: "Пульсар LoRa".into(), ..Default::default() };
    let radio_id = save(w, None, &radio, cookie).await.unwrap();
    let port = CommunicatorForm { name: "M-Bus подвал".into(), object_id: w.a.object_id, line: "mbus".into(), serial_port: "/dev/ttyUSB1".into(), baud_rate: "9600".into(), parity: "even".into(), ..Default::default() };
    save(w, None, &port, cookie).await.unwrap();

    let l = list(w, "", cookie).await;
    assert!(l.editable);
    let by_name = |n: &str| l.rows.iter().find(|r| r.spec.name == n).unwrap_or_else(|| panic!("{n} listed"));
    assert_eq!(by_name("GPRS-модем котельной").spec.address(), "mdm-17.uk.test:5000");
    assert_eq!(by_name("GPRS-модем котельной").spec.phone, "+79123456789");
    assert_eq!(by_name("GPRS-модем котельной").object, "", "shared by the company's buildings");
    assert_eq!(by_name("LoRa кв. 5").spec.address(), "DevEUI 70b3d57ed0051234");
    assert_eq!(by_name("LoRa кв. 5").spec.lorawan_class, "C");
    assert_eq!(by_name("M-Bus подвал").spec.address(), "/dev/ttyUSB1, 9600 8E1");
    assert_eq!(by_name("Шлюз RS-485/TCP, подъезд 1").meters, 0);
    // the uplink path finds the device by the DevEUI as kept
    assert_eq!(communicator::get_by_dev_eui(&w.db, "70b3d57ed0051234").await.unwrap().map(|c| c.id), Some(radio_id));
    // filters: by kind, by building (the shared modem is no building's)
    assert_eq!(list(w, "line=gprs", cookie).await.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![modem_id]);
    assert_eq!(list(w, &format!("object={}", w.a.object_id), cookie).await.rows.len(), 2);

    let moved = CommunicatorForm { host: "10.0.0.6".into(), ..gateway(w) };
    assert_eq!(save(w, Some(id), &moved, cookie).await, Ok(id));
    let c = card(w, id, cookie).await.unwrap();
    assert_eq!(c.form.host, "10.0.0.6");
    assert_eq!(c.form.timeout_ms, "800");
    let log = journal(w).await;
    assert!(log.iter().any(|(a, d)| a == "communicator.create" && d.contains("GPRS-модем котельной") && d.contains("mdm-17.uk.test:5000")), "{log:?}");
    assert!(
        log.iter().any(|(a, d)| a == "communicator.edit" && d.ends_with("Адрес: «10.0.0.5:4001» → «10.0.0.6:4001»")),
        "{log:?}"
    );
});

both_backends!(a_taken_name_a_taken_dev_eui_and_bad_fields_are_refused_with_nothing_written, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    save(w, None, &gateway(w), cookie).await.unwrap();
    // company B's radio already has this DevEUI
    communicator::create(
        &w.db,
        &communicator::Communicator { company_id: w.b.company_id, name: "LoRa B".into(), line: "lorawan".into(), dev_eui: "70b3d57ed0050001".into(), ..Default::default() },
    )
    .await
    .unwrap();
    let before = communicator::list(&w.db, w.a.company_id).await.unwrap();
    let upper = CommunicatorForm { name: "ШЛЮЗ RS-485/TCP, ПОДЪЕЗД 1 ".into(), ..gateway(w) };
    assert_eq!(save(w, None, &upper, cookie).await, invalid(Msg::CmName, Problem::AlreadyExists), "the file names a line by it, in any case");
    let radio = CommunicatorForm { name: "LoRa 1".into(), line: "lorawan".into(), dev_eui: "70B3D57ED0050001".into(), ..Default::default() };
    assert_eq!(save(w, None, &radio, cookie).await, invalid(Msg::CmDevEui, Problem::AlreadyExists));
    let fresh = || CommunicatorForm { name: "Шлюз 2".into(), ..gateway(w) };
    for (bad, field, problem) in [
        (CommunicatorForm { port: "65536".into(), ..fresh() }, Msg::CmPort, Problem::OutOfBounds),
        (CommunicatorForm { host: "10.0.0.5/24".into(), ..fresh() }, Msg::CmHost, Problem::BadFormat),
        (CommunicatorForm { timeout_ms: "полсекунды".into(), ..fresh() }, Msg::CmTimeout, Problem::BadFormat),
        (CommunicatorForm { line: "gprs".into(), sim_iccid: "89701012345678901235".into(), ..fresh() }, Msg::CmIccid, Problem::BadCheckDigit),
        (CommunicatorForm { line: "rs485".into(), serial_port: "".into(), ..fresh() }, Msg::CmSerialPort, Problem::Required),
        (CommunicatorForm { line: "rs485".into(), baud_rate: "14400".into(), ..fresh() }, Msg::CmBaud, Problem::OutOfBounds),
        (CommunicatorForm { object_id: w.b.object_id, ..fresh() }, Msg::NpObject, Problem::BadFormat),
    ] {
        assert_eq!(save(w, None, &bad, cookie).await, invalid(field, problem), "{bad:?}");
    }
    assert_eq!(communicator::list(&w.db, w.a.company_id).await.unwrap(), before, "nothing written");
});

both_backends!(a_line_with_a_meter_in_service_keeps_it_until_the_meter_leaves, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    let id = save(w, None, &gateway(w), cookie).await.unwrap();
    meter::set_communicator(&w.db, w.a.company_id, w.a.meter_id, Some(id)).await.unwrap();
    meter::set_bus_address(&w.db, w.a.company_id, w.a.meter_id, "17").await.unwrap();
    meter::set_last_contact(&w.db, w.a.meter_id, 1_765_000_000).await.unwrap();

    let c = card(w, id, cookie).await.unwrap();
    assert_eq!(c.meters.len(), 1);
    let m = &c.meters[0];
    assert_eq!((m.meter_id, m.place.as_str(), m.bus_address.as_str()), (w.a.meter_id, "кв. 1", "17"));
    assert_eq!(m.last_contact, "06.12.2025 08:46", "in the building's (Moscow) time");
    let row = list(w, "", cookie).await.rows.into_iter().find(|r| r.id == id).unwrap();
    assert_eq!((row.meters, row.last_contact.as_str()), (1, "06.12.2025 08:46"));

    assert_eq!(delete(w, id, cookie).await, Err(AppError::invalid(Msg::CmThisLine, Problem::InUse)));
    let radio = CommunicatorForm { line: "lorawan".into(), dev_eui: "70b3d57ed0059999".into(), ..gateway(w) };
    assert_eq!(save(w, Some(id), &radio, cookie).await, invalid(Msg::InvLine, Problem::InUse));
    let elsewhere = app::storage::testing::fixtures::building_of(&w.db, w.a.company_id, "2").await;
    let moved = CommunicatorForm { object_id: elsewhere.object_id, ..gateway(w) };
    assert_eq!(save(w, Some(id), &moved, cookie).await, invalid(Msg::NpObject, Problem::InUse));
    // shared by the company's buildings is fine: its meter's building is one of them
    assert_eq!(save(w, Some(id), &CommunicatorForm { object_id: 0, ..gateway(w) }, cookie).await, Ok(id));
    assert!(communicator::get(&w.db, w.a.company_id, id).await.is_ok());

    meter::set_state(&w.db, w.a.company_id, w.a.meter_id, MeterState::Retired).await.unwrap();
    assert_eq!(delete(w, id, cookie).await, Ok(()));
    assert_eq!(card(w, id, cookie).await, Err(AppError::NotFound));
    assert_eq!(meter::get(&w.db, w.a.company_id, w.a.meter_id).await.unwrap().communicator_id, None, "a retired meter keeps no line");
    assert!(journal(w).await.iter().any(|(a, d)| a == "communicator.delete" && d.contains("10.0.0.5:4001")));
});

both_backends!(only_whoever_services_meters_changes_lines_and_company_b_sees_none_of_a, |w| {
    let id = save(w, None, &gateway(w), w.cookie(Role::ServiceEngineer)).await.unwrap();
    let reader = w.cookie(Role::Reader);
    assert_eq!(save(w, None, &CommunicatorForm { name: "Шлюз читателя".into(), ..gateway(w) }, reader).await, Err(AppError::Forbidden));
    assert_eq!(delete(w, id, reader).await, Err(AppError::Forbidden));
    let seen = card(w, id, reader).await.unwrap();
    assert!(!seen.editable, "a reader reads the card");
    assert!(!list(w, "", reader).await.editable);
    assert_eq!(save(w, Some(id), &gateway(w), w.cookie(Role::Administrator)).await, Err(AppError::Forbidden));

    let b = w.b_dispatcher.as_str();
    assert_eq!(card(w, id, b).await, Err(AppError::NotFound));
    assert_eq!(delete(w, id, b).await, Err(AppError::NotFound));
    assert_eq!(save(w, Some(id), &gateway(w), b).await, invalid(Msg::NpObject, Problem::BadFormat), "A's building is not B's");
    let b_form = CommunicatorForm { object_id: w.b.object_id, ..gateway(w) };
    assert_eq!(save(w, Some(id), &b_form, b).await, Err(AppError::NotFound));
    assert!(list(w, "", b).await.rows.iter().all(|r| r.id != id));
    assert_eq!(communicator::get(&w.db, w.a.company_id, id).await.unwrap().host, "10.0.0.5", "untouched");
});
