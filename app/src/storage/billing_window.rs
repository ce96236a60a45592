//! A company's billing window: the days of a month whose readings count for it.

use super::{Db, Result};
use crate::models::period::BillingWindow;

/// The company's window, the default 15th–25th until it sets one.
pub async fn get(db: &Db, company_id: i64) -> Result<BillingWindow> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT first_day, last_day FROM billing_windows WHERE company_id = $1")
            .bind(company_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row
        .and_then(|(f, l)| BillingWindow::new(f as u32, l as u32))
        .unwrap_or_default())
}

pub async fn set(db: &Db, company_id: i64, w: BillingWindow) -> Result<()> {
    sqlx::query(
        "INSERT INTO billing_windows (company_id, first_day, last_day) VALUES ($1, $2, $3)
         ON CONFLICT (company_id) DO UPDATE SET first_day = $2, last_day = $3",
    )
    .bind(company_id)
    .bind(w.first_day as i64)
    .bind(w.last_day as i64)
    .execute(db.pool())
    .await?;
    Ok(())
}
