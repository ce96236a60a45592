//! Bulk write path of readings: rows per second into SQLite and PostgreSQL through
//! `storage::reading::insert_many`, the path the demo, the collectors and the entry screens use.
//!
//! `cargo run --release -p server --example bench_ingest [ROWS] [METERS]` (default 200 000
//! rows per backend and 1 000 meters). Two shapes: one channel's long history (an import),
//! and many meters' readings arriving hour by hour (a company's polls). PostgreSQL from
//! `UCHET_TEST_POSTGRES` (default postgres://postgres@127.0.0.1:5432/postgres).

use app::models::capacity::DigitCapacity;
use app::models::Resource;
use app::storage::reading::{insert_many, Kind, Period, Reading, Source};
use app::storage::testing::{fixtures, TestDb};
use app::storage::{channel, meter, Backend, Db};
use rust_decimal::Decimal;

const BATCH: i64 = 50_000;

fn reading(channel_id: i64, company_id: i64, hour: i64) -> Reading {
    Reading {
        channel_id,
        company_id,
        period: Period::Hour,
        ts: hour * 3600,
        kind: Kind::Integral,
        total: Some(Decimal::new(hour * 1234, 3)),
        tariffs: [
            Some(Decimal::new(hour * 1000, 3)),
            Some(Decimal::new(hour * 234, 3)),
            None,
            None,
        ],
        source: Source::Poll,
        flags: 0,
        entered_by: None,
        entry_id: None,
        received_at: hour * 3600,
    }
}

/// `meters` more meters in the fixture's building, each with its main channel.
async fn channels(db: &Db, f: &fixtures::Building, meters: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..meters {
        let m = meter::Meter::new(
            f.company_id,
            f.object_id,
            Resource::Electricity,
            "Меркурий 230",
            &format!("B-{i}"),
            DigitCapacity::new(6, 2).unwrap(),
        );
        let m = meter::create(db, &m).await.unwrap();
        ids.push(channel::create_main(db, &m).await.unwrap().id);
    }
    ids
}

async fn count(db: &Db, company_id: i64) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM readings WHERE company_id = $1")
        .bind(company_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Stores `all` in batches; rows per second, checked against what the database holds.
async fn run(db: &Db, company_id: i64, all: &[Reading]) -> f64 {
    let before = count(db, company_id).await;
    let started = std::time::Instant::now();
    let mut stored = 0;
    for batch in all.chunks(BATCH as usize) {
        stored += insert_many(db, batch).await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(stored as usize, all.len());
    assert_eq!(count(db, company_id).await - before, all.len() as i64);
    let again = insert_many(db, &all[..all.len().min(BATCH as usize)])
        .await
        .unwrap();
    assert_eq!(again, 0, "a re-delivered batch stores nothing");
    stored as f64 / secs
}

#[tokio::main]
async fn main() {
    let args: Vec<i64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rows = args.first().copied().unwrap_or(200_000);
    let meters = args.get(1).copied().unwrap_or(1_000).max(1);
    println!("readings bulk insert, {rows} rows per backend and shape, batches of {BATCH}, one transaction per batch");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let t = TestDb::new(backend).await;
        let f = fixtures::building(&t.db).await;
        let history: Vec<Reading> = (0..rows)
            .map(|h| reading(f.channel_id, f.company_id, h))
            .collect();
        let one = run(&t.db, f.company_id, &history).await;
        let ids = channels(&t.db, &f, meters as usize).await;
        let polls: Vec<Reading> = (0..rows)
            .map(|i| reading(ids[(i % meters) as usize], f.company_id, i / meters))
            .collect();
        let many = run(&t.db, f.company_id, &polls).await;
        println!(
            "{backend:?}: one channel's history {one:.0} rows/s; {meters} meters hour by hour {many:.0} rows/s"
        );
        t.cleanup().await;
    }
}
