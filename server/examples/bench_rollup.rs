//! Time of a full recomputation of the daily and monthly consumption rollup on an existing
//! database: every meter marked stale from its first reading, then drained.
//!
//! `cargo run --release -p server --example bench_rollup -- <database url>`
//! (e.g. `sqlite://data/uchet.sqlite` after `scripts/start` loaded the demo).

use std::time::Instant;

use app::storage::Db;

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .expect("usage: bench_rollup <database url>");
    let db = Db::connect(&url).await.expect("database");
    let meters: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meters")
        .fetch_one(db.pool())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO consumption_stale (meter_id, company_id, from_ts)
         SELECT id, company_id, 0 FROM meters WHERE true
         ON CONFLICT (meter_id) DO UPDATE SET from_ts = 0, seq = consumption_stale.seq + 1",
    )
    .execute(db.pool())
    .await
    .unwrap();
    let t = Instant::now();
    let done = app::rollup::refresh_stale(&db, None, usize::MAX)
        .await
        .expect("rollup");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "rollup of {done} of {meters} meters: {secs:.1} s, {:.0} meters/s",
        done as f64 / secs
    );
}
