//! Monitoring (issue 23) on both databases: automatic readings pass the typed readings'
//! checks; each computed source opens one event, never two, and ends it when its condition
//! is gone; «Нештатные ситуации» are the caller's company's, resolved with a comment that is
//! journaled; the event journal filters and its file holds the screen's rows.

use crate::common;

use app::errors::AppError;
use app::models::monitoring::{EventKind, Journal, SituationCounts, Situations};
use app::models::Role;
use app::storage::reading::{self, flags, Period};
use app::storage::testing::fixtures::{self, Building};
use app::storage::{communicator, event, meter, poll_job, poll_result, Db};
use rust_decimal::Decimal;

const DAY: i64 = 86_400;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Stores daily polled totals of the building's meter (`values[i]` on day `i` after `start`)
/// through the collector's checks, as a poll would.
async fn poll_days(db: &Db, b: &Building, start: i64, values: &[&str]) -> Vec<i64> {
    let mut readings: Vec<_> = values
        .iter()
        .enumerate()
        .map(|(i, v)| fixtures::polled(b.company_id, b.channel_id, Period::Day, start + i as i64 * DAY, d(v)))
        .collect();
    // one reading at a time: each is checked against the ones stored before it
    let mut out = Vec::new();
    for r in readings.iter_mut() {
        let mut one = [r.clone()];
        app::ingest::validate::flag(db, &mut one).await.unwrap();
        reading::insert_many(db, &one).await.unwrap();
        out.push(one[0].flags);
    }
    out
}

async fn sweep(db: &Db, company_id: i64, at: i64) -> app::monitoring::Swept {
    app::monitoring::sweep_company(db, company_id, at).await.unwrap()
}

async fn events_of(db: &Db, company_id: i64) -> Vec<event::StoredEvent> {
    let f = event::Filter { limit: 100, ..Default::default() };
    event::list(db, company_id, &f).await.unwrap()
}

fn midnight_days_ago(days: i64) -> i64 {
    let now = app::storage::now();
    now - now.rem_euclid(DAY) - days * DAY
}

/// The building's (Moscow's) midnight `days` before today's, whatever the hour in UTC.
fn moscow_midnight_days_ago(days: i64) -> i64 {
    let tz = chrono_tz::Europe::Moscow;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    app::consumption::calendar::day_start(tz, today) - days * DAY
}

both_backends!(a_polled_reading_lower_than_before_opens_one_alarm_until_a_dispatcher_decides, |w| {
    let start = midnight_days_ago(10);
    let f = poll_days(&w.db, &w.a, start, &["100", "110", "120", "115"]).await;
    assert_eq!(f, vec![0, 0, 0, flags::DECREASED | flags::NEEDS_CONFIRMATION], "the lowered value waits");

    let now = app::storage::now();
    assert_eq!(sweep(&w.db, w.a.company_id, now).await.opened, 1);
    assert_eq!(sweep(&w.db, w.a.company_id, now + 120).await, app::monitoring::Swept::default(), "seen again, not opened again");
    let events = events_of(&w.db, w.a.company_id).await;
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!((e.kind.as_str(), e.severity.as_str(), e.source.as_str()), ("decreased", "alarm", "computed"));
    assert_eq!(e.meter_id, Some(w.a.meter_id));
    assert_eq!(e.started_at, start + 3 * DAY);
    assert!(e.details.contains("\"value\":\"115\"") && e.details.contains("\"previous\":\"120\""), "{}", e.details);
    assert!(events_of(&w.db, w.b.company_id).await.is_empty(), "company B has nothing");

    // the dispatcher rejects the reading: the condition is gone, the event ends
    assert!(reading::review(&w.db, w.a.company_id, w.a.channel_id, Period::Day, start + 3 * DAY, false).await.unwrap());
    assert_eq!(sweep(&w.db, w.a.company_id, now + 240).await.ended, 1);
    let e = &events_of(&w.db, w.a.company_id).await[0];
    assert_eq!(e.ended_at, Some(now + 240));
    assert_eq!(e.resolved_at, None, "ended is not resolved: a person still looks at it");
});

both_backends!(a_polled_reading_many_times_the_usual_use_is_a_jump_warning, |w| {
    let start = midnight_days_ago(12);
    let f = poll_days(&w.db, &w.a, start, &["100", "102", "104", "106", "108", "110", "112", "114", "116", "400"]).await;
    assert_eq!(f[..9], [0; 9]);
    assert_eq!(f[9], flags::JUMP | flags::NEEDS_CONFIRMATION, "284 in a day against 2 a day");
    sweep(&w.db, w.a.company_id, app::storage::now()).await;
    let events = events_of(&w.db, w.a.company_id).await;
    assert_eq!(events.iter().map(|e| (e.kind.as_str(), e.severity.as_str())).collect::<Vec<_>>(), vec![("jump", "warning")]);
});

both_backends!(a_meter_on_a_line_gone_quiet_and_unanswering_opens_its_events_and_ends_them_when_heard, |w| {
    let line = communicator::create(
        &w.db,
        &communicator::Communicator {
            company_id: w.a.company_id,
            object_id: Some(w.a.object_id),
            name: "Шлюз RS-485/TCP".into(),
            line: "tcp".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    meter::set_communicator(&w.db, w.a.company_id, w.a.meter_id, Some(line.id)).await.unwrap();
    let now = app::storage::now();
    let heard = now - 5 * DAY;
    meter::set_last_contact(&w.db, w.a.meter_id, heard).await.unwrap();
    let job = poll_job::create_manual(
        &w.db,
        &poll_job::Manual {
            company_id: w.a.company_id,
            object_id: w.a.object_id,
            meter_id: Some(w.a.meter_id),
            resource: None,
            meters: vec![],
            requested_by: None,
        },
    )
    .await
    .unwrap();
    poll_result::create(
        &w.db,
        &poll_result::PollResult {
            job_id: job.id,
            meter_id: w.a.meter_id,
            company_id: w.a.company_id,
            at: now - 60,
            ok: false,
            message: "нет ответа за 3 попытки".into(),
            exchange: "[]".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    assert_eq!(sweep(&w.db, w.a.company_id, now).await.opened, 2);
    let mut events = events_of(&w.db, w.a.company_id).await;
    events.sort_by(|a, b| a.kind.cmp(&b.kind));
    assert_eq!(events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), vec!["no_answer", "silent"]);
    assert_eq!(events[0].started_at, now - 60);
    assert!(events[0].details.contains("нет ответа за 3 попытки"), "{}", events[0].details);
    assert_eq!(events[1].started_at, heard, "silent since its last contact");
    assert!(events[1].details.contains("\"days\":5"), "{}", events[1].details);

    // heard from again (not yet polled again): silence ends, the failed poll stays
    meter::set_last_contact(&w.db, w.a.meter_id, now).await.unwrap();
    let s = sweep(&w.db, w.a.company_id, now + 60).await;
    assert_eq!((s.opened, s.ended), (0, 1));
    let open: Vec<_> = event::open_of(&w.db, w.a.company_id, "computed").await.unwrap();
    assert_eq!(open.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), vec!["no_answer"]);
});

both_backends!(a_lapsed_verification_is_a_warning_until_the_meter_is_verified, |w| {
    let today = app::queries::verification::today();
    let mut m = meter::get(&w.db, w.a.company_id, w.a.meter_id).await.unwrap();
    m.next_verification_on = Some(today - chrono::Days::new(3));
    meter::update_in(w.db.pool(), &m).await.unwrap();
    let now = app::storage::now();
    assert_eq!(sweep(&w.db, w.a.company_id, now).await.opened, 1);
    let e = &events_of(&w.db, w.a.company_id).await[0];
    assert_eq!(e.kind, "verification_overdue");
    assert!(e.details.contains("\"days\":3"), "{}", e.details);
    m.next_verification_on = Some(today + chrono::Days::new(365 * 6));
    meter::update_in(w.db.pool(), &m).await.unwrap();
    assert_eq!(sweep(&w.db, w.a.company_id, now + 60).await.ended, 1);
});

both_backends!(situations_are_the_callers_and_resolving_one_needs_a_comment_and_is_journaled, |w| {
    let start = midnight_days_ago(5);
    poll_days(&w.db, &w.a, start, &["100", "110", "105"]).await;
    poll_days(&w.db, &w.b, start, &["200", "210", "205"]).await;
    app::monitoring::sweep_all(&w.db, app::storage::now()).await.unwrap();
    let dispatcher = w.cookie(Role::Dispatcher);

    let (status, text, _) = common::call(&w.app, "abnormal_situations", "", Some(dispatcher)).await;
    assert!(status.is_success(), "{status} {text}");
    let list: Situations = serde_json::from_str(&text).unwrap();
    assert_eq!(list.rows.len(), 1, "company A's only: {text}");
    assert_eq!(list.counts, SituationCounts { alarms: 1, warnings: 0, infos: 0, matching: 1 });
    let row = &list.rows[0];
    assert_eq!((row.kind, row.place.as_str(), row.account.as_str()), (EventKind::Decreased, "кв. 1", common::ACCOUNT_A));
    assert_eq!(row.values.value.as_deref(), Some("105"));
    let id = row.id;

    // no comment, or another company's event: refused, nothing written
    let (status, text, _) = common::call(&w.app, "resolve_situation", &format!("id={id}&comment=%20%20"), Some(dispatcher)).await;
    assert_eq!(status.as_u16(), 422, "{text}");
    assert!(matches!(common::error_of(&text), Some(AppError::Invalid { .. })), "{text}");
    let theirs = events_of(&w.db, w.b.company_id).await[0].id;
    let (status, _, _) = common::call(&w.app, "resolve_situation", &format!("id={theirs}&comment=x"), Some(dispatcher)).await;
    assert_eq!(status.as_u16(), 404);
    assert!(events_of(&w.db, w.b.company_id).await[0].resolved_at.is_none());
    // a reader looks, does not resolve
    let (status, _, _) = common::call(&w.app, "resolve_situation", &format!("id={id}&comment=x"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(status.as_u16(), 403);

    let body = common::form(&[("id", &id.to_string()), ("comment", "Выезд: счётчик заменён, показание ошибочное")]);
    let (status, text, _) = common::call(&w.app, "resolve_situation", &body, Some(dispatcher)).await;
    assert!(status.is_success(), "{status} {text}");
    let (_, text, _) = common::call(&w.app, "resolve_situation", &body, Some(dispatcher)).await;
    assert!(matches!(common::error_of(&text), Some(AppError::NotFound)), "resolved once: {text}");
    let audit = app::storage::audit::list(&w.db, w.a.company_id, 10).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "event.resolve" && a.details.contains("счётчик заменён")), "{audit:?}");

    let (_, text, _) = common::call(&w.app, "abnormal_situations", "", Some(dispatcher)).await;
    assert!(serde_json::from_str::<Situations>(&text).unwrap().rows.is_empty(), "resolved ones are off the list");
    let (_, text, _) = common::call(&w.app, "abnormal_situations", "resolved=true", Some(dispatcher)).await;
    let list: Situations = serde_json::from_str(&text).unwrap();
    assert_eq!(list.counts, SituationCounts { alarms: 0, warnings: 0, infos: 0, matching: 1 }, "none open, one on the list");
    assert_eq!(list.rows[0].comment, "Выезд: счётчик заменён, показание ошибочное");
    assert!(list.rows[0].resolved.is_some());
    // another company's building is "not found"
    let (status, _, _) = common::call(&w.app, "abnormal_situations", &format!("object={}", w.b.object_id), Some(dispatcher)).await;
    assert_eq!(status.as_u16(), 404);

    let (status, csv, _) = common::get(&w.app, "/export/abnormal.csv?resolved=1", Some(dispatcher)).await;
    assert!(status.is_success(), "{status}");
    assert!(csv.contains("Показание уменьшилось") && csv.contains("счётчик заменён"), "{csv}");
});

both_backends!(the_journal_filters_by_kind_severity_and_period_and_refuses_a_bad_date, |w| {
    let start = midnight_days_ago(5);
    poll_days(&w.db, &w.a, start, &["100", "110", "105"]).await;
    let mut m = meter::get(&w.db, w.a.company_id, w.a.meter_id).await.unwrap();
    m.next_verification_on = Some(app::queries::verification::today() - chrono::Days::new(1));
    meter::update_in(w.db.pool(), &m).await.unwrap();
    sweep(&w.db, w.a.company_id, app::storage::now()).await;
    let reader = w.cookie(Role::Reader);
    let journal = |query: &str| {
        let query = query.to_string();
        async move {
            let (status, text, _) = common::call(&w.app, "event_journal", &common::form(&[("query", &query)]), Some(reader)).await;
            assert!(status.is_success(), "{status} {text}");
            serde_json::from_str::<Journal>(&text).unwrap()
        }
    };
    let all = journal("").await;
    let mut kinds: Vec<_> = all.rows.iter().map(|r| r.kind).collect();
    kinds.sort();
    assert_eq!(kinds, vec![EventKind::Decreased, EventKind::VerificationOverdue]);
    assert_eq!(journal("severity=alarm").await.rows.len(), 1);
    assert_eq!(journal("kind=verification_overdue").await.rows[0].kind, EventKind::VerificationOverdue);
    assert_eq!(journal("resource=cold_water").await.rows.len(), 0, "the meter is an electricity one");
    // a period before the events
    assert!(journal("from=2020-01-01&to=2020-01-31").await.rows.is_empty());

    let (status, text, _) = common::call(&w.app, "event_journal", &common::form(&[("query", "from=2026-02-30")]), Some(reader)).await;
    assert_eq!(status.as_u16(), 422, "{text}");
    let (status, text, _) = common::call(&w.app, "event_journal", &common::form(&[("query", "from=2026-12-05&to=2026-12-01")]), Some(reader)).await;
    assert_eq!(status.as_u16(), 422, "{text}");

    let (status, csv, _) = common::get(&w.app, "/export/events.csv?kind=decreased", Some(reader)).await;
    assert!(status.is_success());
    assert!(csv.contains("Показание уменьшилось") && !csv.contains("Просрочена поверка"), "{csv}");
    let (status, _, bytes) = common::get_file(&w.app, "/export/events.xlsx", reader).await;
    assert!(status.is_success() && bytes.starts_with(b"PK"));
});

both_backends!(the_meter_card_and_the_menu_show_an_alarm_and_a_decision_on_the_reading_ends_it_at_once, |w| {
    let start = midnight_days_ago(4);
    poll_days(&w.db, &w.a, start, &["100", "110", "105"]).await;
    sweep(&w.db, w.a.company_id, app::storage::now()).await;
    let dispatcher = w.cookie(Role::Dispatcher);

    let (_, text, _) = common::call(&w.app, "menu_badges", "", Some(dispatcher)).await;
    let badges: Vec<(String, i64)> = serde_json::from_str(&text).unwrap();
    assert!(badges.contains(&("/monitoring/abnormal".to_string(), 1)), "{badges:?}");
    let (_, text, _) = common::call(&w.app, "meter_card", &format!("id={}", w.a.meter_id), Some(dispatcher)).await;
    let card: app::models::meter_card::MeterCard = serde_json::from_str(&text).unwrap();
    assert_eq!(card.events.iter().map(|e| e.kind).collect::<Vec<_>>(), vec![EventKind::Decreased]);

    // the dispatcher confirms the lowered reading (a meter replaced at the same count, say)
    let body = format!("meter_id={}&period=2&ts={}&accept=true", w.a.meter_id, start + 2 * DAY);
    let (status, text, _) = common::call(&w.app, "review_reading", &body, Some(dispatcher)).await;
    assert!(status.is_success(), "{status} {text}");
    assert!(events_of(&w.db, w.a.company_id).await[0].ended_at.is_some(), "ended with the decision");
    let (_, text, _) = common::call(&w.app, "meter_card", &format!("id={}", w.a.meter_id), Some(dispatcher)).await;
    let card: app::models::meter_card::MeterCard = serde_json::from_str(&text).unwrap();
    assert_eq!(card.events.len(), 1, "ended but not resolved: still on the card");
    assert!(card.events[0].ended.is_some());
});

both_backends!(a_meter_that_used_water_every_day_and_then_nothing_for_a_week_opens_one_zero_use_warning, |w| {
    // readings at the building's (Moscow's) midnights: 2 a day for 31 days, then nothing
    let start = moscow_midnight_days_ago(40);
    let values: Vec<String> = (0..=40).map(|i| (100 + 2 * i.min(31)).to_string()).collect();
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    poll_days(&w.db, &w.a, start, &values).await;
    app::rollup::refresh_stale(&w.db, None, usize::MAX).await.unwrap();

    let now = app::storage::now();
    assert_eq!(sweep(&w.db, w.a.company_id, now).await.opened, 1);
    assert_eq!(sweep(&w.db, w.a.company_id, now + 120).await.opened, 0, "seen again, not opened again");
    let events: Vec<_> = events_of(&w.db, w.a.company_id).await.into_iter().filter(|e| e.kind == "zero_use").collect();
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!((e.severity.as_str(), e.source.as_str(), e.meter_id), ("warning", "computed", Some(w.a.meter_id)));
    // the day after the last use: day 31 (the use of day 30 was the last 2)
    assert_eq!(e.started_at, start + 31 * DAY);
    assert!(e.details.contains("\"days\":9"), "{}", e.details);
    assert!(events_of(&w.db, w.b.company_id).await.is_empty(), "company B has nothing");

    // the meter taken out of service: the condition is gone, the event ends
    sqlx::query("UPDATE meters SET state = 'retired' WHERE id = $1").bind(w.a.meter_id).execute(w.db.pool()).await.unwrap();
    assert_eq!(sweep(&w.db, w.a.company_id, now + 240).await.ended, 1);
});

both_backends!(a_meter_that_never_used_anything_or_whose_last_days_are_unknown_is_not_a_zero_use, |w| {
    // nothing at all for forty days: no use was expected
    let start = moscow_midnight_days_ago(40);
    let flat: Vec<&str> = vec!["100"; 41];
    poll_days(&w.db, &w.a, start, &flat).await;
    // company B's meter used some, then nothing, but its last three days are not known:
    // no reading since (a silent meter, not a stopped one)
    for i in 0..=37 {
        let r = fixtures::polled(w.b.company_id, w.b.channel_id, Period::Day, start + i * DAY, d(&(100 + 2 * i.min(31)).to_string()));
        reading::insert_many(&w.db, &[r]).await.unwrap();
    }
    app::rollup::refresh_stale(&w.db, None, usize::MAX).await.unwrap();
    let now = app::storage::now();
    sweep(&w.db, w.a.company_id, now).await;
    sweep(&w.db, w.b.company_id, now).await;
    for company in [w.a.company_id, w.b.company_id] {
        let zero: Vec<_> = events_of(&w.db, company).await.into_iter().filter(|e| e.kind == "zero_use").collect();
        assert!(zero.is_empty(), "{zero:?}");
    }
});

both_backends!(a_list_longer_than_a_page_shows_the_newest_and_counts_them_all, |w| {
    // two buildings of company A, each with a reading that went down: two alarms
    let start = midnight_days_ago(5);
    let second = fixtures::building_of(&w.db, w.a.company_id, "2").await;
    poll_days(&w.db, &w.a, start, &["100", "110", "105"]).await;
    poll_days(&w.db, &second, start + 3600, &["100", "110", "104"]).await;
    sweep(&w.db, w.a.company_id, app::storage::now()).await;
    let caller = app::auth::caller::Caller {
        user_id: w.user_id(Role::Dispatcher),
        login: "dispatcher".into(),
        full_name: String::new(),
        company_id: w.a.company_id,
        role: Role::Dispatcher,
        token_hash: String::new(),
        ip: String::new(),
        must_change_password: false,
    };
    let cut = app::queries::monitoring::situations::list(&w.db, &caller, None, false, 1).await.unwrap();
    assert_eq!(cut.rows.len(), 1, "a page of one");
    assert_eq!(cut.counts, SituationCounts { alarms: 2, warnings: 0, infos: 0, matching: 2 });
    assert_eq!(cut.rows[0].object_id, second.object_id, "the newest first");
    let one = app::queries::monitoring::situations::list(&w.db, &caller, Some(w.a.object_id), false, 1).await.unwrap();
    assert_eq!((one.rows.len(), one.counts.matching), (1, 1), "a building's own");
    // the file holds them all
    let (status, csv, _) = common::get(&w.app, "/export/abnormal.csv", Some(w.cookie(Role::Dispatcher))).await;
    assert!(status.is_success());
    assert_eq!(csv.matches("Показание уменьшилось").count(), 2, "{csv}");
});
