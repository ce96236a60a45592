//! A person's screen choices (visible columns and the like), by name, per user.

use super::{Db, Result};

pub async fn get(db: &Db, user_id: i64, name: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM user_preferences WHERE user_id = $1 AND name = $2")
            .bind(user_id)
            .bind(name)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn set(db: &Db, user_id: i64, name: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_preferences (user_id, name, value) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, name) DO UPDATE SET value = $3",
    )
    .bind(user_id)
    .bind(name)
    .bind(value)
    .execute(db.pool())
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::user;

    db_test!(
        a_preference_is_kept_per_user_and_replaced_by_the_next_choice,
        |db| {
            let u = user::create(
                &db,
                &user::User {
                    login: "ivanova".into(),
                    password_hash: "x".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            assert_eq!(get(&db, u.id, "readings.columns").await.unwrap(), None);
            set(&db, u.id, "readings.columns", "flat,value")
                .await
                .unwrap();
            set(&db, u.id, "readings.columns", "flat,value,code")
                .await
                .unwrap();
            assert_eq!(
                get(&db, u.id, "readings.columns").await.unwrap().as_deref(),
                Some("flat,value,code")
            );
            assert_eq!(get(&db, u.id + 1, "readings.columns").await.unwrap(), None);
        }
    );
}
