//! A running Uchet router over a fresh test database, with a company per tenant and a
//! session per role, called through real HTTP requests (tower `oneshot`).

#![allow(dead_code)]

use app::auth::{token, AuthConfig};
use app::models::Role;
use app::storage::testing::{fixtures, TestDb};
use app::storage::{self, company, membership, resident, session, user, Backend, Db};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use server::config::Config;
use server::web::{router, AppState};
use tower::ServiceExt;

pub mod october;

pub struct World {
    pub test_db: TestDb,
    pub db: Db,
    pub app: Router,
    pub a: fixtures::Building,
    pub b: fixtures::Building,
    /// Session cookies of company A's users, one per role.
    pub a_sessions: Vec<(Role, String)>,
    pub a_user_ids: Vec<(Role, i64)>,
    /// A dispatcher of company B.
    pub b_dispatcher: String,
    pub b_dispatcher_id: i64,
    /// The SMTP listener the world's mailer sends to.
    pub sink: server::mail::sink::Sink,
}

/// Where links in the world's letters point.
pub const PUBLIC_URL: &str = "http://uchet.test";

/// The personal account of company A's flat.
pub const ACCOUNT_A: &str = "0076000101";

pub fn leptos_config() -> Config {
    Config::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../Leptos.toml"
    )))
    .expect("Leptos.toml")
}

pub async fn session_for(db: &Db, login: &str, company_id: i64, role: Role) -> (String, i64) {
    let u = user::create(
        db,
        &user::User {
            login: login.into(),
            password_hash: "-".into(),
            full_name: login.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    membership::create(db, u.id, company_id, role)
        .await
        .unwrap();
    let t = token::new_token();
    session::create(
        db,
        &token::hash(&t),
        u.id,
        company_id,
        storage::now() + 3600,
        "",
    )
    .await
    .unwrap();
    (format!("uchet_session={t}"), u.id)
}

pub async fn world(backend: Backend) -> World {
    // the server's warnings and errors show under a failing test (captured otherwise)
    let _ = tracing_subscriber::fmt().with_test_writer().with_max_level(tracing::Level::WARN).try_init();
    let test_db = TestDb::new(backend).await;
    let db = test_db.db.clone();
    let a = fixtures::building(&db).await;
    let cb = company::create(
        &db,
        &company::Company {
            name: "ТСЖ «Б»".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let b = fixtures::building_of(&db, cb.id, "B").await;
    storage::account::create(
        &db,
        &storage::account::Account {
            id: 0,
            company_id: a.company_id,
            premise_id: a.premise_id,
            number: ACCOUNT_A.into(),
            owner_name: String::new(),
        },
    )
    .await
    .unwrap();
    let mut a_sessions = Vec::new();
    let mut a_user_ids = Vec::new();
    for role in Role::ALL {
        let (cookie, id) =
            session_for(&db, &format!("a-{}", role.as_str()), a.company_id, role).await;
        if role == Role::Resident {
            let p = storage::premise::get(&db, a.company_id, a.premise_id)
                .await
                .unwrap();
            resident::attach(&db, id, &p).await.unwrap();
        }
        a_sessions.push((role, cookie));
        a_user_ids.push((role, id));
    }
    let (b_dispatcher, b_dispatcher_id) =
        session_for(&db, "b-dispatcher", b.company_id, Role::Dispatcher).await;
    // Test binaries have no hash.txt beside them (cargo-leptos writes it next to the server
    // binary); these tests read HTML, not assets, so they use unhashed names. The browser
    // tests run the real binary with hashed assets.
    let mut leptos_options = leptos_config().leptos;
    leptos_options.hash_files = false;
    // a real SMTP exchange on loopback: the mailer runs as in the server
    let sink = server::mail::sink::Sink::start(0).await.expect("smtp sink");
    let mail = app::mail::MailConfig {
        enabled: true,
        public_url: PUBLIC_URL.into(),
        wake: Default::default(),
    };
    let smtp = server::mail::SmtpSettings::from_url(
        &format!("smtp://127.0.0.1:{}", sink.port),
        "Учёт <noreply@uchet.test>",
    )
    .expect("smtp settings");
    tokio::spawn(server::mail::run(db.clone(), smtp, mail.wake.clone()));
    let state = AppState {
        leptos_options,
        db: db.clone(),
        auth: AuthConfig::default(),
        mail,
        metrics: server::telemetry::metrics(),
        metrics_token: None,
        map: Default::default(),
        proxies: Default::default(),
    };
    World {
        test_db,
        db,
        app: router(state),
        a,
        b,
        a_sessions,
        a_user_ids,
        b_dispatcher,
        b_dispatcher_id,
        sink,
    }
}

impl World {
    pub fn cookie(&self, role: Role) -> &str {
        &self.a_sessions.iter().find(|(r, _)| *r == role).unwrap().1
    }
    pub fn user_id(&self, role: Role) -> i64 {
        self.a_user_ids.iter().find(|(r, _)| *r == role).unwrap().1
    }
}

/// A router over a database with no company at all: a fresh install before its first start.
/// (No mailer: nothing on the first-run page sends mail.)
pub async fn empty_install(backend: Backend) -> (TestDb, Router) {
    let _ = tracing_subscriber::fmt().with_test_writer().with_max_level(tracing::Level::WARN).try_init();
    let test_db = TestDb::new(backend).await;
    let mut leptos_options = leptos_config().leptos;
    leptos_options.hash_files = false;
    let state = AppState {
        leptos_options,
        db: test_db.db.clone(),
        auth: AuthConfig::default(),
        mail: app::mail::MailConfig::default(),
        metrics: server::telemetry::metrics(),
        metrics_token: None,
        map: Default::default(),
        proxies: Default::default(),
    };
    (test_db, router(state))
}

/// A server function's form body, every value URL-encoded.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", app::models::format::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A struct argument `name` of a server function as form fields (`form[serial]=…`), the way
/// a browser's form sends it; `id` first when given.
pub fn nested_form(name: &str, value: &impl serde::Serialize, id: Option<i64>) -> String {
    let value = serde_json::to_value(value).unwrap();
    let pairs: Vec<(String, String)> = value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (format!("{name}[{k}]"), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
        .collect();
    let text = form(&pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>());
    match id {
        Some(id) => format!("id={id}&{text}"),
        None => text,
    }
}

/// The application error a server function answered with, if it failed.
pub fn error_of(body: &str) -> Option<app::errors::AppError> {
    serde_json::from_str(body).ok()
}

/// Calls a server function as a browser with JavaScript would; returns status and body. A
/// body starting with `{` is sent as JSON (functions with JSON input), others as a form.
pub async fn call(
    app: &Router,
    endpoint: &str,
    body: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, Vec<String>) {
    let content_type = if body.starts_with('{') {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut req = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let cookies = resp
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).to_string(), cookies)
}

/// A GET whose answer is a file: its status, content type and bytes as sent.
pub async fn get_file(app: &Router, path: &str, cookie: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::get(path).header(header::COOKIE, cookie);
    let resp = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status();
    let kind = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20).await.unwrap();
    (status, kind, bytes.to_vec())
}

pub async fn get(
    app: &Router,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, Option<String>) {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(resp.into_body(), 8 << 20)
        .await
        .unwrap();
    (
        status,
        String::from_utf8_lossy(&bytes).to_string(),
        location,
    )
}

/// Runs a test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$w:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn body($w: &common::World) $body
            #[tokio::test]
            async fn sqlite() {
                app::storage::testing::within_limit(concat!(module_path!(), "::sqlite"), async {
                    let w = common::world(app::storage::Backend::Sqlite).await;
                    body(&w).await;
                    w.test_db.cleanup().await;
                })
                .await;
            }
            #[tokio::test]
            async fn postgres() {
                app::storage::testing::within_limit(concat!(module_path!(), "::postgres"), async {
                    let w = common::world(app::storage::Backend::Postgres).await;
                    body(&w).await;
                    w.test_db.cleanup().await;
                })
                .await;
            }
        }
    };
}

/// A channel's daily totals, polled at Moscow midnights from `first` on, then the rollup.
pub async fn daily_totals(db: &Db, company_id: i64, channel: i64, first: chrono::NaiveDate, totals: &[&str]) {
    let batch: Vec<_> = totals
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let day = first + chrono::Duration::days(i as i64);
            let ts = app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, day);
            fixtures::polled(company_id, channel, app::storage::reading::Period::Day, ts, v.parse().unwrap())
        })
        .collect();
    app::storage::reading::insert_many(db, &batch).await.unwrap();
    app::rollup::refresh_stale(db, None, usize::MAX).await.unwrap();
}
