//! A company's automatic billing export: the template and the day of the month it runs on.

use super::{Db, Result};
use crate::models::billing::{Schedule, Template};

pub async fn get(db: &Db, company_id: i64) -> Result<Option<Schedule>> {
    let row: Option<(String, i64)> = sqlx::query_as("SELECT template, day FROM billing_schedules WHERE company_id = $1")
        .bind(company_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.and_then(|(t, day)| Some(Schedule { template: Template::parse(&t)?, day: day as u32 })))
}

/// Sets the schedule, or removes it (`None`: exports are run by hand only).
pub async fn set(db: &Db, company_id: i64, s: Option<Schedule>) -> Result<()> {
    match s {
        None => {
            sqlx::query("DELETE FROM billing_schedules WHERE company_id = $1").bind(company_id).execute(db.pool()).await?;
        }
        Some(s) => {
            sqlx::query(
                "INSERT INTO billing_schedules (company_id, template, day) VALUES ($1, $2, $3)
                 ON CONFLICT (company_id) DO UPDATE SET template = $2, day = $3",
            )
            .bind(company_id)
            .bind(s.template.as_str())
            .bind(s.day as i64)
            .execute(db.pool())
            .await?;
        }
    }
    Ok(())
}

/// Every company's schedule: (company, schedule).
pub async fn list(db: &Db) -> Result<Vec<(i64, Schedule)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as("SELECT company_id, template, day FROM billing_schedules ORDER BY company_id")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, t, day)| Some((c, Schedule { template: Template::parse(&t)?, day: day as u32 })))
        .collect())
}
