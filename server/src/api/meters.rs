//! The company's meters, a page at a time: what a billing system matches by serial and
//! resource, with the digits a reading may have.

use app::errors::AppError;
use app::storage::meter;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiCaller;
use super::problem::Problem;
use super::{page_size, params, ApiResult, ApiState};

/// A meter (прибор учёта).
#[derive(Serialize, ToSchema)]
pub struct Meter {
    pub id: i64,
    pub building_id: i64,
    /// The premise of a flat meter (ИПУ); none for a common meter (ОДПУ).
    pub premise_id: Option<i64>,
    /// `individual` (ИПУ) or `common` (ОДПУ).
    pub placement: String,
    /// `electricity`, `heat`, `cold_water`, `hot_water`, `gas` or `wastewater`.
    pub resource: String,
    /// `kWh`, `Gcal` or `m3`.
    pub unit: String,
    pub model: String,
    pub serial: String,
    /// Tariffs (1–4).
    pub tariffs: i64,
    /// Digits before and after the decimal point a reading may have.
    pub digits_integer: u8,
    pub digits_fraction: u8,
    /// Transformer ratio and the like, as a decimal string.
    pub multiplier: String,
    /// `yyyy-mm-dd` dates.
    pub installed_on: Option<String>,
    pub verified_on: Option<String>,
    pub next_verification_on: Option<String>,
    /// `commissioning`, `in_operation`, `verification`, `repair` or `retired`.
    pub state: String,
    /// The meter this one replaced; its consumption continues here.
    pub replaces_meter_id: Option<i64>,
}

/// A page of meters.
#[derive(Serialize, ToSchema)]
pub struct MeterPage {
    pub items: Vec<Meter>,
    /// Pass as `cursor` for the next page; none on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeterQuery {
    /// Only this building's meters.
    pub building: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Meters per page, 1–5000 (1000 when not given).
    pub limit: Option<i64>,
}

fn date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// The company's meters by id, a page at a time.
#[utoipa::path(
    get,
    path = "/meters",
    summary = "Приборы учёта",
    description = "Приборы компании (или одного дома) по возрастанию id, страницами: разрядность, тарифы, коэффициент, даты поверки, состояние.",
    tag = "meters",
    security(("token" = [])),
    params(MeterQuery),
    responses(
        (status = 200, description = "Страница приборов учёта", body = MeterPage),
        (status = 400, description = "Параметр не разобран", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Нет действующего токена", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(s): State<ApiState>,
    Extension(c): Extension<ApiCaller>,
    q: Result<Query<MeterQuery>, QueryRejection>,
) -> ApiResult<MeterPage> {
    let q = params(q, c.lang)?;
    let after: i64 = match q.cursor.as_deref() {
        None | Some("") => 0,
        Some(v) => v.parse().map_err(|_| Problem::bad_request(c.lang, format!("cursor: «{v}»")))?,
    };
    let limit = page_size(q.limit);
    let meters = meter::page(&s.db, c.company_id(), q.building, after, limit)
        .await
        .map_err(|e| Problem::of(&AppError::from(e), c.lang))?;
    let next_cursor = (meters.len() as i64 == limit).then(|| meters.last().map(|m| m.id.to_string())).flatten();
    let items = meters
        .into_iter()
        .map(|m| Meter {
            id: m.id,
            building_id: m.object_id,
            premise_id: m.premise_id,
            placement: m.placement.as_str().into(),
            resource: m.resource.as_str().into(),
            unit: m.resource.unit().into(),
            model: m.model,
            serial: m.serial,
            tariffs: m.tariffs,
            digits_integer: m.capacity.integer(),
            digits_fraction: m.capacity.fraction(),
            multiplier: m.multiplier.normalize().to_string(),
            installed_on: date(m.installed_on),
            verified_on: date(m.verified_on),
            next_verification_on: date(m.next_verification_on),
            state: m.state.as_str().into(),
            replaces_meter_id: m.replaces_meter_id,
        })
        .collect();
    Ok(Json(MeterPage { items, next_cursor }))
}
