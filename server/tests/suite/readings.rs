//! The readings table of a building over real HTTP on both databases: values as of a date,
//! filters, sort, pages, the remembered column choice, the Excel and CSV files, and the walls
//! between roles and companies.

use crate::common;

use app::errors::AppError;
use app::models::capacity::DigitCapacity;
use app::models::readings_table::{ReadingsColumn, ReadingsPage};
use app::models::{Placement, Resource, Role};
use app::storage::reading::{self, Kind, Period, Reading, Source};
use app::storage::testing::fixtures;
use app::storage::{meter, premise};
use axum::http::StatusCode;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// 20.11.2026 00:00 Moscow.
const DAY: i64 = 1_795_122_000;

fn daily(company_id: i64, channel_id: i64, ts: i64, values: [Option<&str>; 5]) -> Reading {
    Reading {
        channel_id,
        company_id,
        period: Period::Day,
        ts,
        kind: Kind::Integral,
        total: values[0].map(d),
        tariffs: [
            values[1].map(d),
            values[2].map(d),
            values[3].map(d),
            values[4].map(d),
        ],
        source: Source::Poll,
        flags: 0,
        entered_by: None,
        entry_id: None,
        received_at: ts,
    }
}

/// Flats 2..=n+1 in company A's building, each with a water meter reading `flat × 1.5`, and
/// a two-tariff electricity meter in flat 2.
async fn furnish(w: &common::World, n: i64) {
    let db = &w.db;
    for flat in 2..=n + 1 {
        let p = premise::create(
            db,
            &premise::Premise {
                company_id: w.a.company_id,
                object_id: w.a.object_id,
                number: flat.to_string(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let mut m = meter::Meter::new(
            w.a.company_id,
            w.a.object_id,
            Resource::ColdWater,
            "Пульсар",
            &format!("W{flat:05}"),
            DigitCapacity::new(5, 3).unwrap(),
        );
        m.premise_id = Some(p.id);
        m.placement = Placement::Individual;
        m.bus_address = flat.to_string();
        let m = meter::create(db, &m).await.unwrap();
        let ch = fixtures::main_channel(&w.db, &m).await;
        let value = Decimal::from(flat) * d("1.5");
        reading::insert_many(
            db,
            &[daily(
                w.a.company_id,
                ch,
                DAY,
                [Some(&value.to_string()), None, None, None, None],
            )],
        )
        .await
        .unwrap();
        if flat == 2 {
            let mut e = meter::Meter::new(
                w.a.company_id,
                w.a.object_id,
                Resource::Electricity,
                "Меркурий 230",
                "E-2",
                DigitCapacity::new(6, 2).unwrap(),
            );
            e.premise_id = Some(p.id);
            e.placement = Placement::Individual;
            e.tariffs = 2;
            let e = meter::create(db, &e).await.unwrap();
            let ch = fixtures::main_channel(&w.db, &e).await;
            reading::insert_many(
                db,
                &[daily(
                    w.a.company_id,
                    ch,
                    DAY,
                    [
                        Some("1500.25"),
                        Some("1000.125"),
                        Some("500.125"),
                        None,
                        None,
                    ],
                )],
            )
            .await
            .unwrap();
        }
    }
}

async fn table(w: &common::World, cookie: &str, query: &str) -> ReadingsPage {
    let (status, text, _) = common::call(&w.app, "readings_table", query, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

both_backends!(water_readings_page_sort_and_search_on_the_server, |w| {
    furnish(w, 30).await;
    let cookie = w.cookie(Role::Dispatcher);
    let base = format!(
        "query[object]={}&query[date]=2026-11-20&query[resource]=water",
        w.a.object_id
    );
    let first = table(w, cookie, &base).await;
    assert_eq!((first.total, first.pages, first.rows.len()), (30, 2, 25));
    assert_eq!(first.rows[0].flat, "2", "flats sort as numbers");
    assert_eq!(first.rows[0].value, Some(d("3.0")));
    assert_eq!(first.rows[0].code, "2");

    let second = table(w, cookie, &format!("{base}&query[page]=2")).await;
    assert_eq!(second.rows.len(), 5);
    assert_eq!(second.rows.last().unwrap().flat, "31");

    let by_value = table(
        w,
        cookie,
        &format!("{base}&query[sort]=value&query[descending]=true"),
    )
    .await;
    assert_eq!(by_value.rows[0].value, Some(d("46.5")));

    let found = table(w, cookie, &format!("{base}&query[search]=W00017")).await;
    assert_eq!(found.total, 1);
    assert_eq!(found.rows[0].flat, "17");

    let before = table(
        w,
        cookie,
        &format!(
            "query[object]={}&query[date]=2026-11-19&query[resource]=water",
            w.a.object_id
        ),
    )
    .await;
    assert!(
        before.rows.iter().all(|r| r.value.is_none()),
        "nothing was read before 20.11"
    );
});

both_backends!(a_two_tariff_meter_shows_a_row_per_tariff, |w| {
    furnish(w, 1).await;
    let page = table(
        w,
        w.cookie(Role::Reader),
        &format!(
            "query[object]={}&query[date]=2026-11-20&query[type]=flats",
            w.a.object_id
        ),
    )
    .await;
    let rows: Vec<(String, u8, Option<Decimal>)> = page
        .rows
        .iter()
        .filter(|r| r.serial == "E-2")
        .map(|r| (r.flat.clone(), r.tariff, r.value))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("2".to_string(), 1, Some(d("1000.125"))),
            ("2".to_string(), 2, Some(d("500.125")))
        ]
    );
    assert_eq!(page.meters, 2, "the fixture's meter and the two-tariff one");
});

both_backends!(the_column_choice_is_remembered_for_the_user, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    let page = table(w, cookie, "").await;
    assert!(page.columns.contains(&ReadingsColumn::Address));
    let (status, _, _) = common::call(
        &w.app,
        "save_readings_columns",
        "columns[0]=flat&columns[1]=serial&columns[2]=code&columns[3]=value",
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let page = table(w, cookie, "").await;
    assert_eq!(
        page.columns,
        vec![
            ReadingsColumn::Flat,
            ReadingsColumn::Serial,
            ReadingsColumn::Code,
            ReadingsColumn::Value
        ]
    );
    let reader = table(w, w.cookie(Role::Reader), "").await;
    assert!(
        reader.columns.contains(&ReadingsColumn::Address),
        "another user keeps theirs"
    );
});

both_backends!(
    another_companys_building_is_not_found_and_field_staff_cannot_browse,
    |w| {
        let (_, text, _) = common::call(
            &w.app,
            "readings_table",
            &format!("query[object]={}", w.a.object_id),
            Some(&w.b_dispatcher),
        )
        .await;
        assert_eq!(common::error_of(&text), Some(AppError::NotFound));
        let (_, text, _) = common::call(
            &w.app,
            "readings_table",
            "",
            Some(w.cookie(Role::FieldStaff)),
        )
        .await;
        assert_eq!(common::error_of(&text), Some(AppError::Forbidden));
        let (status, _, _) = common::get(
            &w.app,
            &format!("/export/readings.xlsx?object={}", w.a.object_id),
            Some(&w.b_dispatcher),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, text, _) = common::get(&w.app, "/export/readings.csv", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(text.contains("не вошли"), "{text}");
    }
);

both_backends!(the_files_hold_every_filtered_row_of_every_page, |w| {
    furnish(w, 30).await;
    let query = format!(
        "object={}&date=2026-11-20&resource=water&sort=value&desc=1",
        w.a.object_id
    );
    let (status, csv, _) = common::get(
        &w.app,
        &format!("/export/readings.csv?{query}"),
        Some(w.cookie(Role::Reader)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("№ кв")).unwrap();
    let rows = &lines[header + 1..];
    assert_eq!(rows.len(), 30, "all pages, not one");
    assert!(rows[0].starts_with("31;"), "{}", rows[0]);
    // a water meter has one register: no tariff; nothing waits for a check
    assert!(rows[0].ends_with(";46,5;20.11.2026;—;"), "{}", rows[0]);

    let (status, xlsx, _) = common::get(
        &w.app,
        &format!("/export/readings.xlsx?{query}"),
        Some(w.cookie(Role::Reader)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(xlsx.starts_with("PK"), "a zip file");
});

both_backends!(the_page_is_rendered_on_the_server_with_its_readings, |w| {
    furnish(w, 3).await;
    let (status, html, _) = common::get(
        &w.app,
        &format!(
            "/readings?object={}&date=2026-11-20&resource=water",
            w.a.object_id
        ),
        Some(w.cookie(Role::Dispatcher)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Показания приборов учёта"));
    assert!(html.contains("W00003"));
    assert!(html.contains("4,5"), "values written the Russian way");
    assert!(html.contains("/export/readings.xlsx?object="));
});

/// Local midnight of a November 2026 day in Moscow.
fn nov(day: i64) -> i64 {
    DAY + (day - 20) * 86_400
}

both_backends!(
    the_meter_page_counts_days_across_a_rollover_and_marks_gaps,
    |w| {
        let mut m = meter::Meter::new(
            w.a.company_id,
            w.a.object_id,
            Resource::ColdWater,
            "Пульсар",
            "R-5",
            DigitCapacity::new(5, 3).unwrap(),
        );
        m.placement = Placement::Common;
        let m = meter::create(&w.db, &m).await.unwrap();
        let ch = fixtures::main_channel(&w.db, &m).await;
        let at = |day: i64, v: &str| {
            daily(
                w.a.company_id,
                ch,
                nov(day),
                [Some(v), None, None, None, None],
            )
        };
        // 1 → 2 → 3 normal, 3 → 4 rolls over at 99 999, no reading at the start of the 6th
        reading::insert_many(
            &w.db,
            &[
                at(1, "99990.5"),
                at(2, "99994"),
                at(3, "99998"),
                at(4, "3.25"),
                at(5, "4"),
                at(7, "10"),
            ],
        )
        .await
        .unwrap();
        let (status, text, _) = common::call(
            &w.app,
            "meter_card",
            &format!("id={}&month=2026-11-01", m.id),
            Some(w.cookie(Role::Reader)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let card: app::models::meter_card::MeterCard = serde_json::from_str(&text).unwrap();
        let total = |i: usize| card.days[i].amounts[0];
        use app::models::Amount;
        assert_eq!(card.days.len(), 30);
        assert_eq!(total(0), Amount::Full(d("3.5")));
        assert_eq!(
            total(2),
            Amount::Full(d("5.25")),
            "99 998 → 3,25 is 5,25, not −99 994,75"
        );
        assert_eq!(total(3), Amount::Full(d("0.75")));
        assert_eq!(
            total(4),
            Amount::NoData,
            "the 6th has no reading at its start"
        );
        assert_eq!(total(5), Amount::NoData);
        assert_eq!(total(6), Amount::NoData, "nothing after the 7th");
        assert_eq!(
            card.month_total[0],
            Amount::Partial(d("19.5")),
            "the known part, marked partial"
        );
        assert_eq!(card.readings.len(), 6);

        let (_, text, _) = common::call(
            &w.app,
            "meter_card",
            &format!("id={}", m.id),
            Some(&w.b_dispatcher),
        )
        .await;
        assert_eq!(
            common::error_of(&text),
            Some(AppError::NotFound),
            "another company's meter"
        );
        let (_, html, _) = common::get(
            &w.app,
            &format!("/meters/{}?month=2026-11", m.id),
            Some(w.cookie(Role::Dispatcher)),
        )
        .await;
        assert!(
            html.contains("5,25"),
            "the page is rendered with its numbers"
        );
        assert!(html.contains("–*"), "gaps are shown as the seeds do");
    }
);
