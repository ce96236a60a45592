//! «Архивы прибора» (F15) over real HTTP on both databases: a meter's hourly, daily and
//! monthly records, a column per parameter and tariff, in the building's time, exact; the
//! file download says the same; another company's meter is not found.

use crate::common;

use app::errors::AppError;
use app::models::archive::{ArchiveKind, MeterArchive};
use app::models::Role;
use app::storage::channel;
use app::storage::reading::{self, Kind, Period, Reading};
use app::storage::testing::fixtures;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Moscow local midnight of a date plus `hours`.
fn at(day: NaiveDate, hours: i64) -> i64 {
    app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, day) + hours * 3600
}

fn record(w: &common::World, channel_id: i64, period: Period, kind: Kind, ts: i64, total: Decimal, t: [Option<Decimal>; 2]) -> Reading {
    Reading {
        kind,
        tariffs: [t[0], t[1], None, None],
        ..fixtures::polled(w.a.company_id, channel_id, period, ts, total)
    }
}

async fn archive(w: &common::World, cookie: &str, meter: i64, kind: ArchiveKind, on: &str) -> Result<MeterArchive, AppError> {
    let kind = match kind {
        ArchiveKind::Hour => "Hour",
        ArchiveKind::Day => "Day",
        ArchiveKind::Month => "Month",
    };
    let (_, text, _) = common::call(&w.app, "meter_archive", &format!("id={meter}&kind={kind}&date={on}"), Some(cookie)).await;
    match common::error_of(&text) {
        Some(e) => Err(e),
        None => Ok(serde_json::from_str(&text).unwrap()),
    }
}

/// The flat's two-tariff electricity meter keeps hourly, daily and monthly records, and a
/// second channel of supply temperature (a value of the period, not a running total).
async fn stored_archives(w: &common::World) {
    let temperature = channel::create(
        &w.db,
        &channel::Channel {
            id: 0,
            company_id: w.a.company_id,
            meter_id: w.a.meter_id,
            resource: "electricity".into(),
            resource_number: 2,
            parameter: "t_supply".into(),
            unit: "°C".into(),
            kind: "interval".into(),
            verified_on: None,
        },
    )
    .await
    .unwrap();
    let ch = w.a.channel_id;
    let mut all = Vec::new();
    let day = date(2025, 10, 5);
    for h in 0..24 {
        let t1 = d("1000.25") + Decimal::from(h) * d("0.5");
        let t2 = d("500.125");
        all.push(record(w, ch, Period::Hour, Kind::Integral, at(day, h), t1 + t2, [Some(t1), Some(t2)]));
        if h % 2 == 0 {
            all.push(record(w, temperature.id, Period::Hour, Kind::Interval, at(day, h), d("71.25"), [None, None]));
        }
    }
    for n in 0..31 {
        let total = d("900") + Decimal::from(n) * d("12.5");
        all.push(record(w, ch, Period::Day, Kind::Integral, at(date(2025, 10, 1 + n as u32), 0), total, [Some(total - d("300")), Some(d("300"))]));
    }
    // the 1 November daily record belongs to November's archive
    all.push(record(w, ch, Period::Day, Kind::Integral, at(date(2025, 11, 1), 0), d("1287.5"), [Some(d("987.5")), Some(d("300"))]));
    for m in 1..=12u32 {
        let total = d("100") * Decimal::from(m);
        all.push(record(w, ch, Period::Month, Kind::Integral, at(date(2025, m, 1), 0), total, [None, None]));
    }
    reading::insert_many(&w.db, &all).await.unwrap();
}

both_backends!(a_meters_archives_list_every_parameter_as_it_stored_them, |w| {
    stored_archives(w).await;
    let reader = w.cookie(Role::Reader);

    let hours = archive(w, reader, w.a.meter_id, ArchiveKind::Hour, "2025-10-05").await.unwrap();
    assert_eq!(hours.date, date(2025, 10, 5));
    assert_eq!(hours.prev, date(2025, 10, 4));
    assert_eq!(hours.next, Some(date(2025, 10, 6)));
    let names: Vec<(String, u8)> = hours.columns.iter().map(|c| (c.parameter.clone(), c.slot)).collect();
    assert_eq!(
        names,
        vec![("energy_a_plus".into(), 1), ("energy_a_plus".into(), 2), ("energy_a_plus".into(), 0), ("t_supply".into(), 0)],
        "tariffs, then the total, then the other parameter"
    );
    assert!(hours.columns[0].integral && !hours.columns[3].integral);
    assert_eq!(hours.rows.len(), 24, "an hour a row");
    assert_eq!(hours.rows[0].at, "05.10.2025 00:00", "the building's local time");
    assert_eq!(hours.rows[23].at, "05.10.2025 23:00");
    assert_eq!(hours.rows[3].values, vec![Some(d("1001.75")), Some(d("500.125")), Some(d("1501.875")), None]);
    assert_eq!(hours.rows[4].values[3], Some(d("71.25")));
    assert_eq!(
        hours.rows[3].usage,
        vec![Some(d("0.5")), Some(d("0")), Some(d("0.5")), None],
        "what each running total rose by to the next hour; none for a value of the period"
    );
    assert_eq!(hours.rows[23].usage[0], None, "no record at the next midnight, so no usage");

    let days = archive(w, reader, w.a.meter_id, ArchiveKind::Day, "2025-10-17").await.unwrap();
    assert_eq!(days.date, date(2025, 10, 1));
    assert_eq!(days.rows.len(), 31, "the 1st of November is the next month's");
    assert_eq!(days.columns.len(), 3, "no daily temperature was stored, so no column");
    assert_eq!(days.rows[30].at, "31.10.2025 00:00");
    assert_eq!(days.rows[30].values[2], Some(d("1275")));
    assert_eq!(days.rows[30].usage[2], Some(d("12.5")), "the month's last day closes on 1 November's record");

    let months = archive(w, reader, w.a.meter_id, ArchiveKind::Month, "2025-06-30").await.unwrap();
    assert_eq!(months.date, date(2025, 1, 1));
    assert_eq!(months.prev, date(2024, 1, 1));
    assert_eq!(months.rows.len(), 12);
    assert_eq!(months.columns.len(), 1, "monthly records carried only the total");
    assert_eq!(months.rows[11].values[0], Some(d("1200")));
    assert_eq!(months.rows[0].usage[0], Some(d("100")));
    assert_eq!(months.rows[11].usage[0], None);
    // the next span's first record alone makes no archive
    let before = archive(w, reader, w.a.meter_id, ArchiveKind::Hour, "2025-10-04").await.unwrap();
    assert!(before.rows.is_empty() && before.columns.is_empty(), "{before:?}");

    // a span with nothing stored is an empty archive, not an error
    let empty = archive(w, reader, w.a.meter_id, ArchiveKind::Hour, "2025-10-06").await.unwrap();
    assert!(empty.rows.is_empty() && empty.columns.is_empty());

    // the file holds the same records with the exact values
    let (status, csv, _) = common::get(
        &w.app,
        &format!("/export/archive.csv?meter={}&kind=hour&date=2025-10-05", w.a.meter_id),
        Some(reader),
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::OK, "{csv}");
    assert!(csv.contains("Активная энергия A+ T1, кВт·ч"), "{csv}");
    assert!(csv.contains("Температура подачи, °C"), "{csv}");
    assert!(csv.contains("1501,875"), "{csv}");
    assert_eq!(csv.lines().filter(|l| l.starts_with("05.10.2025 ")).count(), 24);

    // the page is rendered on the server with the records
    let (status, html, _) = common::get(
        &w.app,
        &format!("/meters/{}/archive?kind=hour&date=2025-10-05", w.a.meter_id),
        Some(w.cookie(Role::Dispatcher)),
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(html.contains("Архивы прибора"), "the title");
    assert!(html.contains("1\u{a0}501,875"), "a value as staff write it");
});

both_backends!(another_companys_meter_archive_is_not_found, |w| {
    stored_archives(w).await;
    let other = archive(w, &w.b_dispatcher, w.a.meter_id, ArchiveKind::Day, "2025-10-01").await;
    assert_eq!(other.unwrap_err(), AppError::NotFound);
    let (status, body, _) = common::get(
        &w.app,
        &format!("/export/archive.csv?meter={}&kind=day&date=2025-10-01", w.a.meter_id),
        Some(&w.b_dispatcher),
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::NOT_FOUND);
    assert!(!body.contains("1000"), "{body}");
});
