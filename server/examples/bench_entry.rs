//! Throughput of the reading-entry endpoint (`/api/submit_readings`): sends of 1 000 typed
//! readings through the real router (JSON, session check, the checks of every value,
//! storage), on SQLite and PostgreSQL, then the same sends again (all duplicates).
//!
//! `cargo run --release -p server --example bench_entry [METERS] [SENDS]` (default 1 000
//! meters, 5 sends of 1 000 entries). PostgreSQL from `UCHET_TEST_POSTGRES`.

mod support;

use app::storage::testing::{fixtures, TestDb};
use app::storage::{self, Backend};
use serde_json::json;
use tower::ServiceExt;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let meters: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let sends: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    println!("entry endpoint: {sends} sends of {meters} readings (one per meter) per backend");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let t = TestDb::new(backend).await;
        let f = fixtures::building(&t.db).await;
        let ids = support::water_meters(&t.db, &f, meters).await;
        let (app, cookie) = support::field_worker(&t.db, f.company_id).await;
        let now = storage::now();
        let body = |send: usize| {
            let entries: Vec<_> = ids
                .iter()
                .map(|id| {
                    json!({
                        "entry_id": format!("bench-{send}-{id}"),
                        "meter_id": id,
                        "values": [{ "tariff": 0, "text": format!("{},5", 100 + send * 10) }],
                        "typed_at": now - 86_400 * (sends - send) as i64,
                    })
                })
                .collect();
            support::send(&cookie, &entries)
        };
        for (label, repeat) in [("new readings", false), ("the same sends again", true)] {
            let started = std::time::Instant::now();
            for send in 0..sends {
                let resp = app.clone().oneshot(body(send)).await.unwrap();
                assert!(resp.status().is_success(), "{}", resp.status());
                let bytes = axum::body::to_bytes(resp.into_body(), 1 << 26)
                    .await
                    .unwrap();
                let results: Vec<app::models::entry::EntryResult> =
                    serde_json::from_slice(&bytes).unwrap();
                assert!(results
                    .iter()
                    .all(|r| if repeat { r.duplicate } else { r.stored }));
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{backend:?}, {label}: {} readings in {secs:.2} s = {:.0} readings/s",
                sends * meters,
                (sends * meters) as f64 / secs
            );
        }
        t.cleanup().await;
    }
}
