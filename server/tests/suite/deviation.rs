//! Deviation rules (issue 23, point 5) on both databases: off by default; a dispatcher
//! switches a common meter's parameter on with a band; the tile judges the newest daily
//! record — a running total's step — against the average of the three days before,
//! hand-worked to the millionth; a constant rule likewise; a broken rule opens one event
//! per meter, a relaxed rule ends it; bad rows keep nothing; another company's building is
//! not found, a reader may look but not change the rules.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::capacity::DigitCapacity;
use app::models::deviation::DeviationPage;
use app::models::{Placement, Resource, Role};
use app::storage::reading::Period;
use app::storage::testing::fixtures;
use app::storage::{event, meter};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A common heat meter in building A with a daily archive of `totals` (Gcal, running), the
/// last one at today's Moscow midnight; its id.
async fn heat_meter(w: &common::World, totals: &[&str]) -> i64 {
    let mut m = meter::Meter::new(w.a.company_id, w.a.object_id, Resource::Heat, "ВКТ-7", "ОДПУ-1", DigitCapacity::new(7, 3).unwrap());
    m.placement = Placement::Common;
    m.premise_id = None;
    let m = meter::create(&w.db, &m).await.unwrap();
    let ch = fixtures::main_channel(&w.db, &m).await;
    let tz = chrono_tz::Europe::Moscow;
    let today = app::consumption::calendar::local_date(tz, app::storage::now());
    let records: Vec<_> = totals
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let day = today - chrono::Duration::days((totals.len() - 1 - i) as i64);
            fixtures::polled(w.a.company_id, ch, Period::Day, app::consumption::calendar::day_start(tz, day), d(t))
        })
        .collect();
    app::storage::reading::insert_many(&w.db, &records).await.unwrap();
    m.id
}

async fn page(w: &common::World, query: &str, cookie: &str) -> Result<DeviationPage, AppError> {
    let (_, text, _) = common::call(&w.app, "deviations", &common::form(&[("query", query)]), Some(cookie)).await;
    serde_json::from_str::<DeviationPage>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

async fn save(w: &common::World, object: i64, rules: serde_json::Value, cookie: &str) -> Result<usize, AppError> {
    let body = serde_json::json!({ "object": object, "rules": rules }).to_string();
    let (status, text, _) = common::call(&w.app, "save_deviation_rules", &body, Some(cookie)).await;
    if status.is_success() {
        Ok(text.trim().parse().unwrap_or_else(|_| panic!("{text}")))
    } else {
        Err(common::error_of(&text).unwrap_or_else(|| panic!("{status} {text}")))
    }
}

fn rule(parameter: &str, enabled: bool, basis: &str, constant: &str, band: &str, tolerance: &str) -> serde_json::Value {
    serde_json::json!({ "parameter": parameter, "enabled": enabled, "basis": basis, "constant": constant, "band": band, "tolerance": tolerance })
}

both_backends!(a_rule_judges_the_newest_daily_step_against_the_three_days_before_and_opens_one_event, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    // steps: 10, 11, 10, then 29 Gcal a day
    let meter_id = heat_meter(w, &["100", "110", "121", "131", "160"]).await;
    let q = format!("object={}&archive=day", w.a.object_id);
    let off = page(w, &q, cookie).await.unwrap();
    assert_eq!((off.rules_on, off.meters.len()), (0, 0), "off by default");
    assert_eq!(off.rules.parameters, vec![("heat_energy".to_string(), "Gcal".to_string(), Resource::Heat)], "the common meter's parameters only");

    assert_eq!(save(w, w.a.object_id, serde_json::json!([rule("heat_energy", true, "average", "", "percent", "30")]), cookie).await, Ok(1));
    let on = page(w, &q, cookie).await.unwrap();
    assert_eq!(on.rules_on, 1);
    assert_eq!(on.meters.len(), 1);
    assert_eq!(on.meters[0].meter_id, meter_id);
    let v = on.meters[0].tiles[0].verdict.clone().unwrap();
    assert_eq!(v.value, d("29"));
    assert_eq!(v.base, Some(d("10.333333")), "(10 + 11 + 10) / 3");
    assert_eq!(v.allowed, Some(d("3.1")), "30 % of 10.333333, to the millionth");
    assert_eq!(v.deviation, Some(d("18.666667")));
    assert!(v.broken);

    let now = app::storage::now();
    let swept = app::monitoring::sweep_company(&w.db, w.a.company_id, now).await.unwrap();
    assert!(swept.opened >= 1);
    let deviation = |w: &common::World| {
        let db = w.db.clone();
        let company = w.a.company_id;
        async move {
            event::list(&db, company, &event::Filter { kind: Some("deviation"), limit: 10, ..Default::default() }).await.unwrap()
        }
    };
    let events = deviation(w).await;
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].meter_id, events[0].severity.as_str(), events[0].ended_at), (Some(meter_id), "warning", None));
    assert!(events[0].details.contains("Тепловая энергия 29 Гкал"), "{}", events[0].details);
    app::monitoring::sweep_company(&w.db, w.a.company_id, now + 60).await.unwrap();
    assert_eq!(deviation(w).await.len(), 1, "never twice");

    // a constant rule: 29 against 30 ± 1 is within; the event ends
    assert_eq!(save(w, w.a.object_id, serde_json::json!([rule("heat_energy", true, "constant", "30", "absolute", "1")]), cookie).await, Ok(1));
    let v = page(w, &q, cookie).await.unwrap().meters[0].tiles[0].verdict.clone().unwrap();
    assert_eq!((v.base, v.allowed, v.deviation, v.broken), (Some(d("30")), Some(d("1")), Some(d("-1")), false));
    app::monitoring::sweep_company(&w.db, w.a.company_id, now + 120).await.unwrap();
    assert!(deviation(w).await[0].ended_at.is_some(), "ended once within");
});

both_backends!(rules_are_checked_whole_and_only_the_companys_dispatchers_change_them, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    heat_meter(w, &["1", "2"]).await;
    let wrong = |r: Result<usize, AppError>| match r {
        Err(AppError::Invalid { field, problem }) => (field, problem),
        other => panic!("{other:?}"),
    };
    let good = rule("heat_energy", true, "average", "", "percent", "15");
    assert_eq!(
        wrong(save(w, w.a.object_id, serde_json::json!([good.clone(), rule("heat_energy", true, "constant", "", "percent", "5")]), cookie).await),
        (Msg::DvConstantValue, Problem::Required)
    );
    assert_eq!(wrong(save(w, w.a.object_id, serde_json::json!([rule("heat_energy", true, "average", "", "percent", "-1")]), cookie).await), (Msg::DvTolerance, Problem::OutOfRange));
    assert_eq!(wrong(save(w, w.a.object_id, serde_json::json!([rule("volume", true, "average", "", "percent", "5")]), cookie).await), (Msg::DvParameter, Problem::BadFormat), "no common meter measures it");
    assert_eq!(app::storage::deviation_rule::list(&w.db, w.a.company_id, w.a.object_id).await.unwrap(), vec![], "nothing half-written");

    assert_eq!(save(w, w.b.object_id, serde_json::json!([good.clone()]), cookie).await, Err(AppError::NotFound), "another company's building");
    assert_eq!(save(w, w.a.object_id, serde_json::json!([good.clone()]), w.cookie(Role::Reader)).await, Err(AppError::Forbidden));
    assert!(page(w, &format!("object={}", w.a.object_id), w.cookie(Role::Reader)).await.is_ok(), "a reader looks");
    assert_eq!(page(w, &format!("object={}", w.b.object_id), cookie).await.unwrap_err(), AppError::NotFound);
    assert_eq!(page(w, &format!("object={}&day=31.12.2026", w.a.object_id), cookie).await.unwrap_err(), AppError::invalid(Msg::Date, Problem::BadFormat));
    assert_eq!(page(w, &format!("object={}&archive=week", w.a.object_id), cookie).await.unwrap_err(), AppError::invalid(Msg::ArArchive, Problem::BadFormat));
    assert_eq!(save(w, w.a.object_id, serde_json::json!([good]), cookie).await, Ok(1));
    let audit = app::storage::audit::list(&w.db, w.a.company_id, 10).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "deviation.rules"), "journaled");
});
