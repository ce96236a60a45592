//! Sign-in sessions. The cookie holds a random token; the table holds its SHA-256 only.

use super::{Db, Result};
use crate::models::Role;

#[derive(Clone, Debug, PartialEq)]
pub struct ActiveSession {
    pub user_id: i64,
    pub login: String,
    pub full_name: String,
    pub company_id: i64,
    pub role: Role,
    pub expires_at: i64,
    /// The password was given by an administrator and is still to be changed.
    pub must_change_password: bool,
}

pub async fn create(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    company_id: i64,
    expires_at: i64,
    ip: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, company_id, created_at, expires_at, ip, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(company_id)
        .bind(super::now())
        .bind(expires_at)
        .bind(ip)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// How long a session may go unused before it ends, whatever its lifetime.
pub const IDLE_SECONDS: i64 = 4 * 3600;

/// The session behind a token, if it has not expired nor been idle longer than
/// [`IDLE_SECONDS`], its user is not blocked and the user still belongs to the session's
/// company. Seeing it counts as use (written at most once a minute).
pub async fn get_active(db: &Db, token_hash: &str, now: i64) -> Result<Option<ActiveSession>> {
    let row: Option<(i64, String, String, i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.user_id, u.login, u.full_name, s.company_id, m.role, s.expires_at, s.last_seen_at,
                u.must_change_password
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN memberships m ON m.user_id = s.user_id AND m.company_id = s.company_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.blocked = $3 AND m.blocked = $3
           AND (s.last_seen_at = 0 OR s.last_seen_at > $4)",
    )
    .bind(token_hash)
    .bind(now)
    .bind(0i64)
    .bind(now - IDLE_SECONDS)
    .fetch_optional(db.pool())
    .await?;
    if let Some(seen) = row.as_ref().map(|r| r.6) {
        if now - seen >= 60 {
            sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(now)
                .execute(db.pool())
                .await?;
        }
    }
    row.map(
        |(user_id, login, full_name, company_id, role, expires_at, _, must_change)| {
            Ok(ActiveSession {
                user_id,
                login,
                full_name,
                company_id,
                role: Role::parse(&role)
                    .ok_or(super::StorageError::BadValue("memberships.role"))?,
                expires_at,
                must_change_password: must_change != 0,
            })
        },
    )
    .transpose()
}

pub async fn set_company(db: &Db, token_hash: &str, company_id: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET company_id = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(company_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends a user's sessions in one company (on blocking there).
pub async fn delete_for_user_in_company(db: &Db, user_id: i64, company_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND company_id = $2")
        .bind(user_id)
        .bind(company_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends every session of a user (on blocking everywhere).
pub async fn delete_for_user(db: &Db, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_expired(db: &Db, now: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(db.pool())
        .await?
        .rows_affected())
}
