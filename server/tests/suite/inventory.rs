//! «Приборы учёта» (issue 22, point 5) on both databases: the company's meters narrowed by
//! building, ИПУ/ОДПУ, resource, line, state and verification due, found by a serial, a
//! barcode, a model in any case or a flat; another company's building not found, a resident
//! refused, the files holding the same meters.

use crate::common;

use app::errors::AppError;
use app::i18n::Lang;
use app::models::capacity::DigitCapacity;
use app::models::inventory::{Inventory, LineKind};
use app::models::{MeterState, Placement, Resource, Role};
use app::storage::{communicator, meter, premise};
use axum::http::StatusCode;
use chrono::NaiveDate;

async fn inventory(w: &common::World, query: &str, cookie: &str) -> Result<Inventory, AppError> {
    let body = common::form(&[("query", query)]);
    let (_, text, _) = common::call(&w.app, "meter_inventory", &body, Some(cookie)).await;
    serde_json::from_str::<Inventory>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

fn serials(v: &Inventory) -> Vec<&str> {
    v.rows.iter().map(|r| r.serial.as_str()).collect()
}

/// Building A gets a common heat meter on an RS-485 bus (multiplier 0,5), flat 2 a cold water
/// meter read by hand and overdue for verification, and a retired meter whose date has
/// passed too; the fixture's flat 1 has its «Меркурий 230» already.
async fn building_a(w: &common::World) {
    let c = w.a.company_id;
    let bus = communicator::create(
        &w.db,
        &communicator::Communicator {
            company_id: c,
            object_id: Some(w.a.object_id),
            name: "Шина ИТП".into(),
            line: "rs485".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut heat = meter::Meter::new(c, w.a.object_id, Resource::Heat, "ВКТ-7", "ТС-1", DigitCapacity::new(7, 3).unwrap());
    heat.multiplier = "0.5".parse().unwrap();
    heat.communicator_id = Some(bus.id);
    heat.bus_address = "7".into();
    heat.next_verification_on = NaiveDate::from_ymd_opt(2031, 1, 1);
    meter::create(&w.db, &heat).await.unwrap();

    let flat2 = premise::create(&w.db, &premise::Premise { company_id: c, object_id: w.a.object_id, number: "2".into(), ..Default::default() })
        .await
        .unwrap();
    let mut water = meter::Meter::new(c, w.a.object_id, Resource::ColdWater, "Пульсар", "W-12", DigitCapacity::new(5, 3).unwrap());
    water.premise_id = Some(flat2.id);
    water.placement = Placement::Individual;
    water.barcode = "4600000000017".into();
    water.next_verification_on = NaiveDate::from_ymd_opt(2020, 1, 1);
    meter::create(&w.db, &water).await.unwrap();

    let mut old = meter::Meter::new(c, w.a.object_id, Resource::ColdWater, "Пульсар", "OLD-1", DigitCapacity::new(5, 3).unwrap());
    old.premise_id = Some(flat2.id);
    old.placement = Placement::Individual;
    old.next_verification_on = NaiveDate::from_ymd_opt(2019, 1, 1);
    old.state = MeterState::Retired;
    meter::create(&w.db, &old).await.unwrap();
}

both_backends!(the_inventory_narrows_by_every_filter_and_finds_a_meter_by_what_is_typed, |w| {
    building_a(w).await;
    let cookie = w.cookie(Role::Dispatcher);

    // every meter of the company, none of the other's; the common meter first, flats in order
    let all = inventory(w, "", cookie).await.unwrap();
    assert_eq!(serials(&all), ["ТС-1", "SN-1", "W-12", "OLD-1"]);
    assert_eq!(all.matched, 4);
    assert_eq!(all.by_resource, vec![(Resource::Electricity, 1), (Resource::Heat, 1), (Resource::ColdWater, 2)]);
    assert_eq!(all.overdue, 1, "the retired meter is not due");
    let heat = &all.rows[0];
    assert_eq!((heat.line, heat.communicator.as_str(), heat.bus_address.as_str()), (LineKind::Rs485, "Шина ИТП", "7"));
    let (_, cells) = all.table(Lang::Ru);
    assert_eq!(cells[0][9].shown(), "0,5", "the multiplier as stored, exact");
    assert_eq!(cells[2][2].shown(), "2");
    assert!(all.summary(Lang::Ru).starts_with("Найдено приборов: 4"), "{}", all.summary(Lang::Ru));

    let object = w.a.object_id;
    let cases: [(String, Vec<&str>); 9] = [
        (format!("object={object}&placement=common"), vec!["ТС-1"]),
        ("placement=individual&resource=cold_water".into(), vec!["W-12", "OLD-1"]),
        ("line=rs485".into(), vec!["ТС-1"]),
        ("line=none".into(), vec!["SN-1", "W-12", "OLD-1"]),
        ("state=retired".into(), vec!["OLD-1"]),
        ("due=overdue".into(), vec!["W-12"]),
        ("due=unknown".into(), vec!["SN-1"]),
        // typed words: a model in any case, a barcode's tail, a flat with or without «кв.»
        ("q=%D0%BF%D1%83%D0%BB%D1%8C%D1%81%D0%B0%D1%80+%D0%BA%D0%B2.+2&state=in_operation".into(), vec!["W-12"]),
        ("q=0017".into(), vec!["W-12"]),
    ];
    for (query, want) in cases {
        let v = inventory(w, &query, cookie).await.unwrap();
        assert_eq!(serials(&v), want, "{query}");
        assert_eq!(v.matched, want.len(), "{query}");
    }
    // an unknown filter value is ignored, a search nothing has answers no rows
    assert_eq!(inventory(w, "state=broken", cookie).await.unwrap().matched, 4);
    assert_eq!(inventory(w, "q=nothing-like-it", cookie).await.unwrap().rows, vec![]);

    // the files hold the meters the page's filters leave
    let (status, kind, bytes) = common::get_file(&w.app, "/export/meters.csv?resource=cold_water&q=0017", cookie).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert!(kind.starts_with("text/csv"), "{kind}");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("W-12") && text.contains("4600000000017"), "{text}");
    assert!(!text.contains("OLD-1") && !text.contains("ТС-1"), "{text}");
    for (format, want) in [("xlsx", "spreadsheetml"), ("pdf", "application/pdf")] {
        let (status, kind, _) = common::get_file(&w.app, &format!("/export/meters.{format}?object={object}"), cookie).await;
        assert_eq!(status, StatusCode::OK, "{format}");
        assert!(kind.contains(want), "{kind}");
    }
});

both_backends!(another_companys_meters_stay_hidden_and_a_resident_is_refused_the_inventory, |w| {
    building_a(w).await;
    let object = w.a.object_id;
    assert_eq!(inventory(w, &format!("object={object}"), &w.b_dispatcher).await.unwrap_err(), AppError::NotFound);
    assert_eq!(serials(&inventory(w, "", &w.b_dispatcher).await.unwrap()), ["SN-B"]);
    let (status, _, _) = common::get_file(&w.app, &format!("/export/meters.csv?object={object}"), &w.b_dispatcher).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // a reader sees it, changes nothing; a resident does not see it
    assert_eq!(inventory(w, "", w.cookie(Role::Reader)).await.unwrap().matched, 4);
    let body = common::form(&[("query", "")]);
    let (status, text, _) = common::call(&w.app, "meter_inventory", &body, Some(w.cookie(Role::Resident))).await;
    assert_eq!((status, common::error_of(&text)), (StatusCode::FORBIDDEN, Some(AppError::Forbidden)));
    let (status, _, _) = common::get_file(&w.app, "/export/meters.csv", w.cookie(Role::Resident)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});
