//! The open API (`/api/v1`): a versioned REST interface for 1С and other systems, beside the
//! Leptos server functions the pages use. Every call shows an API token, is scoped to the
//! token's company, held to the token's pace and written to the action log; errors are
//! RFC 9457 problem details. The OpenAPI 3.1 document is made from these handlers' own
//! types (`openapi.rs`), so it says what the code does.

pub mod auth;
pub mod billing;
pub mod buildings;
pub mod cli;
pub mod consumption;
pub mod docs;
pub mod limit;
pub mod meters;
pub mod openapi;
pub mod problem;
pub mod readings;

use std::sync::Arc;

use app::i18n::Lang;
use app::storage::Db;
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::Request;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use axum::http::StatusCode;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use problem::Problem;

/// What the API's handlers share: the database and every token's pace.
#[derive(Clone)]
pub struct ApiState {
    pub db: Db,
    pub limits: Arc<limit::Limits>,
}

/// The largest body: 10 000 readings in one call with room to spare.
pub const MAX_BODY: usize = 8 * 1024 * 1024;
/// Most items one page of a list holds, and the default.
pub const MAX_PAGE: i64 = 5_000;
pub const DEFAULT_PAGE: i64 = 1_000;

/// A handler's answer: JSON, or a problem.
pub type ApiResult<T> = Result<axum::Json<T>, Problem>;

/// The query's parameters, or a problem naming the one that did not read.
pub fn params<T>(q: Result<Query<T>, QueryRejection>, lang: Lang) -> Result<T, Problem> {
    q.map(|Query(v)| v).map_err(|e| Problem::bad_request(lang, e.body_text()))
}

/// A page size within bounds.
pub fn page_size(asked: Option<i64>) -> i64 {
    asked.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

async fn not_found(req: Request<axum::body::Body>) -> Response {
    Problem::not_found(problem::lang_of(req.headers())).into_response()
}

/// The API under `/api/v1`: the document and its page open to all, the rest behind a token.
pub fn router(db: Db) -> Router {
    let state = ApiState {
        db,
        limits: Arc::new(limit::Limits::default()),
    };
    let guarded = Router::new()
        .route("/buildings", get(buildings::list))
        .route("/buildings/{id}/premises", get(buildings::premises))
        .route("/meters", get(meters::list))
        .route("/readings", get(readings::list).post(readings::post))
        .route("/consumption", get(consumption::month))
        .route("/billing/runs", get(billing::runs))
        .route("/billing/runs/{id}/file", get(billing::file))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_token));
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/", get(docs::page))
        .route("/docs", get(docs::page))
        .merge(guarded)
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(RequestBodyTimeoutLayer::new(crate::web::BODY_TIMEOUT))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, crate::web::REQUEST_TIMEOUT))
        .with_state(state)
}
