//! One-time links that reset a forgotten password: the token's SHA-256 is stored, the token
//! itself only travels in the letter. Valid an hour, spent on use, and every link of a user
//! ends when the password changes.

use super::{now, Db, Result};

/// How long a reset link is valid.
pub const VALID_SECONDS: i64 = 3600;

pub async fn create(db: &Db, token_hash: &str, user_id: i64) -> Result<()> {
    let at = now();
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(at)
        .bind(at + VALID_SECONDS)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The user a valid link belongs to; the link is spent either way (a second use finds none).
pub async fn take(db: &Db, token_hash: &str) -> Result<Option<i64>> {
    let mut tx = db.pool().begin().await?;
    let found: Option<(i64, i64)> =
        sqlx::query_as("SELECT user_id, expires_at FROM password_resets WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query("DELETE FROM password_resets WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(found.filter(|(_, expires)| *expires > now()).map(|(user, _)| user))
}

/// Whether a link is still valid (the page asks before showing its form).
pub async fn is_valid(db: &Db, token_hash: &str) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM password_resets WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_one(db.pool())
    .await?
        > 0)
}

/// Links asked for a user in the last hour: a flood of requests mails at most a few.
pub async fn recent_count(db: &Db, user_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2",
    )
    .bind(user_id)
    .bind(now() - VALID_SECONDS)
    .fetch_one(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::user;

    db_test!(a_reset_link_works_once_and_ends_with_a_new_password, |db| {
        let u = user::create(&db, &user::User { login: "ivanova".into(), password_hash: "-".into(), ..Default::default() })
            .await
            .unwrap();
        create(&db, "h1", u.id).await.unwrap();
        assert!(is_valid(&db, "h1").await.unwrap());
        assert_eq!(take(&db, "h1").await.unwrap(), Some(u.id));
        assert_eq!(take(&db, "h1").await.unwrap(), None, "spent");
        create(&db, "h2", u.id).await.unwrap();
        assert_eq!(recent_count(&db, u.id).await.unwrap(), 1);
        user::set_password(&db, u.id, "new-hash", None).await.unwrap();
        assert!(!is_valid(&db, "h2").await.unwrap(), "a new password ends the other links");
        assert_eq!(user::get(&db, u.id).await.unwrap().password_hash, "new-hash");
    });
}
