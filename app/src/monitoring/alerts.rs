//! The alerts' dispatcher (issue 23, point 10): goes through the working subscriptions, reads
//! the events their company opened after the last one told, and puts the messages in the
//! outbox — a letter and/or a webhook POST per event, one digest for a burst. In a
//! subscription's quiet hours nothing goes; what opened then goes out as one digest when
//! they end. Each event opening is told once: the subscription's cursor moves past it. With
//! reminders on, an alarm that stays open is told again every so many hours.

use chrono::Timelike;
use serde_json::json;

use crate::i18n::{Lang, Msg};
use crate::models::alerts::{Subscription, DIGEST_OVER};
use crate::models::monitoring::{EventRow, Severity, COLUMNS};
use crate::queries::monitoring::row_of;
use crate::storage::{alert_subscription, event, mail, Db, StorageError};

/// Events one pass reads per subscription; a bigger burst is counted, not listed.
const READ_AT_MOST: i64 = 1_000;
/// Events a digest lists by name.
const DIGEST_LISTS: usize = 50;

/// What one pass put in the outbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dispatched {
    pub letters: usize,
    pub webhooks: usize,
}

/// Where letters' links point and whether letters can leave at all.
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    pub public_url: String,
    pub mail_enabled: bool,
}

/// One pass over every working subscription at `now`.
pub async fn dispatch(db: &Db, delivery: &Delivery, now: i64) -> Result<Dispatched, StorageError> {
    let mut done = Dispatched::default();
    for s in alert_subscription::list_active(db).await? {
        let sub = &s.subscription;
        if sub.quiet_at(minute_of_day(&sub.time_zone, now)) {
            continue;
        }
        let newest = event::newest_id(db, s.company_id).await?;
        if newest > s.last_event_id {
            let filter = event::Filter { after_id: Some(s.last_event_id), limit: READ_AT_MOST, ..Default::default() };
            let mut read = event::list(db, s.company_id, &filter).await?;
            // what opened after `newest` was read goes with the next pass
            read.retain(|e| e.id <= newest);
            let more = if read.len() as i64 == READ_AT_MOST { (newest - s.last_event_id - READ_AT_MOST).max(0) } else { 0 };
            read.sort_by_key(|e| e.id);
            let wanted: Vec<EventRow> = read
                .into_iter()
                .filter(|e| sub.wants(&e.kind, &e.severity, e.resource.as_deref(), e.object_id))
                .filter_map(row_of)
                .collect();
            send(db, delivery, &s, &wanted, more, Told::Opened, now, &mut done).await?;
            alert_subscription::advance(db, sub.id, newest).await?;
        }
        if let Some(hours) = sub.remind_hours {
            remind(db, delivery, &s, newest.max(s.last_event_id), hours, now, &mut done).await?;
        }
    }
    Ok(done)
}

/// Why a message goes: an event opened, or an alarm is still open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Told {
    Opened,
    Reminder,
}

/// Puts the messages of these events in the outbox: one each, or one digest for a burst.
#[allow(clippy::too_many_arguments)]
async fn send(
    db: &Db,
    delivery: &Delivery,
    s: &alert_subscription::Stored,
    events: &[EventRow],
    more: i64,
    told: Told,
    now: i64,
    done: &mut Dispatched,
) -> Result<(), StorageError> {
    let sub = &s.subscription;
    let base = delivery.public_url.trim_end_matches('/');
    let groups: Vec<&[EventRow]> = if events.len() > DIGEST_OVER { vec![events] } else { events.chunks(1).collect() };
    for group in groups {
        if !sub.email.is_empty() && delivery.mail_enabled {
            let (subject, body) = letter(sub, group, more, told, base, &s.token);
            mail::create_on(db, mail::MAIL, Some(s.company_id), &sub.email, &subject, &body, now).await?;
            done.letters += 1;
        }
        if !sub.webhook_url.is_empty() {
            let body = webhook_body(sub, group, more, told, base).to_string();
            mail::create_on(db, mail::WEBHOOK, Some(s.company_id), &sub.webhook_url, &sub.name, &body, now).await?;
            done.webhooks += 1;
        }
    }
    Ok(())
}

/// Reminds of the alarms the subscription was told of that stay open (not ended, nobody
/// resolved them): the first time `hours` after one opened, then every `hours`.
async fn remind(
    db: &Db,
    delivery: &Delivery,
    s: &alert_subscription::Stored,
    told_up_to: i64,
    hours: u32,
    now: i64,
    done: &mut Dispatched,
) -> Result<(), StorageError> {
    let sub = &s.subscription;
    let every = i64::from(hours) * 3_600;
    let filter = event::Filter {
        severity: Some(Severity::Alarm.as_str()),
        unresolved_only: true,
        started: Some((i64::MIN, now - every + 1)),
        limit: READ_AT_MOST,
        ..Default::default()
    };
    let mut open = event::list(db, s.company_id, &filter).await?;
    open.retain(|e| e.ended_at.is_none() && e.id <= told_up_to && sub.wants(&e.kind, &e.severity, e.resource.as_deref(), e.object_id));
    open.sort_by_key(|e| e.id);
    let reminded = alert_subscription::reminded(db, sub.id).await?;
    let open_ids: Vec<i64> = open.iter().map(|e| e.id).collect();
    let due: Vec<EventRow> = open
        .into_iter()
        .filter(|e| reminded.get(&e.id).is_none_or(|at| *at <= now - every))
        .filter_map(row_of)
        .collect();
    send(db, delivery, s, &due, 0, Told::Reminder, now, done).await?;
    let due_ids: Vec<i64> = due.iter().map(|e| e.id).collect();
    alert_subscription::remind(db, sub.id, &due_ids, &open_ids, now).await?;
    Ok(())
}

/// The minute of the day at `now` in a subscription's zone (Moscow if the zone is unknown).
fn minute_of_day(zone: &str, now: i64) -> u32 {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let t = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default().with_timezone(&tz);
    t.hour() * 60 + t.minute()
}

fn link(base: &str, e: &EventRow) -> String {
    format!("{base}/monitoring/events?object={}&kind={}", e.object_id, e.kind.as_str())
}

/// One event as lines «Событие: …», the columns of the journal that have a value.
fn event_lines(e: &EventRow) -> String {
    let lang = Lang::Ru;
    COLUMNS
        .iter()
        .zip(e.cells(lang))
        .filter(|(_, v)| !v.is_empty())
        .map(|(m, v)| format!("{}: {v}", m.text(lang)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A letter of one event or a digest of many (in Russian: the company's staff read it).
pub fn letter(sub: &Subscription, events: &[EventRow], more: i64, told: Told, base: &str, token: &str) -> (String, String) {
    let lang = Lang::Ru;
    let again = if told == Told::Reminder { "Напоминание — " } else { "" };
    let footer = format!(
        "\n\n—\nПодписка «{}» в Учёте. Изменить подписки: {base}/monitoring/alerts\nОтписаться: {base}/alerts/unsubscribe/{token}\n",
        sub.name
    );
    match events {
        [e] => {
            let place = [e.object.as_str(), e.place.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ");
            let subject = format!("[Учёт] {again}{}: {} — {place}", e.severity.label().text(lang), e.kind.label().text(lang));
            let still = if told == Told::Reminder { "Событие всё ещё не закрыто.\n\n" } else { "" };
            let body = format!("{still}{}\n\nОткрыть в журнале событий: {}{footer}", event_lines(e), link(base, e));
            (subject, body)
        }
        _ => {
            let total = events.len() as i64 + more;
            let (subject, mut body) = match told {
                Told::Opened => (format!("[Учёт] Событий: {total} — подписка «{}»", sub.name), format!("{}: {total}\n\n", Msg::AlDigest.text(lang))),
                Told::Reminder => (
                    format!("[Учёт] {again}не закрыто аварий: {total} — подписка «{}»", sub.name),
                    format!("{}: {total}\n\n", Msg::AlStillOpen.text(lang)),
                ),
            };
            for e in events.iter().take(DIGEST_LISTS) {
                let cells = e.cells(lang);
                body.push_str(&format!("• {} · {} · {}", cells[0], cells[1], cells[2]));
                for c in [&cells[3], &cells[4], &cells[7]] {
                    if !c.is_empty() {
                        body.push_str(&format!(" · {c}"));
                    }
                }
                body.push('\n');
            }
            let unlisted = total - events.len().min(DIGEST_LISTS) as i64;
            if unlisted > 0 {
                body.push_str(&format!("… и ещё {unlisted}\n"));
            }
            body.push_str(&format!("\nЖурнал событий: {base}/monitoring/events{footer}"));
            (subject, body)
        }
    }
}

/// The JSON a webhook receives: the subscription's name, whether it reminds of open alarms,
/// how many events, and each event.
pub fn webhook_body(sub: &Subscription, events: &[EventRow], more: i64, told: Told, base: &str) -> serde_json::Value {
    let lang = Lang::Ru;
    json!({
        "subscription": sub.name,
        "reminder": told == Told::Reminder,
        "count": events.len() as i64 + more,
        "events": events.iter().map(|e| json!({
            "id": e.id,
            "kind": e.kind.as_str(),
            "kind_name": e.kind.label().text(lang),
            "severity": e.severity.as_str(),
            "started": e.started,
            "started_at": chrono::DateTime::from_timestamp(e.started_at, 0).map(|t| t.to_rfc3339()),
            "object_id": e.object_id,
            "object": e.object,
            "place": e.place,
            "account": e.account,
            "resource": e.resource.map(|r| r.as_str()),
            "meter_id": e.meter_id,
            "serial": e.serial,
            "details": e.values.describe(e.kind, lang),
            "link": link(base, e),
        })).collect::<Vec<_>>(),
    })
}
