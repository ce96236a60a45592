//! Throughput of the reading-entry endpoint (`/api/submit_readings`): sends of 1 000 typed
//! readings through the real router (JSON, session check, the checks of every value,
//! storage), on SQLite and PostgreSQL, then the same sends again (all duplicates).
//!
//! `cargo run --release -p server --example bench_entry [METERS] [SENDS]` (default 1 000
//! meters, 5 sends of 1 000 entries). PostgreSQL from `UCHET_TEST_POSTGRES`.

use app::auth::token;
use app::models::capacity::DigitCapacity;
use app::models::{Placement, Resource, Role};
use app::storage::testing::{fixtures, TestDb};
use app::storage::{self, membership, meter, session, user, Backend};
use axum::body::Body;
use axum::http::{header, Request};
use serde_json::json;
use server::web::{router, AppState};
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
        let mut ids = Vec::with_capacity(meters);
        for i in 0..meters {
            let mut m = meter::Meter::new(
                f.company_id,
                f.object_id,
                Resource::ColdWater,
                "Пульсар",
                &format!("B-{i}"),
                DigitCapacity::new(5, 3).unwrap(),
            );
            m.premise_id = Some(f.premise_id);
            m.placement = Placement::Individual;
            let m = meter::create(&t.db, &m).await.unwrap();
            fixtures::main_channel(&t.db, &m).await;
            ids.push(m.id);
        }
        let u = user::create(
            &t.db,
            &user::User {
                login: "bench".into(),
                password_hash: "-".into(),
                full_name: "bench".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        membership::create(&t.db, u.id, f.company_id, Role::FieldStaff)
            .await
            .unwrap();
        let tok = token::new_token();
        session::create(
            &t.db,
            &token::hash(&tok),
            u.id,
            f.company_id,
            storage::now() + 3600,
            "",
        )
        .await
        .unwrap();
        let cookie = format!("uchet_session={tok}");
        let mut leptos_options = leptos_config();
        leptos_options.hash_files = false;
        let app = router(AppState {
            leptos_options,
            db: t.db.clone(),
            auth: Default::default(),
            mail: Default::default(),
            metrics: server::telemetry::metrics(),
            metrics_token: None,
            proxies: Default::default(),
        });
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
            json!({ "entries": entries }).to_string()
        };
        let post = |text: String| {
            Request::post("/api/submit_readings")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, cookie.as_str())
                .body(Body::from(text))
                .unwrap()
        };
        for (label, repeat) in [("new readings", false), ("the same sends again", true)] {
            let started = std::time::Instant::now();
            for send in 0..sends {
                let resp = app.clone().oneshot(post(body(send))).await.unwrap();
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

fn leptos_config() -> leptos::config::LeptosOptions {
    server::config::Config::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../Leptos.toml"
    )))
    .expect("Leptos.toml")
    .leptos
}
