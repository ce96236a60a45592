//! API tokens (the open API, issue 28): a company's keys for 1С and other systems. The table
//! keeps the token's SHA-256 only; a revoked token stays listed and never works again.

use super::{now, Db, Result, StorageError};
use crate::models::api::{ApiScope, ApiTokenRow};

/// The token a request showed, as the API needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveToken {
    pub id: i64,
    pub company_id: i64,
    pub name: String,
    pub scope: ApiScope,
}

/// Stores a new token (by its hash) and returns its row.
pub async fn create(
    db: &Db,
    company_id: i64,
    name: &str,
    scope: ApiScope,
    token_hash: &str,
    hint: &str,
    created_by: Option<i64>,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_tokens (company_id, name, scope, token_hash, hint, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(company_id)
    .bind(name)
    .bind(scope.as_str())
    .bind(token_hash)
    .bind(hint)
    .bind(created_by)
    .bind(now())
    .fetch_one(db.pool())
    .await?;
    Ok(id)
}

type Row = (i64, String, String, String, i64, Option<String>, Option<i64>, Option<i64>);

/// A stored moment on the company's clock.
fn local(ts: i64) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Europe::Moscow)
        .naive_local()
}

fn row_of(r: Row) -> Result<ApiTokenRow> {
    Ok(ApiTokenRow {
        id: r.0,
        name: r.1,
        scope: ApiScope::parse(&r.2).ok_or(StorageError::BadValue("api_tokens.scope"))?,
        hint: r.3,
        created_at: local(r.4),
        created_by: r.5.unwrap_or_default(),
        last_used_at: r.6.map(local),
        revoked_at: r.7.map(local),
    })
}

const SELECT: &str = "SELECT t.id, t.name, t.scope, t.hint, t.created_at, u.full_name, t.last_used_at, t.revoked_at
     FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by";

/// A company's tokens, the working ones first, newest first.
pub async fn list(db: &Db, company_id: i64) -> Result<Vec<ApiTokenRow>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE t.company_id = $1 ORDER BY CASE WHEN t.revoked_at IS NULL THEN 0 ELSE 1 END, t.id DESC"
    ))
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(row_of).collect()
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<ApiTokenRow> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE t.company_id = $1 AND t.id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.map(row_of).ok_or(StorageError::NotFound)?
}

/// Stops a token for good; revoking it again changes nothing. `false`: no such token in the
/// company.
pub async fn revoke(db: &Db, company_id: i64, id: i64) -> Result<bool> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $3 WHERE company_id = $1 AND id = $2 AND revoked_at IS NULL")
        .bind(company_id)
        .bind(id)
        .bind(now())
        .execute(db.pool())
        .await?;
    Ok(get(db, company_id, id).await.is_ok())
}

/// The working token with this hash, seen now (its last use written at most once a minute).
pub async fn find_active(db: &Db, token_hash: &str) -> Result<Option<ActiveToken>> {
    let row: Option<(i64, i64, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT t.id, t.company_id, t.name, t.scope, t.last_used_at FROM api_tokens t
         JOIN companies c ON c.id = t.company_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some((id, company_id, name, scope, last_used)) = row else {
        return Ok(None);
    };
    let at = now();
    if last_used.is_none_or(|t| t < at - 60) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(at)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(ActiveToken {
        id,
        company_id,
        name,
        scope: ApiScope::parse(&scope).ok_or(StorageError::BadValue("api_tokens.scope"))?,
    }))
}
