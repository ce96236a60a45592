//! «Выгрузка в биллинг» (issue 28) over HTTP on both databases: a dispatcher runs a period's
//! export, the same period again is refused (409) unless asked for, the file downloads byte
//! for byte as made, the protocol opens as a page and as Excel, a reader downloads but cannot
//! run, bad input gets 422, and another company sees none of it.

use crate::common;

use app::errors::AppError;
use app::models::billing::{BillingPage, Protocol, Reason, RunStatus};
use app::models::Role;
use app::storage::reading::{self, Period, Source};
use app::storage::testing::fixtures;
use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Company A's flat 1 read on 20.10.2025 at noon, Moscow: 1 234,5 kWh.
async fn october_reading(w: &common::World) {
    let day = NaiveDate::from_ymd_opt(2025, 10, 20).unwrap();
    let ts = app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, day) + 12 * 3600;
    let mut r = fixtures::polled(w.a.company_id, w.a.channel_id, Period::Instant, ts, Decimal::from_str("1234.5").unwrap());
    r.source = Source::FieldStaff;
    reading::insert_many(&w.db, &[r]).await.unwrap();
}

async fn run(w: &common::World, body: &str, who: &str) -> (StatusCode, String) {
    let (status, text, _) = common::call(&w.app, "run_billing_export", body, Some(who)).await;
    (status, text)
}

both_backends!(a_dispatcher_exports_a_period_once_and_everyone_who_sees_data_downloads_it, |w| {
    october_reading(w).await;
    let dispatcher = w.cookie(Role::Dispatcher);
    let (status, text) = run(w, "period=2025-10&template=1c", dispatcher).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let id: i64 = serde_json::from_str(&text).unwrap();

    // the protocol: one meter, sent, with its reading and date
    let (status, text, _) = common::call(&w.app, "billing_protocol", &format!("id={id}"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let p: Protocol = serde_json::from_str(&text).unwrap();
    assert_eq!((p.run.status, p.run.sent, p.run.not_sent), (RunStatus::Success, 1, 0));
    assert_eq!(p.lines[0].account, common::ACCOUNT_A);
    assert_eq!(p.lines[0].values[0], Some(Decimal::from_str("1234.5").unwrap()));
    assert_eq!(p.lines[0].taken_on, NaiveDate::from_ymd_opt(2025, 10, 20));

    // the file, as 1С takes it, for a reader too
    let (status, body, _) = common::get(&w.app, &format!("/billing/file/{id}"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("{};", common::ACCOUNT_A)) && body.contains("20.10.2025;1234,5"), "{body}");
    // the protocol as Excel
    let (status, _, _) = common::get(&w.app, &format!("/export/billing-protocol.xlsx?id={id}"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK);

    // the same period again: 409 with a Russian sentence, nothing new stored
    let (status, text) = run(w, "period=2025-10&template=1c", dispatcher).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert_eq!(common::error_of(&text), Some(AppError::AlreadyExported));
    let (_, text, _) = common::call(&w.app, "billing_runs", "", Some(dispatcher)).await;
    let page: BillingPage = serde_json::from_str(&text).unwrap();
    assert_eq!(page.runs.len(), 1);
    assert!(page.may_run);
    // asked for on purpose: a re-run that changed nothing
    let (status, text) = run(w, "period=2025-10&template=1c&again=1", dispatcher).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let again: i64 = serde_json::from_str(&text).unwrap();
    let (_, text, _) = common::call(&w.app, "billing_protocol", &format!("id={again}"), Some(dispatcher)).await;
    let p: Protocol = serde_json::from_str(&text).unwrap();
    assert_eq!((p.run.changed, p.run.again_of), (0, Some(id)));

    // a reader reads the runs but runs none
    let (_, text, _) = common::call(&w.app, "billing_runs", "", Some(w.cookie(Role::Reader))).await;
    let page: BillingPage = serde_json::from_str(&text).unwrap();
    assert!(!page.may_run);
    let (status, text) = run(w, "period=2025-11&template=1c", w.cookie(Role::Reader)).await;
    assert_eq!((status, common::error_of(&text)), (StatusCode::FORBIDDEN, Some(AppError::Forbidden)));
});

both_backends!(a_period_with_no_reading_lists_the_meter_with_its_reason_in_the_gis_template, |w| {
    let (status, text) = run(w, "period=2025-11&template=gis_zhkh", w.cookie(Role::Dispatcher)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let id: i64 = serde_json::from_str(&text).unwrap();
    let (_, text, _) = common::call(&w.app, "billing_protocol", &format!("id={id}"), Some(w.cookie(Role::Dispatcher))).await;
    let p: Protocol = serde_json::from_str(&text).unwrap();
    assert_eq!((p.run.status, p.run.sent, p.run.not_sent), (RunStatus::WithErrors, 0, 1));
    assert_eq!(p.lines[0].reason, Some(Reason::NoReading));
    assert_eq!(p.run.file_name, "uchet-gis_zhkh-2025-11.xlsx");
    let (status, body, _) = common::get(&w.app, &format!("/billing/file/{id}"), Some(w.cookie(Role::Dispatcher))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("PK"), "an xlsx file");
});

both_backends!(bad_input_gets_422_and_another_company_sees_nothing, |w| {
    let dispatcher = w.cookie(Role::Dispatcher);
    for body in ["period=2025-13&template=1c", "period=&template=1c", "period=2025-10&template=arcus", "period=3025-10&template=1c", "period=1800-01&template=1c"] {
        let (status, text) = run(w, body, dispatcher).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {text}");
        assert!(matches!(common::error_of(&text), Some(AppError::Invalid { .. })), "{body}: {text}");
    }
    let (_, text, _) = common::call(&w.app, "billing_runs", "", Some(dispatcher)).await;
    let page: BillingPage = serde_json::from_str(&text).unwrap();
    assert!(page.runs.is_empty(), "nothing stored by a refused run");

    let (_, text) = run(w, "period=2025-10&template=1c", dispatcher).await;
    let id: i64 = serde_json::from_str(&text).unwrap();
    let b = w.b_dispatcher.as_str();
    let (status, text, _) = common::call(&w.app, "billing_protocol", &format!("id={id}"), Some(b)).await;
    assert_eq!((status, common::error_of(&text)), (StatusCode::NOT_FOUND, Some(AppError::NotFound)));
    let (status, _, _) = common::get(&w.app, &format!("/billing/file/{id}"), Some(b)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = common::get(&w.app, &format!("/export/billing-protocol.xlsx?id={id}"), Some(b)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, text, _) = common::call(&w.app, "billing_runs", "", Some(b)).await;
    let page: BillingPage = serde_json::from_str(&text).unwrap();
    assert!(page.runs.is_empty());
    // signed out: the link sends the browser to sign in first, and nothing of the file
    let (status, body, location) = common::get(&w.app, &format!("/billing/file/{id}"), None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().starts_with("/login"));
    assert!(!body.contains(common::ACCOUNT_A));
});

both_backends!(the_automatic_export_is_set_after_the_window_and_shows_its_next_day, |w| {
    let dispatcher = w.cookie(Role::Dispatcher);
    // the default window ends on the 25th: the 20th is refused, nothing stored
    for body in ["enabled=1&template=1c&day=20", "enabled=1&template=1c&day=29", "enabled=1&template=1c&day=двадцать", "enabled=1&template=xml&day=27"] {
        let (status, text, _) = common::call(&w.app, "save_billing_schedule", body, Some(dispatcher)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {text}");
    }
    let (_, text, _) = common::call(&w.app, "billing_runs", "", Some(dispatcher)).await;
    let page: BillingPage = serde_json::from_str(&text).unwrap();
    assert_eq!((page.schedule, page.next_run, page.window_last_day), (None, None, 25));

    let (status, text, _) = common::call(&w.app, "save_billing_schedule", "enabled=1&template=gis_zhkh&day=27", Some(dispatcher)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (_, text, _) = common::call(&w.app, "billing_runs", "", Some(w.cookie(Role::Reader))).await;
    let page: BillingPage = serde_json::from_str(&text).unwrap();
    let s = page.schedule.unwrap();
    assert_eq!((s.day, s.template), (27, app::models::billing::Template::GisZhkh));
    use chrono::Datelike;
    assert!(page.next_run.is_some_and(|d| d.day() == 27 || d >= chrono::Utc::now().date_naive() - chrono::Duration::days(1)), "{:?}", page.next_run);
    // a reader may not change it
    let (status, _, _) = common::call(&w.app, "save_billing_schedule", "template=1c&day=27", Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // off
    let (status, _, _) = common::call(&w.app, "save_billing_schedule", "template=1c&day=27", Some(dispatcher)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, text, _) = common::call(&w.app, "billing_runs", "", Some(dispatcher)).await;
    let page: BillingPage = serde_json::from_str(&text).unwrap();
    assert_eq!(page.schedule, None);
});
