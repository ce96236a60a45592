//! Failed sign-ins per login, kept in the database so every server process slows down the
//! same guesser.

use super::{Db, Result};

pub async fn get(db: &Db, login: &str) -> Result<Option<(i64, i64)>> {
    Ok(
        sqlx::query_as("SELECT failures, last_failed_at_ms FROM sign_in_failures WHERE login = $1")
            .bind(login)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn record(db: &Db, login: &str, at_ms: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_failures (login, failures, last_failed_at_ms) VALUES ($1, 1, $2)
         ON CONFLICT (login) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failed_at_ms = $2",
    )
    .bind(login)
    .bind(at_ms)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn clear(db: &Db, login: &str) -> Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE login = $1")
        .bind(login)
        .execute(db.pool())
        .await?;
    Ok(())
}
