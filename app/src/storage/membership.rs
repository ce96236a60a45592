//! Who belongs to which company, with which role.

use super::{now, Db, Result};
use crate::models::Role;

#[derive(Clone, Debug, PartialEq)]
pub struct Membership {
    pub user_id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub role: Role,
    pub blocked: bool,
}

pub async fn create(db: &Db, user_id: i64, company_id: i64, role: Role) -> Result<()> {
    create_in(db.pool(), user_id, company_id, role).await
}

/// `create` inside a caller's transaction.
pub async fn create_in<'c, E>(ex: E, user_id: i64, company_id: i64, role: Role) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO memberships (user_id, company_id, role, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(company_id)
    .bind(role.as_str())
    .bind(now())
    .execute(ex)
    .await?;
    Ok(())
}

type Row = (i64, i64, String, String, i64);

fn from_row((user_id, company_id, company_name, role, blocked): Row) -> Result<Membership> {
    Ok(Membership {
        user_id,
        company_id,
        company_name,
        role: Role::parse(&role).ok_or(super::StorageError::BadValue("memberships.role"))?,
        blocked: blocked != 0,
    })
}

/// A user's companies, oldest first.
pub async fn list_for_user(db: &Db, user_id: i64) -> Result<Vec<Membership>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m.user_id, m.company_id, c.name, m.role, m.blocked FROM memberships m JOIN companies c ON c.id = m.company_id
         WHERE m.user_id = $1 ORDER BY m.company_id",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(from_row).collect()
}

pub async fn get(db: &Db, user_id: i64, company_id: i64) -> Result<Option<Membership>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT m.user_id, m.company_id, c.name, m.role, m.blocked FROM memberships m JOIN companies c ON c.id = m.company_id
         WHERE m.user_id = $1 AND m.company_id = $2",
    )
    .bind(user_id)
    .bind(company_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(from_row).transpose()
}

pub async fn set_blocked(db: &Db, user_id: i64, company_id: i64, blocked: bool) -> Result<()> {
    let r =
        sqlx::query("UPDATE memberships SET blocked = $3 WHERE user_id = $1 AND company_id = $2")
            .bind(user_id)
            .bind(company_id)
            .bind(blocked as i64)
            .execute(db.pool())
            .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

/// A member's role in the company changed; from their next request on they act in it.
pub async fn set_role(db: &Db, user_id: i64, company_id: i64, role: Role) -> Result<()> {
    let r = sqlx::query("UPDATE memberships SET role = $3 WHERE user_id = $1 AND company_id = $2")
        .bind(user_id)
        .bind(company_id)
        .bind(role.as_str())
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

/// Users of one company with their role there and whether they are blocked there.
pub async fn list_users(db: &Db, company_id: i64) -> Result<Vec<(super::user::User, Role, bool)>> {
    let users = sqlx::query_as::<_, super::user::User>(
        "SELECT u.* FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.company_id = $1 ORDER BY u.full_name, u.id",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    let roles: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT user_id, role, blocked FROM memberships WHERE company_id = $1")
            .bind(company_id)
            .fetch_all(db.pool())
            .await?;
    users
        .into_iter()
        .map(|u| {
            let (_, role, blocked) = roles
                .iter()
                .find(|(id, _, _)| *id == u.id)
                .ok_or(super::StorageError::NotFound)?;
            let role =
                Role::parse(role).ok_or(super::StorageError::BadValue("memberships.role"))?;
            Ok((u, role, *blocked != 0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::{company, user};

    db_test!(
        blocking_in_one_company_leaves_the_other_membership_open,
        |db| {
            let a = company::create(
                &db,
                &company::Company {
                    name: "A".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let b = company::create(
                &db,
                &company::Company {
                    name: "B".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let u = user::create(
                &db,
                &user::User {
                    login: "shared".into(),
                    password_hash: "x".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            create(&db, u.id, a.id, Role::Dispatcher).await.unwrap();
            create(&db, u.id, b.id, Role::Reader).await.unwrap();
            set_blocked(&db, u.id, a.id, true).await.unwrap();
            let ms = list_for_user(&db, u.id).await.unwrap();
            assert_eq!(ms.len(), 2);
            assert!(ms[0].blocked && ms[0].role == Role::Dispatcher);
            assert!(!ms[1].blocked && ms[1].role == Role::Reader);
            let users_b = list_users(&db, b.id).await.unwrap();
            assert_eq!(users_b.len(), 1);
            assert!(!users_b[0].2);
        }
    );
}
