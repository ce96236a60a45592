//! Alert subscriptions (issue 23, point 10): what a staff member asked to hear of, and how far
//! the dispatcher has read the events for them (`last_event_id`), so each event opening is
//! told once however often the dispatcher runs.

use sqlx::Row;

use super::{Db, Result};
use crate::models::alerts::Subscription;
use crate::models::monitoring::{EventKind, Severity};
use crate::models::Resource;

/// A subscription with whose it is, as the dispatcher reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub company_id: i64,
    pub user_id: i64,
    pub subscription: Subscription,
    pub last_event_id: i64,
    pub token: String,
}

fn join<T>(items: &[T], name: impl Fn(&T) -> String) -> String {
    items.iter().map(name).collect::<Vec<_>>().join(",")
}

fn split<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    text.split(',').filter_map(|s| parse(s.trim())).collect()
}

/// Keeps a new subscription; it hears of the events that open from now on (`after`: the
/// company's newest event id). Returns its id.
pub async fn create(db: &Db, company_id: i64, user_id: i64, s: &Subscription, after: i64, token: &str, now: i64) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO alert_subscriptions (company_id, user_id, name, email, webhook_url, kinds, severities,
             resources, objects, quiet_from, quiet_to, time_zone, last_event_id, token, active, created_at, remind_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $16) RETURNING id",
    )
    .bind(company_id)
    .bind(user_id)
    .bind(&s.name)
    .bind(&s.email)
    .bind(&s.webhook_url)
    .bind(join(&s.kinds, |k| k.as_str().to_string()))
    .bind(join(&s.severities, |v| v.as_str().to_string()))
    .bind(join(&s.resources, |r| r.as_str().to_string()))
    .bind(join(&s.objects, i64::to_string))
    .bind(s.quiet.map(|q| q.0 as i64))
    .bind(s.quiet.map(|q| q.1 as i64))
    .bind(&s.time_zone)
    .bind(after)
    .bind(token)
    .bind(now)
    .bind(s.remind_hours.map(i64::from))
    .fetch_one(db.pool())
    .await?;
    Ok(id)
}

const COLUMNS: &str = "id, company_id, user_id, name, email, webhook_url, kinds, severities, resources, objects,
    quiet_from, quiet_to, time_zone, remind_hours, last_event_id, token, active";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Stored> {
    let quiet = match (r.try_get::<Option<i64>, _>("quiet_from")?, r.try_get::<Option<i64>, _>("quiet_to")?) {
        (Some(from), Some(to)) => Some((from as u32, to as u32)),
        _ => None,
    };
    Ok(Stored {
        company_id: r.try_get("company_id")?,
        user_id: r.try_get("user_id")?,
        last_event_id: r.try_get("last_event_id")?,
        token: r.try_get("token")?,
        subscription: Subscription {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            email: r.try_get("email")?,
            webhook_url: r.try_get("webhook_url")?,
            kinds: split(&r.try_get::<String, _>("kinds")?, EventKind::parse),
            severities: split(&r.try_get::<String, _>("severities")?, Severity::parse),
            resources: split(&r.try_get::<String, _>("resources")?, Resource::parse),
            objects: split(&r.try_get::<String, _>("objects")?, |s| s.parse().ok()),
            quiet,
            time_zone: r.try_get("time_zone")?,
            remind_hours: r.try_get::<Option<i64>, _>("remind_hours")?.map(|h| h as u32),
            active: r.try_get::<i64, _>("active")? != 0,
        },
    })
}

/// A person's subscriptions in a company, oldest first.
pub async fn list_of_user(db: &Db, company_id: i64, user_id: i64) -> Result<Vec<Stored>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM alert_subscriptions WHERE company_id = $1 AND user_id = $2 ORDER BY id"
    ))
    .bind(company_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Every working subscription of every company: what the dispatcher goes through.
pub async fn list_active(db: &Db) -> Result<Vec<Stored>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM alert_subscriptions WHERE active = 1 ORDER BY company_id, id"))
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// The subscription an unsubscribe link names.
pub async fn by_token(db: &Db, token: &str) -> Result<Option<Stored>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM alert_subscriptions WHERE token = $1"))
        .bind(token)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Turns a subscription off or on again. True if it was there.
pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<bool> {
    Ok(sqlx::query("UPDATE alert_subscriptions SET active = $2 WHERE id = $1")
        .bind(id)
        .bind(active as i64)
        .execute(db.pool())
        .await?
        .rows_affected()
        == 1)
}

/// Removes a person's own subscription. True if it was theirs.
pub async fn delete(db: &Db, company_id: i64, user_id: i64, id: i64) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM alert_subscriptions WHERE id = $1 AND company_id = $2 AND user_id = $3")
        .bind(id)
        .bind(company_id)
        .bind(user_id)
        .execute(db.pool())
        .await?
        .rows_affected()
        == 1)
}

/// When a subscription last reminded of each event it reminded of: event id → told at.
pub async fn reminded(db: &Db, id: i64) -> Result<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT event_id, told_at FROM alert_reminders WHERE subscription_id = $1")
        .bind(id)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().collect())
}

/// Notes that a subscription reminded of these events at `now`, and forgets its reminders of
/// events no longer in `open` (ended or resolved since).
pub async fn remind(db: &Db, id: i64, told: &[i64], open: &[i64], now: i64) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    for event_id in told {
        sqlx::query(
            "INSERT INTO alert_reminders (subscription_id, event_id, told_at) VALUES ($1, $2, $3)
             ON CONFLICT (subscription_id, event_id) DO UPDATE SET told_at = excluded.told_at",
        )
        .bind(id)
        .bind(*event_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let kept: Vec<(i64,)> = sqlx::query_as("SELECT event_id FROM alert_reminders WHERE subscription_id = $1").bind(id).fetch_all(&mut *tx).await?;
    for (event_id,) in kept.into_iter().filter(|(e,)| !open.contains(e)) {
        sqlx::query("DELETE FROM alert_reminders WHERE subscription_id = $1 AND event_id = $2").bind(id).bind(event_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Marks the events up to `last_event_id` as told.
pub async fn advance(db: &Db, id: i64, last_event_id: i64) -> Result<()> {
    sqlx::query("UPDATE alert_subscriptions SET last_event_id = $2 WHERE id = $1 AND last_event_id < $2")
        .bind(id)
        .bind(last_event_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::models::alerts::SubscriptionForm;
    use crate::storage::testing::fixtures;

    db_test!(a_subscription_is_kept_as_typed_and_only_its_owner_removes_it, |db| {
        let b = fixtures::building(&db).await;
        let u = crate::storage::user::create(&db, &crate::storage::user::User { login: "disp".into(), ..Default::default() })
            .await
            .unwrap()
            .id;
        let mut s = SubscriptionForm {
            name: "Ночью — только аварии".into(),
            email: "dispatch@uk-ogni.ru".into(),
            webhook_url: "https://bot.example/hook".into(),
            kinds: "magnet,leak".into(),
            severities: "alarm".into(),
            resources: "electricity,cold_water".into(),
            objects: b.object_id.to_string(),
            quiet_from: "22:00".into(),
            quiet_to: "07:00".into(),
            remind_hours: "6".into(),
        }
        .check()
        .unwrap();
        s.time_zone = "Asia/Yekaterinburg".into();
        let id = create(&db, b.company_id, u, &s, 41, "t0ken", 1_000).await.unwrap();
        let kept = list_of_user(&db, b.company_id, u).await.unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].subscription, Subscription { id, ..s });
        assert_eq!((kept[0].last_event_id, kept[0].token.as_str()), (41, "t0ken"));
        assert_eq!(by_token(&db, "t0ken").await.unwrap().map(|k| k.subscription.id), Some(id));
        advance(&db, id, 50).await.unwrap();
        advance(&db, id, 45).await.unwrap();
        assert_eq!(list_active(&db).await.unwrap()[0].last_event_id, 50, "never back");
        let new = |kind| crate::storage::event::NewEvent {
            company_id: b.company_id,
            object_id: b.object_id,
            meter_id: Some(b.meter_id),
            channel_id: None,
            kind,
            severity: "alarm",
            source: "computed",
            started_at: 900,
            details: "{}".into(),
        };
        crate::storage::event::open_many(&db, &[new("decreased"), new("magnet")], 1_000).await.unwrap();
        let ids: Vec<i64> = crate::storage::event::list(&db, b.company_id, &crate::storage::event::Filter { limit: 10, ..Default::default() })
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert!(reminded(&db, id).await.unwrap().is_empty());
        remind(&db, id, &ids, &ids, 2_000).await.unwrap();
        remind(&db, id, &ids[..1], &ids, 3_000).await.unwrap();
        assert_eq!(reminded(&db, id).await.unwrap(), [(ids[0], 3_000), (ids[1], 2_000)].into_iter().collect());
        remind(&db, id, &[], &ids[..1], 4_000).await.unwrap();
        assert_eq!(reminded(&db, id).await.unwrap(), [(ids[0], 3_000)].into_iter().collect(), "a closed event's reminder is forgotten");
        assert!(set_active(&db, id, false).await.unwrap());
        assert!(list_active(&db).await.unwrap().is_empty());
        assert!(!delete(&db, b.company_id, u + 1, id).await.unwrap(), "not another person's");
        assert!(delete(&db, b.company_id, u, id).await.unwrap());
    });
}
