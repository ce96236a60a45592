//! The polling console's asks over real HTTP on both databases: a poll of one tab
//! (category) or of ticked meters covers exactly those; another building's or company's
//! meter is not found; an empty tab is refused with a clear error; and the console's file
//! lists the tab as the screen does.

use crate::common;

use app::errors::AppError;
use app::models::capacity::DigitCapacity;
use app::models::{Placement, Resource, Role};
use app::storage::testing::fixtures;
use app::storage::{communicator, meter, poll_job, poll_target};

/// Company A's building on an RS-485 line: the flat's electricity meter, a second flat
/// meter, the building's own (ОДПУ) electricity meter, and a water meter not read
/// automatically. Their ids in that order.
async fn line(w: &common::World) -> [i64; 4] {
    let bus = communicator::create(
        &w.db,
        &communicator::Communicator {
            company_id: w.a.company_id,
            object_id: Some(w.a.object_id),
            name: "RS-485, подъезд 1".into(),
            line: "tcp".into(),
            host: "127.0.0.1".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut ids = [w.a.meter_id, 0, 0, 0];
    for (i, (placement, resource, serial)) in [
        (Placement::Individual, Resource::Electricity, "SN-FLAT-2"),
        (Placement::Common, Resource::Electricity, "SN-ODPU"),
        (Placement::Individual, Resource::ColdWater, "W-1"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut m = meter::Meter::new(w.a.company_id, w.a.object_id, resource, "Меркурий 230", serial, DigitCapacity::new(6, 2).unwrap());
        m.placement = placement;
        m.premise_id = (placement == Placement::Individual).then_some(w.a.premise_id);
        ids[i + 1] = meter::create(&w.db, &m).await.unwrap().id;
    }
    for (i, id) in ids.iter().enumerate() {
        meter::set_communicator(&w.db, w.a.company_id, *id, Some(bus.id)).await.unwrap();
        if i < 3 {
            meter::set_protocol(&w.db, w.a.company_id, *id, "mercury", "").await.unwrap();
            meter::set_bus_address(&w.db, w.a.company_id, *id, &(i + 1).to_string()).await.unwrap();
        }
    }
    ids
}

async fn ask(w: &common::World, body: &str) -> Result<Vec<i64>, AppError> {
    let (_, text, _) = common::call(&w.app, "poll_now", body, Some(w.cookie(Role::Dispatcher))).await;
    if let Some(e) = common::error_of(&text) {
        return Err(e);
    }
    let job_id: i64 = serde_json::from_str(&text).unwrap();
    let job = poll_job::get(&w.db, w.a.company_id, job_id).await.unwrap();
    let mut covered: Vec<i64> = poll_target::list(&w.db, &job).await.unwrap().into_iter().map(|t| t.meter_id).collect();
    covered.sort_unstable();
    Ok(covered)
}

both_backends!(a_console_tab_or_ticked_meters_are_polled_and_nothing_else, |w| {
    let [flat, flat2, odpu, water] = line(w).await;
    let o = w.a.object_id;

    let mut flats = vec![flat, flat2];
    flats.sort_unstable();
    assert_eq!(ask(w, &format!("object={o}&category=ElectricityFlats")).await.unwrap(), flats, "the flats' tab");
    assert_eq!(ask(w, &format!("object={o}&category=ElectricityCommon")).await.unwrap(), vec![odpu], "the common tab");
    assert_eq!(ask(w, &format!("object={o}&meters[0]={odpu}&meters[1]={flat2}")).await.unwrap(), {
        let mut v = vec![odpu, flat2];
        v.sort_unstable();
        v
    }, "the ticked rows");
    assert_eq!(ask(w, &format!("object={o}&meter={flat2}")).await.unwrap(), vec![flat2], "one meter");
    let mut all = vec![flat, flat2, odpu];
    all.sort_unstable();
    assert_eq!(ask(w, &format!("object={o}")).await.unwrap(), all, "the building: every meter read automatically");

    // the water meter hangs on the line but is not read automatically: its tab has nothing
    assert!(!all.contains(&water));
    assert!(matches!(
        ask(w, &format!("object={o}&category=HeatWaterFlats")).await,
        Err(AppError::Invalid { .. })
    ));

    // another building's meter, or another company's, is not found, and nothing is queued
    let other = fixtures::building_of(&w.db, w.a.company_id, "2").await;
    let before = poll_job::latest_for_object(&w.db, w.a.company_id, o).await.unwrap().map(|j| j.id);
    assert_eq!(ask(w, &format!("object={o}&meters[0]={flat}&meters[1]={}", other.meter_id)).await, Err(AppError::NotFound));
    assert_eq!(ask(w, &format!("object={o}&meters[0]={}", w.b.meter_id)).await, Err(AppError::NotFound));
    assert_eq!(poll_job::latest_for_object(&w.db, w.a.company_id, o).await.unwrap().map(|j| j.id), before);

    // a reader may look, not poll
    let (_, text, _) = common::call(&w.app, "poll_now", &format!("object={o}&category=ElectricityFlats"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));
});

both_backends!(the_console_file_lists_the_tab_as_the_screen_does, |w| {
    line(w).await;
    let (status, csv, _) = common::get(
        &w.app,
        &format!("/export/polling.csv?object={}&cat=el-common", w.a.object_id),
        Some(w.cookie(Role::Reader)),
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::OK, "{csv}");
    assert!(csv.contains("Опрос приборов"), "{csv}");
    assert!(csv.contains("SN-ODPU"), "the common meter: {csv}");
    assert!(!csv.contains("SN-FLAT-2"), "not the flats' meters: {csv}");
    assert!(csv.contains("RS-485, подъезд 1"), "its line: {csv}");
    let (status, _, _) = common::get(&w.app, &format!("/export/polling.csv?object={}&cat=el-common", w.b.object_id), Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, axum::http::StatusCode::NOT_FOUND, "another company's building");
});

async fn save(w: &common::World, body: &str) -> Option<AppError> {
    let (_, text, _) = common::call(&w.app, "save_device", body, Some(w.cookie(Role::Dispatcher))).await;
    common::error_of(&text)
}

both_backends!(a_dispatcher_connects_changes_and_disconnects_a_device, |w| {
    let [flat, _, odpu, water] = line(w).await;
    let o = w.a.object_id;
    let bus = communicator::list(&w.db, w.a.company_id).await.unwrap().into_iter().find(|c| c.name.starts_with("RS-485")).unwrap().id;

    // the form offers the building's line and the tab's meters with how they are read
    let (_, text, _) = common::call(&w.app, "device_choices", &format!("object={o}&category=HeatWaterFlats"), Some(w.cookie(Role::Dispatcher))).await;
    let choices: app::models::polling::DeviceChoices = serde_json::from_str(&text).unwrap();
    assert!(choices.lines.iter().any(|l| l.id == bus));
    let offered = choices.meters.iter().find(|d| d.meter_id == water).expect("the water meter is offered");
    assert_eq!(offered.protocol, "", "not read automatically yet");
    assert!(offered.label.starts_with("кв. 1 · "), "{}", offered.label);

    // connected as M-Bus address 9: the tab can be polled now
    assert_eq!(save(w, &format!("object={o}&meter={water}&line={bus}&protocol=mbus&address=9")).await, None);
    assert_eq!(ask(w, &format!("object={o}&category=HeatWaterFlats")).await.unwrap(), vec![water]);
    let m = meter::get(&w.db, w.a.company_id, water).await.unwrap();
    assert_eq!((m.communicator_id, m.bus_address.as_str()), (Some(bus), "9"));

    // clear errors, nothing changed
    assert!(matches!(save(w, &format!("object={o}&meter={water}&line={bus}&protocol=mbus&address=1")).await,
        Some(AppError::Invalid { problem: app::errors::Problem::AlreadyExists, .. })), "address 1 is the flat meter's");
    assert!(matches!(save(w, &format!("object={o}&meter={water}&line={bus}&protocol=iec&address=9")).await, Some(AppError::Invalid { .. })));
    assert!(matches!(save(w, &format!("object={o}&meter={water}&line={bus}&protocol=mbus&address=251")).await, Some(AppError::Invalid { .. })));
    let other = fixtures::building_of(&w.db, w.a.company_id, "2").await;
    assert_eq!(save(w, &format!("object={}&meter={water}&line={bus}&protocol=mbus&address=9", other.object_id)).await, Some(AppError::NotFound));
    let b_bus = communicator::create(&w.db, &communicator::Communicator { company_id: w.b.company_id, name: "B".into(), line: "tcp".into(), ..Default::default() }).await.unwrap();
    assert_eq!(save(w, &format!("object={o}&meter={water}&line={}&protocol=mbus&address=9", b_bus.id)).await, Some(AppError::NotFound));
    let m = meter::get(&w.db, w.a.company_id, water).await.unwrap();
    assert_eq!((m.communicator_id, m.bus_address.as_str()), (Some(bus), "9"));

    // disconnected: no longer polled, its readings kept
    let (_, text, _) = common::call(&w.app, "remove_device", &format!("object={o}&meter={odpu}"), Some(w.cookie(Role::Dispatcher))).await;
    assert_eq!(common::error_of(&text), None, "{text}");
    assert!(matches!(ask(w, &format!("object={o}&category=ElectricityCommon")).await, Err(AppError::Invalid { .. })), "the common tab is empty now");

    // a reader changes nothing
    let (_, text, _) = common::call(&w.app, "save_device", &format!("object={o}&meter={odpu}&line={bus}&protocol=mercury&address=5"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));
    let (_, text, _) = common::call(&w.app, "remove_device", &format!("object={o}&meter={flat}"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));
    assert!(meter::get(&w.db, w.a.company_id, odpu).await.unwrap().communicator_id.is_none());
});
