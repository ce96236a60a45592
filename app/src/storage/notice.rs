//! Notices (объявления), whom they are for (buildings or premises) and who read them. A
//! resident's notices are the published ones aimed at one of their premises or its building.

use super::{Db, Result};

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Notice {
    pub id: i64,
    pub company_id: i64,
    pub author_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// 'YYYY-MM-DD'
    pub works_until: Option<String>,
    pub attachment_id: Option<i64>,
    pub published: i64,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Target {
    pub notice_id: i64,
    pub object_id: Option<i64>,
    pub premise_id: Option<i64>,
}

/// A resident a notice reaches, and when they read it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Receipt {
    pub user_id: i64,
    pub full_name: String,
    pub object_name: String,
    pub premise_number: String,
    pub read_at: Option<i64>,
}

pub async fn create(db: &Db, n: &Notice) -> Result<Notice> {
    Ok(sqlx::query_as::<_, Notice>(
        "INSERT INTO notices (company_id, author_id, kind, title, body, works_until, attachment_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *",
    )
    .bind(n.company_id)
    .bind(n.author_id)
    .bind(&n.kind)
    .bind(&n.title)
    .bind(&n.body)
    .bind(&n.works_until)
    .bind(n.attachment_id)
    .bind(n.created_at)
    .fetch_one(db.pool())
    .await?)
}

/// Changes what a notice says (not whether it is published).
pub async fn update(db: &Db, n: &Notice, now: i64) -> Result<()> {
    let r = sqlx::query(
        "UPDATE notices SET kind = $3, title = $4, body = $5, works_until = $6, attachment_id = $7, updated_at = $8
         WHERE company_id = $1 AND id = $2",
    )
    .bind(n.company_id)
    .bind(n.id)
    .bind(&n.kind)
    .bind(&n.title)
    .bind(&n.body)
    .bind(&n.works_until)
    .bind(n.attachment_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<Notice> {
    Ok(
        sqlx::query_as::<_, Notice>("SELECT * FROM notices WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(id)
            .fetch_one(db.pool())
            .await?,
    )
}

pub async fn list(db: &Db, company_id: i64) -> Result<Vec<Notice>> {
    Ok(sqlx::query_as::<_, Notice>(
        "SELECT * FROM notices WHERE company_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?)
}

pub async fn set_published(db: &Db, company_id: i64, id: i64, published: bool, now: i64) -> Result<()> {
    let r = sqlx::query(
        "UPDATE notices SET published = $3, updated_at = $4,
            published_at = CASE WHEN $3 = 1 THEN COALESCE(published_at, $4) ELSE published_at END
         WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(published as i64)
    .bind(now)
    .execute(db.pool())
    .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

/// Replaces whom a notice is for. The caller checked that every id is the company's.
pub async fn set_targets(db: &Db, notice_id: i64, objects: &[i64], premises: &[i64]) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM notice_targets WHERE notice_id = $1")
        .bind(notice_id)
        .execute(&mut *tx)
        .await?;
    for o in objects {
        sqlx::query("INSERT INTO notice_targets (notice_id, object_id) VALUES ($1, $2)")
            .bind(notice_id)
            .bind(*o)
            .execute(&mut *tx)
            .await?;
    }
    for p in premises {
        sqlx::query("INSERT INTO notice_targets (notice_id, premise_id) VALUES ($1, $2)")
            .bind(notice_id)
            .bind(*p)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn list_targets(db: &Db, notice_id: i64) -> Result<Vec<Target>> {
    Ok(sqlx::query_as::<_, Target>(
        "SELECT notice_id, object_id, premise_id FROM notice_targets WHERE notice_id = $1",
    )
    .bind(notice_id)
    .fetch_all(db.pool())
    .await?)
}

/// The premises a notice reaches, by its targets.
const REACHED: &str = "SELECT pp.id FROM premises pp JOIN notice_targets t
        ON (t.object_id = pp.object_id OR t.premise_id = pp.id) WHERE t.notice_id = n.id";

/// The published notices that reach any premise of `user_id` in the company, newest first,
/// with when the user read each (None: unread).
pub async fn list_for_resident(db: &Db, company_id: i64, user_id: i64) -> Result<Vec<(Notice, Option<i64>)>> {
    let rows = sqlx::query_as::<_, Notice>(&format!(
        "SELECT n.* FROM notices n
         WHERE n.company_id = $1 AND n.published = 1 AND EXISTS (
            SELECT 1 FROM premise_residents r WHERE r.user_id = $2 AND r.company_id = $1
              AND r.premise_id IN ({REACHED}))
         ORDER BY n.published_at DESC, n.id DESC"
    ))
    .bind(company_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let reads: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT notice_id, read_at FROM notice_reads WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|n| {
            let read = reads.iter().find(|(id, _)| *id == n.id).map(|(_, at)| *at);
            (n, read)
        })
        .collect())
}

/// Whether a published notice reaches one of the user's premises.
pub async fn reaches(db: &Db, company_id: i64, notice_id: i64, user_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM notices n
         WHERE n.company_id = $1 AND n.id = $2 AND n.published = 1 AND EXISTS (
            SELECT 1 FROM premise_residents r WHERE r.user_id = $3 AND r.company_id = $1
              AND r.premise_id IN ({REACHED}))"
    ))
    .bind(company_id)
    .bind(notice_id)
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// The first reading counts; opening again changes nothing.
pub async fn mark_read(db: &Db, notice_id: i64, user_id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO notice_reads (notice_id, user_id, read_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(notice_id)
    .bind(user_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Unread published notices of a resident: their badge.
pub async fn count_unread(db: &Db, company_id: i64, user_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(&format!(
        "SELECT COUNT(*) FROM notices n
         WHERE n.company_id = $1 AND n.published = 1
           AND NOT EXISTS (SELECT 1 FROM notice_reads x WHERE x.notice_id = n.id AND x.user_id = $2)
           AND EXISTS (SELECT 1 FROM premise_residents r WHERE r.user_id = $2 AND r.company_id = $1
              AND r.premise_id IN ({REACHED}))"
    ))
    .bind(company_id)
    .bind(user_id)
    .fetch_one(db.pool())
    .await?)
}

/// Every resident a notice reaches (one line per resident and premise), with read times.
pub async fn receipts(db: &Db, company_id: i64, notice_id: i64) -> Result<Vec<Receipt>> {
    Ok(sqlx::query_as::<_, Receipt>(&format!(
        "SELECT u.id AS user_id, u.full_name, o.name AS object_name, p.number AS premise_number, x.read_at
         FROM notices n
         JOIN premises p ON p.id IN ({REACHED})
         JOIN objects o ON o.id = p.object_id
         JOIN premise_residents r ON r.premise_id = p.id
         JOIN users u ON u.id = r.user_id
         LEFT JOIN notice_reads x ON x.notice_id = n.id AND x.user_id = u.id
         WHERE n.company_id = $1 AND n.id = $2
         ORDER BY o.name, p.id, u.full_name"
    ))
    .bind(company_id)
    .bind(notice_id)
    .fetch_all(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;
    use crate::storage::{premise, resident, user};

    async fn resident_of(db: &Db, login: &str, p: &premise::Premise) -> i64 {
        let u = user::create(
            db,
            &user::User {
                login: login.into(),
                password_hash: "-".into(),
                full_name: login.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        resident::attach(db, u.id, p).await.unwrap();
        u.id
    }

    db_test!(a_notice_to_a_building_reaches_its_residents_only_once_published, |db| {
        let a = fixtures::building(&db).await;
        let other = fixtures::building_of(&db, a.company_id, "2").await;
        let pa = premise::get(&db, a.company_id, a.premise_id).await.unwrap();
        let po = premise::get(&db, a.company_id, other.premise_id).await.unwrap();
        let here = resident_of(&db, "here", &pa).await;
        let there = resident_of(&db, "there", &po).await;
        let n = create(&db, &Notice {
            company_id: a.company_id,
            kind: "urgent".into(),
            title: "Отключение ХВС".into(),
            body: "С 10:00 до 14:00".into(),
            created_at: 100,
            ..Default::default()
        })
        .await
        .unwrap();
        set_targets(&db, n.id, &[a.object_id], &[]).await.unwrap();
        assert!(list_for_resident(&db, a.company_id, here).await.unwrap().is_empty(), "not published");
        set_published(&db, a.company_id, n.id, true, 200).await.unwrap();
        let mine = list_for_resident(&db, a.company_id, here).await.unwrap();
        assert_eq!((mine.len(), mine[0].1), (1, None));
        assert!(list_for_resident(&db, a.company_id, there).await.unwrap().is_empty());
        assert!(reaches(&db, a.company_id, n.id, here).await.unwrap());
        assert!(!reaches(&db, a.company_id, n.id, there).await.unwrap());
        assert_eq!(count_unread(&db, a.company_id, here).await.unwrap(), 1);

        mark_read(&db, n.id, here, 300).await.unwrap();
        mark_read(&db, n.id, here, 400).await.unwrap();
        let r = receipts(&db, a.company_id, n.id).await.unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].user_id, r[0].read_at), (here, Some(300)));
        assert_eq!(count_unread(&db, a.company_id, here).await.unwrap(), 0);

        // aimed at the other flat as well
        set_targets(&db, n.id, &[a.object_id], &[other.premise_id]).await.unwrap();
        assert_eq!(receipts(&db, a.company_id, n.id).await.unwrap().len(), 2);
        set_published(&db, a.company_id, n.id, false, 500).await.unwrap();
        assert!(list_for_resident(&db, a.company_id, there).await.unwrap().is_empty());
        assert_eq!(get(&db, a.company_id, n.id).await.unwrap().published_at, Some(200));
    });
}
