//! A company's files in through the browser: `POST /import?kind=…&object=…&write=…` takes
//! the file's bytes as the body (at most 64 MiB) and answers the import's report as JSON —
//! first without `write`, for the person to read, then with it. `GET /import/template?kind=…`
//! gives a CSV with the columns the import knows and one example row.

use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use app::errors::AppError;
use app::import::ImportError;
use app::models::import::ImportKind;
use app::models::Permission;

use super::attachments::{caller, failure, lang_of};
use super::AppState;

/// The largest file the browser may send (100 000 flats with accounts and owners are about
/// 15 MiB as CSV); bigger files go through `server import`.
pub const MAX_FILE: usize = 64 * 1024 * 1024;

#[derive(serde::Deserialize)]
pub struct ImportQuery {
    kind: String,
    #[serde(default)]
    object: Option<i64>,
    #[serde(default)]
    write: bool,
    #[serde(default)]
    name: String,
}

pub async fn upload(State(state): State<AppState>, Query(q): Query<ImportQuery>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let lang = lang_of(&parts);
    let c = match caller(&state, &parts).await {
        Ok(c) if c.role.allows(Permission::ManageObjects) => c,
        Ok(_) => return failure(AppError::Forbidden, lang),
        Err(e) => return failure(e, lang),
    };
    let Some(kind) = ImportKind::parse(&q.kind) else {
        return failure(AppError::NotFound, lang);
    };
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_FILE + 1).await {
        Ok(b) => b,
        Err(_) => {
            let text = "Файл больше 64 МБ: загрузите его командой server import";
            return (StatusCode::PAYLOAD_TOO_LARGE, text).into_response();
        }
    };
    match app::import::run(&state.db, c.company_id, kind, &bytes, q.object, q.write).await {
        Ok(report) => {
            if report.written {
                let counts: Vec<String> = report
                    .counts
                    .iter()
                    .map(|n| format!("{} +{} ~{}", n.entity, n.added, n.updated))
                    .collect();
                let details = format!("{} «{}»: {}", kind.as_str(), q.name, counts.join(", "));
                if let Err(e) = app::storage::audit::create(&state.db, Some(c.company_id), Some(c.user_id), "import", &details, &c.ip).await {
                    tracing::error!(error = %e, "import journal");
                }
                tracing::info!(company_id = c.company_id, kind = kind.as_str(), rows = report.rows, "file imported");
            }
            Json(report).into_response()
        }
        Err(ImportError::Table(e)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            e.to_string(),
        )
            .into_response(),
        Err(ImportError::Storage(e)) => failure(e.into(), lang),
    }
}

#[derive(serde::Deserialize)]
pub struct TemplateQuery {
    kind: String,
}

/// The columns of a kind and an example row, `;`-separated UTF-8 with its BOM (Excel opens
/// it in Russian).
pub async fn template(Query(q): Query<TemplateQuery>) -> Response {
    let Some(kind) = ImportKind::parse(&q.kind) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (titles, example): (Vec<&str>, &str) = match kind {
        ImportKind::Buildings => (
            app::import::buildings::FIELDS.iter().map(|f| f.title).collect(),
            "г. Москва, ул. Зари, д. 7;ЖК «Заря»;0c5b2444-70a0-4932-980c-b4dc0d3f02b5;нет;5432,1;214;12;3;МСК;55,7507;37,6177",
        ),
        ImportKind::Premises => (
            app::import::premises::FIELDS.iter().map(|f| f.title).collect(),
            "г. Москва, ул. Зари, д. 7;12;жилое;54,3;2;1;3;0076000112;Иванова Анна Петровна;+7 900 000-00-12;anna@example.ru;1/2;01.02.2025",
        ),
        ImportKind::Meters => (
            app::import::meters::FIELDS.iter().map(|f| f.title).collect(),
            "г. Москва, ул. Зари, д. 7;12;Электроэнергия;Меркурий 230 AR-01;41234567;4607012345678;6,2;2;1;3;15.03.2024;01.02.2024;16;;RS-485 подвал;Меркурий 230/236;67",
        ),
        ImportKind::Readings => (
            app::import::readings::FIELDS.iter().map(|f| f.title).collect(),
            "0076000112;41234567;Меркурий 230 AR-01;Электроэнергия;01.11.2026;;1234,56;567,89;;",
        ),
    };
    let body = format!("\u{feff}{}\r\n{example}\r\n", titles.join(";"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"uchet-{}.csv\"", kind.as_str()),
            ),
        ],
        body,
    )
        .into_response()
}
