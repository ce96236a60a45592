//! Server time of the readings pages on a generated company: the readings table of the
//! largest building (one page, sorted, filtered; p50/p95), a search by account, the meter
//! page, the dashboard, the account page, the building's Excel files and its readings
//! registry report as Excel and PDF; the open API: a page of the building's month of readings
//! and one call posting up to 10 000 readings.
//!
//! `cargo run --release -p server --example bench_readings [METERS] [DAYS]`
//! (default 100 000 meters, 365 days). Runs on SQLite (a temp file) and on PostgreSQL from
//! `UCHET_TEST_POSTGRES`; `--sqlite-only` skips PostgreSQL. Generating the data is most of
//! the time: `--keep` leaves the generated databases in place, and `--db URL` times an
//! existing one (generated when empty) instead.

use std::time::Instant;

use app::auth::caller::Caller;
use app::models::readings_table::{PlacementFilter, ReadingsColumn, ReadingsQuery, ResourceGroup};
use app::storage::testing::TestDb;
use app::storage::{meter, object, Backend, Db};

#[path = "support/timing.rs"]
mod timing;
use timing::timed;

async fn bench(db: &Db, backend: Backend, meters: usize, days: i64) {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM companies")
        .fetch_one(db.pool())
        .await
        .unwrap();
    if existing > 0 {
        let (m, r): (i64, i64) = sqlx::query_as("SELECT (SELECT COUNT(*) FROM meters), (SELECT COUNT(*) FROM readings)")
            .fetch_one(db.pool())
            .await
            .unwrap();
        println!("\n{backend:?}: an existing database of {m} meters, {r} readings");
    } else {
        generate(db, backend, meters, days).await;
    }
    pages(db).await;
}

async fn generate(db: &Db, backend: Backend, meters: usize, days: i64) {
    let started = Instant::now();
    let opts = server::demo::DemoOptions {
        min_meters: meters,
        days,
        ..Default::default()
    };
    let rollup_started = std::sync::Mutex::new(None::<Instant>);
    let report = server::demo::generate(db, &opts, |step| {
        if step.contains("rollup") {
            *rollup_started.lock().unwrap() = Some(Instant::now());
        }
    })
    .await
    .expect("demo");
    let rollup_secs = rollup_started
        .lock()
        .unwrap()
        .map(|t| t.elapsed().as_secs_f64())
        .unwrap_or(0.0);
    println!(
        "\n{backend:?}: {} objects, {} premises, {} meters, {} readings generated in {:.0} s",
        report.objects,
        report.premises,
        report.meters,
        report.readings,
        started.elapsed().as_secs_f64()
    );
    println!("  of which the daily and monthly consumption rollup: {rollup_secs:.0} s");
}

async fn pages(db: &Db) {
    // the first company holds the generated buildings
    let company_id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM companies")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let caller = timing::dispatcher(company_id);
    let objects = object::list(db, company_id).await.unwrap();
    let mut largest = (0, 0usize);
    for o in &objects {
        let n = meter::list_for_object(db, company_id, o.id)
            .await
            .unwrap()
            .len();
        if n > largest.1 {
            largest = (o.id, n);
        }
    }
    println!("largest building: {} meters", largest.1);
    let query = |sort: ReadingsColumn, page: u32, search: &str| ReadingsQuery {
        object: Some(largest.0),
        resource: ResourceGroup::Electricity,
        placement: PlacementFilter::Flats,
        search: search.into(),
        sort,
        descending: true,
        page,
        page_size: 25,
        ..Default::default()
    };
    use app::queries::readings_table;
    let (p50, p95) = timed(50, |i| {
        let q = query(ReadingsColumn::Value, 1 + (i as u32 % 10), "");
        let caller = caller.clone();
        async move { readings_table::page(db, &caller, q, None).await.unwrap() }
    })
    .await;
    println!("readings table, electricity, flats, sorted by value, 50 pages: p50 {p50:.1} ms, p95 {p95:.1} ms");
    let accounts: Vec<String> = sqlx::query_scalar(
        "SELECT a.number FROM accounts a JOIN premises p ON p.id = a.premise_id WHERE p.object_id = $1 LIMIT 50",
    )
    .bind(largest.0)
    .fetch_all(db.pool())
    .await
    .unwrap();
    let (p50, p95) = timed(accounts.len().max(1), |i| {
        let q = query(
            ReadingsColumn::Flat,
            1,
            accounts.get(i).map(|s| s.as_str()).unwrap_or(""),
        );
        let caller = caller.clone();
        async move { readings_table::page(db, &caller, q, None).await.unwrap() }
    })
    .await;
    println!("readings table, search by account: p50 {p50:.1} ms, p95 {p95:.1} ms");
    let meter_ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM meters WHERE object_id = $1 LIMIT 50")
            .bind(largest.0)
            .fetch_all(db.pool())
            .await
            .unwrap();
    let (p50, p95) = timed(meter_ids.len(), |i| {
        let id = meter_ids[i];
        let caller = caller.clone();
        async move {
            app::queries::meter_card::card(db, &caller, id, None)
                .await
                .unwrap()
        }
    })
    .await;
    println!("meter page (a month of daily consumption): p50 {p50:.1} ms, p95 {p95:.1} ms");

    use app::models::dashboard::Span;
    let today = chrono::Utc::now().date_naive();
    let last_month = Span::Month.shift(today, -1);
    for (name, span, date, object) in [
        ("dashboard, last month", Span::Month, last_month, None),
        ("dashboard, this year", Span::Year, today, None),
        ("dashboard, one date", Span::Date, today - chrono::Duration::days(1), None),
        ("dashboard, the largest building, last month", Span::Month, last_month, Some(largest.0)),
    ] {
        let (p50, p95) = timed(20, |_| {
            let caller = caller.clone();
            async move {
                app::queries::dashboard::dashboard(db, &caller, span, Some(date), object)
                    .await
                    .unwrap()
            }
        })
        .await;
        println!("{name}: p50 {p50:.1} ms, p95 {p95:.1} ms");
    }
    // a late reading for one meter: the next look recomputes that meter and its building
    let (p50, p95) = timed(10, |i| {
        let caller = caller.clone();
        let id = meter_ids[i % meter_ids.len()];
        async move {
            let ch = app::queries::history::main_channel(db, company_id, id)
                .await
                .unwrap()
                .unwrap();
            app::storage::stale::mark_channels(db.backend(), db.pool(), &[(ch.id, app::storage::now() - 40 * 86_400)])
                .await
                .unwrap();
            app::queries::dashboard::dashboard(db, &caller, Span::Month, Some(last_month), None)
                .await
                .unwrap()
        }
    })
    .await;
    println!("dashboard after a late reading (one meter and its building recomputed): p50 {p50:.1} ms, p95 {p95:.1} ms");
    let (p50, p95) = timed(accounts.len().max(1), |i| {
        let caller = caller.clone();
        let number = accounts.get(i).cloned().unwrap_or_default();
        async move {
            app::queries::subscribers::account_card(db, &caller, &number, None)
                .await
                .unwrap()
        }
    })
    .await;
    println!("account page (its meters, last readings, the month's consumption): p50 {p50:.1} ms, p95 {p95:.1} ms");
    // the building's readings as the dispatcher downloads them: one file per resource
    let t = Instant::now();
    let (mut rows, mut bytes) = (0, 0);
    for resource in ResourceGroup::ALL {
        let all = ReadingsQuery {
            object: Some(largest.0),
            resource,
            placement: PlacementFilter::All,
            ..Default::default()
        };
        let table = readings_table::table(db, &caller, &all, None)
            .await
            .unwrap();
        rows += table.rows.len();
        bytes += app::exports::readings::sheet(&table, app::i18n::Lang::Ru)
            .to_xlsx()
            .unwrap()
            .len();
    }
    println!(
        "Excel files of the building's readings, all four resources ({} meters, {rows} rows, {bytes} bytes): {:.0} ms",
        largest.1,
        t.elapsed().as_secs_f64() * 1000.0
    );
    reports(db, &caller, largest.0).await;
    api(db, company_id, largest.0).await;
}

/// The open API through its own router (token check, pace, action log and all): a page of
/// the largest building's readings for last month (issue 28's goal: p95 under 50 ms), and one
/// call posting a reading for each of up to 10 000 meters (goal: 20 000 readings a second).
async fn api(db: &Db, company_id: i64, object_id: i64) {
    use axum::body::Body;
    use axum::http::{header, Request};
    use tower::ServiceExt;
    let token = app::auth::api_token::issue(db, company_id, "bench", app::models::api::ApiScope::Write, None)
        .await
        .unwrap()
        .token;
    let router = server::api::router(db.clone());
    let call = |method: &str, uri: String, body: Option<String>| {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.map(Body::from).unwrap_or_default())
            .unwrap();
        let router = router.clone();
        async move {
            let resp = router.oneshot(req).await.unwrap();
            assert!(resp.status().is_success(), "{}", resp.status());
            let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20).await.unwrap();
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
        }
    };
    let today = chrono::Utc::now().date_naive();
    let first = chrono::Datelike::with_day(&today, 1).unwrap();
    let last_month = first - chrono::Months::new(1);
    let month = format!("from={}&to={}", last_month, first.pred_opt().unwrap());
    // the month's pages, walked once to learn their cursors, then asked for at random
    let mut cursors = vec![String::new()];
    let mut readings = 0;
    loop {
        let page = call("GET", format!("/readings?building={object_id}&{month}&period=all&cursor={}", cursors.last().unwrap()), None).await;
        readings += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursors.push(c.to_string()),
            None => break,
        }
    }
    let (p50, p95) = timed(100, |i| call("GET", format!("/readings?building={object_id}&{month}&period=all&cursor={}", cursors[i * 7 % cursors.len()]), None)).await;
    println!("API: the building's readings for last month ({readings} in {} pages of 1 000), one page: p50 {p50:.1} ms, p95 {p95:.1} ms", cursors.len());
    // one reading for each of up to 10 000 one-tariff meters in operation
    let mut ids = Vec::new();
    let mut cursor = String::new();
    while ids.len() < 10_000 {
        let page = call("GET", format!("/meters?limit=5000&cursor={cursor}"), None).await;
        for m in page["items"].as_array().unwrap() {
            if m["tariffs"] == 1 && m["state"] == "in_operation" && ids.len() < 10_000 {
                ids.push(m["id"].as_i64().unwrap());
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    let stamp = chrono::Utc::now().timestamp();
    let body = serde_json::json!({ "readings": ids.iter().map(|id| serde_json::json!({
        "client_id": format!("bench-{stamp}-{id}"), "meter_id": id, "values": [{"tariff": 0, "value": "1"}]
    })).collect::<Vec<_>>() });
    let t = Instant::now();
    let answer = call("POST", "/readings".into(), Some(body.to_string())).await;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "API: {} readings posted in one call ({} stored): {:.2} s, {:.0} readings/s",
        ids.len(),
        answer["stored"],
        secs,
        ids.len() as f64 / secs
    );
}

/// «Отчёты»: the largest building's readings registry for last month as the files a
/// dispatcher downloads (issue 28's goal: under 2 s each), made from scratch each time.
async fn reports(db: &Db, caller: &Caller, object_id: i64) {
    use app::exports::pdf::Letterhead;
    use app::models::reports::{ReportKind, ReportQuery};
    let company = app::storage::company::get(db, caller.company_id).await.unwrap();
    let made_at = chrono::Utc::now().naive_utc();
    for format in ["xlsx", "pdf"] {
        let t = Instant::now();
        let q = ReportQuery { kind: ReportKind::Registry, object: Some(object_id), ..Default::default() };
        let r = app::queries::reports::make(db, caller, &q, app::i18n::Lang::Ru).await.unwrap();
        let sheet = app::exports::reports::sheet(&r, app::i18n::Lang::Ru);
        let bytes = match format {
            "xlsx" => sheet.to_xlsx().unwrap(),
            _ => sheet.to_pdf(&Letterhead::of(&company), app::i18n::Lang::Ru, made_at).unwrap(),
        };
        println!(
            "readings registry of the building as {format} ({} rows, {} bytes): {:.0} ms",
            r.rows.len(),
            bytes.len(),
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sqlite_only = args.iter().any(|a| a == "--sqlite-only");
    let keep = args.iter().any(|a| a == "--keep");
    let numbers: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let meters = numbers.first().copied().unwrap_or(100_000) as usize;
    let days = numbers.get(1).copied().unwrap_or(365);
    if let Some(i) = args.iter().position(|a| a == "--db") {
        let url = args.get(i + 1).expect("--db URL");
        let db = Db::connect(url).await.expect("the database");
        bench(&db, db.backend(), meters, days).await;
        return;
    }
    let backends: &[Backend] = if sqlite_only {
        &[Backend::Sqlite]
    } else {
        &[Backend::Sqlite, Backend::Postgres]
    };
    for &backend in backends {
        let t = TestDb::new(backend).await;
        bench(&t.db, backend, meters, days).await;
        if keep {
            println!("kept: {}", t.keep().await);
        } else {
            t.cleanup().await;
        }
    }
}
