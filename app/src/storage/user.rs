//! People who sign in. A user is global; what they may see is decided per company by
//! `membership`.

use super::{now, Db, Result, StorageError};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub blocked: bool,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
    /// Given by an administrator: the owner changes it at the first sign-in.
    pub must_change_password: bool,
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for User {
    fn from_row(r: &'r sqlx::any::AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(User {
            id: r.try_get("id")?,
            login: r.try_get("login")?,
            password_hash: r.try_get("password_hash")?,
            full_name: r.try_get("full_name")?,
            email: r.try_get("email")?,
            phone: r.try_get("phone")?,
            blocked: r.try_get::<i64, _>("blocked")? != 0,
            created_at: r.try_get("created_at")?,
            last_sign_in_at: r.try_get("last_sign_in_at")?,
            must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        })
    }
}

pub async fn create(db: &Db, u: &User) -> Result<User> {
    create_in(db.pool(), u).await
}

/// `create` inside a caller's transaction.
pub async fn create_in<'c, E>(ex: E, u: &User) -> Result<User>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_as::<_, User>(
        "INSERT INTO users (login, password_hash, full_name, email, phone, blocked, created_at, must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(&u.login)
    .bind(&u.password_hash)
    .bind(&u.full_name)
    .bind(&u.email)
    .bind(&u.phone)
    .bind(u.blocked as i64)
    .bind(now())
    .bind(u.must_change_password as i64)
    .fetch_one(ex)
    .await?)
}

pub async fn get(db: &Db, id: i64) -> Result<User> {
    Ok(
        sqlx::query_as::<_, User>("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await?,
    )
}

pub async fn get_by_login(db: &Db, login: &str) -> Result<Option<User>> {
    Ok(
        sqlx::query_as::<_, User>("SELECT * FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn set_blocked(db: &Db, id: i64, blocked: bool) -> Result<()> {
    let r = sqlx::query("UPDATE users SET blocked = $2 WHERE id = $1")
        .bind(id)
        .bind(blocked as i64)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Removes a user who never got anywhere (a registration that lost its code to a race).
pub async fn delete(db: &Db, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A new password: stored as its hash, the change-at-first-sign-in mark cleared, and every
/// session of the user but `keep` (the one changing it) ended.
pub async fn set_password(db: &Db, id: i64, hash: &str, keep: Option<&str>) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    let r = sqlx::query("UPDATE users SET password_hash = $2, must_change_password = 0 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(id)
        .bind(keep.unwrap_or(""))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Finds a person by login or e-mail (a forgotten password is asked for by either).
pub async fn find_by_login_or_email(db: &Db, typed: &str) -> Result<Option<User>> {
    let typed = typed.trim().to_lowercase();
    Ok(sqlx::query_as::<_, User>(
        "SELECT * FROM users WHERE login = $1 OR (email <> '' AND LOWER(email) = $1) ORDER BY id LIMIT 1",
    )
    .bind(typed)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn touch_sign_in(db: &Db, id: i64) -> Result<()> {
    sqlx::query("UPDATE users SET last_sign_in_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now())
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn get_count(db: &Db) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users")
        .fetch_one(db.pool())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;

    db_test!(logins_are_unique_and_blocking_sticks, |db| {
        let u = create(
            &db,
            &User {
                login: "ivanov".into(),
                password_hash: "x".into(),
                full_name: "Иванов И. И.".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let again = create(
            &db,
            &User {
                login: "ivanov".into(),
                password_hash: "y".into(),
                ..Default::default()
            },
        )
        .await;
        assert!(matches!(again, Err(StorageError::AlreadyExists)));
        set_blocked(&db, u.id, true).await.unwrap();
        assert!(get_by_login(&db, "ivanov").await.unwrap().unwrap().blocked);
        assert!(get_by_login(&db, "petrov").await.unwrap().is_none());
    });
}
