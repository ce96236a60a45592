//! The history of users' actions (SPEC F42): date, time, action, IP.

use super::{now, Db, Result};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub company_id: Option<i64>,
    pub user_id: Option<i64>,
    pub at: i64,
    pub action: String,
    pub details: String,
    pub ip: String,
}

pub async fn create(
    db: &Db,
    company_id: Option<i64>,
    user_id: Option<i64>,
    action: &str,
    details: &str,
    ip: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (company_id, user_id, at, action, details, ip) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(company_id)
        .bind(user_id)
        .bind(now())
        .bind(action)
        .bind(details)
        .bind(ip)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// What the journal narrows to.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub user_id: Option<i64>,
    pub action: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// A journal line with who did it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Line {
    pub at: i64,
    pub action: String,
    pub details: String,
    pub ip: String,
    pub login: Option<String>,
    pub full_name: Option<String>,
}

/// A company's lines under `f`, newest first, at most `limit`.
pub async fn list_filtered(db: &Db, company_id: i64, f: &Filter, limit: i64) -> Result<Vec<Line>> {
    Ok(sqlx::query_as::<_, Line>(
        "SELECT a.at, a.action, a.details, a.ip, u.login, u.full_name
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
         WHERE a.company_id = $1 AND ($2 = 0 OR a.user_id = $2) AND ($3 = '' OR a.action = $3)
           AND a.at >= $4 AND a.at < $5
         ORDER BY a.at DESC, a.id DESC LIMIT $6",
    )
    .bind(company_id)
    .bind(f.user_id.unwrap_or(0))
    .bind(f.action.clone().unwrap_or_default())
    .bind(f.since.unwrap_or(i64::MIN))
    .bind(f.until.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

pub async fn list(db: &Db, company_id: i64, limit: i64) -> Result<Vec<AuditEntry>> {
    Ok(sqlx::query_as::<_, AuditEntry>(
        "SELECT * FROM audit_log WHERE company_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(company_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
