//! «Потребление» (issue 24) on both databases, worked by hand: the registry of a building's
//! premises by resource for a day and a month — `–*` where a flat's only meter has no
//! archive, `1,77*` where one of its two has — and one resource over the premises with the
//! figure per resident or per m² and the share of the common meter; another company's
//! building not found, a resident refused, a bad period a Russian 422, the files.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::{Lang, Msg};
use app::models::capacity::DigitCapacity;
use app::models::cell::Cell;
use app::models::consumption::Premises;
use app::models::{Amount, Placement, Resource, Role};
use app::storage::testing::fixtures;
use app::storage::{meter, premise, Db};
use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn full(s: &str) -> Option<Amount> {
    Some(Amount::Full(d(s)))
}

fn oct(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, day).unwrap()
}

/// A flat of building A with its area and residents.
async fn flat(w: &common::World, number: &str, area: &str, residents: i64) -> i64 {
    let p = premise::Premise {
        company_id: w.a.company_id,
        object_id: w.a.object_id,
        number: number.into(),
        area: area.into(),
        residents,
        ..Default::default()
    };
    premise::create(&w.db, &p).await.unwrap().id
}

/// A meter of building A (in the premise, or common without one) and its channel.
async fn meter_in(w: &common::World, resource: Resource, serial: &str, premise: Option<i64>) -> i64 {
    let mut m = meter::Meter::new(w.a.company_id, w.a.object_id, resource, "Счётчик", serial, DigitCapacity::new(6, 3).unwrap());
    if let Some(p) = premise {
        m.premise_id = Some(p);
        m.placement = Placement::Individual;
    }
    let m = meter::create(&w.db, &m).await.unwrap();
    fixtures::main_channel(&w.db, &m).await
}

/// Daily totals at Moscow midnights from 1 October 2026, then the rollup.
async fn readings(db: &Db, company_id: i64, channel: i64, totals: &[&str]) {
    common::daily_totals(db, company_id, channel, oct(1), totals).await
}

/// Building A on 1–2 October: the common electricity meter 100 on the 1st; flat 1 (the
/// fixture's) 40; flat 2 (54 m², two people) 10 of electricity and two cold water meters,
/// one of them 1,77, the other never read; flat 3 (nobody registered) an electricity meter
/// never read. (flat 2, flat 3).
async fn october(w: &common::World) -> (i64, i64) {
    let f2 = flat(w, "2", "54", 2).await;
    let f3 = flat(w, "3", "31,5", 0).await;
    let c = w.a.company_id;
    let root = meter_in(w, Resource::Electricity, "ВРУ-1", None).await;
    let e2 = meter_in(w, Resource::Electricity, "E2", Some(f2)).await;
    meter_in(w, Resource::Electricity, "E3", Some(f3)).await;
    let kitchen = meter_in(w, Resource::ColdWater, "ХВС-кухня", Some(f2)).await;
    meter_in(w, Resource::ColdWater, "ХВС-ванная", Some(f2)).await;
    readings(&w.db, c, root, &["1000", "1100", "1190"]).await;
    readings(&w.db, c, w.a.channel_id, &["500", "540", "575"]).await;
    readings(&w.db, c, e2, &["20", "30", "41"]).await;
    readings(&w.db, c, kitchen, &["12.000", "13.770", "14.5"]).await;
    (f2, f3)
}

async fn premises(w: &common::World, query: &str, registry: bool, cookie: &str) -> Result<Premises, AppError> {
    let body = common::form(&[("query", query), ("registry", if registry { "true" } else { "false" })]);
    let (_, text, _) = common::call(&w.app, "premises_consumption", &body, Some(cookie)).await;
    serde_json::from_str::<Premises>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

both_backends!(the_registry_shows_every_flat_by_resource_marking_what_has_no_archive, |w| {
    let (f2, f3) = october(w).await;
    let cookie = w.cookie(Role::Dispatcher);
    let object = w.a.object_id;
    let p = premises(w, &format!("object={object}&by=day&day=2026-10-01"), true, cookie).await.unwrap();
    assert_eq!(p.shown, vec![Resource::Electricity, Resource::ColdWater]);
    let numbers: Vec<&str> = p.rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3"]);
    let row = |id: i64| p.rows.iter().find(|r| r.premise_id == id).unwrap();
    assert_eq!(row(w.a.premise_id).values, vec![full("40"), None], "flat 1 has no water meter");
    // one of flat 2's two water meters has no archive: the known 1,77 marked
    assert_eq!(row(f2).values, vec![full("10"), Some(Amount::Partial(d("1.77")))]);
    // flat 3's only meter has none: «–*», not zero
    assert_eq!(row(f3).values, vec![Some(Amount::NoData), None]);
    assert_eq!(p.individual, vec![Amount::Partial(d("50")), Amount::Partial(d("1.77"))]);
    assert_eq!(p.common, vec![full("100"), None]);

    let (header, rows, foot) = p.registry_table(Lang::Ru);
    assert_eq!(header[4], "Электроэнергия, кВт·ч");
    let shown = |cells: &[Cell]| cells.iter().map(Cell::shown).collect::<Vec<_>>();
    assert_eq!(shown(&rows[1])[4..], ["10", "1,77*"]);
    assert_eq!(shown(&rows[2])[4..], ["–*", ""]);
    assert_eq!(shown(&foot[0])[4..], ["50*", "1,77*"]);
    assert_eq!(shown(&foot[1])[4..], ["100", ""]);

    // the file says the same
    let (status, kind, bytes) = common::get_file(&w.app, &format!("/export/registry.csv?{}", p.query.query_string()), cookie).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert!(kind.starts_with("text/csv"), "{kind}");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("1,77*") && text.contains("–*"), "{text}");
    let (status, kind, _) = common::get_file(&w.app, &format!("/export/registry.xlsx?{}", p.query.query_string()), cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");

    // October as a month: only three days were read, so every figure is partial
    let p = premises(w, &format!("object={object}&by=month&month=2026-10"), true, cookie).await.unwrap();
    assert_eq!(p.query.month.as_deref(), Some("2026-10"));
    let r2 = p.rows.iter().find(|r| r.premise_id == f2).unwrap();
    assert_eq!(r2.values[0], Some(Amount::Partial(d("21"))), "20 → 41 of a month not wholly read");
});

both_backends!(one_resource_over_the_premises_per_resident_per_square_metre_and_share_of_the_common_meter, |w| {
    let (f2, f3) = october(w).await;
    let cookie = w.cookie(Role::Dispatcher);
    let object = w.a.object_id;
    let p = premises(w, &format!("object={object}&resource=electricity&by=day&day=2026-10-01"), false, cookie).await.unwrap();
    assert_eq!((p.shown.clone(), p.query.resource), (vec![Resource::Electricity], Some(Resource::Electricity)));
    let row = |id: i64| p.rows.iter().find(|r| r.premise_id == id).unwrap().clone();
    // flat 2: 10 kWh for two people, 10 % of the common meter's 100
    assert_eq!(p.specific(&row(f2)), full("5"));
    assert_eq!(p.share(&row(f2)), full("10"));
    assert_eq!(p.share(&row(w.a.premise_id)), full("40"));
    // flat 3: nobody registered and no archive
    assert_eq!(p.specific(&row(f3)), None);
    assert_eq!(p.share(&row(f3)), Some(Amount::NoData));
    assert_eq!(p.per(), Msg::CmpPerResident);

    // water: no common meter, so no share; flat 1 has no water meter and is not listed
    let p = premises(w, &format!("object={object}&resource=cold_water&by=day&day=2026-10-02"), false, cookie).await.unwrap();
    assert_eq!(p.rows.iter().map(|r| r.premise_id).collect::<Vec<_>>(), vec![f2]);
    assert_eq!(p.share(&p.rows[0]), None);
    assert_eq!(p.specific(&p.rows[0]), Some(Amount::Partial(d("0.365"))), "0,73 of one meter for two people");

    let (header, rows, _) = p.breakdown_table(Lang::Ru);
    assert_eq!(header[5], "На жителя");
    assert_eq!(rows[0][4].shown(), "0,73*");
    let (status, kind, bytes) = common::get_file(&w.app, &format!("/export/premises.pdf?{}", p.query.query_string()), cookie).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert!(kind.starts_with("application/pdf"), "{kind}");

    // an unknown resource falls back to the first the building meters
    let p = premises(w, &format!("object={object}&resource=gas"), false, cookie).await.unwrap();
    assert_eq!(p.query.resource, Some(Resource::Electricity));
});

both_backends!(another_companys_building_is_not_found_a_resident_is_refused_and_a_bad_period_is_a_clear_error, |w| {
    october(w).await;
    let object = w.a.object_id;
    let query = format!("object={object}&by=day&day=2026-10-01");
    assert_eq!(premises(w, &query, true, &w.b_dispatcher).await.unwrap_err(), AppError::NotFound);
    let body = common::form(&[("query", &query), ("registry", "true")]);
    let (status, text, _) = common::call(&w.app, "premises_consumption", &body, Some(w.cookie(Role::Resident))).await;
    assert_eq!((status, common::error_of(&text)), (StatusCode::FORBIDDEN, Some(AppError::Forbidden)));
    let (status, _, _) = common::get_file(&w.app, &format!("/export/registry.csv?{query}"), &w.b_dispatcher).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let cookie = w.cookie(Role::Reader);
    let bad = AppError::Invalid { field: Msg::BalPeriod, problem: Problem::BadFormat };
    for q in ["by=day&day=2026-02-30", "by=month&month=2026-13", "by=day&day=1066-10-01", "by=month&month=вчера"] {
        let body = common::form(&[("query", &format!("object={object}&{q}")), ("registry", "true")]);
        let (status, text, _) = common::call(&w.app, "premises_consumption", &body, Some(cookie)).await;
        assert_eq!((status, common::error_of(&text)), (StatusCode::UNPROCESSABLE_ENTITY, Some(bad.clone())), "{q}");
    }
    // a month still to come has nothing to show, and no «–*» for it
    let p = premises(w, &format!("object={object}&by=month&month=2099-01"), true, cookie).await.unwrap();
    assert!(!p.begun && p.rows.is_empty());
});
