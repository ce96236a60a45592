//! The HTTP side: Leptos pages and server functions, static files, health and metrics.

pub mod assets;
pub mod attachments;
pub mod export;
pub mod health;
pub mod metrics;
pub mod peer;
pub mod session_gate;

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
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub auth: AuthConfig,
    pub mail: app::mail::MailConfig,
    pub metrics: PrometheusHandle,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let (db, auth, mail) = (state.db.clone(), state.auth.clone(), state.mail.clone());
        move || {
            provide_context(db.clone());
            provide_context(auth.clone());
            provide_context(mail.clone());
        }
    };
    let options = state.leptos_options.clone();
    let pkg = assets::pkg_routes(&options.site_root, &options.site_pkg_dir);
    Router::new()
        .merge(pkg)
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::render))
        .route("/export/{name}", get(export::table))
        .route("/attachments", post(attachments::upload))
        .route("/attachments/{id}", get(attachments::download))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session_gate::require_session,
        ))
        .layer(middleware::from_fn(metrics::track))
        .layer(middleware::from_fn(peer::remember_peer))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
