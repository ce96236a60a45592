//! The add-meter wizard and the edit form (issue 22, point 5) on both databases: a meter typed
//! in is checked by the meter file's rules, stored with its main channel and line, and
//! logged; a bad value is a Russian reason on its field with nothing written; an edit keeps
//! the model and serial, moves the meter and logs what changed; a retired meter's card stays
//! as it was; another company's building or meter is not found, a reader is refused.

use crate::common;

use app::errors::AppError;
use app::models::meter_form::{MeterForm, MeterFormData, MeterSaved};
use app::models::{Placement, Role};
use app::storage::{audit, channel, communicator, meter, premise};
use axum::http::StatusCode;
use chrono::NaiveDate;

fn form_body(id: Option<i64>, f: &MeterForm) -> String {
    common::nested_form("form", f, id)
}

async fn save(w: &common::World, id: Option<i64>, f: &MeterForm, cookie: &str) -> Result<MeterSaved, AppError> {
    let (_, text, _) = common::call(&w.app, "save_meter", &form_body(id, f), Some(cookie)).await;
    serde_json::from_str::<MeterSaved>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

/// A cold water meter for flat 1 of building A, verified on 10.01.2026 every 6 years.
fn water(w: &common::World) -> MeterForm {
    MeterForm {
        object_id: w.a.object_id,
        premise: "1".into(),
        resource: "cold_water".into(),
        model: "Пульсар".into(),
        serial: "W-77".into(),
        barcode: "4600000000017".into(),
        capacity: "5,3".into(),
        tariffs: "1".into(),
        multiplier: "1".into(),
        installed_on: "2026-01-10".into(),
        verified_on: "10.01.2026".into(),
        interval: "6".into(),
        ..Default::default()
    }
}

async fn actions(w: &common::World) -> Vec<(String, String)> {
    audit::list(&w.db, w.a.company_id, 50).await.unwrap().into_iter().map(|e| (e.action, e.details)).collect()
}

both_backends!(a_meter_typed_in_is_stored_with_its_channel_and_line_and_logged, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    let bus = communicator::create(
        &w.db,
        &communicator::Communicator {
            company_id: w.a.company_id,
            object_id: Some(w.a.object_id),
            name: "Шина подъезда 1".into(),
            line: "rs485".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // the form opens on the building asked for, with its flat and line to choose
    let body = format!("object={}", w.a.object_id);
    let (status, text, _) = common::call(&w.app, "open_meter_form", &body, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let opened: MeterFormData = serde_json::from_str(&text).unwrap();
    assert_eq!((opened.meter_id, opened.form.object_id), (None, w.a.object_id));
    let (_, text, _) = common::call(&w.app, "meter_form_places", &body, Some(cookie)).await;
    let places: app::models::meter_form::FormPlaces = serde_json::from_str(&text).unwrap();
    assert_eq!(places.premises, ["1"]);
    assert_eq!(places.lines, [("Шина подъезда 1".to_string(), "rs485".to_string())]);

    let saved = save(w, None, &water(w), cookie).await.unwrap();
    assert_eq!(saved.issues, vec![]);
    let id = saved.meter_id.unwrap();
    let m = meter::get(&w.db, w.a.company_id, id).await.unwrap();
    assert_eq!((m.premise_id, m.placement), (Some(w.a.premise_id), Placement::Individual));
    assert_eq!(m.capacity.label(), "5,3");
    assert_eq!(m.next_verification_on, NaiveDate::from_ymd_opt(2032, 1, 10), "verified + 6 years");
    assert_eq!(channel::list_for_meter(&w.db, w.a.company_id, id).await.unwrap().len(), 1, "its main channel");
    assert!(actions(w).await.iter().any(|(a, d)| a == "meter.create" && d.contains("Пульсар № W-77") && d.contains("кв. 1")));

    // the same meter again is refused: its card is there to open
    let again = save(w, None, &water(w), cookie).await.unwrap();
    assert_eq!(again.meter_id, None);
    assert_eq!(again.issues[0].column, "Заводской номер");
    assert!(again.issues[0].reason.contains("уже есть"), "{:?}", again.issues);

    // a common electricity meter on the bus, with its password
    let on_bus = MeterForm {
        premise: String::new(),
        resource: "electricity".into(),
        model: "Меркурий 230".into(),
        serial: "41234012".into(),
        barcode: String::new(),
        capacity: "6,2".into(),
        tariffs: "2".into(),
        phase: "3".into(),
        line: "Шина подъезда 1".into(),
        protocol: "mercury".into(),
        bus_address: "12".into(),
        bus_password: "111111".into(),
        ..water(w)
    };
    let id = save(w, None, &on_bus, cookie).await.unwrap().meter_id.unwrap();
    let m = meter::get(&w.db, w.a.company_id, id).await.unwrap();
    assert_eq!((m.placement, m.communicator_id, m.bus_address.as_str(), m.tariffs), (Placement::Common, Some(bus.id), "12", 2));
    assert_eq!(meter::protocol_of(&w.db, w.a.company_id, id).await.unwrap(), ("mercury".to_string(), "111111".to_string()));
    assert!(!actions(w).await.iter().any(|(_, d)| d.contains("111111")), "no password in the log");
});

both_backends!(a_bad_value_is_a_russian_reason_on_its_field_and_nothing_is_written, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    let before = meter::get_count(&w.db, w.a.company_id).await.unwrap();
    let cases: [(MeterForm, &str); 6] = [
        (MeterForm { capacity: "пять".into(), ..water(w) }, "Разрядность"),
        (MeterForm { premise: "999".into(), ..water(w) }, "Помещение"),
        (MeterForm { serial: String::new(), ..water(w) }, "Заводской номер"),
        (MeterForm { installed_on: "2099-01-01".into(), ..water(w) }, "Дата установки"),
        (MeterForm { tariffs: "2".into(), ..water(w) }, "Тарифов"),
        (MeterForm { line: "Нет такой".into(), protocol: "mercury".into(), bus_address: "3".into(), ..water(w) }, "Коммуникатор"),
    ];
    for (form, column) in cases {
        let saved = save(w, None, &form, cookie).await.unwrap();
        assert_eq!(saved.meter_id, None, "{column}");
        assert_eq!(saved.issues.len(), 1, "{column}: {:?}", saved.issues);
        assert_eq!(saved.issues[0].column, column);
        assert!(saved.issues[0].reason.chars().any(|c| ('а'..='я').contains(&c)), "a Russian reason: {:?}", saved.issues[0]);
    }
    assert_eq!(meter::get_count(&w.db, w.a.company_id).await.unwrap(), before);
    assert!(!actions(w).await.iter().any(|(a, _)| a == "meter.create"));
});

both_backends!(an_edit_moves_the_meter_keeps_its_serial_and_logs_what_changed, |w| {
    let cookie = w.cookie(Role::ServiceEngineer);
    let id = save(w, None, &water(w), cookie).await.unwrap().meter_id.unwrap();
    let flat2 = premise::create(&w.db, &premise::Premise { company_id: w.a.company_id, object_id: w.a.object_id, number: "2".into(), ..Default::default() })
        .await
        .unwrap();
    // the edit form opens with the card as stored
    let (_, text, _) = common::call(&w.app, "open_meter_form", &format!("id={id}"), Some(cookie)).await;
    let opened: MeterFormData = serde_json::from_str(&text).unwrap();
    assert_eq!((opened.form.premise.as_str(), opened.form.next_verification_on.as_str()), ("1", "2032-01-10"));
    assert_eq!(opened.title, "Пульсар № W-77");

    let moved = MeterForm { premise: "2".into(), ..opened.form.clone() };
    let saved = save(w, Some(id), &moved, cookie).await.unwrap();
    assert_eq!((saved.meter_id, saved.issues), (Some(id), vec![]));
    assert_eq!(meter::get(&w.db, w.a.company_id, id).await.unwrap().premise_id, Some(flat2.id));
    assert!(actions(w).await.iter().any(|(a, d)| a == "meter.edit" && d.contains("Помещение: «1» → «2»")), "{:?}", actions(w).await);

    // a new serial is a replacement, not an edit
    let renamed = MeterForm { serial: "W-78".into(), ..moved };
    let refused = save(w, Some(id), &renamed, cookie).await.unwrap();
    assert_eq!(refused.meter_id, None);
    assert!(refused.issues[0].reason.contains("заменой"), "{:?}", refused.issues);
    assert_eq!(meter::get(&w.db, w.a.company_id, id).await.unwrap().serial, "W-77");

    // retired: out of service, logged once, its card no longer changes
    for _ in 0..2 {
        let (status, text, _) = common::call(&w.app, "retire_meter", &format!("id={id}"), Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
    }
    assert_eq!(meter::get(&w.db, w.a.company_id, id).await.unwrap().state, app::models::MeterState::Retired);
    assert_eq!(actions(w).await.iter().filter(|(a, d)| a == "meter.retire" && d.contains("W-77")).count(), 1);
    let after = save(w, Some(id), &MeterForm { premise: "1".into(), ..opened.form }, cookie).await.unwrap();
    assert!(after.issues[0].reason.contains("выведен"), "{:?}", after.issues);
});

both_backends!(another_companys_building_and_meter_are_not_found_and_a_reader_is_refused, |w| {
    let id = save(w, None, &water(w), w.cookie(Role::Dispatcher)).await.unwrap().meter_id.unwrap();
    assert_eq!(save(w, None, &water(w), &w.b_dispatcher).await.unwrap_err(), AppError::NotFound);
    let theirs = MeterForm { object_id: w.b.object_id, ..water(w) };
    assert_eq!(save(w, Some(id), &theirs, &w.b_dispatcher).await.unwrap_err(), AppError::NotFound);
    let (status, text, _) = common::call(&w.app, "open_meter_form", &format!("id={id}"), Some(&w.b_dispatcher)).await;
    assert_eq!((status, common::error_of(&text)), (StatusCode::NOT_FOUND, Some(AppError::NotFound)));
    let (status, _, _) = common::call(&w.app, "retire_meter", &format!("id={id}"), Some(&w.b_dispatcher)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for role in [Role::Reader, Role::Resident, Role::FieldStaff, Role::Administrator] {
        for (endpoint, body) in [("save_meter", form_body(None, &water(w))), ("retire_meter", format!("id={id}"))] {
            let (status, text, _) = common::call(&w.app, endpoint, &body, Some(w.cookie(role))).await;
            assert_eq!((status, common::error_of(&text)), (StatusCode::FORBIDDEN, Some(AppError::Forbidden)), "{role:?} {endpoint}");
        }
    }
    assert_eq!(meter::get(&w.db, w.a.company_id, id).await.unwrap().state, app::models::MeterState::InOperation);
});
