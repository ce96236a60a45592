//! Readings typed by people, over real HTTP on both databases: digits within the meter's
//! capacity, one storage per device-made id however often it arrives, partial refusals,
//! readings that went down flagged for dispatchers, and the walls between roles and companies.

use crate::common;

use app::errors::AppError;
use app::models::capacity::DigitCapacity;
use app::models::entry::{EntryProblem, EntryResult};
use app::models::{Placement, Resource, Role};
use app::storage::meter;
use app::storage::reading::{self, flags, Period, Source};
use app::storage::testing::fixtures;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use tower::ServiceExt;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn send(w: &common::World, cookie: &str, entries: serde_json::Value) -> (StatusCode, String) {
    let req = Request::post("/api/submit_readings")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(json!({ "entries": entries }).to_string()))
        .unwrap();
    let resp = w.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).to_string())
}

async fn results(w: &common::World, cookie: &str, entries: serde_json::Value) -> Vec<EntryResult> {
    let (status, text) = send(w, cookie, entries).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn one(id: &str, meter_id: i64, tariff: u8, text: &str) -> serde_json::Value {
    json!({ "entry_id": id, "meter_id": meter_id, "values": [{ "tariff": tariff, "text": text }], "typed_at": null })
}

/// The meter's row in company A's water readings table, as `cookie` sees it.
async fn water_row(
    w: &common::World,
    cookie: &str,
    meter_id: i64,
) -> app::models::readings_table::ReadingsRow {
    let (_, text, _) = common::call(
        &w.app,
        "readings_table",
        &format!("query[object]={}&query[resource]=water", w.a.object_id),
        Some(cookie),
    )
    .await;
    let page: app::models::readings_table::ReadingsPage = serde_json::from_str(&text).unwrap();
    page.rows
        .into_iter()
        .find(|r| r.meter_id == meter_id)
        .unwrap()
}

/// The dispatcher's entry form of company A's account.
async fn entry_sheet_a(w: &common::World, cookie: &str) -> app::models::entry::EntrySheet {
    let (status, text, _) = common::call(
        &w.app,
        "entry_sheet",
        &format!("account={}", common::ACCOUNT_A),
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let sheet: Option<app::models::entry::EntrySheet> = serde_json::from_str(&text).unwrap();
    sheet.expect("the account exists")
}

/// A five-digit water meter in company A's flat.
async fn water_meter(w: &common::World) -> (i64, i64) {
    let mut m = meter::Meter::new(
        w.a.company_id,
        w.a.object_id,
        Resource::ColdWater,
        "Пульсар",
        "W-5",
        DigitCapacity::new(5, 3).unwrap(),
    );
    m.premise_id = Some(w.a.premise_id);
    m.placement = Placement::Individual;
    let m = meter::create(&w.db, &m).await.unwrap();
    (m.id, fixtures::main_channel(&w.db, &m).await)
}

both_backends!(an_entry_is_stored_once_however_often_it_is_sent, |w| {
    let (meter_id, channel_id) = water_meter(w).await;
    let cookie = w.cookie(Role::FieldStaff);
    let batch = json!([one("phone-1:1", meter_id, 0, "123,456")]);
    let first = results(w, cookie, batch.clone()).await;
    assert!(
        first[0].stored && !first[0].duplicate && first[0].refused.is_empty(),
        "{first:?}"
    );
    for _ in 0..3 {
        let again = results(w, cookie, batch.clone()).await;
        assert!(again[0].duplicate && !again[0].stored);
    }
    let stored = reading::list(
        &w.db,
        w.a.company_id,
        channel_id,
        Period::Instant,
        0,
        i64::MAX,
    )
    .await
    .unwrap();
    assert_eq!(stored.len(), 1, "one reading for one entry");
    let r = &stored[0];
    assert_eq!(r.total, Some(d("123.456")));
    assert_eq!(r.source, Source::FieldStaff);
    assert_eq!(r.entered_by, Some(w.user_id(Role::FieldStaff)));
});

both_backends!(
    a_resent_queue_mixed_with_new_entries_stores_each_entry_once,
    |w| {
        let (meter_id, channel_id) = water_meter(w).await;
        let cookie = w.cookie(Role::FieldStaff);
        let first = results(w, cookie, json!([one("phone-2:1", meter_id, 0, "100")])).await;
        assert!(first[0].stored, "{first:?}");
        // the old entry again, a new one twice in the same send, and another meter's new one
        let got = results(
            w,
            cookie,
            json!([
                one("phone-2:1", meter_id, 0, "100"),
                one("phone-2:2", meter_id, 0, "101"),
                one("phone-2:2", meter_id, 0, "101"),
                one("phone-2:3", w.a.meter_id, 0, "5"),
            ]),
        )
        .await;
        let fate: Vec<(bool, bool)> = got.iter().map(|r| (r.stored, r.duplicate)).collect();
        assert_eq!(
            fate,
            vec![(false, true), (true, false), (false, true), (true, false)],
            "{got:?}"
        );
        let stored = reading::list(&w.db, w.a.company_id, channel_id, Period::Instant, 0, i64::MAX)
            .await
            .unwrap();
        let values: Vec<Option<Decimal>> = stored.iter().map(|r| r.total).collect();
        assert_eq!(values, vec![Some(d("100")), Some(d("101"))]);
        assert_eq!(
            reading::get_count(&w.db, w.a.company_id, w.a.channel_id)
                .await
                .unwrap(),
            1
        );
    }
);

both_backends!(
    six_digits_in_a_five_digit_meter_are_refused_and_the_rest_kept,
    |w| {
        let (meter_id, channel_id) = water_meter(w).await;
        let got = results(
            w,
            w.cookie(Role::FieldStaff),
            json!([
                one("p:a", meter_id, 0, "123456"),
                one("p:b", w.a.meter_id, 0, "1500,25"),
                one("p:c", meter_id, 0, "12,5x"),
            ]),
        )
        .await;
        assert_eq!(
            got[0].refused[0].problem,
            EntryProblem::TooManyIntegerDigits { max: 5 }
        );
        assert!(!got[0].stored);
        assert!(
            got[1].stored,
            "the electricity value in the same send is kept"
        );
        assert_eq!(got[2].refused[0].problem, EntryProblem::NotANumber);
        assert_eq!(
            reading::get_count(&w.db, w.a.company_id, channel_id)
                .await
                .unwrap(),
            0
        );
    }
);

both_backends!(
    a_dispatcher_entry_lower_than_the_previous_is_stored_and_flagged,
    |w| {
        let (meter_id, _) = water_meter(w).await;
        let cookie = w.cookie(Role::Dispatcher);
        let t0 = app::storage::now() - 3 * 86_400;
        let first = results(
        w,
        cookie,
        json!([{ "entry_id": "desk:1", "meter_id": meter_id, "values": [{ "tariff": 0, "text": "500" }], "typed_at": t0 }]),
    )
    .await;
        assert_eq!(first[0].flags, 0);
        let lower = results(w, cookie, json!([one("desk:2", meter_id, 0, "499,5")])).await;
        assert!(lower[0].stored, "nothing entered is dropped");
        assert_eq!(lower[0].flags, flags::DECREASED | flags::NEEDS_CONFIRMATION);
        // the readings table keeps the confirmed value and shows the flagged one beside it
        let row = water_row(w, cookie, meter_id).await;
        assert_eq!(row.value, Some(d("500")), "a value waiting for a check is not current");
        let waiting = row.waiting.expect("the flagged value is shown");
        assert_eq!(waiting.value, d("499.5"));
        assert_ne!(waiting.flags & flags::DECREASED, 0);
        // until a dispatcher confirms it, the flagged value is not the yardstick of the next entry
        let sheet = entry_sheet_a(w, cookie).await;
        let water = sheet
            .meters
            .iter()
            .find(|m| m.meter_id == meter_id)
            .unwrap();
        assert_eq!(water.registers[0].last, Some(d("500")));
        assert_eq!(water.registers[0].waiting, Some(d("499.5")), "and the entry form shows it marked");
    }
);

both_backends!(
    a_two_tariff_entry_adds_up_its_total_and_keeps_a_good_tariff_beside_a_bad_one,
    |w| {
        let mut m = meter::Meter::new(
            w.a.company_id,
            w.a.object_id,
            Resource::Electricity,
            "Меркурий 230",
            "E-T2",
            DigitCapacity::new(6, 2).unwrap(),
        );
        m.tariffs = 2;
        let m = meter::create(&w.db, &m).await.unwrap();
        let ch_id = fixtures::main_channel(&w.db, &m).await;
        let cookie = w.cookie(Role::Dispatcher);
        let both = results(
        w,
        cookie,
        json!([{ "entry_id": "t:1", "meter_id": m.id, "values": [{ "tariff": 1, "text": "1000,25" }, { "tariff": 2, "text": "500,5" }], "typed_at": null }]),
    )
    .await;
        assert!(both[0].stored);
        let r = reading::latest(&w.db, w.a.company_id, ch_id, Period::Instant, i64::MAX)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.total, Some(d("1500.75")));
        assert_eq!(r.tariffs[..2], [Some(d("1000.25")), Some(d("500.5"))]);
        let half = results(
        w,
        cookie,
        json!([{ "entry_id": "t:2", "meter_id": m.id, "values": [{ "tariff": 1, "text": "1001" }, { "tariff": 2, "text": "5000000,5" }, { "tariff": 3, "text": "1" }], "typed_at": null }]),
    )
    .await;
        assert!(half[0].stored);
        let problems: Vec<(u8, EntryProblem)> = half[0]
            .refused
            .iter()
            .map(|r| (r.tariff, r.problem))
            .collect();
        assert_eq!(
            problems,
            vec![
                (2, EntryProblem::TooManyIntegerDigits { max: 6 }),
                (3, EntryProblem::NoSuchTariff)
            ]
        );
    }
);

both_backends!(
    readers_cannot_enter_and_another_companys_meter_is_unknown,
    |w| {
        let (status, text) = send(
            w,
            w.cookie(Role::Reader),
            json!([one("r:1", w.a.meter_id, 0, "1")]),
        )
        .await;
        assert_eq!(
            common::error_of(&text),
            Some(AppError::Forbidden),
            "{status} {text}"
        );
        let got = results(
            w,
            &w.b_dispatcher,
            json!([one("b:1", w.a.meter_id, 0, "1")]),
        )
        .await;
        assert_eq!(got[0].refused[0].problem, EntryProblem::UnknownMeter);
        assert!(!got[0].stored);
        assert_eq!(
            reading::get_count(&w.db, w.a.company_id, w.a.channel_id)
                .await
                .unwrap(),
            0
        );
    }
);

both_backends!(the_entry_form_shows_the_last_and_the_expected_value, |w| {
    let (meter_id, _) = water_meter(w).await;
    let cookie = w.cookie(Role::Dispatcher);
    let now = app::storage::now();
    for (id, days_ago, text) in [("s:1", 20, "100"), ("s:2", 10, "110")] {
        let got = results(
            w,
            cookie,
            json!([{ "entry_id": id, "meter_id": meter_id, "values": [{ "tariff": 0, "text": text }], "typed_at": now - days_ago * 86_400 }]),
        )
        .await;
        assert!(got[0].stored);
    }
    let sheet = entry_sheet_a(w, cookie).await;
    let water = sheet
        .meters
        .iter()
        .find(|m| m.meter_id == meter_id)
        .unwrap();
    let reg = &water.registers[0];
    assert_eq!(reg.tariff, 0);
    assert_eq!(reg.last, Some(d("110")));
    // one a day for ten more days: about 120, cut to the meter's three fraction digits
    let expected = reg.expected.unwrap();
    assert!(
        expected >= d("119.99") && expected <= d("120.01"),
        "{expected}"
    );
    assert!(expected.scale() <= 3);
    // an unknown account is an answer, not an error
    let (status, text, _) = common::call(&w.app, "entry_sheet", "account=nope", Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(serde_json::from_str::<Option<app::models::entry::EntrySheet>>(&text).unwrap(), None);
});

both_backends!(
    two_entries_of_one_meter_in_one_send_are_both_stored_and_the_second_is_checked_against_the_first,
    |w| {
        let (meter_id, channel_id) = water_meter(w).await;
        let t0 = app::storage::now() - 3_600;
        let got = results(
            w,
            w.cookie(Role::FieldStaff),
            json!([
                { "entry_id": "walk:1", "meter_id": meter_id, "values": [{ "tariff": 0, "text": "500" }], "typed_at": t0 },
                { "entry_id": "walk:2", "meter_id": meter_id, "values": [{ "tariff": 0, "text": "499" }], "typed_at": t0 + 60 },
                { "entry_id": "walk:4", "meter_id": meter_id, "values": [{ "tariff": 0, "text": "501" }], "typed_at": t0 + 60 },
                one("walk:3", w.a.meter_id, 0, "10"),
            ]),
        )
        .await;
        assert!(got.iter().all(|r| r.stored), "{got:?}");
        assert_eq!(got[0].flags, 0);
        assert_eq!(
            got[1].flags,
            flags::DECREASED | flags::NEEDS_CONFIRMATION,
            "the second value went down from the first of the same send"
        );
        let stored = reading::list(&w.db, w.a.company_id, channel_id, Period::Instant, 0, i64::MAX)
            .await
            .unwrap();
        assert_eq!(stored.len(), 3);
        assert_eq!(
            stored.iter().map(|r| r.ts - t0).collect::<Vec<_>>(),
            vec![0, 60, 61],
            "two entries in the same second are stored a second apart"
        );
    }
);

both_backends!(
    a_dispatcher_confirms_or_rejects_a_flagged_reading_and_only_dispatchers_may,
    |w| {
        let (meter_id, channel_id) = water_meter(w).await;
        let desk = w.cookie(Role::Dispatcher);
        let t0 = app::storage::now() - 3 * 86_400;
        results(
            w,
            desk,
            json!([{ "entry_id": "r:1", "meter_id": meter_id, "values": [{ "tariff": 0, "text": "500" }], "typed_at": t0 }]),
        )
        .await;
        let low = results(w, desk, json!([one("r:2", meter_id, 0, "400")])).await;
        assert_ne!(low[0].flags & flags::NEEDS_CONFIRMATION, 0);
        let flagged = reading::latest(&w.db, w.a.company_id, channel_id, Period::Instant, i64::MAX)
            .await
            .unwrap()
            .unwrap();
        let body = |accept: bool| {
            format!(
                "meter_id={meter_id}&period=0&ts={}&accept={accept}",
                flagged.ts
            )
        };
        for role in [Role::Reader, Role::FieldStaff, Role::Resident] {
            let (_, text, _) =
                common::call(&w.app, "review_reading", &body(false), Some(w.cookie(role))).await;
            assert_eq!(
                common::error_of(&text),
                Some(AppError::Forbidden),
                "{role:?}"
            );
        }
        let (_, text, _) = common::call(
            &w.app,
            "review_reading",
            &body(false),
            Some(w.b_dispatcher.as_str()),
        )
        .await;
        assert_eq!(
            common::error_of(&text),
            Some(AppError::NotFound),
            "another company's meter"
        );

        let (_, text, _) = common::call(&w.app, "review_reading", &body(false), Some(desk)).await;
        assert_eq!(common::error_of(&text), None, "{text}");
        let row = water_row(w, desk, meter_id).await;
        assert_eq!(
            row.value,
            Some(d("500")),
            "a rejected value is not the current reading"
        );
        let (_, text, _) = common::call(&w.app, "review_reading", &body(true), Some(desk)).await;
        assert_eq!(
            common::error_of(&text),
            Some(AppError::NotFound),
            "a rejected reading waits for nothing more"
        );

        // a second low value, confirmed: it counts from now on
        let again = results(w, desk, json!([one("r:3", meter_id, 0, "450")])).await;
        assert_ne!(again[0].flags & flags::NEEDS_CONFIRMATION, 0);
        let latest = reading::latest(&w.db, w.a.company_id, channel_id, Period::Instant, i64::MAX)
            .await
            .unwrap()
            .unwrap();
        let confirm = format!("meter_id={meter_id}&period=0&ts={}&accept=true", latest.ts);
        let (_, text, _) = common::call(&w.app, "review_reading", &confirm, Some(desk)).await;
        assert_eq!(common::error_of(&text), None, "{text}");
        let stored = reading::latest(&w.db, w.a.company_id, channel_id, Period::Instant, i64::MAX)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.flags & flags::NEEDS_CONFIRMATION, 0);
        assert_ne!(
            stored.flags & flags::DECREASED,
            0,
            "why it was flagged stays on record"
        );
        let log = app::storage::audit::list(&w.db, w.a.company_id, 10)
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.contains(&"reading.reject") && actions.contains(&"reading.confirm"),
            "{actions:?}"
        );
    }
);

both_backends!(an_entry_with_more_values_than_a_meter_has_is_refused_and_stores_nothing, |w| {
    let (meter_id, channel_id) = water_meter(w).await;
    let cookie = w.cookie(Role::FieldStaff);
    let values: Vec<serde_json::Value> = (0..50).map(|t| json!({ "tariff": t % 5, "text": "1" })).collect();
    let got = results(w, cookie, json!([{ "entry_id": "many", "meter_id": meter_id, "values": values, "typed_at": null }])).await;
    assert!(!got[0].stored && !got[0].refused.is_empty(), "{got:?}");
    assert!(got[0].refused.len() <= 5, "the answer stays small");
    let long = "1".repeat(10_000);
    let got = results(w, cookie, json!([one("long", meter_id, 0, &long)])).await;
    assert!(!got[0].stored);
    assert_eq!(reading::get_count(&w.db, w.a.company_id, channel_id).await.unwrap(), 0);
});
