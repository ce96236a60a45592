//! A company's own data, first part (issue 22): the first start on an empty database, in the
//! browser and by `server setup`; the company card edited by its administrator; buildings
//! created, edited with their poll schedule and archived — over real HTTP on both databases.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::company::CompanyForm;
use app::models::Role;
use app::storage::{audit, company, membership, object, user, Backend};
use axum::http::StatusCode;

const PASSWORD: &str = "длинный-пароль-42";

fn first_start_body(inn: &str, login: &str) -> String {
    common::form(&[
        ("name", "ООО «УК Заря»"),
        ("inn", inn),
        ("kpp", "773601001"),
        ("ogrn", "1027700132195"),
        ("legal_address", "г. Москва, ул. Зари, д. 1"),
        ("actual_address", ""),
        ("phone", "+7 495 000-00-00"),
        ("email", "uk@zarya.test"),
        ("login", login),
        ("full_name", "Иванова Анна Петровна"),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
    ])
}

async fn an_empty_install_starts_with_its_company_and_administrator(backend: Backend) {
    let (test_db, app) = common::empty_install(backend).await;
    let db = test_db.db.clone();
    // every page leads to the first start, and the first-run page opens
    for path in ["/", "/login", "/objects"] {
        let (status, _, location) = common::get(&app, path, None).await;
        assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/setup")), "{path}");
    }
    let (status, html, _) = common::get(&app, "/setup", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Первый запуск") && html.contains("name=\"inn\""), "{html}");

    // a mistyped ИНН: a clear answer and nothing written
    let (status, text, _) = common::call(&app, "first_start", &first_start_body("7707083894", "anna"), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(common::error_of(&text), Some(AppError::invalid(Msg::Inn, Problem::BadCheckDigit)));
    assert_eq!(company::get_count(&db).await.unwrap(), 0);
    assert!(user::get_by_login(&db, "anna").await.unwrap().is_none());

    // the real one: company, administrator, a session, and the company card next
    let (status, text, cookies) = common::call(&app, "first_start", &first_start_body("7707083893", "Anna"), None).await;
    assert!(status.is_success(), "{status} {text}");
    let session = cookies
        .iter()
        .find_map(|c| c.split(';').next().filter(|kv| kv.starts_with("uchet_session=")))
        .expect("a session cookie")
        .to_string();
    let admin = user::get_by_login(&db, "anna").await.unwrap().expect("the administrator");
    let companies = company::list(&db).await.unwrap();
    assert_eq!(companies.len(), 1);
    assert_eq!((companies[0].inn.as_str(), companies[0].kpp.as_str()), ("7707083893", "773601001"));
    let m = membership::get(&db, admin.id, companies[0].id).await.unwrap().unwrap();
    assert_eq!(m.role, Role::Administrator);
    let (_, card, _) = common::call(&app, "company_card", "", Some(&session)).await;
    assert!(card.contains("ООО «УК Заря»") && card.contains("\"editable\":true"), "{card}");

    // the page is gone: to /login for a stranger, home for the administrator; a second
    // first start is refused and writes nothing
    let (status, _, location) = common::get(&app, "/setup", None).await;
    assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/login")));
    let (_, _, location) = common::get(&app, "/setup", Some(&session)).await;
    assert_eq!(location.as_deref(), Some("/"));
    let (status, text, _) = common::call(&app, "first_start", &first_start_body("7707083893", "boris"), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(common::error_of(&text), Some(AppError::AlreadySetUp));
    assert_eq!(company::get_count(&db).await.unwrap(), 1);
    assert!(user::get_by_login(&db, "boris").await.unwrap().is_none());
    let journal = audit::list(&db, companies[0].id, 10).await.unwrap();
    assert!(journal.iter().any(|e| e.action == "first_start"), "{journal:?}");
    test_db.cleanup().await;
}

#[tokio::test]
async fn an_empty_install_starts_with_its_company_and_administrator_sqlite() {
    an_empty_install_starts_with_its_company_and_administrator(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_empty_install_starts_with_its_company_and_administrator_postgres() {
    an_empty_install_starts_with_its_company_and_administrator(Backend::Postgres).await;
}

async fn server_setup_makes_a_company_once_and_then_changes_nothing(backend: Backend) {
    let (test_db, _app) = common::empty_install(backend).await;
    let db = test_db.db.clone();
    let form = |name: &str, inn: &str| CompanyForm {
        name: name.into(),
        inn: inn.into(),
        ..Default::default()
    };
    use server::setup::{run, Outcome, SetupError};
    let made = run(&db, form("УК «Север»", "7736207543"), "admin", "Админ", PASSWORD.into())
        .await
        .unwrap();
    let Outcome::Created { company_id, .. } = made else { panic!("{made:?}") };
    let again = run(&db, form("УК «Север»", "7736207543"), "ADMIN", "Админ", "другой-пароль-99".into())
        .await
        .unwrap();
    assert_eq!(again, Outcome::AlreadyThere { company_id });
    let hash = user::get_by_login(&db, "admin").await.unwrap().unwrap().password_hash;
    assert!(app::auth::password::verify_blocking(PASSWORD, &hash), "the password is not changed");
    let taken = run(&db, form("УК «Юг»", "7736207543"), "admin", "Админ", PASSWORD.into()).await;
    assert!(matches!(taken, Err(SetupError::LoginTaken { .. })), "{taken:?}");
    let bad = run(&db, form("УК «Юг»", "12345"), "south", "Админ", PASSWORD.into()).await;
    match bad {
        Err(SetupError::Invalid(text)) => assert!(text.contains("ИНН"), "{text}"),
        other => panic!("{other:?}"),
    }
    let weak = run(&db, form("УК «Юг»", "7736207543"), "south", "Админ", "12345".into()).await;
    assert!(matches!(weak, Err(SetupError::Invalid(_))), "{weak:?}");
    assert_eq!(company::get_count(&db).await.unwrap(), 1);
    test_db.cleanup().await;
}

#[tokio::test]
async fn server_setup_makes_a_company_once_and_then_changes_nothing_sqlite() {
    server_setup_makes_a_company_once_and_then_changes_nothing(Backend::Sqlite).await;
}

#[tokio::test]
async fn server_setup_makes_a_company_once_and_then_changes_nothing_postgres() {
    server_setup_makes_a_company_once_and_then_changes_nothing(Backend::Postgres).await;
}

fn card_body(bik: &str, account: &str) -> String {
    common::form(&[
        ("name", "УК «Огни»"),
        ("inn", "7707083893"),
        ("kpp", ""),
        ("ogrn", ""),
        ("legal_address", ""),
        ("actual_address", ""),
        ("phone", ""),
        ("email", ""),
        ("working_hours", "пн–пт 9:00–18:00"),
        ("bank_name", "ПАО Сбербанк"),
        ("bik", bik),
        ("settlement_account", account),
        ("correspondent_account", "30101810400000000225"),
    ])
}

both_backends!(the_administrator_keeps_the_company_card_and_its_bank_details, |w| {
    let admin = w.cookie(Role::Administrator);
    let (status, text, _) =
        common::call(&w.app, "save_company", &card_body("044525225", "40702 810 9 3800 0000002"), Some(admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert_eq!(
        common::error_of(&text),
        Some(AppError::invalid(Msg::SettlementAccount, Problem::BadCheckDigit))
    );
    let (status, text, _) =
        common::call(&w.app, "save_company", &card_body("044525225", "40702 810 9 3800 0000001"), Some(admin)).await;
    assert!(status.is_success(), "{status} {text}");
    let c = company::get(&w.db, w.a.company_id).await.unwrap();
    assert_eq!(
        (c.bik.as_str(), c.settlement_account.as_str(), c.working_hours.as_str()),
        ("044525225", "40702810938000000001", "пн–пт 9:00–18:00")
    );
    // a dispatcher reads the card and cannot change it
    let (_, card, _) = common::call(&w.app, "company_card", "", Some(w.cookie(Role::Dispatcher))).await;
    assert!(card.contains("40702810938000000001") && card.contains("\"editable\":false"), "{card}");
});

fn building_body(id: Option<i64>, pairs: &[(&str, &str)]) -> String {
    let mut all: Vec<(String, String)> = [
        ("address", "г. Москва, ул. Новая, д. 5"),
        ("name", ""),
        ("fias_code", "0c5b2444-70a0-4932-980c-b4dc0d3f02b5"),
        ("under_construction", "false"),
        ("latitude", "55,75"),
        ("longitude", "37,61"),
        ("total_area", "4 210,5"),
        ("residents", "180"),
        ("floors", "9"),
        ("entrances", "4"),
        ("time_zone", "Europe/Moscow"),
        ("heating_season", "true"),
        ("weather_station", "Москва, ВДНХ"),
        ("poll_enabled", "true"),
        ("poll_time", "06:30"),
        ("poll_days", "1234567"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in pairs {
        all.iter_mut().find(|(key, _)| key == k).expect("a field of the form").1 = v.to_string();
    }
    let mut body = id.map(|id| format!("id={id}&")).unwrap_or_default();
    body.push_str(&common::form(
        &all.iter()
            .map(|(k, v)| (format!("form[{k}]"), v.clone()))
            .collect::<Vec<_>>()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Vec<_>>(),
    ));
    body
}

both_backends!(a_building_is_created_rescheduled_and_archived_with_every_change_journaled, |w| {
    let dispatcher = w.cookie(Role::Dispatcher);
    // a wrong ФИАС code names the field, and nothing is made
    let before = object::list(&w.db, w.a.company_id).await.unwrap().len();
    let (status, text, _) =
        common::call(&w.app, "save_object", &building_body(None, &[("fias_code", "12345")]), Some(dispatcher)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert_eq!(common::error_of(&text), Some(AppError::invalid(Msg::FiasCode, Problem::BadFormat)));
    assert_eq!(object::list(&w.db, w.a.company_id).await.unwrap().len(), before);

    let (status, text, _) = common::call(&w.app, "save_object", &building_body(None, &[]), Some(dispatcher)).await;
    assert!(status.is_success(), "{status} {text}");
    let id: i64 = text.trim().parse().expect("the new building's id");
    let o = object::get(&w.db, w.a.company_id, id).await.unwrap();
    assert_eq!(o.total_area, "4210.5");
    assert_eq!((o.floors, o.entrances, o.residents), (9, 4, 180));
    assert_eq!((o.poll_time.as_str(), o.latitude), ("06:30", Some(55.75)));
    // ticked as heated: its heating season starts today, in the history «Сезон» keeps
    let seasons = app::storage::heating_season::list(&w.db, w.a.company_id).await.unwrap();
    assert_eq!(seasons.iter().filter(|c| c.object_id == id).map(|c| c.heating).collect::<Vec<_>>(), vec![true]);

    // Mondays, Wednesdays and Fridays at 05:00 from now on; the card does not change the
    // season (only «Сезон» does, by its rules)
    let (status, text, _) = common::call(
        &w.app,
        "save_object",
        &building_body(Some(id), &[("poll_time", "5:00"), ("poll_days", "135"), ("heating_season", "false")]),
        Some(dispatcher),
    )
    .await;
    assert!(status.is_success(), "{status} {text}");
    let o = object::get(&w.db, w.a.company_id, id).await.unwrap();
    assert_eq!((o.poll_time.as_str(), o.poll_days.as_str()), ("05:00", "135"));
    assert!(o.heating_season, "still heated");
    let journal = audit::list(&w.db, w.a.company_id, 20).await.unwrap();
    let edit = journal.iter().find(|e| e.action == "edit_object").expect("the edit journaled");
    assert!(edit.details.contains("poll_time: \"06:30\" → \"05:00\""), "{}", edit.details);
    assert!(journal.iter().any(|e| e.action == "create_object"));

    // archived: out of the list, back on request
    let (status, _, _) =
        common::call(&w.app, "archive_object", &format!("id={id}&archived=true"), Some(dispatcher)).await;
    assert!(status.is_success());
    let (_, list, _) = common::call(&w.app, "list_objects", "", Some(dispatcher)).await;
    assert!(!list.contains("ул. Новая"), "{list}");
    let (_, list, _) = common::call(&w.app, "list_objects", "archived=true", Some(dispatcher)).await;
    assert!(list.contains("ул. Новая") && list.contains("\"archived\":true"), "{list}");

    // another company's dispatcher neither sees nor changes it
    let (_, text, _) = common::call(&w.app, "get_object", &format!("id={id}"), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
    let (_, text, _) =
        common::call(&w.app, "save_object", &building_body(Some(id), &[]), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
    let (_, text, _) =
        common::call(&w.app, "archive_object", &format!("id={id}&archived=false"), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
});

/// POSTs a file to `/import` as the browser's import page does.
async fn import(w: &common::World, query: &str, body: &str, cookie: &str) -> (StatusCode, String) {
    use axum::body::Body;
    use axum::http::{header, Request};
    use tower::ServiceExt;
    let req = Request::post(format!("/import?{query}"))
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = w.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).to_string())
}

both_backends!(the_browser_import_checks_then_writes_within_its_company_only, |w| {
    let file = "Помещение;Лицевой счёт;Собственник\n2;0000777;Орлова\n3;0000778;Белов\n";
    let dispatcher = w.cookie(Role::Dispatcher);
    let at = format!("kind=premises&object={}", w.a.object_id);
    // checked: the report, nothing written
    let (status, text) = import(w, &at, file, dispatcher).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let report: app::models::import::ImportReport = serde_json::from_str(&text).unwrap();
    assert_eq!((report.count("premise").added, report.written), (2, false));
    assert!(app::storage::account::get_by_number(&w.db, w.a.company_id, "0000777").await.unwrap().is_none());
    // written, and journaled
    let (_, text) = import(w, &format!("{at}&write=true&name=flats.csv"), file, dispatcher).await;
    let report: app::models::import::ImportReport = serde_json::from_str(&text).unwrap();
    assert!(report.written);
    assert!(app::storage::account::get_by_number(&w.db, w.a.company_id, "0000777").await.unwrap().is_some());
    let journal = audit::list(&w.db, w.a.company_id, 5).await.unwrap();
    assert!(journal.iter().any(|e| e.action == "import" && e.details.contains("flats.csv")), "{journal:?}");
    // a reader may not; another company's building is not found; garbage is a clear 422
    let (status, _) = import(w, &at, file, w.cookie(Role::Reader)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = import(w, &at, file, &w.b_dispatcher).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, text) = import(w, &at, "\u{0}\u{1}PK", dispatcher).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("это не таблица"), "{text}");
    // the template names the columns the import knows
    let (status, csv, _) = common::get(&w.app, "/import/template?kind=premises", Some(dispatcher)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("Помещение;Тип помещения") && csv.contains("Лицевой счёт"), "{csv}");
});
