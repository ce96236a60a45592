//! Monitoring's figures on a generated company (issue 23): the checks on one day's poll of
//! every meter (readings/s, checked and stored), a sweep of the company's events (first, and
//! again with nothing new), and the server time of «Нештатные ситуации», «Журнал событий» and
//! «Карта приборов» (p50/p95).
//!
//! `cargo run --release -p server --example bench_monitoring [METERS] [DAYS]`
//! (default 100 000 meters, 365 days). SQLite (a temp file) and PostgreSQL from
//! `UCHET_TEST_POSTGRES`; `--sqlite-only` skips PostgreSQL; `--db URL` times an existing
//! database (generated when empty).

use std::time::Instant;

use app::models::monitoring::JournalQuery;
use app::storage::reading::{self, Kind, Period, Reading, Source};
use app::storage::testing::TestDb;
use app::storage::{Backend, Db};

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
    let company_id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM companies").fetch_one(db.pool()).await.unwrap();

    // one day's poll of every meter: each main channel's latest total a little higher, one in
    // a thousand lower (what the checks must catch), an hour after the newest reading
    let latest: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT r.channel_id, r.ts, r.total FROM readings r
         JOIN (SELECT channel_id, MAX(ts) AS ts FROM readings WHERE company_id = $1 AND period = 2 GROUP BY channel_id) n
           ON n.channel_id = r.channel_id AND n.ts = r.ts
         WHERE r.period = 2 AND r.company_id = $1",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut poll: Vec<Reading> = latest
        .iter()
        .enumerate()
        .filter_map(|(i, (channel_id, ts, total))| {
            let micro = (*total)?;
            let step = if i % 1000 == 0 { -1_000_000 } else { 3_000 };
            Some(Reading {
                channel_id: *channel_id,
                company_id,
                period: Period::Day,
                ts: ts + 86_400,
                kind: Kind::Integral,
                total: Some(rust_decimal::Decimal::new((micro + step).max(0), 6)),
                tariffs: [None; 4],
                source: Source::Poll,
                flags: 0,
                entered_by: None,
                entry_id: None,
                received_at: app::storage::now(),
            })
        })
        .collect();
    let n = poll.len();
    let t = Instant::now();
    for batch in poll.chunks_mut(5_000) {
        app::ingest::validate::flag(db, batch).await.unwrap();
    }
    let checked = t.elapsed().as_secs_f64();
    let flagged = poll.iter().filter(|r| r.flags != 0).count();
    let t = Instant::now();
    for batch in poll.chunks(5_000) {
        reading::insert_many(db, batch).await.unwrap();
    }
    let stored = t.elapsed().as_secs_f64();
    println!(
        "a day's poll of {n} meters: checked in {checked:.1} s ({:.0} readings/s), {flagged} flagged; stored in {stored:.1} s; checked and stored {:.0} readings/s",
        n as f64 / checked,
        n as f64 / (checked + stored)
    );

    let now = app::storage::now();
    let t = Instant::now();
    let s = app::monitoring::sweep_company(db, company_id, now).await.unwrap();
    println!("sweep of the company: {:.2} s, {} events opened", t.elapsed().as_secs_f64(), s.opened);
    let t = Instant::now();
    let s = app::monitoring::sweep_company(db, company_id, now + 120).await.unwrap();
    println!("sweep again, nothing new: {:.2} s, {} opened, {} ended", t.elapsed().as_secs_f64(), s.opened, s.ended);

    let caller = timing::dispatcher(company_id);
    let rows = std::cell::Cell::new(0);
    let matching = std::cell::Cell::new(0);
    let (p50, p95) = timed(30, |_| {
        let caller = caller.clone();
        let (rows, matching) = (&rows, &matching);
        async move {
            let list = app::queries::monitoring::situations::list(db, &caller, None, false, app::queries::monitoring::situations::SHOWN).await.unwrap();
            rows.set(list.rows.len());
            matching.set(list.counts.matching);
        }
    })
    .await;
    let n = rows.get();
    println!("«Нештатные ситуации», all buildings (the newest {n} of {} rows, counted all): p50 {p50:.1} ms, p95 {p95:.1} ms", matching.get());
    let (p50, p95) = timed(30, |_| {
        let caller = caller.clone();
        let rows = &rows;
        async move {
            rows.set(app::queries::monitoring::journal::journal(db, &caller, JournalQuery::default()).await.unwrap().rows.len());
        }
    })
    .await;
    println!("«Журнал событий», last 30 days ({} rows): p50 {p50:.1} ms, p95 {p95:.1} ms", rows.get());

    // «Карта приборов»: the whole company's buildings with their meters counted by last
    // contact (what the page and its script receive), and the largest building's meter list
    let tiles = app::monitoring::map::OSM_TILES;
    let largest = std::cell::Cell::new((0i64, 0u32));
    let (p50, p95) = timed(30, |_| {
        let caller = caller.clone();
        let (rows, largest) = (&rows, &largest);
        async move {
            let m = app::queries::monitoring::map::map(db, &caller, None, None, tiles).await.unwrap();
            rows.set(m.meters() as usize);
            let big = m.places.iter().max_by_key(|p| p.meters()).map(|p| (p.object_id, p.meters())).unwrap_or_default();
            largest.set(big);
        }
    })
    .await;
    let bytes = app::queries::monitoring::map::map(db, &caller, None, None, tiles).await.unwrap().script_data().to_string().len();
    println!("«Карта приборов», all buildings ({} meters, {bytes} bytes to draw): p50 {p50:.1} ms, p95 {p95:.1} ms", rows.get());
    let (object, n) = largest.get();
    let (p50, p95) = timed(30, |_| {
        let caller = caller.clone();
        async move {
            app::queries::monitoring::map::building(db, &caller, object, None).await.unwrap();
        }
    })
    .await;
    println!("«Карта приборов», the largest building's {n} meters listed: p50 {p50:.1} ms, p95 {p95:.1} ms");
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
