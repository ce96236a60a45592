//! Balance and analysis on a generated company (issue 24): the server time (p50/p95) of the
//! largest building's balance group for a month by days and for a year by months, objects
//! compared for the company's month, and the largest building's consumption registry and
//! premises breakdown for a month — all read from the consumption rollup; and the company's
//! meter inventory («Приборы учёта», issue 22): the page of every meter, a serial searched,
//! and the file of every meter.
//!
//! `cargo run --release -p server --example bench_balance [METERS] [DAYS]` (default 100 000
//! meters, 365 days). SQLite (a temp file) and PostgreSQL from `UCHET_TEST_POSTGRES`;
//! `--sqlite-only` skips PostgreSQL; `--db URL` times an existing database (generated when
//! empty).

use std::time::Instant;

use app::models::balance::{BalanceQuery, By, CompareQuery};
use app::queries::consumption::Columns;
use app::models::Resource;
use app::storage::testing::TestDb;
use app::storage::{Backend, Db};
use chrono::{Datelike, Months};

#[path = "support/timing.rs"]
mod timing;
use timing::timed;

async fn bench(db: &Db, backend: Backend, meters: usize, days: i64) {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM companies").fetch_one(db.pool()).await.unwrap();
    if existing == 0 {
        let t = Instant::now();
        let opts = server::demo::DemoOptions { min_meters: meters, days, ..Default::default() };
        let r = server::demo::generate(db, &opts, |_| {}).await.expect("demo");
        println!("\n{backend:?}: {} meters, {} readings generated in {:.0} s", r.meters, r.readings, t.elapsed().as_secs_f64());
    } else {
        println!("\n{backend:?}: an existing database");
    }
    // the building with the most meters
    let (company_id, object_id, count): (i64, i64, i64) = sqlx::query_as(
        "SELECT company_id, object_id, COUNT(*) AS n FROM meters GROUP BY company_id, object_id ORDER BY n DESC, object_id LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let caller = timing::dispatcher(company_id);
    let today = chrono::Utc::now().date_naive();
    let last_month = app::consumption::calendar::first_of_month(today) - Months::new(1);
    let cases = [
        (
            format!("month {} by days", last_month.format("%m.%Y")),
            BalanceQuery { by: By::Day, month: Some(last_month.format("%Y-%m").to_string()), ..Default::default() },
        ),
        (
            format!("year {} by months", today.year()),
            BalanceQuery { by: By::Month, year: Some(today.year().to_string()), ..Default::default() },
        ),
    ];
    for resource in [Resource::Electricity, Resource::Heat] {
        for (name, q) in &cases {
            let q = BalanceQuery { object: Some(object_id), resource: Some(resource), ..q.clone() };
            let members = std::cell::Cell::new(0);
            let (p50, p95) = timed(30, |_| {
                let (caller, q, members) = (caller.clone(), q.clone(), &members);
                async move {
                    let b = app::queries::balance::page::balance(db, &caller, q, None).await.unwrap();
                    members.set(b.members.len());
                }
            })
            .await;
            println!(
                "balance of the largest building ({count} meters), {}, {name} ({} meters in the group): p50 {p50:.1} ms, p95 {p95:.1} ms",
                resource.as_str(),
                members.get()
            );
        }
    }

    let month = CompareQuery { by: By::Month, month: Some(last_month.format("%Y-%m").to_string()), ..Default::default() };
    let buildings = std::cell::Cell::new(0);
    let (p50, p95) = timed(30, |_| {
        let (caller, q, buildings) = (caller.clone(), CompareQuery { resource: Some(Resource::Heat), ..month.clone() }, &buildings);
        async move {
            let c = app::queries::balance::compare::compare(db, &caller, q).await.unwrap();
            buildings.set(c.rows.len());
        }
    })
    .await;
    println!("objects compared, heat, month {} ({} buildings): p50 {p50:.1} ms, p95 {p95:.1} ms", last_month.format("%m.%Y"), buildings.get());
    for (name, columns, resource) in [("registry", Columns::All, None), ("premises breakdown, heat", Columns::One, Some(Resource::Heat))] {
        let premises = std::cell::Cell::new(0);
        let (p50, p95) = timed(30, |_| {
            let (caller, q, premises) = (caller.clone(), CompareQuery { object: Some(object_id), resource, ..month.clone() }, &premises);
            async move {
                let p = app::queries::consumption::premises(db, &caller, q, None, columns).await.unwrap();
                premises.set(p.rows.len());
            }
        })
        .await;
        println!(
            "{name} of the largest building ({count} meters, {} premises), month {}: p50 {p50:.1} ms, p95 {p95:.1} ms",
            premises.get(),
            last_month.format("%m.%Y")
        );
    }
    inventory(db, &caller).await;
}

/// The meter inventory: the first page of all the company's meters, one serial typed into
/// the search, and every meter as a file would hold them.
async fn inventory(db: &Db, caller: &app::auth::caller::Caller) {
    use app::models::inventory::InventoryQuery;
    use app::queries::inventory::{inventory, Rows};
    let serial: String = sqlx::query_scalar("SELECT serial FROM meters WHERE company_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(caller.company_id)
        .fetch_one(db.pool())
        .await
        .unwrap();
    for (name, q, rows) in [
        ("the first page of all meters", InventoryQuery::default(), Rows::Page),
        ("one serial searched", InventoryQuery { q: serial, ..Default::default() }, Rows::Page),
        ("every meter, for a file", InventoryQuery::default(), Rows::All),
    ] {
        let matched = std::cell::Cell::new(0);
        let (p50, p95) = timed(30, |_| {
            let (caller, q, matched) = (caller.clone(), q.clone(), &matched);
            async move {
                let v = inventory(db, &caller, q, rows).await.unwrap();
                matched.set(v.rows.len());
            }
        })
        .await;
        println!("meter inventory, {name} ({} rows): p50 {p50:.1} ms, p95 {p95:.1} ms", matched.get());
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sqlite_only = args.iter().any(|a| a == "--sqlite-only");
    let numbers: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let meters = numbers.first().copied().unwrap_or(100_000) as usize;
    let days = numbers.get(1).copied().unwrap_or(365);
    if let Some(i) = args.iter().position(|a| a == "--db") {
        let db = Db::connect(args.get(i + 1).expect("--db URL")).await.expect("the database");
        bench(&db, db.backend(), meters, days).await;
        return;
    }
    let backends: &[Backend] = if sqlite_only { &[Backend::Sqlite] } else { &[Backend::Sqlite, Backend::Postgres] };
    for &backend in backends {
        let t = TestDb::new(backend).await;
        bench(&t.db, backend, meters, days).await;
        t.cleanup().await;
    }
}
