//! Readings: a building's or a meter's, a page at a time, exact to the last digit stored; and
//! readings another system posts, through the same checks and the same write-once path as
//! readings typed in the field (a client id sent again stores nothing twice).

use std::collections::HashMap;

use app::errors::AppError;
use app::ingest::entry::{submit, Author};
use app::models::api::ApiScope;
use app::models::entry::{EntryInput, EntryProblem, EntryResult, TypedValue};
use app::queries::readings_table::zone;
use app::models::{MeterState, Resource};
use app::storage::reading::{self, flags, Kind, Period, Position, Source};
use app::storage::{meter, object};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{ApiCaller, Note};
use super::problem::Problem;
use super::{page_size, params, ApiResult, ApiState};

/// Most readings one call may post.
pub const MAX_POSTED: usize = 10_000;
/// How far back a posted reading may be dated, and how far ahead (clocks differ).
const MAX_AGE_SECONDS: i64 = 62 * 86_400;
const MAX_AHEAD_SECONDS: i64 = 300;

/// A stored reading.
#[derive(Serialize, ToSchema)]
pub struct Reading {
    pub meter_id: i64,
    pub channel_id: i64,
    /// What the channel measures: `energy_a_plus`, `volume`, `heat_energy`…
    pub parameter: String,
    pub unit: String,
    /// `instant` (a meter reading), `hour`, `day` or `month` (an archive record).
    pub period: String,
    /// `integral` (the register's running total) or `interval` (consumption over the period).
    pub kind: String,
    /// The moment, RFC 3339 in the building's time zone.
    pub at: String,
    /// Values as decimal strings, exact: the total (a one-tariff meter's reading) and T1–T4.
    pub total: Option<String>,
    pub t1: Option<String>,
    pub t2: Option<String>,
    pub t3: Option<String>,
    pub t4: Option<String>,
    /// `poll`, `lora`, `dispatcher`, `field_staff`, `resident`, `estimate`, `import` or `api`.
    pub source: String,
    /// `decreased`, `jump`, `estimated`, `needs_confirmation`, `rejected`.
    pub flags: Vec<String>,
}

/// A page of readings.
#[derive(Serialize, ToSchema)]
pub struct ReadingPage {
    pub items: Vec<Reading>,
    /// Pass as `cursor` for the next page; none on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadingQuery {
    /// The building (or give `meter`).
    pub building: Option<i64>,
    /// Only this meter's readings.
    pub meter: Option<i64>,
    /// First day, `yyyy-mm-dd`, in the building's time zone (the month's 1st when not given).
    pub from: Option<String>,
    /// Last day, `yyyy-mm-dd`, included (today when not given).
    pub to: Option<String>,
    /// `instant` (meter readings, the default), `hour`, `day`, `month` or `all`.
    pub period: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Readings per page, 1–5000 (1000 when not given).
    pub limit: Option<i64>,
}

fn decimal(v: Option<Decimal>) -> Option<String> {
    v.map(|d| d.normalize().to_string())
}

fn period_name(p: Period) -> &'static str {
    match p {
        Period::Instant => "instant",
        Period::Hour => "hour",
        Period::Day => "day",
        Period::Month => "month",
    }
}

fn flag_names(f: i64) -> Vec<String> {
    [
        (flags::DECREASED, "decreased"),
        (flags::JUMP, "jump"),
        (flags::ESTIMATED, "estimated"),
        (flags::NEEDS_CONFIRMATION, "needs_confirmation"),
        (flags::REJECTED, "rejected"),
    ]
    .into_iter()
    .filter(|(bit, _)| f & bit != 0)
    .map(|(_, name)| name.to_string())
    .collect()
}

fn rfc3339(tz: Tz, ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
        .to_rfc3339()
}

fn day(lang: app::i18n::Lang, name: &str, v: Option<&str>) -> Result<Option<NaiveDate>, Problem> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| Problem::bad_request(lang, format!("{name}: «{v}» — ожидается дата yyyy-mm-dd"))),
    }
}

fn cursor_of(v: Option<&str>, lang: app::i18n::Lang) -> Result<Position, Problem> {
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        return Ok(Position { channel_id: 0, period: -1, ts: i64::MIN });
    };
    let parts: Vec<i64> = v.split('.').filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [channel_id, period, ts] if v.split('.').count() == 3 => Ok(Position { channel_id, period, ts }),
        _ => Err(Problem::bad_request(lang, format!("cursor: «{v}»"))),
    }
}

/// A building's (or one meter's) readings in a span of days, a page at a time, by channel
/// and then time.
#[utoipa::path(
    get,
    path = "/readings",
    tag = "readings",
    summary = "Показания дома или прибора",
    description = "Показания за дни в часовом поясе дома, страницами по каналу, периоду и времени; значения — точные десятичные строки.",
    security(("token" = [])),
    params(ReadingQuery),
    responses(
        (status = 200, description = "Страница показаний", body = ReadingPage),
        (status = 400, description = "Параметр не разобран", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Нет действующего токена", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "В компании нет такого дома или прибора", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Даты вне допустимого диапазона", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(s): State<ApiState>,
    Extension(c): Extension<ApiCaller>,
    q: Result<Query<ReadingQuery>, QueryRejection>,
) -> ApiResult<ReadingPage> {
    let lang = c.lang;
    let fail = |e: app::storage::StorageError| Problem::of(&AppError::from(e), lang);
    let q = params(q, lang)?;
    let object_id = match (q.meter, q.building) {
        (Some(m), _) => meter::get(&s.db, c.company_id(), m).await.map_err(fail)?.object_id,
        (None, Some(b)) => b,
        (None, None) => return Err(Problem::bad_request(lang, "building: укажите дом (building) или прибор (meter)".into())),
    };
    if q.building.is_some_and(|b| b != object_id) {
        return Err(Problem::not_found(lang));
    }
    let o = object::get(&s.db, c.company_id(), object_id).await.map_err(fail)?;
    let tz = zone(&o);
    let (from, to) = (day(lang, "from", q.from.as_deref())?, day(lang, "to", q.to.as_deref())?);
    AppError::check_dates([&from, &to]).map_err(|e| Problem::of(&e, lang))?;
    let today = app::consumption::calendar::local_date(tz, app::storage::now());
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to.with_day0(0).unwrap_or(to));
    if from > to {
        return Err(Problem::unprocessable(lang, "from: первый день позже последнего".into()));
    }
    let periods: Vec<Period> = match q.period.as_deref().map(str::trim).unwrap_or("instant") {
        "instant" | "" => vec![Period::Instant],
        "hour" => vec![Period::Hour],
        "day" => vec![Period::Day],
        "month" => vec![Period::Month],
        "all" => vec![Period::Instant, Period::Hour, Period::Day, Period::Month],
        other => return Err(Problem::bad_request(lang, format!("period: «{other}» — instant, hour, day, month или all"))),
    };
    let after = cursor_of(q.cursor.as_deref(), lang)?;
    let limit = page_size(q.limit);
    let span = (
        app::consumption::calendar::day_start(tz, from),
        app::consumption::calendar::day_start(tz, to + chrono::Days::new(1)),
    );
    let rows = reading::page_of_object(&s.db, c.company_id(), o.id, q.meter, &periods, span, after, limit)
        .await
        .map_err(fail)?;
    let next_cursor = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|(_, r)| format!("{}.{}.{}", r.channel_id, r.period as i64, r.ts)))
        .flatten();
    let items = rows
        .into_iter()
        .map(|(of, r)| Reading {
            meter_id: of.meter_id,
            channel_id: r.channel_id,
            parameter: of.parameter,
            unit: of.unit,
            period: period_name(r.period).into(),
            kind: if r.kind == Kind::Integral { "integral" } else { "interval" }.into(),
            at: rfc3339(tz, r.ts),
            total: decimal(r.total),
            t1: decimal(r.tariffs[0]),
            t2: decimal(r.tariffs[1]),
            t3: decimal(r.tariffs[2]),
            t4: decimal(r.tariffs[3]),
            source: app::queries::meter_card::source_name(r.source).into(),
            flags: flag_names(r.flags),
        })
        .collect();
    Ok(Json(ReadingPage { items, next_cursor }))
}

/// A value of a posted reading.
#[derive(Deserialize, ToSchema)]
pub struct PostedValue {
    /// 1–4 for a tariff; 0 (or 1) for a one-tariff meter's reading.
    pub tariff: u8,
    /// The register's reading as a decimal string (`"12345.678"`, a comma also read), no more
    /// digits than the meter has. A string, never a JSON number: readings stay exact.
    pub value: String,
}

/// A reading another system posts.
#[derive(Deserialize, ToSchema)]
pub struct PostedReading {
    /// The sender's own id of this reading: the same id sent again stores nothing twice.
    pub client_id: String,
    /// Uchet's id of the meter (see `/meters`); or name it by `serial`.
    pub meter_id: Option<i64>,
    /// The meter's serial number, when `meter_id` is not given.
    pub serial: Option<String>,
    /// With `serial`, where two meters of the company share a serial: `electricity`, `heat`,
    /// `cold_water`, `hot_water`, `gas` or `wastewater`.
    pub resource: Option<String>,
    /// When it was read, RFC 3339; now when not given. At most 62 days back.
    pub taken_at: Option<String>,
    pub values: Vec<PostedValue>,
}

#[derive(Deserialize, ToSchema)]
pub struct PostReadings {
    /// Up to 10 000 readings.
    pub readings: Vec<PostedReading>,
}

/// A value not stored, and why.
#[derive(Serialize, ToSchema)]
pub struct RefusedValue {
    pub tariff: u8,
    /// `empty`, `not_a_number`, `too_many_integer_digits`, `too_many_fraction_digits`,
    /// `no_such_tariff`, `unknown_meter`, `meter_ambiguous`, `no_meter`, `bad_client_id`,
    /// `bad_taken_at`, `taken_at_out_of_range`.
    pub problem: String,
    /// The same in words (Russian, or English when asked).
    pub message: String,
}

/// What became of one posted reading.
#[derive(Serialize, ToSchema)]
pub struct PostedResult {
    pub client_id: String,
    /// `stored`, `partly_stored` (some values refused), `duplicate` (stored by an earlier call)
    /// or `refused`.
    pub status: String,
    /// The checks' marks on a stored reading: `decreased`, `jump`, `needs_confirmation`.
    pub flags: Vec<String>,
    pub refused: Vec<RefusedValue>,
}

#[derive(Serialize, ToSchema)]
pub struct PostAnswer {
    pub sent: usize,
    pub stored: usize,
    pub duplicates: usize,
    pub refused: usize,
    /// One per posted reading, in the order sent.
    pub results: Vec<PostedResult>,
}

fn problem_code(p: EntryProblem) -> &'static str {
    match p {
        EntryProblem::Empty => "empty",
        EntryProblem::NotANumber => "not_a_number",
        EntryProblem::TooManyIntegerDigits { .. } => "too_many_integer_digits",
        EntryProblem::TooManyFractionDigits { .. } => "too_many_fraction_digits",
        EntryProblem::NoSuchTariff => "no_such_tariff",
        EntryProblem::UnknownMeter => "unknown_meter",
        EntryProblem::BadEntryId => "bad_client_id",
    }
}

fn result_of(r: EntryResult, lang: app::i18n::Lang) -> PostedResult {
    let status = match (r.stored, r.duplicate, r.refused.is_empty()) {
        (_, true, _) => "duplicate",
        (true, _, true) => "stored",
        (true, _, false) => "partly_stored",
        (false, _, _) => "refused",
    };
    PostedResult {
        client_id: r.entry_id,
        status: status.into(),
        flags: flag_names(r.flags),
        refused: r
            .refused
            .into_iter()
            .map(|v| RefusedValue { tariff: v.tariff, problem: problem_code(v.problem).into(), message: v.problem.text(lang) })
            .collect(),
    }
}

/// The company's meters by serial, read once for a call that names meters so.
#[derive(Default)]
struct Serials(HashMap<String, Vec<(i64, Resource, MeterState)>>);

type Refusal = (&'static str, &'static str, &'static str);

impl Serials {
    async fn of(db: &app::storage::Db, company_id: i64) -> Result<Serials, app::storage::StorageError> {
        let mut by = HashMap::<String, Vec<_>>::new();
        for (m, _, _) in meter::list_for_company(db, company_id).await? {
            by.entry(m.serial.trim().to_string()).or_default().push((m.id, m.resource, m.state));
        }
        Ok(Serials(by))
    }

    /// The meter with this serial (and resource): one in service, or the only one there is.
    fn find(&self, serial: &str, resource: Option<&str>) -> Result<i64, Refusal> {
        let resource = match resource.map(str::trim).filter(|r| !r.is_empty()) {
            None => None,
            Some(r) => Some(Resource::parse(r).ok_or(("unknown_meter", "Неизвестный ресурс прибора", "Unknown resource of the meter"))?),
        };
        let found: Vec<&(i64, Resource, MeterState)> =
            self.0.get(serial).into_iter().flatten().filter(|(_, r, _)| resource.is_none_or(|want| *r == want)).collect();
        let working: Vec<_> = found.iter().filter(|(_, _, s)| *s != MeterState::Retired).collect();
        match (working.as_slice(), found.as_slice()) {
            ([one], _) => Ok(one.0),
            ([], [one]) => Ok(one.0),
            ([], []) => Err(("unknown_meter", "Прибор с таким заводским номером не найден", "No meter with this serial number")),
            _ => Err(("meter_ambiguous", "Заводской номер у нескольких приборов: укажите resource или meter_id", "Several meters have this serial: give resource or meter_id")),
        }
    }
}

/// A reading refused whole before the checks (its meter or its date).
fn refused_whole(p: &PostedReading, problem: &str, ru: &str, en: &str, lang: app::i18n::Lang) -> PostedResult {
    PostedResult {
        client_id: p.client_id.clone(),
        status: "refused".into(),
        flags: Vec::new(),
        refused: p
            .values
            .iter()
            .map(|v| RefusedValue {
                tariff: v.tariff,
                problem: problem.into(),
                message: if lang == app::i18n::Lang::En { en } else { ru }.into(),
            })
            .collect(),
    }
}

/// Stores readings another system took: each value within the meter's digits and checked
/// against its past like a typed one; one refused value does not stop the others.
#[utoipa::path(
    post,
    path = "/readings",
    tag = "readings",
    summary = "Передать показания",
    description = "До 10 000 показаний за запрос. Каждое проходит те же проверки, что введённое вручную (разрядность прибора, уменьшение, скачок расхода), и сохраняется один раз по client_id отправителя: повтор запроса ничего не удваивает. Отклонённое значение не мешает остальным.",
    security(("token" = [])),
    request_body = PostReadings,
    responses(
        (status = 200, description = "Что стало с каждым показанием", body = PostAnswer),
        (status = 400, description = "Тело запроса — не описанный JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Нет действующего токена", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Токен только для чтения", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Больше 10 000 показаний в одном запросе", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post(
    State(s): State<ApiState>,
    Extension(c): Extension<ApiCaller>,
    body: Result<Json<PostReadings>, JsonRejection>,
) -> Response {
    match posted(&s, &c, body).await {
        Ok(answer) => {
            let note = format!(
                "передано {}, сохранено {}, повторов {}, отклонено {}",
                answer.sent, answer.stored, answer.duplicates, answer.refused
            );
            let mut res = Json(answer).into_response();
            res.extensions_mut().insert(Note(note));
            res
        }
        Err(p) => p.into_response(),
    }
}

async fn posted(s: &ApiState, c: &ApiCaller, body: Result<Json<PostReadings>, JsonRejection>) -> Result<PostAnswer, Problem> {
    let lang = c.lang;
    c.need(ApiScope::Write)?;
    let Json(body) = body.map_err(|e| Problem::bad_request(lang, e.body_text()))?;
    if body.readings.len() > MAX_POSTED {
        return Err(Problem::unprocessable(
            lang,
            format!("readings: {} в одном запросе, можно не больше {MAX_POSTED}", body.readings.len()),
        ));
    }
    let now = app::storage::now();
    let serials = if body.readings.iter().any(|p| p.meter_id.is_none()) {
        Serials::of(&s.db, c.company_id()).await.map_err(|e| Problem::of(&AppError::from(e), lang))?
    } else {
        Serials::default()
    };
    let mut results: Vec<Option<PostedResult>> = Vec::with_capacity(body.readings.len());
    let mut entries = Vec::new();
    for p in &body.readings {
        let meter_id = match (p.meter_id, p.serial.as_deref().map(str::trim).filter(|v| !v.is_empty())) {
            (Some(id), _) => id,
            (None, Some(serial)) => match serials.find(serial, p.resource.as_deref()) {
                Ok(id) => id,
                Err((code, ru, en)) => {
                    results.push(Some(refused_whole(p, code, ru, en, lang)));
                    continue;
                }
            },
            (None, None) => {
                results.push(Some(refused_whole(p, "no_meter", "Не указан прибор: meter_id или serial", "No meter given: meter_id or serial", lang)));
                continue;
            }
        };
        let taken_at = match p.taken_at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => match chrono::DateTime::parse_from_rfc3339(t) {
                Err(_) => {
                    results.push(Some(refused_whole(p, "bad_taken_at", "Дата показания не в формате RFC 3339", "The reading's date is not RFC 3339", lang)));
                    continue;
                }
                Ok(at) if at.timestamp() < now - MAX_AGE_SECONDS || at.timestamp() > now + MAX_AHEAD_SECONDS => {
                    results.push(Some(refused_whole(
                        p,
                        "taken_at_out_of_range",
                        "Дата показания позже текущей или старше 62 дней",
                        "The reading is dated in the future or over 62 days ago",
                        lang,
                    )));
                    continue;
                }
                Ok(at) => Some(at.timestamp()),
            },
        };
        results.push(None);
        entries.push(EntryInput {
            entry_id: p.client_id.clone(),
            meter_id,
            values: p.values.iter().map(|v| TypedValue { tariff: v.tariff, text: v.value.clone() }).collect(),
            typed_at: Some(taken_at.unwrap_or(now)),
        });
    }
    let checked = submit(&s.db, &Author::system(c.company_id()), Source::Api, None, entries)
        .await
        .map_err(|e| Problem::of(&e, lang))?;
    let mut checked = checked.into_iter();
    let results: Vec<PostedResult> = results
        .into_iter()
        .map(|r| r.or_else(|| checked.next().map(|e| result_of(e, lang))))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| Problem::of(&AppError::Internal, lang))?;
    let count = |status: &str| results.iter().filter(|r| r.status == status).count();
    Ok(PostAnswer {
        sent: results.len(),
        stored: count("stored") + count("partly_stored"),
        duplicates: count("duplicate"),
        refused: count("refused"),
        results,
    })
}
