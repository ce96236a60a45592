//! The billing export's runs and their files, for a billing system that fetches the month's
//! file itself instead of waiting for someone to download and send it.

use app::errors::AppError;
use app::storage::billing_export;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::problem::Problem;
use super::{ApiResult, ApiState};

/// Runs one list shows, newest first.
const RUNS_SHOWN: i64 = 200;

/// A run of the billing export.
#[derive(Serialize, ToSchema)]
pub struct BillingRun {
    pub id: i64,
    /// The billing period, `yyyy-mm`.
    pub period: String,
    /// `gis_zhkh` (XLSX for ГИС ЖКХ) or `1c` (CSV for 1С).
    pub template: String,
    /// `running`, `success`, `with_errors` or `failed`.
    pub status: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Meters sent, not sent, and changed since the run this one repeats.
    pub sent: i64,
    pub not_sent: i64,
    pub changed: i64,
    /// The run this one repeats.
    pub again_of: Option<i64>,
    pub file_name: String,
}

fn utc(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).unwrap_or_default().to_rfc3339()
}

/// The company's billing export runs, newest first (the last 200).
#[utoipa::path(
    get,
    path = "/billing/runs",
    summary = "Выгрузки в биллинг",
    description = "Последние 200 выгрузок компании, новые первыми: период, шаблон, итог, сколько передано и не передано.",
    tag = "billing",
    security(("token" = [])),
    responses(
        (status = 200, description = "Выгрузки в биллинг", body = Vec<BillingRun>),
        (status = 401, description = "Нет действующего токена", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn runs(State(s): State<ApiState>, Extension(c): Extension<ApiCaller>) -> ApiResult<Vec<BillingRun>> {
    let runs = billing_export::list(&s.db, c.company_id(), RUNS_SHOWN)
        .await
        .map_err(|e| Problem::of(&AppError::from(e), c.lang))?;
    Ok(Json(
        runs.into_iter()
            .map(|r| BillingRun {
                id: r.id,
                period: r.period.format("%Y-%m").to_string(),
                template: r.template.as_str().into(),
                status: r.status.as_str().into(),
                started_at: utc(r.started_at),
                finished_at: r.finished_at.map(utc),
                sent: r.sent,
                not_sent: r.not_sent,
                changed: r.changed,
                again_of: r.again_of,
                file_name: r.file_name,
            })
            .collect(),
    ))
}

/// A run's file exactly as it was handed over.
#[utoipa::path(
    get,
    path = "/billing/runs/{id}/file",
    summary = "Файл выгрузки",
    description = "Файл выгрузки байт в байт таким, каким он был передан.",
    tag = "billing",
    security(("token" = [])),
    params(("id" = i64, Path, description = "Выгрузка")),
    responses(
        (status = 200, description = "Файл выгрузки: XLSX (ГИС ЖКХ) или CSV (1С)", content_type = "application/octet-stream"),
        (status = 401, description = "Нет действующего токена", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Нет такой выгрузки или у неё нет файла", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn file(State(s): State<ApiState>, Extension(c): Extension<ApiCaller>, Path(id): Path<String>) -> Response {
    let found = async {
        let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        let run = billing_export::get(&s.db, c.company_id(), id).await?;
        let bytes = billing_export::content(&s.db, c.company_id(), id).await?;
        Ok::<_, AppError>((run, bytes))
    }
    .await;
    match found {
        Ok((run, bytes)) => crate::web::export::run_file(&run, bytes),
        Err(e) => Problem::of(&e, c.lang).into_response(),
    }
}
