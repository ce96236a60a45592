//! «Поступление данных» (issue 23, point 6) on both databases: a building's meters with the
//! records of an archive over a period — whole, in part, flagged or missing — counted per
//! record; filtered by resource and meter type; a meter's records parameter by parameter
//! with the checks' marks; a long period cut and said; another company's building and meter
//! not found, a resident refused, a bad date a clear error.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::arrival::{Arrival, ArrivalDetail, Mark, Slot};
use app::models::capacity::DigitCapacity;
use app::models::{Placement, Resource, Role};
use app::storage::reading::{self, flags, Period};
use app::storage::testing::fixtures;
use app::storage::{channel, meter};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Moscow's midnight of 1 December 2026 plus `days`.
fn midnight(days: i64) -> i64 {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(21, 0, 0).unwrap().and_utc().timestamp() + days * 86_400
}

async fn arrival(w: &common::World, query: &str, cookie: &str) -> Result<Arrival, AppError> {
    let (_, text, _) = common::call(&w.app, "data_arrival", &common::form(&[("query", query)]), Some(cookie)).await;
    serde_json::from_str::<Arrival>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

async fn detail(w: &common::World, meter: i64, query: &str, cookie: &str) -> Result<ArrivalDetail, AppError> {
    let id = meter.to_string();
    let (_, text, _) = common::call(&w.app, "data_arrival_meter", &common::form(&[("meter", &id), ("query", query)]), Some(cookie)).await;
    serde_json::from_str::<ArrivalDetail>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

/// Building A's flat electricity meter delivers its days 1 and 2, and a lowered day 3 that
/// waits for a dispatcher; a heat ОДПУ with energy and volume delivers both on day 1, the
/// energy only on day 2, nothing on day 3. Returns the heat meter's id.
async fn three_days(w: &common::World) -> i64 {
    let c = w.a.company_id;
    let mut heat = meter::Meter::new(c, w.a.object_id, Resource::Heat, "ВКТ-7", "T-77", DigitCapacity::new(6, 3).unwrap());
    heat.placement = Placement::Common;
    let heat = meter::create(&w.db, &heat).await.unwrap();
    let energy = channel::create_main(&w.db, &heat).await.unwrap().id;
    let volume = channel::create(
        &w.db,
        &channel::Channel { company_id: c, meter_id: heat.id, resource: "heat".into(), resource_number: 1, parameter: "volume".into(), unit: "m3".into(), kind: "integral".into(), ..Default::default() },
    )
    .await
    .unwrap()
    .id;
    let day = |ch: i64, n: i64, v: &str| fixtures::polled(c, ch, Period::Day, midnight(n), d(v));
    let mut lowered = day(w.a.channel_id, 2, "90");
    lowered.flags = flags::DECREASED | flags::NEEDS_CONFIRMATION;
    let readings = vec![
        day(w.a.channel_id, 0, "100"),
        day(w.a.channel_id, 1, "105.5"),
        lowered,
        day(energy, 0, "12.345"),
        day(volume, 0, "456.78"),
        day(energy, 1, "12.5"),
        // an hour's record is not a day's
        fixtures::polled(c, volume, Period::Hour, midnight(1), d("457")),
    ];
    reading::insert_many(&w.db, &readings).await.unwrap();
    heat.id
}

fn query(w: &common::World, rest: &str) -> String {
    format!("object={}&archive=day&from=2026-12-01&to=2026-12-03{rest}", w.a.object_id)
}

both_backends!(each_meter_shows_which_daily_records_it_delivered_whole_in_part_flagged_or_not_at_all, |w| {
    let heat = three_days(w).await;
    let cookie = w.cookie(Role::Dispatcher);
    let a = arrival(w, &query(w, ""), cookie).await.unwrap();
    assert_eq!(a.slots, vec!["01.12.2026", "02.12.2026", "03.12.2026"]);
    assert!(!a.cut);
    let slots_of = |id: i64| a.meters.iter().find(|m| m.id == id).unwrap().slots.clone();
    assert_eq!(slots_of(w.a.meter_id), vec![Slot::Full, Slot::Full, Slot::Flagged]);
    assert_eq!(slots_of(heat), vec![Slot::Full, Slot::Partial, Slot::Missing]);
    assert_eq!(a.delivered_per_slot(), vec![2, 2, 1]);
    let h = a.meters.iter().find(|m| m.id == heat).unwrap();
    assert_eq!((h.parameters, h.completeness(), h.placement), (2, 66, Placement::Common));
    assert_eq!(a.meters.iter().find(|m| m.id == w.a.meter_id).unwrap().premise, "кв. 1");

    // by meter type and by resource
    let common_only = arrival(w, &query(w, "&placement=common"), cookie).await.unwrap();
    assert_eq!(common_only.meters.iter().map(|m| m.id).collect::<Vec<_>>(), vec![heat]);
    let electricity = arrival(w, &query(w, "&resource=electricity"), cookie).await.unwrap();
    assert_eq!(electricity.meters.iter().map(|m| m.id).collect::<Vec<_>>(), vec![w.a.meter_id]);

    // the heat meter's records, a column per parameter
    let r = detail(w, heat, &query(w, ""), cookie).await.unwrap();
    assert_eq!(r.parameters.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), vec!["heat_energy", "volume"]);
    assert_eq!(r.rows.len(), 3);
    let values = |i: usize| r.rows[i].1.iter().map(|c| c.value.clone()).collect::<Vec<_>>();
    assert_eq!(values(0), vec![Some("12.345".to_string()), Some("456.78".to_string())]);
    assert_eq!(values(1), vec![Some("12.5".to_string()), None]);
    assert_eq!(values(2), vec![None, None]);
    // the lowered day carries its marks
    let e = detail(w, w.a.meter_id, &query(w, ""), cookie).await.unwrap();
    assert_eq!(e.rows[2].1[0].value.as_deref(), Some("90"));
    assert_eq!(e.rows[2].1[0].marks, vec![Mark::Decreased, Mark::Waiting]);
    assert_eq!(e.premise, "кв. 1");

    // hourly: the one hour record of the heat volume, the rest missing
    let hours = arrival(w, &format!("object={}&archive=hour&from=2026-12-02&to=2026-12-02&placement=common", w.a.object_id), cookie).await.unwrap();
    assert_eq!(hours.slots.len(), 24);
    assert_eq!(hours.slots[0], "02.12 00:00");
    assert_eq!(hours.meters[0].slots[0], Slot::Partial);
    assert_eq!(hours.meters[0].count(Slot::Missing), 23);
});

both_backends!(a_long_period_is_cut_and_said_and_the_walls_and_bad_dates_hold, |w| {
    three_days(w).await;
    let cookie = w.cookie(Role::Dispatcher);
    let long = arrival(w, &format!("object={}&archive=hour&from=2026-11-01&to=2026-12-03", w.a.object_id), cookie).await.unwrap();
    assert!(long.cut);
    assert_eq!(long.slots.len(), app::models::arrival::MAX_SLOTS);
    // without an asked period: the archive's default span up to today
    let default = arrival(w, &format!("object={}", w.a.object_id), cookie).await.unwrap();
    assert_eq!(default.slots.len(), 7, "a week of days");

    // another company's building and meter are not found; a resident is refused; a reader sees it
    let theirs = format!("object={}", w.b.object_id);
    assert_eq!(arrival(w, &theirs, cookie).await.unwrap_err(), AppError::NotFound);
    assert_eq!(detail(w, w.b.meter_id, "", cookie).await.unwrap_err(), AppError::NotFound);
    assert_eq!(arrival(w, &query(w, ""), w.cookie(Role::Resident)).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(detail(w, w.a.meter_id, "", w.cookie(Role::Resident)).await.unwrap_err(), AppError::Forbidden);
    assert!(arrival(w, &query(w, ""), w.cookie(Role::Reader)).await.is_ok());
    // company B's dispatcher, asking for nothing in particular, gets B's building
    assert_eq!(arrival(w, "", &w.b_dispatcher).await.unwrap().object_id, w.b.object_id);

    // dates that are not dates, or a period backwards, are a clear error
    let bad = arrival(w, &format!("object={}&from=2026-13-01", w.a.object_id), cookie).await.unwrap_err();
    assert_eq!(bad, AppError::Invalid { field: Msg::EvPeriod, problem: Problem::BadFormat });
    let backwards = arrival(w, &format!("object={}&from=2026-12-05&to=2026-12-01", w.a.object_id), cookie).await.unwrap_err();
    assert_eq!(backwards, AppError::Invalid { field: Msg::EvPeriod, problem: Problem::OutOfRange });
});
