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

pub async fn list(db: &Db, company_id: i64, limit: i64) -> Result<Vec<AuditEntry>> {
    Ok(sqlx::query_as::<_, AuditEntry>(
        "SELECT * FROM audit_log WHERE company_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(company_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
