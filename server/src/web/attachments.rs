//! Files attached to requests and notices: `POST /attachments?name=…` takes the file's bytes
//! as the body (at most 10 MB; a photo or a PDF), `GET /attachments/{id}` gives them back to
//! whoever may read them. The rules are the app's (`app::attachments`).

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use app::auth::caller::current_of;
use app::errors::AppError;
use app::i18n::{Lang, LANG_COOKIE};
use app::prefs::cookie_value;

use super::AppState;

#[derive(serde::Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    name: String,
}

pub(super) fn lang_of(parts: &http::request::Parts) -> Lang {
    parts
        .headers
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| cookie_value(h, LANG_COOKIE))
        .map(|v| Lang::parse(&v))
        .unwrap_or_default()
}

pub(super) fn failure(e: AppError, lang: Lang) -> Response {
    (
        e.status_code(),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        e.text(lang),
    )
        .into_response()
}

pub(super) async fn caller(
    state: &AppState,
    parts: &http::request::Parts,
) -> Result<app::auth::caller::Caller, AppError> {
    current_of(&state.db, parts)
        .await?
        .ok_or(AppError::NotSignedIn)
}

pub async fn upload(
    State(state): State<AppState>,
    Query(q): Query<UploadQuery>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let lang = lang_of(&parts);
    let c = match caller(&state, &parts).await {
        Ok(c) => c,
        Err(e) => return failure(e, lang),
    };
    let limit = app::storage::attachment::MAX_BYTES;
    let bytes: Bytes = match axum::body::to_bytes(body, limit + 1).await {
        Ok(b) => b,
        Err(_) => {
            let e = AppError::invalid(app::i18n::Msg::NoticeAttachment, app::errors::Problem::TooLong);
            return failure(e, lang);
        }
    };
    match app::attachments::upload(&state.db, &c, &q.name, &bytes).await {
        Ok(a) => (StatusCode::CREATED, Json(a)).into_response(),
        Err(e) => failure(e, lang),
    }
}

pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let lang = lang_of(&parts);
    let c = match caller(&state, &parts).await {
        Ok(c) => c,
        Err(e) => return failure(e, lang),
    };
    let (a, bytes) = match app::attachments::open(&state.db, &c, id).await {
        Ok(found) => found,
        Err(e) => return failure(e, lang),
    };
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    // the type was recognised from the bytes at upload; photos and PDFs open in the browser
    if let Ok(v) = HeaderValue::from_str(&a.mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    let encoded = app::models::format::url_encode(&a.name);
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename*=UTF-8''{encoded}")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    res
}
