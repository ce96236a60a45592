//! Prometheus metrics: request counts and latencies by kind, plus what the app records.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// `/metrics` answers the machine itself (a Prometheus beside the server) or whoever shows
/// `UCHET_METRICS_TOKEN` as a bearer token; anyone else gets 404.
pub async fn render(State(state): State<AppState>, req: Request) -> Response {
    let token_ok = match &state.metrics_token {
        Some(token) => req
            .headers()
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.as_bytes(), token.as_bytes())),
        None => false,
    };
    let loopback = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .is_some_and(|c| c.0.ip().is_loopback());
    if !(token_ok || loopback) {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    let pool = state.db.pool();
    metrics::gauge!("uchet_db_connections").set(pool.size() as f64);
    metrics::gauge!("uchet_db_idle_connections").set(pool.num_idle() as f64);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        state.metrics.render(),
    )
        .into_response()
}

/// Compares without telling by its time how much of the token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Request kind as a low-cardinality label.
fn kind(path: &str) -> &'static str {
    if path.starts_with("/api/v1/") {
        "open_api"
    } else if path.starts_with("/api/") {
        "server_fn"
    } else if path.starts_with("/pkg/") || path.contains('.') {
        "asset"
    } else {
        "page"
    }
}

/// The method as a label: the usual ones by name, anything else as one word, so a client
/// inventing methods cannot grow the metrics without bound.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method as M;
    match *method {
        M::GET => "GET",
        M::POST => "POST",
        M::PUT => "PUT",
        M::PATCH => "PATCH",
        M::DELETE => "DELETE",
        M::HEAD => "HEAD",
        M::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

pub async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let kind = kind(req.uri().path());
    let method = method_label(req.method());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("uchet_http_requests_total", "kind" => kind, "method" => method, "status" => status).increment(1);
    metrics::histogram!("uchet_http_request_duration_seconds", "kind" => kind)
        .record(started.elapsed().as_secs_f64());
    response
}
