//! Alerts by subscription (issue 23, point 10) on both databases: a staff member subscribes
//! to kinds, severities, meter types and buildings; each event that opens is told once, by a
//! letter with its unsubscribe link and by a webhook POST; a burst is one digest; the quiet
//! hours hold everything back until they end; a failing webhook is tried again; the link
//! asks, then turns the subscription off; only one's own subscriptions, one's own company's
//! buildings; bad input a clear error.

use std::sync::{Arc, Mutex};

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::alerts::MyAlerts;
use app::models::Role;
use app::monitoring::alerts::{dispatch, Delivery, Dispatched};
use app::storage::{alert_subscription, event, mail, Db};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

const EMAIL: &str = "dispatch@uk-ogni.test";

fn delivery() -> Delivery {
    Delivery { public_url: common::PUBLIC_URL.into(), mail_enabled: true }
}

async fn subscribe(w: &common::World, cookie: &str, fields: &[(&str, &str)]) -> Result<i64, AppError> {
    let mut all: Vec<(&str, &str)> = vec![("name", "Аварии"), ("email", EMAIL), ("webhook_url", ""), ("kinds", ""), ("severities", ""),
        ("resources", ""), ("objects", ""), ("quiet_from", ""), ("quiet_to", ""), ("remind_hours", "")];
    for (k, v) in fields {
        all.iter_mut().find(|(name, _)| name == k).unwrap().1 = v;
    }
    let (status, text, _) = common::call(&w.app, "subscribe_alerts", &common::form(&all), Some(cookie)).await;
    if status.is_success() {
        Ok(text.trim().parse().unwrap_or_else(|_| panic!("{text}")))
    } else {
        Err(common::error_of(&text).unwrap_or_else(|| panic!("{status} {text}")))
    }
}

/// Opens an event of `kind` at the meter of `b` (the kinds' own severities).
async fn open(db: &Db, b: &app::storage::testing::fixtures::Building, kind: app::models::monitoring::EventKind, at: i64) {
    let e = event::NewEvent {
        company_id: b.company_id,
        object_id: b.object_id,
        meter_id: Some(b.meter_id),
        channel_id: Some(b.channel_id),
        kind: kind.as_str(),
        severity: kind.severity().as_str(),
        source: "computed",
        started_at: at - 60,
        details: "{}".into(),
    };
    assert_eq!(event::open_many(db, &[e], at).await.unwrap(), 1);
}

/// A loopback receiver that keeps the bodies POSTed to it.
async fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = got.clone();
    let app = axum::Router::new().route(
        "/hook/{secret}",
        axum::routing::post(move |body: String| {
            let keep = keep.clone();
            async move {
                keep.lock().unwrap().push(body);
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://127.0.0.1:{port}/hook/bot123:SECRET"), got)
}

/// The minute of the day now, Moscow time, as `HH:MM` shifted by `minutes`.
fn moscow_clock(minutes: i64) -> String {
    let t = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow) + chrono::Duration::minutes(minutes);
    t.format("%H:%M").to_string()
}

both_backends!(each_event_that_opens_is_told_once_by_a_letter_with_its_unsubscribe_link, |w| {
    use app::models::monitoring::EventKind;
    let now = app::storage::now();
    // an event before the subscription is not told
    open(&w.db, &w.a, EventKind::Silent, now - 600).await;
    let id = subscribe(w, w.cookie(Role::Dispatcher), &[("kinds", "decreased,magnet")]).await.unwrap();
    assert_eq!(dispatch(&w.db, &delivery(), now).await.unwrap(), Dispatched::default());

    open(&w.db, &w.a, EventKind::Decreased, now).await;
    open(&w.db, &w.a, EventKind::Jump, now).await;
    open(&w.db, &w.b, EventKind::Decreased, now).await;
    assert_eq!(dispatch(&w.db, &delivery(), now).await.unwrap(), Dispatched { letters: 1, webhooks: 0 }, "the lowered reading of A only");
    assert_eq!(dispatch(&w.db, &delivery(), now + 60).await.unwrap(), Dispatched::default(), "told once");

    let letters = mail::list_for_recipient(&w.db, w.a.company_id, EMAIL).await.unwrap();
    assert_eq!(letters.len(), 1);
    let token = alert_subscription::list_of_user(&w.db, w.a.company_id, w.user_id(Role::Dispatcher)).await.unwrap()[0].token.clone();
    let l = &letters[0];
    assert!(l.subject.starts_with("[Учёт] Авария: Показание уменьшилось — "), "{}", l.subject);
    assert!(l.body.contains(&format!("{}/alerts/unsubscribe/{token}", common::PUBLIC_URL)), "{}", l.body);
    assert!(l.body.contains(&format!("{}/monitoring/events?object={}&kind=decreased", common::PUBLIC_URL, w.a.object_id)), "{}", l.body);
    assert!(l.body.contains("Событие: Показание уменьшилось\nДом: "), "{}", l.body);
    assert!(l.body.contains("Важность: Авария"), "{}", l.body);
    assert!(mail::list_for_recipient(&w.db, w.b.company_id, EMAIL).await.unwrap().is_empty());
    assert!(id > 0);
});

both_backends!(a_burst_is_one_digest_held_back_by_the_quiet_hours_and_a_failing_webhook_is_tried_again, |w| {
    use app::models::monitoring::EventKind;
    let (url, got) = receiver().await;
    let cookie = w.cookie(Role::Dispatcher);
    subscribe(w, cookie, &[("email", ""), ("webhook_url", &url), ("quiet_from", &moscow_clock(-60)), ("quiet_to", &moscow_clock(60))])
        .await
        .unwrap();
    let now = app::storage::now();
    for kind in [EventKind::Decreased, EventKind::Jump, EventKind::Magnet, EventKind::CoverOpened, EventKind::Leak] {
        open(&w.db, &w.a, kind, now).await;
    }
    assert_eq!(dispatch(&w.db, &delivery(), now).await.unwrap(), Dispatched::default(), "quiet hours");
    let later = now + 2 * 3600;
    assert_eq!(dispatch(&w.db, &delivery(), later).await.unwrap(), Dispatched { letters: 0, webhooks: 1 }, "one digest after them");
    assert_eq!(server::webhook::send_due(&w.db, later).await.unwrap(), 1);
    let bodies = got.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    let json: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(json["subscription"], "Аварии");
    assert_eq!(json["count"], 5);
    let kinds: Vec<&str> = json["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["decreased", "jump", "magnet", "cover_opened", "leak"]);
    assert_eq!(json["events"][2]["kind_name"], "Воздействие магнитным полем");
    assert_eq!(json["events"][0]["object_id"], w.a.object_id);

    // a receiver that is away: the POST waits and goes again after a pause
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let stranded = mail::create_on(&w.db, mail::WEBHOOK, Some(w.a.company_id), &format!("http://127.0.0.1:{closed}/hook/bot123:SECRET"), "Аварии", "{}", now)
        .await
        .unwrap();
    assert_eq!(server::webhook::send_due(&w.db, now).await.unwrap(), 0);
    let due = mail::list_due(&w.db, mail::WEBHOOK, now + 61, 10).await.unwrap();
    assert_eq!(due.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(), vec![(stranded.id, 1)], "tried again after a minute");
    assert!(!due[0].last_error.contains("SECRET"));
});

both_backends!(the_unsubscribe_link_asks_first_then_turns_the_subscription_off, |w| {
    use app::models::monitoring::EventKind;
    let cookie = w.cookie(Role::Dispatcher);
    let id = subscribe(w, cookie, &[]).await.unwrap();
    let token = alert_subscription::list_of_user(&w.db, w.a.company_id, w.user_id(Role::Dispatcher)).await.unwrap()[0].token.clone();
    let link = format!("/alerts/unsubscribe/{token}");

    // read from any mailbox, signed in or not; a GET changes nothing
    let (status, page, _) = common::get(&w.app, &link, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Отписаться") && page.contains("«Аварии»"), "{page}");
    assert!(alert_subscription::list_active(&w.db).await.unwrap().iter().any(|s| s.subscription.id == id));
    let (status, _, _) = common::get(&w.app, "/alerts/unsubscribe/not-a-token", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let resp = w.app.clone().oneshot(Request::post(&link).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(alert_subscription::list_active(&w.db).await.unwrap().is_empty(), "off");
    let now = app::storage::now();
    open(&w.db, &w.a, EventKind::Magnet, now).await;
    assert_eq!(dispatch(&w.db, &delivery(), now).await.unwrap(), Dispatched::default());

    // on again from the page: what opened while it was off is not told after the fact
    let (status, _, _) = common::call(&w.app, "switch_alerts", &common::form(&[("id", &id.to_string()), ("active", "true")]), Some(cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dispatch(&w.db, &delivery(), now).await.unwrap(), Dispatched::default());
    open(&w.db, &w.a, EventKind::Leak, now).await;
    assert_eq!(dispatch(&w.db, &delivery(), now).await.unwrap(), Dispatched { letters: 1, webhooks: 0 });
});

both_backends!(subscriptions_are_ones_own_and_a_bad_form_is_a_clear_error, |w| {
    let cookie = w.cookie(Role::Dispatcher);
    let wrong = |r: Result<i64, AppError>| match r {
        Err(AppError::Invalid { field, problem }) => (field, problem),
        other => panic!("{other:?}"),
    };
    assert_eq!(wrong(subscribe(w, cookie, &[("name", " ")]).await), (Msg::AlName, Problem::Required));
    assert_eq!(wrong(subscribe(w, cookie, &[("email", "")]).await), (Msg::AlWhere, Problem::Required));
    assert_eq!(wrong(subscribe(w, cookie, &[("webhook_url", "ftp://bot.example/hook")]).await), (Msg::AlWebhook, Problem::BadFormat));
    assert_eq!(wrong(subscribe(w, cookie, &[("kinds", "meteor")]).await), (Msg::EvKind, Problem::BadFormat));
    assert_eq!(wrong(subscribe(w, cookie, &[("quiet_from", "22:00")]).await), (Msg::AlQuiet, Problem::Required));
    let other = w.b.object_id.to_string();
    assert_eq!(wrong(subscribe(w, cookie, &[("objects", &other)]).await), (Msg::Building, Problem::BadFormat), "another company's building");
    assert!(matches!(subscribe(w, w.cookie(Role::Resident), &[]).await, Err(AppError::Forbidden)));
    assert!(alert_subscription::list_active(&w.db).await.unwrap().is_empty(), "nothing half-written");

    let mine = w.a.object_id.to_string();
    let id = subscribe(w, cookie, &[("objects", &mine), ("severities", "alarm")]).await.unwrap();
    let (_, text, _) = common::call(&w.app, "alert_subscriptions", "", Some(cookie)).await;
    let page: MyAlerts = serde_json::from_str(&text).unwrap();
    assert_eq!(page.subscriptions.len(), 1);
    assert_eq!(page.subscriptions[0].objects, vec![w.a.object_id]);
    assert!(page.mail_enabled);
    let (_, text, _) = common::call(&w.app, "alert_subscriptions", "", Some(w.cookie(Role::ServiceEngineer))).await;
    assert!(serde_json::from_str::<MyAlerts>(&text).unwrap().subscriptions.is_empty(), "another person's are not listed");

    let id_form = common::form(&[("id", &id.to_string())]);
    let (status, _, _) = common::call(&w.app, "delete_alerts", &id_form, Some(&w.b_dispatcher)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another company's dispatcher");
    let (status, _, _) = common::call(&w.app, "delete_alerts", &id_form, Some(w.cookie(Role::ServiceEngineer))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another person");
    let (_, text, _) = common::call(&w.app, "switch_alerts", &format!("{id_form}&active=false"), Some(w.cookie(Role::Resident))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden), "a resident");
    let (status, _, _) = common::call(&w.app, "delete_alerts", &id_form, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(alert_subscription::list_active(&w.db).await.unwrap().is_empty());
});

both_backends!(an_alarm_that_stays_open_is_told_again_every_so_many_hours_until_it_ends, |w| {
    use app::models::monitoring::EventKind;
    let (url, got) = receiver().await;
    let cookie = w.cookie(Role::Dispatcher);
    subscribe(w, cookie, &[("webhook_url", &url), ("remind_hours", "2")]).await.unwrap();
    let now = app::storage::now();
    open(&w.db, &w.a, EventKind::Decreased, now).await;
    open(&w.db, &w.a, EventKind::Magnet, now).await;
    open(&w.db, &w.a, EventKind::Jump, now).await;
    assert_eq!(dispatch(&w.db, &delivery(), now).await.unwrap(), Dispatched { letters: 3, webhooks: 3 }, "each as it opens");
    assert_eq!(dispatch(&w.db, &delivery(), now + 3_600).await.unwrap(), Dispatched::default(), "not two hours yet");

    let two_hours = now + 2 * 3_600;
    assert_eq!(dispatch(&w.db, &delivery(), two_hours).await.unwrap(), Dispatched { letters: 2, webhooks: 2 }, "the two alarms, not the jump (a warning)");
    assert_eq!(dispatch(&w.db, &delivery(), two_hours + 60).await.unwrap(), Dispatched::default(), "once in two hours");
    let letters = mail::list_for_recipient(&w.db, w.a.company_id, EMAIL).await.unwrap();
    let reminders: Vec<&str> = letters.iter().map(|l| l.subject.as_str()).filter(|s| s.contains("Напоминание")).collect();
    assert_eq!(reminders.len(), 2, "{reminders:?}");
    assert!(reminders.iter().any(|s| s.starts_with("[Учёт] Напоминание — Авария: Показание уменьшилось — ")), "{reminders:?}");
    let reminder = letters.iter().find(|l| l.subject.contains("Напоминание")).unwrap();
    assert!(reminder.body.starts_with("Событие всё ещё не закрыто.\n\n"), "{}", reminder.body);

    // the magnet is gone: its event ends, and only the lowered reading is told again
    let open_now = event::list(&w.db, w.a.company_id, &event::Filter { kind: Some("magnet"), limit: 5, ..Default::default() }).await.unwrap();
    event::end_many(&w.db, w.a.company_id, &[open_now[0].id], two_hours + 600).await.unwrap();
    assert_eq!(dispatch(&w.db, &delivery(), now + 4 * 3_600).await.unwrap(), Dispatched { letters: 1, webhooks: 1 });
    assert_eq!(server::webhook::send_due(&w.db, now + 4 * 3_600).await.unwrap(), 6);
    let bodies = got.lock().unwrap().clone();
    let last: serde_json::Value = serde_json::from_str(bodies.last().unwrap()).unwrap();
    let reminded: Vec<_> = bodies.iter().map(|b| serde_json::from_str::<serde_json::Value>(b).unwrap()).filter(|j| j["reminder"] == true).collect();
    assert_eq!(reminded.len(), 3, "two, then one");
    assert_eq!(last["events"][0]["kind"], "decreased");
});
