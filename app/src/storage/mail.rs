//! The mail outbox: letters wait here until the SMTP relay took them. Whoever asks for a
//! letter only writes a row; the server's mailer sends, and retries with growing pauses, so a
//! relay that is down delays an invite but never loses it. Alerts' webhook POSTs wait here
//! too, on their own channel, and leave the same way.

use super::{Db, Result};

/// The outbox's channels: letters by SMTP, alerts' JSON POSTs to a webhook's URL.
pub const MAIL: &str = "mail";
pub const WEBHOOK: &str = "webhook";

/// Attempts before a letter is given up (about a day of retries).
pub const MAX_ATTEMPTS: i64 = 12;

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub company_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub last_error: String,
}

pub async fn create(
    db: &Db,
    company_id: Option<i64>,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<Letter> {
    create_on(db, MAIL, company_id, recipient, subject, body, now).await
}

/// Puts a message in the outbox on a channel ([`MAIL`] or [`WEBHOOK`]).
pub async fn create_on(
    db: &Db,
    channel: &str,
    company_id: Option<i64>,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<Letter> {
    Ok(sqlx::query_as::<_, Letter>(
        "INSERT INTO mail_outbox (company_id, recipient, subject, body, created_at, next_attempt_at, channel)
         VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING *",
    )
    .bind(company_id)
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(now)
    .bind(channel)
    .fetch_one(db.pool())
    .await?)
}

/// A channel's messages due now, oldest first.
pub async fn list_due(db: &Db, channel: &str, now: i64, limit: i64) -> Result<Vec<Letter>> {
    Ok(sqlx::query_as::<_, Letter>(
        "SELECT * FROM mail_outbox WHERE sent_at IS NULL AND attempts < $2 AND next_attempt_at <= $1
           AND channel = $4
         ORDER BY next_attempt_at, id LIMIT $3",
    )
    .bind(now)
    .bind(MAX_ATTEMPTS)
    .bind(limit)
    .bind(channel)
    .fetch_all(db.pool())
    .await?)
}

/// Takes a due letter for sending: pushes its next attempt ahead first, so another server
/// process does not send it at the same time. True if this call took it.
pub async fn claim(db: &Db, id: i64, now: i64, hold_seconds: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE mail_outbox SET next_attempt_at = $3
         WHERE id = $1 AND sent_at IS NULL AND next_attempt_at <= $2",
    )
    .bind(id)
    .bind(now)
    .bind(now + hold_seconds)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn mark_sent(db: &Db, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE mail_outbox SET sent_at = $2, attempts = attempts + 1, last_error = '' WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Records a failed attempt; the next one waits 1, 2, 4… minutes, at most two hours.
pub async fn mark_failed(db: &Db, id: i64, attempts_before: i64, error: &str, now: i64) -> Result<()> {
    let pause = (60i64 << attempts_before.clamp(0, 7)).min(7_200);
    sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(now + pause)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The letters sent to an address by a company, newest first (what the invite list shows).
pub async fn list_for_recipient(db: &Db, company_id: i64, recipient: &str) -> Result<Vec<Letter>> {
    Ok(sqlx::query_as::<_, Letter>(
        "SELECT * FROM mail_outbox WHERE company_id = $1 AND recipient = $2 ORDER BY id DESC",
    )
    .bind(company_id)
    .bind(recipient)
    .fetch_all(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;

    db_test!(a_letter_is_claimed_once_retried_later_and_sent, |db| {
        let l = create(&db, None, "owner@example.ru", "Приглашение", "Код", 1_000)
            .await
            .unwrap();
        assert_eq!(list_due(&db, MAIL, 1_000, 10).await.unwrap().len(), 1);
        assert!(claim(&db, l.id, 1_000, 300).await.unwrap());
        assert!(!claim(&db, l.id, 1_000, 300).await.unwrap(), "taken by the first");
        mark_failed(&db, l.id, 0, "connection refused", 1_000).await.unwrap();
        assert!(list_due(&db, MAIL, 1_059, 10).await.unwrap().is_empty(), "waits a minute");
        let due = list_due(&db, MAIL, 1_060, 10).await.unwrap();
        assert_eq!((due[0].attempts, due[0].last_error.as_str()), (1, "connection refused"));
        mark_sent(&db, l.id, 1_061).await.unwrap();
        assert!(list_due(&db, MAIL, 9_999, 10).await.unwrap().is_empty());
    });
}
