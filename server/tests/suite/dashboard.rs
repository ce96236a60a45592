//! The dispatcher's home over real HTTP on both databases: a month and a year of consumption
//! per resource and tariff from the daily rollup, common meters apart, gaps said, a late
//! reading counted on the next look, the same figures as the meter page, and the wall
//! between companies.

use crate::common;

use app::errors::AppError;
use app::models::capacity::DigitCapacity;
use app::models::dashboard::{Dashboard, Span};
use app::models::meter_card::MeterCard;
use app::models::{Amount, Placement, Resource, Role};
use app::storage::reading::{self, Reading};
use app::storage::testing::fixtures;
use app::storage::meter;
use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use common::october::{d, daily, oct};

/// The flat's electricity meter: 12,5 kWh a day (T1 8,25 + T2 4,25) through October 2025.
fn electricity(w: &common::World, day: i64) -> Reading {
    let i = Decimal::from(day - 1);
    daily(
        w.a.company_id,
        w.a.channel_id,
        oct(day),
        d("1000") + d("12.5") * i,
        [Some(d("600") + d("8.25") * i), Some(d("400") + d("4.25") * i)],
    )
}

async fn dashboard(w: &common::World, cookie: &str, span: Span, date: &str) -> Dashboard {
    let (status, text, _) = common::call(
        &w.app,
        "dashboard",
        &format!("span={}&date={date}", span.as_str()),
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

both_backends!(the_dashboard_sums_whole_days_per_tariff_and_keeps_common_meters_apart, |w| {
    // every day of October but the readings at the start of the 10th and of 1 November
    let readings: Vec<Reading> = (1..=31).filter(|&day| day != 10).map(|day| electricity(w, day)).collect();
    reading::insert_many(&w.db, &readings).await.unwrap();
    let mut common_meter = meter::Meter::new(
        w.a.company_id,
        w.a.object_id,
        Resource::ColdWater,
        "Пульсар",
        "ODPU-1",
        DigitCapacity::new(5, 3).unwrap(),
    );
    common_meter.placement = Placement::Common;
    let common_meter = meter::create(&w.db, &common_meter).await.unwrap();
    let common_ch = fixtures::main_channel(&w.db, &common_meter).await;
    let water: Vec<Reading> = (1..=32)
        .map(|day| daily(w.a.company_id, common_ch, oct(day), Decimal::from(5 * day), [None, None]))
        .collect();
    reading::insert_many(&w.db, &water).await.unwrap();

    let dash = dashboard(w, w.cookie(Role::Reader), Span::Month, "2025-10-17").await;
    assert_eq!(dash.date, NaiveDate::from_ymd_opt(2025, 10, 1).unwrap());
    assert_eq!(dash.rows.len(), 31, "a row per day of October");
    assert_eq!(dash.pending, 0, "the late readings were counted before the answer");
    let power = &dash.resources[0];
    assert_eq!(power.resource, Resource::Electricity);
    // 1 → 9 → 11 → 31 October: the step over the 9th and 10th is the month's but neither
    // day's; after the 31st nothing is known, so the month is 30 × 12,5 and partial
    assert_eq!(power.values[0], Some(d("375")));
    assert_eq!(power.values[1], Some(d("247.5")));
    assert_eq!(power.values[2], Some(d("127.5")));
    assert!(power.gaps, "a month with a gap says so");
    assert_eq!(dash.rows[0].values[0][0], Some(d("12.5")));
    assert_eq!(dash.rows[8].values[0][0], None);
    assert_eq!(dash.rows[9].values[0][0], None);
    assert_eq!(dash.rows[30].values[0][0], None);
    assert!(dash.resources.iter().all(|r| r.resource != Resource::ColdWater), "no flat has water");
    assert_eq!(dash.common.len(), 1, "the common meter is shown apart");
    assert_eq!(dash.common[0].values[0], Some(d("155")));

    // the meter page says the same for the month
    let (_, text, _) = common::call(
        &w.app,
        "meter_card",
        &format!("id={}&month=2025-10-01", w.a.meter_id),
        Some(w.cookie(Role::Reader)),
    )
    .await;
    let card: MeterCard = serde_json::from_str(&text).unwrap();
    assert_eq!(card.month_total[0], Amount::Partial(d("375")));

    // the missing readings arrive late: the next look counts them
    reading::insert_many(&w.db, &[electricity(w, 10), electricity(w, 32)]).await.unwrap();
    let dash = dashboard(w, w.cookie(Role::Dispatcher), Span::Month, "2025-10-01").await;
    assert_eq!(dash.resources[0].values[0], Some(d("387.5")));
    assert_eq!(dash.resources[0].values[1], Some(d("255.75")));
    assert!(!dash.resources[0].gaps);
    assert_eq!(dash.rows[9].values[0][0], Some(d("12.5")));
    assert_eq!(dash.rows[30].values[0][1], Some(d("8.25")));

    // a year: a row per month, the same total
    let year = dashboard(w, w.cookie(Role::Reader), Span::Year, "2025-03-03").await;
    assert_eq!(year.rows.len(), 12);
    assert_eq!(year.rows[9].values[0][0], Some(d("387.5")));
    assert_eq!(year.resources[0].values[0], Some(d("387.5")));

    // one date
    let day = dashboard(w, w.cookie(Role::Reader), Span::Date, "2025-10-05").await;
    assert_eq!(day.resources[0].values[0], Some(d("12.5")));

    // another company sees its own (empty) figures
    let other = dashboard(w, &w.b_dispatcher, Span::Month, "2025-10-01").await;
    assert_eq!(other.resources[0].values[0], None);
    assert!(other.common.is_empty());

    // the page is rendered on the server with its numbers
    let (status, html, _) = common::get(
        &w.app,
        "/?span=month&date=2025-10-01&view=table",
        Some(w.cookie(Role::Dispatcher)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("387,50"), "the month total in the widget");
    assert!(html.contains("октябрь 2025"));
    assert!(html.contains("255,75"));
});

async fn dashboard_of(w: &common::World, span: Span, date: &str, object: i64) -> (StatusCode, String) {
    let (status, text, _) = common::call(
        &w.app,
        "dashboard",
        &format!("span={}&date={date}&object={object}", span.as_str()),
        Some(w.cookie(Role::Dispatcher)),
    )
    .await;
    (status, text)
}

both_backends!(the_dashboard_narrowed_to_a_building_counts_that_building_only, |w| {
    // a second building of company A whose flat uses twice as much
    let second = fixtures::building_of(&w.db, w.a.company_id, "2").await;
    let mut readings: Vec<Reading> = (1..=32).map(|day| electricity(w, day)).collect();
    readings.extend((1..=32).map(|day| {
        let i = Decimal::from(day - 1);
        daily(w.a.company_id, second.channel_id, oct(day), d("50") + d("25") * i, [None, None])
    }));
    reading::insert_many(&w.db, &readings).await.unwrap();

    let all = dashboard(w, w.cookie(Role::Dispatcher), Span::Month, "2025-10-01").await;
    assert_eq!(all.object, None, "no building chosen: the whole company");
    assert_eq!(all.resources[0].values[0], Some(d("1162.5")), "387,5 + 775");
    assert_eq!(all.resources[0].meters, 2);

    let (status, text) = dashboard_of(w, Span::Month, "2025-10-01", w.a.object_id).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let first: Dashboard = serde_json::from_str(&text).unwrap();
    assert_eq!(first.object.as_ref().map(|o| o.0), Some(w.a.object_id));
    assert_eq!(first.resources[0].values[0], Some(d("387.5")));
    assert_eq!(first.resources[0].meters, 1);
    assert_eq!(first.rows[0].values[0][0], Some(d("12.5")));

    let (_, text) = dashboard_of(w, Span::Month, "2025-10-01", second.object_id).await;
    let other: Dashboard = serde_json::from_str(&text).unwrap();
    assert_eq!(other.object.as_ref().map(|o| o.1.as_str()), Some("Дом 2"));
    assert_eq!(other.resources[0].values[0], Some(d("775")));
    assert_eq!(other.rows[0].values[0][0], Some(d("25")));

    // another company's building is not found, and nothing of it is told
    let (_, text) = dashboard_of(w, Span::Month, "2025-10-01", w.b.object_id).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound), "{text}");
    assert!(!text.contains("Дом"), "{text}");

    // the page follows the building chosen in the top bar (its cookie) from the first render
    let cookie = format!("{}; uchet_object={}", w.cookie(Role::Dispatcher), second.object_id);
    let (status, html, _) = common::get(&w.app, "/?span=month&date=2025-10-01&view=table", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("775,00"), "the second building's month in the widget");
    assert!(!html.contains("1 162,50") && !html.contains("1162,50"), "not the company's");
});
