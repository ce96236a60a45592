//! The history of users' actions (F42) over HTTP on both databases: what people did shows
//! with their names, filters narrow it, it goes to Excel, and a company sees only its own.

use crate::common;

use app::models::audit::AuditView;
use app::models::Role;
use axum::http::StatusCode;

async fn journal(w: &common::World, cookie: &str, body: &str) -> AuditView {
    let (status, text, _) = common::call(&w.app, "audit_log", body, Some(cookie)).await;
    assert!(status.is_success(), "{status} {text}");
    serde_json::from_str(&text).unwrap()
}

both_backends!(an_administrator_reads_who_did_what_and_from_where, |w| {
    let admin = w.cookie(Role::Administrator);
    let (status, text, _) = common::call(
        &w.app,
        "create_user",
        "login=kassir&full_name=Кассирова Вера&password=password-123&role=reader",
        Some(admin),
    )
    .await;
    assert!(status.is_success(), "{text}");
    // a known login with a wrong password: recorded in the company's journal
    let (_, _, _) = common::call(&w.app, "sign_in", "login=kassir&password=wrong", None).await;

    let all = journal(w, admin, "query[from]=2000-01-01").await;
    let created = all.rows.iter().find(|r| r.action == "create_user").expect("create_user line");
    assert_eq!(created.login, "a-administrator");
    assert!(created.details.contains("kassir"), "{created:?}");
    assert!(all.rows.iter().any(|r| r.action == "sign_in_failed" && r.login == "kassir"));
    assert!(all.users.iter().any(|(_, name)| name.starts_with("Кассирова Вера")));

    let only = journal(w, admin, "query[action]=sign_in_failed").await;
    assert!(!only.rows.is_empty() && only.rows.iter().all(|r| r.action == "sign_in_failed"));
    let later = journal(w, admin, "query[from]=2100-01-01").await;
    assert!(later.rows.is_empty(), "nothing in the future");

    let (status, body, _) = common::get(&w.app, "/export/audit.xlsx?action=create_user", Some(admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("PK"), "an xlsx (zip) file");

    // another company's dispatcher is no administrator; and a second company's journal is its own
    let (_, text, _) = common::call(&w.app, "audit_log", "query[from]=2000-01-01", Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(app::errors::AppError::Forbidden));
    let (status, _, _) = common::get(&w.app, "/export/audit.csv", Some(w.cookie(Role::Dispatcher))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});

both_backends!(a_company_journal_holds_none_of_another_companys_lines, |w| {
    app::storage::audit::create(&w.db, Some(w.b.company_id), None, "create_user", "b-only", "10.0.0.9")
        .await
        .unwrap();
    let v = journal(w, w.cookie(Role::Administrator), "query[from]=2000-01-01").await;
    assert!(v.rows.iter().all(|r| r.details != "b-only"));
});
