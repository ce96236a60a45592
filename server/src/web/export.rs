//! File downloads of tables (`/export/readings.xlsx`, `.csv`): plain GET links that carry
//! the page's own query, so the file holds exactly what the table shows, all pages. The
//! same session and permission check as the server functions.

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use app::auth::caller::authorize_request;
use app::errors::AppError;
use app::exports::{self, Sheet};
use app::i18n::{Lang, LANG_COOKIE};
use app::models::readings_table::ReadingsQuery;
use app::models::Permission;
use app::prefs::cookie_value;

use super::AppState;

/// What the cookie header says about language and the chosen building.
fn cookie(parts: &http::request::Parts, name: &str) -> Option<String> {
    let h = parts.headers.get(header::COOKIE)?.to_str().ok()?;
    cookie_value(h, name)
}

fn failure(e: AppError, lang: Lang) -> Response {
    (
        e.status_code(),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        e.text(lang),
    )
        .into_response()
}

fn file(sheet: &Sheet, stem: &str, format: &str, lang: Lang) -> Response {
    let (bytes, mime) = match format {
        "xlsx" => match sheet.to_xlsx() {
            Ok(b) => (
                b,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            Err(e) => {
                tracing::error!(error = %e, "xlsx export failed");
                return failure(AppError::Internal, lang);
            }
        },
        "csv" => (sheet.to_csv().into_bytes(), "text/csv; charset=utf-8"),
        _ => return failure(AppError::NotFound, lang),
    };
    let disposition = format!("attachment; filename=\"{stem}.{format}\"");
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `/export/{table}.{xlsx|csv}?…`: the table's own query after its name.
pub async fn table(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let lang = cookie(&parts, LANG_COOKIE)
        .map(|v| Lang::parse(&v))
        .unwrap_or_default();
    let Some((table, format)) = name.split_once('.') else {
        return (StatusCode::NOT_FOUND, "").into_response();
    };
    let needs = match table {
        "readings" | "not-polled" | "subscribers" => Permission::ViewData,
        "requests" => Permission::HandleRequests,
        "audit" => Permission::ManageUsers,
        _ => return (StatusCode::NOT_FOUND, "").into_response(),
    };
    let caller = match authorize_request(&state.db, &parts, needs).await {
        Ok(c) => c,
        Err(e) => return failure(e, lang),
    };
    match table {
        "not-polled" => return not_polled(&state, &caller, &pairs, format, lang).await,
        "requests" => return requests(&state, &caller, &pairs, format, lang).await,
        "audit" => return audit(&state, &caller, &pairs, format, lang).await,
        "subscribers" => return subscribers(&state, &caller, &pairs, format, lang).await,
        _ => {}
    }
    let query = ReadingsQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let chosen =
        cookie(&parts, app::components::layout::OBJECT_COOKIE).and_then(|v| v.parse().ok());
    let table = match app::queries::readings_table::table(&state.db, &caller, &query, chosen).await
    {
        Ok(t) => t,
        Err(e) => return failure(e, lang),
    };
    let stem = format!(
        "readings-{}-{}",
        table.object.id,
        table.date.format("%Y-%m-%d")
    );
    file(&exports::readings::sheet(&table, lang), &stem, format, lang)
}

/// `/export/not-polled.{xlsx|csv}?object=…&days=…`
async fn not_polled(
    state: &AppState,
    caller: &app::auth::caller::Caller,
    pairs: &[(String, String)],
    format: &str,
    lang: Lang,
) -> Response {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let object = get("object").and_then(|v| v.parse().ok());
    let days = get("days")
        .and_then(|v| v.parse().ok())
        .unwrap_or(app::models::not_polled::DEFAULT_DAYS);
    match app::queries::not_polled::list(&state.db, caller, object, days).await {
        Ok(list) => {
            let stem = format!("not-polled-{}", chrono::Utc::now().format("%Y-%m-%d"));
            file(&exports::not_polled::sheet(&list, lang), &stem, format, lang)
        }
        Err(e) => failure(e, lang),
    }
}

/// `/export/requests.{xlsx|csv}?stage=…&object=…`: the desk under the same filters.
async fn requests(
    state: &AppState,
    caller: &app::auth::caller::Caller,
    pairs: &[(String, String)],
    format: &str,
    lang: Lang,
) -> Response {
    let filter = app::models::request::DeskFilter::from_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    match app::queries::requests::desk(&state.db, caller, &filter).await {
        Ok(desk) => {
            let stem = format!("requests-{}", chrono::Utc::now().format("%Y-%m-%d"));
            file(&exports::requests::sheet(&desk, lang), &stem, format, lang)
        }
        Err(e) => failure(e, lang),
    }
}

/// `/export/audit.{xlsx|csv}?user=…&action=…&from=…&to=…`: the actions log under its filters.
async fn audit(
    state: &AppState,
    caller: &app::auth::caller::Caller,
    pairs: &[(String, String)],
    format: &str,
    lang: Lang,
) -> Response {
    let query = app::models::audit::AuditQuery::from_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    match app::queries::audit::journal(&state.db, caller, &query).await {
        Ok(view) => {
            let stem = format!("audit-{}", chrono::Utc::now().format("%Y-%m-%d"));
            file(&exports::audit::sheet(&view, lang), &stem, format, lang)
        }
        Err(e) => failure(e, lang),
    }
}

/// `/export/subscribers.{xlsx|csv}?object=…&month=…&q=…`: every account of the list, all pages.
async fn subscribers(
    state: &AppState,
    caller: &app::auth::caller::Caller,
    pairs: &[(String, String)],
    format: &str,
    lang: Lang,
) -> Response {
    let query = app::models::subscribers::SubscribersQuery::from_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    match app::queries::subscribers::table(&state.db, caller, &query).await {
        Ok(t) => {
            let stem = format!("subscribers-{}-{}", t.object.id, t.month.format("%Y-%m"));
            file(&exports::subscribers::sheet(&t, lang), &stem, format, lang)
        }
        Err(e) => failure(e, lang),
    }
}
