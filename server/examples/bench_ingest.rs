//! Bulk write path of readings: rows per second into SQLite and PostgreSQL through
//! `storage::reading::insert_many`, the path the demo, the collectors and the entry screens use.
//!
//! `cargo run --release -p server --example bench_ingest [ROWS]` (default 200 000 per backend).
//! PostgreSQL from `UCHET_TEST_POSTGRES` (default postgres://postgres@127.0.0.1:5432/postgres).

use app::storage::reading::{get_count, insert_many, Kind, Period, Reading, Source};
use app::storage::testing::{fixtures, TestDb};
use app::storage::Backend;
use rust_decimal::Decimal;

fn batch(channel_id: i64, company_id: i64, from: i64, n: i64) -> Vec<Reading> {
    (from..from + n)
        .map(|i| Reading {
            channel_id,
            company_id,
            period: Period::Hour,
            ts: i * 3600,
            kind: Kind::Integral,
            total: Some(Decimal::new(i * 1234, 3)),
            tariffs: [
                Some(Decimal::new(i * 1000, 3)),
                Some(Decimal::new(i * 234, 3)),
                None,
                None,
            ],
            source: Source::Poll,
            flags: 0,
            entered_by: None,
            entry_id: None,
            received_at: i * 3600,
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let rows: i64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    println!("readings bulk insert, {rows} rows per backend, batches of 50 000, one transaction per batch");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let t = TestDb::new(backend).await;
        let f = fixtures::building(&t.db).await;
        let started = std::time::Instant::now();
        let mut stored = 0;
        let mut from = 0;
        while from < rows {
            let n = (rows - from).min(50_000);
            stored += insert_many(&t.db, &batch(f.channel_id, f.company_id, from, n))
                .await
                .unwrap();
            from += n;
        }
        let secs = started.elapsed().as_secs_f64();
        let again = insert_many(&t.db, &batch(f.channel_id, f.company_id, 0, 50_000))
            .await
            .unwrap();
        assert_eq!(stored as i64, rows);
        assert_eq!(again, 0, "a re-delivered batch stores nothing");
        assert_eq!(
            get_count(&t.db, f.company_id, f.channel_id).await.unwrap(),
            rows
        );
        println!(
            "{backend:?}: {stored} rows in {secs:.2} s = {:.0} rows/s",
            stored as f64 / secs
        );
        t.cleanup().await;
    }
}
