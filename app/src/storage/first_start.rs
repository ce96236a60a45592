//! The first start: a company and its administrator made together, or not at all. The
//! browser's first-run page may do it once per database (it claims the one `first_start`
//! row); `server setup` may add a company to a database that has some already.

use super::{company, membership, now, user, Db, Result, StorageError};
use crate::models::Role;

/// What `create` did.
#[derive(Clone, Debug, PartialEq)]
pub enum Created {
    Made {
        company: company::Company,
        admin: user::User,
    },
    /// `only_first` was asked and a company exists already (or another first start won).
    AlreadySetUp,
}

/// Whether the first-run page is still to be shown: no company at all.
pub async fn needed(db: &Db) -> Result<bool> {
    Ok(company::get_count(db).await? == 0)
}

/// Makes the company and its administrator in one transaction. With `only_first`, only on a
/// database without companies, and only once even when two people submit at the same moment.
/// A login already taken is `StorageError::AlreadyExists`, and nothing is written.
pub async fn create(
    db: &Db,
    c: &company::Company,
    admin: &user::User,
    only_first: bool,
) -> Result<Created> {
    let mut tx = db.pool().begin().await?;
    // writing first: SQLite takes its write lock here (waiting its busy timeout), so the
    // count below sees any first start that committed before
    let company = company::create_in(&mut *tx, c).await?;
    if only_first {
        let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM companies WHERE id <> $1")
            .bind(company.id)
            .fetch_one(&mut *tx)
            .await?;
        if others > 0 {
            return Ok(Created::AlreadySetUp);
        }
        // PostgreSQL: two at once both count none; the second waits here on the first's row
        // and then finds it taken
        let claimed = sqlx::query(
            "INSERT INTO first_start (id, company_id, created_at) VALUES (1, $1, $2)",
        )
        .bind(company.id)
        .bind(now())
        .execute(&mut *tx)
        .await;
        match claimed.map_err(StorageError::from) {
            Ok(_) => {}
            Err(StorageError::AlreadyExists) => return Ok(Created::AlreadySetUp),
            Err(e) => return Err(e),
        }
    }
    let admin = user::create_in(&mut *tx, admin).await?;
    membership::create_in(&mut *tx, admin.id, company.id, Role::Administrator).await?;
    sqlx::query(
        "INSERT INTO audit_log (company_id, user_id, at, action, details, ip) VALUES ($1, $2, $3, 'first_start', $4, '')",
    )
    .bind(company.id)
    .bind(admin.id)
    .bind(now())
    .bind(&company.name)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Created::Made { company, admin })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;

    fn company(name: &str) -> company::Company {
        company::Company {
            name: name.into(),
            ..Default::default()
        }
    }

    fn admin(login: &str) -> user::User {
        user::User {
            login: login.into(),
            password_hash: "x".into(),
            ..Default::default()
        }
    }

    db_test!(the_first_start_happens_once_per_database, |db| {
        assert!(needed(&db).await.unwrap());
        let first = create(&db, &company("УК «Первая»"), &admin("admin"), true)
            .await
            .unwrap();
        let Created::Made { company: c, admin: a } = first else {
            panic!("the first start made nothing")
        };
        assert!(!needed(&db).await.unwrap());
        let m = membership::get(&db, a.id, c.id).await.unwrap().unwrap();
        assert_eq!(m.role, Role::Administrator);
        assert_eq!(
            create(&db, &company("УК «Вторая»"), &admin("other"), true)
                .await
                .unwrap(),
            Created::AlreadySetUp
        );
        assert_eq!(company::get_count(&db).await.unwrap(), 1);
        assert!(user::get_by_login(&db, "other").await.unwrap().is_none());
    });

    db_test!(a_taken_login_leaves_no_company_behind, |db| {
        user::create(&db, &admin("admin")).await.unwrap();
        let r = create(&db, &company("УК «Огни»"), &admin("admin"), false).await;
        assert!(matches!(r, Err(StorageError::AlreadyExists)), "{r:?}");
        assert_eq!(company::get_count(&db).await.unwrap(), 0);
    });

    db_test!(two_first_starts_at_once_make_one_company, |db| {
        let (ca, cb, ua, ub) = (company("А"), company("Б"), admin("a"), admin("b"));
        let (a, b) = tokio::join!(create(&db, &ca, &ua, true), create(&db, &cb, &ub, true));
        let made = [a, b]
            .into_iter()
            .map(|r| r.unwrap())
            .filter(|r| matches!(r, Created::Made { .. }))
            .count();
        assert_eq!(made, 1);
        assert_eq!(company::get_count(&db).await.unwrap(), 1);
    });
}
