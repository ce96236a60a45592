//! A building's month of consumption per meter, from the same rollup the dashboard, the
//! subscribers' list and the reports read: a replaced meter's month counts under the meter
//! that replaced it.

use std::collections::HashMap;

use app::errors::AppError;
use app::models::Amount;
use app::storage::consumption_day::{self, Span};
use app::storage::{account, meter, object};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiCaller;
use super::problem::Problem;
use super::{params, ApiResult, ApiState};

/// One meter's month.
#[derive(Serialize, ToSchema)]
pub struct MeterMonth {
    pub meter_id: i64,
    pub serial: String,
    pub resource: String,
    pub unit: String,
    /// `individual` (ИПУ) or `common` (ОДПУ).
    pub placement: String,
    pub premise_id: Option<i64>,
    /// The premise's personal account (the lowest number where it has several).
    pub account: Option<String>,
    /// Consumption as decimal strings: the total and T1–T4; none where nothing was measured.
    pub total: Option<String>,
    pub t1: Option<String>,
    pub t2: Option<String>,
    pub t3: Option<String>,
    pub t4: Option<String>,
    /// Every day of the month measured: the figure will not change.
    pub complete: bool,
}

#[derive(Serialize, ToSchema)]
pub struct BuildingMonth {
    pub building_id: i64,
    /// `yyyy-mm`.
    pub month: String,
    pub meters: Vec<MeterMonth>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    pub building: i64,
    /// `yyyy-mm`, a calendar month in the building's time zone.
    pub month: String,
}

/// A building's consumption per meter for a calendar month.
#[utoipa::path(
    get,
    path = "/consumption",
    summary = "Расход дома за месяц по приборам",
    description = "Расход за календарный месяц по каждому прибору дома — те же цифры, что на главной, в «Абонентах» и в отчётах; расход заменённого прибора считается за новым.",
    tag = "consumption",
    security(("token" = [])),
    params(MonthQuery),
    responses(
        (status = 200, description = "Расход за месяц по приборам дома", body = BuildingMonth),
        (status = 400, description = "Параметр не разобран", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Нет действующего токена", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "В компании нет такого дома", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn month(
    State(s): State<ApiState>,
    Extension(c): Extension<ApiCaller>,
    q: Result<Query<MonthQuery>, QueryRejection>,
) -> ApiResult<BuildingMonth> {
    let lang = c.lang;
    let fail = |e: app::storage::StorageError| Problem::of(&AppError::from(e), lang);
    let q = params(q, lang)?;
    let month = NaiveDate::parse_from_str(&format!("{}-01", q.month.trim()), "%Y-%m-%d")
        .map_err(|_| Problem::bad_request(lang, format!("month: «{}» — ожидается yyyy-mm", q.month)))?;
    AppError::check_dates([&Some(month)]).map_err(|e| Problem::of(&e, lang))?;
    let o = object::get(&s.db, c.company_id(), q.building).await.map_err(fail)?;
    // readings that came since the last rollup are counted first, as on the pages
    app::rollup::refresh_stale(&s.db, Some(c.company_id()), app::queries::dashboard::REFRESH_BUDGET)
        .await
        .map_err(|e| Problem::of(&e, lang))?;
    let meters: HashMap<i64, meter::Meter> = meter::list_for_object(&s.db, c.company_id(), o.id)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let accounts = account::lowest_by_premise(&s.db, c.company_id(), o.id).await.map_err(fail)?;
    let mut figures = consumption_day::of_object(&s.db, c.company_id(), o.id, Span::Month, month)
        .await
        .map_err(fail)?;
    figures.sort_by_key(|(id, _)| *id);
    let text = |a: Amount| a.known().map(|d| d.normalize().to_string());
    let rows = figures
        .into_iter()
        .filter_map(|(id, v)| {
            let m = meters.get(&id)?;
            Some(MeterMonth {
                meter_id: id,
                serial: m.serial.clone(),
                resource: m.resource.as_str().into(),
                unit: m.resource.unit().into(),
                placement: m.placement.as_str().into(),
                premise_id: m.premise_id,
                account: m.premise_id.and_then(|p| accounts.get(&p).cloned()),
                total: text(v[0]),
                t1: text(v[1]),
                t2: text(v[2]),
                t3: text(v[3]),
                t4: text(v[4]),
                complete: v.iter().all(|a| !matches!(a, Amount::Partial(_))) && v[0].is_full(),
            })
        })
        .collect();
    Ok(Json(BuildingMonth {
        building_id: o.id,
        month: month.format("%Y-%m").to_string(),
        meters: rows,
    }))
}
