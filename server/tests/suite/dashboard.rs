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

/// A reading a controller typed on a local day (Moscow noon) into `channel`.
fn typed_on(company_id: i64, channel: i64, m: u32, day: u32, total: &str) -> Reading {
    let ts = app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, NaiveDate::from_ymd_opt(2026, m, day).unwrap()) + 12 * 3600;
    Reading {
        period: reading::Period::Instant,
        source: reading::Source::FieldStaff,
        ..daily(company_id, channel, ts, d(total), [None, None])
    }
}

both_backends!(the_billing_period_view_sums_hand_read_flats_per_building_and_says_what_the_figures_stand_on, |w| {
    // the first building's flat read on the 20th of August–November; the second's flat in
    // August–October only, so November's is its average
    let second = fixtures::building_of(&w.db, w.a.company_id, "2").await;
    let mut readings: Vec<Reading> = [(8, "1000"), (9, "1100"), (10, "1200"), (11, "1300.5")]
        .map(|(m, v)| typed_on(w.a.company_id, w.a.channel_id, m, 20, v))
        .to_vec();
    readings.extend([(7, "10"), (8, "40"), (9, "70"), (10, "100")].map(|(m, v)| typed_on(w.a.company_id, second.channel_id, m, 20, v)));
    reading::insert_many(&w.db, &readings).await.unwrap();

    let p = dashboard(w, w.cookie(Role::Reader), Span::Period, "2026-11-17").await;
    assert_eq!(p.span, Span::Period);
    assert_eq!(p.date, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    assert_eq!(p.window, Some((day(15), day(25))), "the readings' window of the period");
    let power = &p.resources[0];
    assert_eq!(power.resource, Resource::Electricity);
    assert_eq!(power.values[0], Some(d("130.5")), "100,5 read + 30 by the average");
    let bases = power.bases.expect("the period says what its figures stand on");
    assert_eq!((bases.measured, bases.average, bases.norm, bases.none), (1, 1, 0, 0));
    assert_eq!((power.meters, power.meters_heard), (2, 1));
    assert!(power.gaps, "a figure by the average is marked");
    let names: Vec<Option<&str>> = p.rows.iter().map(|r| r.name.as_deref()).collect();
    assert_eq!(p.rows.len(), 2, "a row per building: {names:?}");
    let row = |name: &str| p.rows.iter().find(|r| r.name.as_deref() == Some(name)).unwrap().values[0][0];
    assert_eq!(row("Дом 2"), Some(d("30")));

    // the calendar month of the same readings has nothing whole: every step straddles months
    let month = dashboard(w, w.cookie(Role::Reader), Span::Month, "2026-11-01").await;
    assert_ne!(month.resources[0].values[0], Some(d("130.5")));
    assert_eq!(month.resources[0].bases, None);

    // one building, and another company's figures are its own
    let (status, text) = dashboard_of(w, Span::Period, "2026-11-01", second.object_id).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let one: Dashboard = serde_json::from_str(&text).unwrap();
    assert_eq!(one.resources[0].values[0], Some(d("30")));
    assert_eq!(one.rows.len(), 1);
    let (_, text) = dashboard_of(w, Span::Period, "2026-11-01", w.b.object_id).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound), "{text}");
    let other = dashboard(w, &w.b_dispatcher, Span::Period, "2026-11-01").await;
    assert!(other.resources.iter().all(|r| r.values[0].is_none()), "{:?}", other.resources);

    // the page is rendered on the server with its words and numbers
    let (status, html, _) = common::get(&w.app, "/?span=period&date=2026-11-01&view=table", Some(w.cookie(Role::Dispatcher))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("130,50"), "the period's total in the widget");
    assert!(html.contains("ноябрь 2026, расчётный период"));
    assert!(html.contains("по показаниям 1 · по среднему 1"), "what the figures stand on");
    assert!(html.contains("15.11.2026"), "the window in the note");
});
