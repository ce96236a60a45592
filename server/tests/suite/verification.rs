//! «Поверка» (F31) over real HTTP on both databases: the period's meters of the caller's
//! company only, the overdue ones on request, a period no calendar has refused in words, and
//! the same rows in the downloaded file.

use crate::common;

use app::errors::AppError;
use app::models::verification::DueCalendar;
use app::models::Role;
use app::storage::meter;
use chrono::{Datelike, Days};

/// Puts a meter's next verification on `due`.
async fn due_on(w: &common::World, company_id: i64, meter_id: i64, due: chrono::NaiveDate) {
    let mut m = meter::get(&w.db, company_id, meter_id).await.unwrap();
    m.next_verification_on = Some(due);
    meter::update_in(w.db.pool(), &m).await.unwrap();
}

both_backends!(the_calendar_shows_the_period_of_the_callers_company_and_the_overdue_ones, |w| {
    let today = app::queries::verification::today();
    let engineer = w.cookie(Role::ServiceEngineer);
    // company A's meter due next year on this day, company B's too; A's second flat's meter overdue
    let next_year = chrono::NaiveDate::from_ymd_opt(today.year() + 1, today.month(), today.day().min(28)).unwrap();
    due_on(w, w.a.company_id, w.a.meter_id, next_year).await;
    due_on(w, w.b.company_id, w.b.meter_id, next_year).await;
    app::storage::testing::fixtures::two_tariff(&w.db, &w.a).await;
    let overdue_meter = meter::list_for_premise(&w.db, w.a.company_id, w.a.premise_id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.id != w.a.meter_id)
        .unwrap();
    due_on(w, w.a.company_id, overdue_meter.id, today - Days::new(3)).await;

    let body = format!("year={}&month={}", next_year.year(), next_year.month());
    let (status, text, _) = common::call(&w.app, "verification_calendar", &body, Some(engineer)).await;
    assert!(status.is_success(), "{status} {text}");
    let c: DueCalendar = serde_json::from_str(&text).unwrap();
    assert_eq!(c.rows.iter().map(|r| r.meter_id).collect::<Vec<_>>(), vec![w.a.meter_id], "not company B's");
    assert_eq!(c.by_month[next_year.month0() as usize], 1);
    assert_eq!(c.by_day[next_year.day0() as usize], 1);
    assert_eq!(c.overdue, 1);
    assert_eq!(c.rows[0].place, "кв. 1");

    let (_, text, _) = common::call(&w.app, "verification_calendar", &format!("{body}&overdue=true"), Some(engineer)).await;
    let c: DueCalendar = serde_json::from_str(&text).unwrap();
    assert_eq!(c.rows.iter().map(|r| r.meter_id).collect::<Vec<_>>(), vec![overdue_meter.id]);
    assert!(c.rows[0].overdue(c.today));

    // a month no calendar has: a clear refusal, not a 500
    let (status, text, _) = common::call(&w.app, "verification_calendar", "year=2026&month=13", Some(engineer)).await;
    assert_eq!(status.as_u16(), 422, "{text}");
    assert!(matches!(common::error_of(&text), Some(AppError::Invalid { .. })), "{text}");

    // the file holds the screen's rows
    let (status, csv, _) = common::get(
        &w.app,
        &format!("/export/verification.csv?year={}&month={}", next_year.year(), next_year.month()),
        Some(engineer),
    )
    .await;
    assert!(status.is_success(), "{status}");
    let meters: Vec<&str> = csv.lines().filter(|l| l.contains("SN-")).collect();
    assert_eq!(meters.len(), 1, "{csv}");
    assert!(meters[0].contains("SN-1"), "{csv}");
    // a reader does not service meters
    let (status, _, _) = common::get(&w.app, "/export/verification.csv", Some(w.cookie(Role::Reader))).await;
    assert_eq!(status.as_u16(), 403);
});
