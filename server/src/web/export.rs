//! File downloads of tables (`/export/readings.xlsx`, `.csv`): plain GET links that carry
//! the page's own query, so the file holds exactly what the table shows, all pages. The
//! same session and permission check as the server functions.

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use app::auth::caller::{authorize_request, Caller};
use app::errors::AppError;
use app::exports::pdf::Letterhead;
use app::exports::{self, Sheet};
use app::i18n::{Lang, LANG_COOKIE};
use app::models::readings_table::ReadingsQuery;
use app::models::Permission;
use app::prefs::cookie_value;
use app::storage::Db;

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

/// The company's letterhead and the moment printed on a PDF's pages (Moscow time, the
/// company's clock until companies get a zone of their own).
async fn letterhead(db: &Db, caller: &Caller) -> Result<(Letterhead, chrono::NaiveDateTime), AppError> {
    let company = app::storage::company::get(db, caller.company_id).await?;
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).naive_local();
    Ok((Letterhead::of(&company), now))
}

fn file(sheet: &Sheet, stem: &str, format: &str, lang: Lang, head: Option<&(Letterhead, chrono::NaiveDateTime)>) -> Response {
    let (bytes, mime) = match format {
        "pdf" => match head.map(|(h, at)| sheet.to_pdf(h, lang, *at)) {
            Some(Ok(b)) => (b, "application/pdf"),
            Some(Err(e)) => {
                tracing::error!(error = %e, "pdf export failed");
                return failure(AppError::Internal, lang);
            }
            None => return failure(AppError::NotFound, lang),
        },
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

/// A table's file before it is written: the sheet and the file name without extension.
type Export = Result<(Sheet, String), AppError>;

/// The query as the table models read it.
fn pairs_of(pairs: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// One value of the query by its name.
fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, _)| key == name).map(|(_, v)| v.as_str())
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
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
        "readings" | "not-polled" | "abnormal" | "events" | "balance" | "compare" | "registry" | "premises" | "subscribers" | "archive" | "polling" | "billing-protocol" | "report" => Permission::ViewData,
        "requests" => Permission::HandleRequests,
        "verification" => Permission::ServiceMeters,
        "meters" => Permission::ViewObjects,
        "communicators" => Permission::ViewData,
        "audit" => Permission::ManageUsers,
        _ => return (StatusCode::NOT_FOUND, "").into_response(),
    };
    let caller = match authorize_request(&state.db, &parts, needs).await {
        Ok(c) => c,
        Err(e) => return failure(e, lang),
    };
    let db = &state.db;
    let export = match table {
        "not-polled" => not_polled(db, &caller, &pairs, lang).await,
        "abnormal" => abnormal(db, &caller, &pairs, lang).await,
        "events" => events(db, &caller, &pairs, lang).await,
        "compare" => compare(db, &caller, &pairs, lang).await,
        "balance" => {
            let chosen = cookie(&parts, app::components::layout::OBJECT_COOKIE).and_then(|v| v.parse().ok());
            balance(db, &caller, &pairs, chosen, lang).await
        }
        "registry" | "premises" => {
            let chosen = cookie(&parts, app::components::layout::OBJECT_COOKIE).and_then(|v| v.parse().ok());
            premises(db, &caller, &pairs, chosen, table, lang).await
        }
        "requests" => requests(db, &caller, &pairs, lang).await,
        "verification" => verification(db, &caller, &pairs, lang).await,
        "meters" => inventory(db, &caller, &pairs, lang).await,
        "communicators" => communicators(db, &caller, &pairs, lang).await,
        "audit" => audit(db, &caller, &pairs, lang).await,
        "subscribers" => subscribers(db, &caller, &pairs, lang).await,
        "archive" => archive(db, &caller, &pairs, lang).await,
        "polling" => polling(db, &caller, &pairs, lang).await,
        "billing-protocol" => billing_protocol(db, &caller, &pairs, lang).await,
        "report" => report(db, &caller, &pairs, lang).await,
        _ => {
            let chosen = cookie(&parts, app::components::layout::OBJECT_COOKIE)
                .and_then(|v| v.parse().ok());
            readings(db, &caller, &pairs, chosen, lang).await
        }
    };
    let head = match format {
        "pdf" => match letterhead(db, &caller).await {
            Ok(h) => Some(h),
            Err(e) => return failure(e, lang),
        },
        _ => None,
    };
    match export {
        Ok((sheet, stem)) => file(&sheet, &stem, format, lang, head.as_ref()),
        Err(e) => failure(e, lang),
    }
}

/// `/export/readings.{xlsx|csv}?…`: the readings table of the chosen building, all pages.
async fn readings(
    db: &Db,
    caller: &Caller,
    pairs: &[(String, String)],
    chosen: Option<i64>,
    lang: Lang,
) -> Export {
    let query = ReadingsQuery::from_pairs(pairs_of(pairs));
    let t = app::queries::readings_table::table(db, caller, &query, chosen).await?;
    let stem = format!("readings-{}-{}", t.object.id, t.date.format("%Y-%m-%d"));
    Ok((exports::readings::sheet(&t, lang), stem))
}

/// `/export/report.{xlsx|pdf|csv}?kind=…&object=…&month=…`: a report as its page shows it.
async fn report(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let query = app::models::reports::ReportQuery::from_pairs(pairs_of(pairs));
    let r = app::queries::reports::make(db, caller, &query, lang).await?;
    Ok((exports::reports::sheet(&r, lang), exports::reports::stem(&r)))
}

/// `/export/not-polled.{xlsx|csv}?object=…&days=…`
async fn not_polled(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let get = |k: &str| value(pairs, k);
    let object = get("object").and_then(|v| v.parse().ok());
    let days = get("days")
        .and_then(|v| v.parse().ok())
        .unwrap_or(app::models::not_polled::DEFAULT_DAYS);
    let list = app::queries::not_polled::list(db, caller, object, days).await?;
    let stem = format!("not-polled-{}", today());
    Ok((exports::not_polled::sheet(&list, lang), stem))
}

/// `/export/abnormal.{xlsx|csv|pdf}?object=…&resolved=1`: «Нештатные ситуации» as on screen.
async fn abnormal(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let object = value(pairs, "object").and_then(|v| v.parse().ok());
    let resolved = value(pairs, "resolved") == Some("1");
    let list = app::queries::monitoring::situations::list(db, caller, object, resolved, app::queries::monitoring::situations::ALL).await?;
    Ok((exports::monitoring::situations(&list, lang), format!("abnormal-{}", today())))
}

/// `/export/balance.{xlsx|csv|pdf}?object=…&resource=…&group=…&by=…&period=…`: a balance
/// group's days or months as its page shows them.
async fn balance(db: &Db, caller: &Caller, pairs: &[(String, String)], chosen: Option<i64>, lang: Lang) -> Export {
    let query = app::models::balance::BalanceQuery::from_pairs(pairs_of(pairs));
    let b = app::queries::balance::page::balance(db, caller, query, chosen).await?;
    Ok((exports::balance::sheet(&b, lang), exports::balance::stem(&b)))
}

/// `/export/registry.{xlsx|csv|pdf}` and `/export/premises.…` with `object`, `resource`,
/// `by`, `day`, `month`: «Реестр потребления» and «Потребление по помещениям».
async fn premises(db: &Db, caller: &Caller, pairs: &[(String, String)], chosen: Option<i64>, table: &str, lang: Lang) -> Export {
    use app::queries::consumption::Columns;
    let query = app::models::balance::CompareQuery::from_pairs(pairs_of(pairs));
    let registry = table == "registry";
    let columns = if registry { Columns::All } else { Columns::One };
    let p = app::queries::consumption::premises(db, caller, query, chosen, columns).await?;
    let sheet = match registry {
        true => exports::consumption::registry(&p, lang),
        false => exports::consumption::breakdown(&p, lang),
    };
    Ok((sheet, exports::consumption::stem(&p, table)))
}

/// `/export/compare.{xlsx|csv|pdf}?resource=…&by=…&day=…&month=…`: «Сравнение объектов».
async fn compare(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let query = app::models::balance::CompareQuery::from_pairs(pairs_of(pairs));
    let c = app::queries::balance::compare::compare(db, caller, query).await?;
    let stem = format!("compare-{}-{}", c.query.resource.map(|r| r.as_str()).unwrap_or("none"), today());
    Ok((exports::balance::comparison(&c, lang), stem))
}

/// `/export/events.{xlsx|csv|pdf}?…`: the event journal with the page's filters.
async fn events(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let query = app::models::monitoring::JournalQuery::from_pairs(pairs_of(pairs));
    let journal = app::queries::monitoring::journal::journal(db, caller, query).await?;
    Ok((exports::monitoring::journal(&journal, lang), format!("events-{}", today())))
}

/// `/export/verification.{xlsx|csv}?year=…&month=…&day=…&object=…&overdue=1`: the calendar's
/// meters as on screen.
async fn verification(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let get = |k: &str| value(pairs, k).and_then(|v| v.parse::<i64>().ok());
    let today = app::queries::verification::today();
    let period = match get("year") {
        Some(year) => app::models::verification::Period {
            year: year.clamp(0, 9999) as i32,
            month: get("month").map(|m| m.clamp(0, 99) as u32),
            day: get("day").map(|d| d.clamp(0, 99) as u32),
        },
        None => app::models::verification::Period::month_of(today),
    };
    let overdue = value(pairs, "overdue").is_some_and(|v| v == "1");
    let c = app::queries::verification::calendar(db, caller, period, get("object"), overdue).await?;
    let stem = format!("verification-{}", c.period_name(Lang::En).replace(' ', "-").replace('.', "-"));
    Ok((exports::verification::sheet(&c, lang), stem))
}

/// `/export/meters.{xlsx|csv|pdf}?object=…&resource=…&q=…`: every meter the inventory's
/// filters leave, not only the page's share.
async fn inventory(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    use app::queries::inventory::{inventory, Rows};
    let q = app::models::inventory::InventoryQuery::from_pairs(pairs_of(pairs));
    let v = inventory(db, caller, q, Rows::All).await?;
    let stem = format!("meters-{}", v.query.object.map(|o| o.to_string()).unwrap_or_else(|| "all".into()));
    Ok((exports::inventory::sheet(&v, lang), format!("{stem}-{}", today())))
}

/// `/export/communicators.{xlsx|csv|pdf}?object=…&line=…`: the lines the page's filters leave.
async fn communicators(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let q = app::models::communicators::CommunicatorQuery::from_pairs(pairs_of(pairs));
    let v = app::queries::communicators::list(db, caller, q).await?;
    Ok((exports::communicators::sheet(&v, lang), format!("communicators-{}", today())))
}

/// `/export/requests.{xlsx|csv}?stage=…&object=…`: the desk under the same filters.
async fn requests(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let filter = app::models::request::DeskFilter::from_pairs(pairs_of(pairs));
    let desk = app::queries::requests::desk(db, caller, &filter).await?;
    let stem = format!("requests-{}", today());
    Ok((exports::requests::sheet(&desk, lang), stem))
}

/// `/export/audit.{xlsx|csv}?user=…&action=…&from=…&to=…`: the actions log under its filters.
async fn audit(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let query = app::models::audit::AuditQuery::from_pairs(pairs_of(pairs));
    let view = app::queries::audit::journal(db, caller, &query).await?;
    let stem = format!("audit-{}", today());
    Ok((exports::audit::sheet(&view, lang), stem))
}

/// `/export/subscribers.{xlsx|csv}?object=…&month=…&q=…`: every account of the list, all pages.
async fn subscribers(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let query = app::models::subscribers::SubscribersQuery::from_pairs(pairs_of(pairs));
    let t = app::queries::subscribers::table(db, caller, &query).await?;
    let stem = format!("subscribers-{}-{}", t.object.id, t.month.format("%Y-%m"));
    Ok((exports::subscribers::sheet(&t, lang), stem))
}

/// `/export/archive.{xlsx|csv}?meter=…&kind=hour|day|month&date=…`: one archive of a meter.
async fn archive(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    use app::models::archive::ArchiveKind;
    let get = |k: &str| value(pairs, k);
    let meter = get("meter").and_then(|v| v.parse().ok()).ok_or(AppError::NotFound)?;
    let kind = get("kind").and_then(ArchiveKind::parse).unwrap_or_default();
    let date = get("date").and_then(|v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
    let a = app::queries::archive::archive(db, caller, meter, kind, date).await?;
    let stem = format!("archive-{}-{}-{}", a.meter_id, kind.as_str(), a.date.format("%Y-%m-%d"));
    Ok((exports::archive::sheet(&a, lang), stem))
}

/// `/export/polling.{xlsx|csv}?object=…&cat=…`: the console's tab, every device of it.
async fn polling(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    use app::models::polling::Category;
    let get = |k: &str| value(pairs, k);
    let object = get("object").and_then(|v| v.parse().ok());
    let category = get("cat").and_then(Category::parse).unwrap_or_default();
    let c = app::queries::console::console(db, caller, object, None, category).await?;
    let stem = format!("polling-{}-{}-{}", c.object_id, category.as_str(), today());
    Ok((exports::polling::sheet(&c, lang), stem))
}

/// `/export/billing-protocol.{xlsx|csv}?id=…`: a billing export run's protocol, every line.
async fn billing_protocol(db: &Db, caller: &Caller, pairs: &[(String, String)], lang: Lang) -> Export {
    let id = value(pairs, "id").and_then(|v| v.parse().ok()).ok_or(AppError::NotFound)?;
    let p = app::queries::billing::protocol(db, caller, id).await?;
    let stem = format!("billing-protocol-{}-{}", p.run.id, p.run.period.format("%Y-%m"));
    Ok((exports::billing::protocol(&p, lang), stem))
}

/// `/billing/file/{id}`: a billing export's file byte for byte as it was made, for whoever
/// sees data (a reader downloads, only a dispatcher runs).
pub async fn billing_file(State(state): State<AppState>, Path(id): Path<i64>, request: Request) -> Response {
    use app::storage::billing_export;
    let (parts, _) = request.into_parts();
    let lang = cookie(&parts, LANG_COOKIE).map(|v| Lang::parse(&v)).unwrap_or_default();
    let caller = match authorize_request(&state.db, &parts, Permission::ViewData).await {
        Ok(c) => c,
        Err(e) => return failure(e, lang),
    };
    let found = async {
        let run = billing_export::get(&state.db, caller.company_id, id).await?;
        let bytes = billing_export::content(&state.db, caller.company_id, id).await?;
        Ok::<_, AppError>((run, bytes))
    }
    .await;
    let (run, bytes) = match found {
        Ok(f) => f,
        Err(e) => return failure(e, lang),
    };
    run_file(&run, bytes)
}

/// A billing run's file exactly as it was made, as a download (the page's link and the open
/// API answer alike).
pub fn run_file(run: &app::storage::billing_export::Run, bytes: Vec<u8>) -> Response {
    let mime = match run.template {
        app::models::billing::Template::GisZhkh => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        app::models::billing::Template::OneC => "text/csv; charset=utf-8",
    };
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", run.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
