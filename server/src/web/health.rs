//! `/healthz`: 200 when the database answers, 503 when it does not. The version is told only
//! to a signed-in person: a stranger learns nothing that helps pick an exploit.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::AppState;

pub async fn healthz(State(state): State<AppState>, req: Request) -> (StatusCode, Json<Value>) {
    let db_ok = sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(state.db.pool())
        .await
        .is_ok();
    let backend = format!("{:?}", state.db.backend()).to_lowercase();
    let status = if db_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let mut body = json!({ "status": if db_ok { "ok" } else { "database unavailable" }, "database": backend });
    let (parts, _) = req.into_parts();
    let signed_in = db_ok
        && app::auth::caller::current_of(&state.db, &parts)
            .await
            .ok()
            .flatten()
            .is_some();
    if signed_in {
        body["version"] = json!(env!("CARGO_PKG_VERSION"));
    }
    (status, Json(body))
}
