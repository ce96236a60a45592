//! Buildings and their premises with personal accounts: what a billing system matches its
//! own records to.

use std::collections::HashMap;

use app::errors::AppError;
use app::storage::{account, object, premise};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::problem::Problem;
use super::{ApiResult, ApiState};

/// A building (объект) of the company.
#[derive(Serialize, ToSchema)]
pub struct Building {
    pub id: i64,
    pub name: String,
    pub address: String,
    /// ФИАС code, empty where not known.
    pub fias_code: String,
    /// IANA time zone the building's days and months are counted in.
    pub time_zone: String,
    pub premises: i64,
    pub meters: i64,
    pub archived: bool,
}

/// A personal account (лицевой счёт) of a premise.
#[derive(Serialize, ToSchema)]
pub struct Account {
    pub number: String,
    pub owner: String,
}

/// A premise (помещение): a flat or a non-residential room.
#[derive(Serialize, ToSchema)]
pub struct Premise {
    pub id: i64,
    pub number: String,
    /// `flat` or `nonresidential`.
    pub kind: String,
    pub entrance: Option<i64>,
    pub floor: Option<i64>,
    /// Total area, m², as a decimal string.
    pub area: String,
    pub residents: i64,
    pub accounts: Vec<Account>,
}

fn failed(lang: app::i18n::Lang) -> impl Fn(app::storage::StorageError) -> Problem {
    move |e| Problem::of(&AppError::from(e), lang)
}

/// The company's buildings, archived ones included and marked.
#[utoipa::path(
    get,
    path = "/buildings",
    summary = "Дома компании",
    description = "Все дома компании токена, архивные тоже (с отметкой), с числом помещений и приборов.",
    tag = "buildings",
    security(("token" = [])),
    responses(
        (status = 200, description = "Дома компании", body = Vec<Building>),
        (status = 401, description = "Нет действующего токена", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Превышен темп запросов токена", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(s): State<ApiState>, Extension(c): Extension<ApiCaller>) -> ApiResult<Vec<Building>> {
    let fail = failed(c.lang);
    let counts = object::list_counts(&s.db, c.company_id()).await.map_err(&fail)?;
    let buildings = object::list_with_archived(&s.db, c.company_id()).await.map_err(&fail)?;
    Ok(Json(
        buildings
            .into_iter()
            .map(|o| {
                let (premises, meters) = object::counts_of(&counts, o.id);
                Building {
                    id: o.id,
                    name: o.name,
                    address: o.address,
                    fias_code: o.fias_code,
                    time_zone: o.time_zone,
                    premises,
                    meters,
                    archived: o.archived_at.is_some(),
                }
            })
            .collect(),
    ))
}

/// A building's premises, each with its personal accounts.
#[utoipa::path(
    get,
    path = "/buildings/{id}/premises",
    summary = "Помещения дома с лицевыми счетами",
    description = "Квартиры и нежилые помещения дома по порядку номеров, у каждого — лицевые счета и владельцы.",
    tag = "buildings",
    security(("token" = [])),
    params(("id" = i64, Path, description = "Дом")),
    responses(
        (status = 200, description = "Помещения дома с лицевыми счетами", body = Vec<Premise>),
        (status = 401, description = "Нет действующего токена", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "В компании нет такого дома", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn premises(
    State(s): State<ApiState>,
    Extension(c): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> ApiResult<Vec<Premise>> {
    let fail = failed(c.lang);
    let id: i64 = id.parse().map_err(|_| Problem::not_found(c.lang))?;
    let o = object::get(&s.db, c.company_id(), id).await.map_err(&fail)?;
    let mut accounts: HashMap<i64, Vec<Account>> = HashMap::new();
    for a in account::list_for_object(&s.db, c.company_id(), o.id).await.map_err(&fail)? {
        accounts.entry(a.premise_id).or_default().push(Account { number: a.number, owner: a.owner_name });
    }
    // flats as people count them: 2 before 10
    let premises = premise::list(&s.db, c.company_id(), o.id).await.map_err(&fail)?;
    Ok(Json(
        premises
            .into_iter()
            .map(|p| Premise {
                accounts: accounts.remove(&p.id).unwrap_or_default(),
                id: p.id,
                number: p.number,
                kind: p.kind,
                entrance: p.entrance,
                floor: p.floor,
                area: p.area,
                residents: p.residents,
            })
            .collect(),
    ))
}
