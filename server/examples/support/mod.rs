//! What the examples that go through the real router share: water meters in one flat and a
//! signed-in field worker's router and cookie.

use app::auth::token;
use app::models::capacity::DigitCapacity;
use app::models::{Placement, Resource, Role};
use app::storage::testing::fixtures::Building;
use app::storage::{self, meter, membership, session, user, Db};
use server::web::{router, AppState};

/// `n` cold-water meters in the building's flat, each with its main channel; their ids.
pub async fn water_meters(db: &Db, f: &Building, n: usize) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
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
        let m = meter::create(db, &m).await.unwrap();
        app::storage::testing::fixtures::main_channel(db, &m).await;
        ids.push(m.id);
    }
    ids
}

/// The whole application's router over `db`, and the cookie of a field worker of the company
/// signed in for an hour.
pub async fn field_worker(db: &Db, company_id: i64) -> (axum::Router, String) {
    let u = user::create(
        db,
        &user::User {
            login: "bench".into(),
            password_hash: "-".into(),
            full_name: "bench".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    membership::create(db, u.id, company_id, Role::FieldStaff)
        .await
        .unwrap();
    let tok = token::new_token();
    session::create(db, &token::hash(&tok), u.id, company_id, storage::now() + 3600, "")
        .await
        .unwrap();
    let mut leptos_options = server::config::Config::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../Leptos.toml"
    )))
    .expect("Leptos.toml")
    .leptos;
    leptos_options.hash_files = false;
    let app = router(AppState {
        leptos_options,
        db: db.clone(),
        auth: Default::default(),
        mail: Default::default(),
        metrics: server::telemetry::metrics(),
        metrics_token: None,
        map: Default::default(),
        proxies: Default::default(),
    });
    (app, format!("uchet_session={tok}"))
}

/// A send of the field screen's queue: `POST /api/submit_readings` with these entries.
pub fn send(cookie: &str, entries: &[serde_json::Value]) -> axum::http::Request<axum::body::Body> {
    use axum::http::header;
    axum::http::Request::post("/api/submit_readings")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(axum::body::Body::from(
            serde_json::json!({ "entries": entries }).to_string(),
        ))
        .unwrap()
}
