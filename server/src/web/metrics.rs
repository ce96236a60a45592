//! Prometheus metrics: request counts and latencies by kind, plus what the app records.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
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
}

/// Request kind as a low-cardinality label.
fn kind(path: &str) -> &'static str {
    if path.starts_with("/api/") {
        "server_fn"
    } else if path.starts_with("/pkg/") || path.contains('.') {
        "asset"
    } else {
        "page"
    }
}

pub async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let kind = kind(req.uri().path());
    let method = req.method().to_string();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("uchet_http_requests_total", "kind" => kind, "method" => method, "status" => status).increment(1);
    metrics::histogram!("uchet_http_request_duration_seconds", "kind" => kind)
        .record(started.elapsed().as_secs_f64());
    response
}
