//! The HTTP side: Leptos pages and server functions, static files, health and metrics.

pub mod api_status;
pub mod assets;
pub mod attachments;
pub mod export;
pub mod guard;
pub mod health;
pub mod import;
pub mod listen;
pub mod metrics;
pub mod peer;
pub mod session_gate;
pub mod unsubscribe;

use app::auth::AuthConfig;
use app::storage::Db;
use app::{shell, App};
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::{middleware, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// The largest request body but an upload's.
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// How long a body may take to arrive, and a request to be answered.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub auth: AuthConfig,
    pub mail: app::mail::MailConfig,
    pub metrics: PrometheusHandle,
    /// `UCHET_METRICS_TOKEN`: who shows it reads `/metrics` from anywhere, else only loopback.
    pub metrics_token: Option<String>,
    /// `UCHET_TRUSTED_PROXIES`: whose `X-Forwarded-For` names the client.
    pub proxies: peer::TrustedProxies,
    /// `UCHET_MAP_TILES`: the map's tile server (the pages' image policy allows it).
    pub map: app::monitoring::map::MapConfig,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let (db, auth, mail, map) = (state.db.clone(), state.auth.clone(), state.mail.clone(), state.map.clone());
        let tiles = map.origin();
        // one gate per server: its counts outlive the requests they count
        let gate = std::sync::Arc::new(app::auth::gate::SignInGate::default());
        move || {
            provide_context(db.clone());
            provide_context(auth.clone());
            provide_context(mail.clone());
            provide_context(gate.clone());
            provide_context(map.clone());
            // a page's scripts run only with this response's nonce (Leptos puts it on its
            // own inline scripts); server functions answer JSON and carry no policy
            if let (Some(nonce), Some(res)) = (
                leptos::nonce::use_nonce(),
                leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            ) {
                if let Ok(v) = axum::http::HeaderValue::from_str(&guard::content_security_policy(&nonce, tiles.as_deref())) {
                    res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
                }
            }
        }
    };
    let options = state.leptos_options.clone();
    let pkg = assets::pkg_routes(&options.site_root, &options.site_pkg_dir);
    Router::new()
        .merge(pkg)
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::render))
        .route("/export/{name}", get(export::table))
        .route("/billing/file/{id}", get(export::billing_file))
        .route("/attachments/{id}", get(attachments::download))
        .route("/alerts/unsubscribe/{token}", get(unsubscribe::ask).post(unsubscribe::confirm))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        // Every request body is small (a form, a send of typed readings: a building of 5 000
        // values is under 1 MiB) and must arrive at a walking pace; a request is answered
        // within two minutes. Uploads, added after this layer, keep their own 10 MiB limit.
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        // the open API: its own body limit (10 000 readings in a call) and answers
        .nest_service("/api/v1", crate::api::router(state.db.clone()))
        .route("/attachments", post(attachments::upload))
        .route("/import", post(import::upload))
        .route("/import/template", get(import::template))
        .layer(middleware::from_fn(api_status::from_error))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session_gate::require_session,
        ))
        .layer(middleware::from_fn(metrics::track))
        .layer(middleware::from_fn_with_state(
            guard::Guard { https: state.auth.secure_cookies },
            guard::guard,
        ))
        .layer(middleware::from_fn_with_state(state.proxies.clone(), peer::remember_peer))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
