//! The open API (`/api/v1`) over real HTTP on both databases: its document, tokens and their
//! company walls, revocation, posting readings once, paging, the pace limit and the log.

use crate::common;

use app::models::api::ApiScope;
use app::storage::reading::{Period, Source};
use app::storage::testing::fixtures;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use tower::ServiceExt;

/// A call to the API: status, content type and the body as JSON (null when not JSON).
async fn api(app: &Router, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, String, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let resp = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = resp.status();
    let kind = resp.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20).await.unwrap();
    (status, kind, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn token(w: &common::World, company_id: i64, name: &str, scope: ApiScope) -> String {
    app::auth::api_token::issue(&w.db, company_id, name, scope, None).await.unwrap().token
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

both_backends!(the_document_is_openapi_3_1_and_every_path_in_it_is_served_behind_a_token, |w| {
    let (status, kind, doc) = api(&w.app, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("application/json"), "{kind}");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let spec = oas3::from_json(doc.to_string()).expect("the document reads as OpenAPI 3.1");
    assert_eq!(spec.info.title, "Учёт — открытый API");
    let paths = doc["paths"].as_object().unwrap();
    for p in ["/buildings", "/buildings/{id}/premises", "/meters", "/readings", "/consumption", "/billing/runs", "/billing/runs/{id}/file"] {
        assert!(paths.contains_key(p), "{p} is documented");
    }
    assert!(doc.pointer("/components/securitySchemes/token").is_some());
    // every documented operation exists: without a token it answers 401, never 404
    for (path, item) in paths {
        for method in ["get", "post"] {
            if item.get(method).is_some() {
                let uri = format!("/api/v1{}", path.replace("{id}", "1"));
                let (status, kind, problem) = api(&w.app, &method.to_uppercase(), &uri, None, None).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri}");
                assert_eq!(kind, "application/problem+json");
                assert_eq!(problem["type"], "urn:uchet:problem:unauthorized");
                assert_eq!(problem["status"], 401);
            }
        }
    }
    // the reference page is written from the same document
    let (status, html, _) = common::get(&w.app, "/api/v1/docs", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Учёт — открытый API") && html.contains("/api/v1/readings") && html.contains("PostReadings"), "{html}");
    // an address the API does not have is a problem too, not a page
    let t = token(w, w.a.company_id, "1С", ApiScope::Read).await;
    let (status, kind, _) = api(&w.app, "GET", "/api/v1/nothing", Some(&t), None).await;
    assert_eq!((status, kind.as_str()), (StatusCode::NOT_FOUND, "application/problem+json"));
});

both_backends!(a_call_without_a_working_token_gets_401_in_the_clients_language, |w| {
    for bad in [None, Some("nonsense"), Some("uchet_0000")] {
        let (status, _, problem) = api(&w.app, "GET", "/api/v1/buildings", bad, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad:?}");
        assert_eq!(problem["title"], "Нужен действующий токен API");
    }
    let req = Request::get("/api/v1/buildings")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .body(Body::empty())
        .unwrap();
    let resp = w.app.clone().oneshot(req).await.unwrap();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    let problem: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(problem["title"], "A valid API token is required");
});

both_backends!(a_token_of_company_a_sees_nothing_of_company_b, |w| {
    let t = token(w, w.a.company_id, "1С", ApiScope::Write).await;
    let (status, _, buildings) = api(&w.app, "GET", "/api/v1/buildings", Some(&t), None).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<i64> = buildings.as_array().unwrap().iter().map(|b| b["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![w.a.object_id]);
    assert_eq!(buildings[0]["meters"], 1);
    let (_, _, meters) = api(&w.app, "GET", "/api/v1/meters", Some(&t), None).await;
    let ids: Vec<i64> = meters["items"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![w.a.meter_id]);
    assert_eq!(meters["items"][0]["digits_integer"], 6);
    let (_, _, premises) = api(&w.app, "GET", &format!("/api/v1/buildings/{}/premises", w.a.object_id), Some(&t), None).await;
    assert_eq!(premises[0]["accounts"][0]["number"], common::ACCOUNT_A);
    let b = &w.b;
    for uri in [
        format!("/api/v1/buildings/{}/premises", b.object_id),
        format!("/api/v1/readings?building={}", b.object_id),
        format!("/api/v1/readings?meter={}", b.meter_id),
        format!("/api/v1/consumption?building={}&month=2026-11", b.object_id),
    ] {
        let (status, _, problem) = api(&w.app, "GET", &uri, Some(&t), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(problem["type"], "urn:uchet:problem:not-found");
    }
    let (_, _, meters) = api(&w.app, "GET", &format!("/api/v1/meters?building={}", b.object_id), Some(&t), None).await;
    assert_eq!(meters["items"], json!([]));
    // another company's meter is unknown to the token: nothing is written to it
    let post = json!({"readings": [{"client_id": "x-1", "meter_id": b.meter_id, "values": [{"tariff": 0, "value": "10"}]}]});
    let (status, _, answer) = api(&w.app, "POST", "/api/v1/readings", Some(&t), Some(post)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["results"][0]["refused"][0]["problem"], "unknown_meter");
    assert_eq!(app::storage::reading::get_count(&w.db, b.company_id, b.channel_id).await.unwrap(), 0);
});

both_backends!(a_revoked_token_stops_working_at_once, |w| {
    let made = app::auth::api_token::issue(&w.db, w.a.company_id, "АРКУС", ApiScope::Read, None).await.unwrap();
    let (status, _, _) = api(&w.app, "GET", "/api/v1/buildings", Some(&made.token), None).await;
    assert_eq!(status, StatusCode::OK);
    // another company cannot revoke it
    assert!(!app::storage::api_token::revoke(&w.db, w.b.company_id, made.row.id).await.unwrap());
    let (status, _, _) = api(&w.app, "GET", "/api/v1/buildings", Some(&made.token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(app::storage::api_token::revoke(&w.db, w.a.company_id, made.row.id).await.unwrap());
    let (status, _, _) = api(&w.app, "GET", "/api/v1/buildings", Some(&made.token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let listed = app::storage::api_token::list(&w.db, w.a.company_id).await.unwrap();
    assert!(listed[0].revoked_at.is_some() && listed[0].last_used_at.is_some());
    assert!(!listed[0].hint.is_empty() && made.token.starts_with(&listed[0].hint));
});

both_backends!(posted_readings_are_checked_stored_once_and_read_back_exactly, |w| {
    let t = token(w, w.a.company_id, "1С", ApiScope::Write).await;
    let now = chrono::Utc::now();
    let at = (now - chrono::Duration::hours(2)).to_rfc3339();
    let post = json!({"readings": [
        {"client_id": "1c-001", "meter_id": w.a.meter_id, "taken_at": at, "values": [{"tariff": 0, "value": "012345,67"}]},
        {"client_id": "1c-002", "meter_id": w.a.meter_id, "values": [{"tariff": 0, "value": "1234567"}]},
        {"client_id": "1c-003", "meter_id": w.a.meter_id, "taken_at": (now - chrono::Duration::days(100)).to_rfc3339(), "values": [{"tariff": 0, "value": "12346"}]},
        {"client_id": "1c-004", "meter_id": w.a.meter_id, "taken_at": "вчера", "values": [{"tariff": 0, "value": "12346"}]},
    ]});
    let (status, _, answer) = api(&w.app, "POST", "/api/v1/readings", Some(&t), Some(post.clone())).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!((answer["sent"].as_i64(), answer["stored"].as_i64(), answer["refused"].as_i64()), (Some(4), Some(1), Some(3)), "{answer}");
    let r = &answer["results"];
    assert_eq!(r[0]["status"], "stored");
    assert_eq!(r[1]["refused"][0]["problem"], "too_many_integer_digits");
    assert!(r[1]["refused"][0]["message"].as_str().unwrap().contains('6'), "{}", r[1]);
    assert_eq!(r[2]["refused"][0]["problem"], "taken_at_out_of_range");
    assert_eq!(r[3]["refused"][0]["problem"], "bad_taken_at");
    // the same call again stores nothing twice
    let (_, _, again) = api(&w.app, "POST", "/api/v1/readings", Some(&t), Some(post)).await;
    assert_eq!(again["results"][0]["status"], "duplicate");
    assert_eq!(again["stored"], 0);
    assert_eq!(app::storage::reading::get_count(&w.db, w.a.company_id, w.a.channel_id).await.unwrap(), 1);
    // read back: the exact value, from the API
    let (_, _, page) = api(&w.app, "GET", &format!("/api/v1/readings?meter={}", w.a.meter_id), Some(&t), None).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["total"], "12345.67");
    assert_eq!(items[0]["source"], "api");
    assert_eq!(items[0]["period"], "instant");
    let stored = app::storage::reading::list(&w.db, w.a.company_id, w.a.channel_id, Period::Instant, 0, i64::MAX).await.unwrap();
    assert_eq!((stored[0].total, stored[0].source, stored[0].entered_by), (Some(d("12345.67")), Source::Api, None));
    // a read token may not post; numbers instead of strings and too many readings are refused
    let read = token(w, w.a.company_id, "Отчёты", ApiScope::Read).await;
    let one = json!({"readings": [{"client_id": "r-1", "meter_id": w.a.meter_id, "values": [{"tariff": 0, "value": "12346"}]}]});
    let (status, _, problem) = api(&w.app, "POST", "/api/v1/readings", Some(&read), Some(one)).await;
    assert_eq!((status, problem["type"].as_str()), (StatusCode::FORBIDDEN, Some("urn:uchet:problem:read-only-token")));
    let numbers = json!({"readings": [{"client_id": "n-1", "meter_id": w.a.meter_id, "values": [{"tariff": 0, "value": 12346.5}]}]});
    let (status, kind, _) = api(&w.app, "POST", "/api/v1/readings", Some(&t), Some(numbers)).await;
    assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, "application/problem+json"));
    let many: Vec<Value> = (0..10_001).map(|i| json!({"client_id": format!("m-{i}"), "meter_id": w.a.meter_id, "values": []})).collect();
    let (status, _, problem) = api(&w.app, "POST", "/api/v1/readings", Some(&t), Some(json!({ "readings": many }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(app::storage::reading::get_count(&w.db, w.a.company_id, w.a.channel_id).await.unwrap(), 1);
});

both_backends!(paging_through_readings_gives_each_once_in_key_order, |w| {
    let t = token(w, w.a.company_id, "1С", ApiScope::Read).await;
    let day = 86_400;
    let start = app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    let readings: Vec<_> = (0..7)
        .map(|i| fixtures::polled(w.a.company_id, w.a.channel_id, Period::Day, start + i * day, Decimal::from(100 + i)))
        .chain((0..3).map(|i| fixtures::polled(w.a.company_id, w.a.channel_id, Period::Instant, start + i * day + 3600, Decimal::from(100 + i))))
        .collect();
    app::storage::reading::insert_many(&w.db, &readings).await.unwrap();
    let mut seen = Vec::new();
    let mut cursor = String::new();
    for _ in 0..20 {
        let uri = format!("/api/v1/readings?building={}&from=2026-10-01&to=2026-10-31&period=all&limit=3&cursor={cursor}", w.a.object_id);
        let (status, _, page) = api(&w.app, "GET", &uri, Some(&t), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for r in page["items"].as_array().unwrap() {
            seen.push((r["period"].as_str().unwrap().to_string(), r["at"].as_str().unwrap().to_string()));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 10, "{seen:?}");
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), 10);
    // instants (period 0) come before the daily archive (period 2), each in time order
    assert!(seen[..3].iter().all(|(p, _)| p == "instant") && seen[3..].iter().all(|(p, _)| p == "day"));
    assert_eq!(seen[0].1, "2026-10-01T01:00:00+03:00");
    // the default is meter readings only; a span ending before it started is refused
    let (_, _, page) = api(&w.app, "GET", &format!("/api/v1/readings?building={}&from=2026-10-01&to=2026-10-31", w.a.object_id), Some(&t), None).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let (status, _, _) = api(&w.app, "GET", &format!("/api/v1/readings?building={}&from=2026-10-31&to=2026-10-01", w.a.object_id), Some(&t), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for bad in ["from=01.10.2026", "period=week", "cursor=abc", "building=x"] {
        let (status, kind, _) = api(&w.app, "GET", &format!("/api/v1/readings?building={}&{bad}", w.a.object_id), Some(&t), None).await;
        assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, "application/problem+json"), "{bad}");
    }
    let (status, _, _) = api(&w.app, "GET", &format!("/api/v1/readings?building={}&from=0001-01-01", w.a.object_id), Some(&t), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
});

both_backends!(every_call_is_in_the_action_log_and_a_runaway_client_is_slowed, |w| {
    let t = token(w, w.a.company_id, "1С: Бухгалтерия", ApiScope::Read).await;
    let (status, _, _) = api(&w.app, "GET", "/api/v1/buildings", Some(&t), None).await;
    assert_eq!(status, StatusCode::OK);
    let lines = app::storage::audit::list_filtered(&w.db, w.a.company_id, &Default::default(), 10).await.unwrap();
    let line = lines.iter().find(|l| l.action == "api.read").expect("the call is logged");
    assert!(line.details.contains("«1С: Бухгалтерия» GET /api/v1/buildings → 200"), "{}", line.details);
    // the same token flooding: some calls answered 429 with a wait; another token still served
    let mut limited = None;
    for _ in 0..150 {
        let req = Request::get("/api/v1/billing/runs").header(header::AUTHORIZATION, format!("Bearer {t}")).body(Body::empty()).unwrap();
        let resp = w.app.clone().oneshot(req).await.unwrap();
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = resp.headers().get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().to_string());
            break;
        }
    }
    assert_eq!(limited.as_deref(), Some("1"));
    let other = token(w, w.a.company_id, "Сайт", ApiScope::Read).await;
    let (status, _, _) = api(&w.app, "GET", "/api/v1/billing/runs", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
});

both_backends!(a_buildings_month_comes_per_meter_as_the_reports_count_it, |w| {
    common::october::october(w).await;
    let t = token(w, w.a.company_id, "1С", ApiScope::Read).await;
    let (status, _, month) = api(&w.app, "GET", &format!("/api/v1/consumption?building={}&month=2025-10", w.a.object_id), Some(&t), None).await;
    assert_eq!(status, StatusCode::OK, "{month}");
    assert_eq!(month["month"], "2025-10");
    let meter = |serial: &str| month["meters"].as_array().unwrap().iter().find(|m| m["serial"] == serial).cloned().unwrap_or_else(|| panic!("{serial}: {month}"));
    // the figures of the readings registry (tests/reports.rs): 255,75 + 131,75 kWh; the
    // replaced water meter's month under its successor; the common meter 5 m³ a day
    let power = meter("SN-1");
    assert_eq!((power["t1"].as_str(), power["t2"].as_str(), power["total"].as_str()), (Some("255.75"), Some("131.75"), Some("387.5")));
    assert_eq!(power["account"], common::ACCOUNT_A);
    assert_eq!(power["complete"], true);
    assert_eq!(meter("W-NEW")["total"], "7.8");
    assert!(month["meters"].as_array().unwrap().iter().all(|m| m["serial"] != "W-OLD"));
    let odpu = meter("ODPU-1");
    assert_eq!((odpu["total"].as_str(), odpu["placement"].as_str()), (Some("155"), Some("common")));
    let (status, _, _) = api(&w.app, "GET", &format!("/api/v1/consumption?building={}&month=октябрь", w.a.object_id), Some(&t), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
});

both_backends!(posted_readings_are_held_to_the_meters_past_like_typed_ones, |w| {
    let t = token(w, w.a.company_id, "1С", ApiScope::Write).await;
    // two weeks of daily readings, 10 kWh a day, ending yesterday
    let day = 86_400;
    let today = app::storage::now() / day * day;
    let history: Vec<_> = (1..=14)
        .map(|i| fixtures::polled(w.a.company_id, w.a.channel_id, Period::Day, today - (15 - i) * day, Decimal::from(1000 + 10 * i)))
        .collect();
    app::storage::reading::insert_many(&w.db, &history).await.unwrap();
    let post = |entries: Value| api(&w.app, "POST", "/api/v1/readings", Some(&t), Some(json!({ "readings": entries })));
    // lower than yesterday's 1140: held for a dispatcher
    let (_, _, answer) = post(json!([{"client_id": "p-1", "meter_id": w.a.meter_id, "values": [{"tariff": 0, "value": "1100"}]}])).await;
    assert_eq!(answer["results"][0]["flags"], json!(["decreased", "needs_confirmation"]), "{answer}");
    // a plausible reading, then in the same call one far beyond the usual 10 a day: the second
    // is checked against the first
    let (_, _, answer) = post(json!([
        {"client_id": "p-2", "meter_id": w.a.meter_id, "taken_at": (chrono::Utc::now() - chrono::Duration::minutes(2)).to_rfc3339(), "values": [{"tariff": 0, "value": "1150"}]},
        {"client_id": "p-3", "meter_id": w.a.meter_id, "values": [{"tariff": 0, "value": "9150"}]},
    ]))
    .await;
    assert_eq!(answer["results"][0]["flags"], json!([]), "{answer}");
    assert_eq!(answer["results"][1]["flags"], json!(["jump", "needs_confirmation"]), "{answer}");
    // a reading a dispatcher has not confirmed is no yardstick: 1160 is checked against 1150
    let (_, _, answer) = post(json!([{"client_id": "p-4", "meter_id": w.a.meter_id, "values": [{"tariff": 0, "value": "1160"}]}])).await;
    assert_eq!(answer["results"][0]["flags"], json!([]), "{answer}");
});

both_backends!(a_posted_reading_may_name_its_meter_by_serial_as_billing_knows_it, |w| {
    let t = token(w, w.a.company_id, "1С", ApiScope::Write).await;
    // a water meter of the same company with the same serial as the flat's power meter
    let mut twin = app::storage::meter::Meter::new(w.a.company_id, w.a.object_id, app::models::Resource::ColdWater, "Пульсар", "SN-1", app::models::capacity::DigitCapacity::new(5, 3).unwrap());
    twin.premise_id = Some(w.a.premise_id);
    twin.placement = app::models::Placement::Individual;
    app::storage::meter::create(&w.db, &twin).await.unwrap();
    let one = |id: &str, serial: &str, resource: Option<&str>| json!({"client_id": id, "serial": serial, "resource": resource, "values": [{"tariff": 0, "value": "100"}]});
    let (status, _, answer) = api(&w.app, "POST", "/api/v1/readings", Some(&t), Some(json!({"readings": [
        one("s-1", "SN-1", None),
        one("s-2", "SN-1", Some("electricity")),
        one("s-3", "SN-B", None),
        one("s-4", "НЕТ-ТАКОГО", None),
        one("s-5", "SN-1", Some("плутоний")),
        json!({"client_id": "s-6", "values": [{"tariff": 0, "value": "100"}]}),
    ]}))).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let problems: Vec<Value> = answer["results"].as_array().unwrap().iter().map(|r| r["refused"][0]["problem"].clone()).collect();
    assert_eq!(problems, vec![json!("meter_ambiguous"), Value::Null, json!("unknown_meter"), json!("unknown_meter"), json!("unknown_meter"), json!("no_meter")], "{answer}");
    assert_eq!(answer["results"][1]["status"], "stored");
    // stored on the power meter, and company B's SN-B is not reached by A's token
    assert_eq!(app::storage::reading::get_count(&w.db, w.a.company_id, w.a.channel_id).await.unwrap(), 1);
    assert_eq!(app::storage::reading::get_count(&w.db, w.b.company_id, w.b.channel_id).await.unwrap(), 0);
});
