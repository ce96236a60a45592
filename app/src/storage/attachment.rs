//! Files people attach: a photo of a leak with a request, a schedule with a notice. The bytes
//! live in the database so every server process sees them and a backup holds them.

use super::{Db, Result};

/// The largest file taken: a phone photo fits, a video does not.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// A file's description, without its bytes.
#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub company_id: i64,
    pub uploaded_by: Option<i64>,
    pub created_at: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
}

const COLUMNS: &str = "id, company_id, uploaded_by, created_at, name, mime, size";

pub async fn create(
    db: &Db,
    company_id: i64,
    uploaded_by: i64,
    name: &str,
    mime: &str,
    content: &[u8],
    now: i64,
) -> Result<Attachment> {
    Ok(sqlx::query_as::<_, Attachment>(&format!(
        "INSERT INTO attachments (company_id, uploaded_by, created_at, name, mime, size, content)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    ))
    .bind(company_id)
    .bind(uploaded_by)
    .bind(now)
    .bind(name)
    .bind(mime)
    .bind(content.len() as i64)
    .bind(content.to_vec())
    .fetch_one(db.pool())
    .await?)
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<Attachment> {
    Ok(sqlx::query_as::<_, Attachment>(&format!(
        "SELECT {COLUMNS} FROM attachments WHERE company_id = $1 AND id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_one(db.pool())
    .await?)
}

pub async fn content(db: &Db, company_id: i64, id: i64) -> Result<Vec<u8>> {
    Ok(sqlx::query_scalar::<_, Vec<u8>>(
        "SELECT content FROM attachments WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .fetch_one(db.pool())
    .await?)
}

/// Whether the file is attached to a request message or a notice yet: an uploaded file that
/// is not may still be attached by its uploader, and by nobody else.
pub async fn is_attached(db: &Db, id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM request_messages WHERE attachment_id = $1)
              + (SELECT COUNT(*) FROM notices WHERE attachment_id = $1)",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// What one person has uploaded and not yet sent with anything: (files, bytes). The upload
/// quota counts these, so a resident cannot fill the database with files nobody sees.
pub async fn waiting_of(db: &Db, user_id: i64) -> Result<(i64, i64)> {
    Ok(sqlx::query_as::<_, (i64, i64)>(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM attachments a
         WHERE a.uploaded_by = $1 AND {UNATTACHED}"
    ))
    .bind(user_id)
    .fetch_one(db.pool())
    .await?)
}

/// Bytes one person uploaded since `since` (attached or not): the daily quota.
pub async fn uploaded_since(db: &Db, user_id: i64, since: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM attachments WHERE uploaded_by = $1 AND created_at >= $2",
    )
    .bind(user_id)
    .bind(since)
    .fetch_one(db.pool())
    .await?)
}

/// Removes files uploaded before `before` and never sent with a message or a notice (a
/// form abandoned after its photo went up); returns how many.
pub async fn delete_unattached_before(db: &Db, before: i64) -> Result<u64> {
    Ok(sqlx::query(&format!(
        "DELETE FROM attachments WHERE id IN (
           SELECT a.id FROM attachments a WHERE a.created_at < $1 AND {UNATTACHED})"
    ))
    .bind(before)
    .execute(db.pool())
    .await?
    .rows_affected())
}

/// A file (`a`) that no request message and no notice refers to.
const UNATTACHED: &str = "NOT EXISTS (SELECT 1 FROM request_messages m WHERE m.attachment_id = a.id)
     AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.attachment_id = a.id)";

/// Whether the file is in the thread of a request `user_id` wrote.
pub async fn in_requests_of(db: &Db, company_id: i64, id: i64, user_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM request_messages m JOIN service_requests r ON r.id = m.request_id
         WHERE m.company_id = $1 AND m.attachment_id = $2 AND r.author_id = $3",
    )
    .bind(company_id)
    .bind(id)
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// Whether the file comes with a published notice that reaches one of `user_id`'s premises.
pub async fn in_notices_for(db: &Db, company_id: i64, id: i64, user_id: i64) -> Result<bool> {
    let notices: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM notices WHERE company_id = $1 AND attachment_id = $2 AND published = 1",
    )
    .bind(company_id)
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    for n in notices {
        if super::notice::reaches(db, company_id, n, user_id).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;

    db_test!(a_file_comes_back_byte_for_byte_and_only_to_its_company, |db| {
        let b = fixtures::building(&db).await;
        let other = fixtures::building(&db).await;
        let u = crate::storage::user::create(
            &db,
            &crate::storage::user::User {
                login: "p".into(),
                password_hash: "-".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let a = create(&db, b.company_id, u.id, "течь.jpg", "image/jpeg", &bytes, 5)
            .await
            .unwrap();
        assert_eq!((a.size, a.name.as_str()), (70_000, "течь.jpg"));
        assert_eq!(content(&db, b.company_id, a.id).await.unwrap(), bytes);
        assert!(get(&db, other.company_id, a.id).await.is_err());
        assert!(!is_attached(&db, a.id).await.unwrap());
    });

    db_test!(files_never_sent_are_counted_per_uploader_and_swept_when_old, |db| {
        let b = fixtures::building(&db).await;
        let user = |login: &'static str| crate::storage::user::User {
            login: login.into(),
            password_hash: "-".into(),
            ..Default::default()
        };
        let u = crate::storage::user::create(&db, &user("q1")).await.unwrap();
        let other = crate::storage::user::create(&db, &user("q2")).await.unwrap();
        let old = create(&db, b.company_id, u.id, "a.jpg", "image/jpeg", &[1; 100], 10).await.unwrap();
        create(&db, b.company_id, u.id, "b.jpg", "image/jpeg", &[2; 50], 1_000).await.unwrap();
        create(&db, b.company_id, other.id, "c.jpg", "image/jpeg", &[3; 7], 10).await.unwrap();
        assert_eq!(waiting_of(&db, u.id).await.unwrap(), (2, 150));
        assert_eq!(uploaded_since(&db, u.id, 500).await.unwrap(), 50);
        // a file sent with a notice is no longer waiting, and no sweep takes it
        let n = crate::storage::notice::create(
            &db,
            &crate::storage::notice::Notice {
                company_id: b.company_id,
                kind: "urgent".into(),
                title: "Отключение".into(),
                attachment_id: Some(old.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(n.id > 0);
        assert_eq!(waiting_of(&db, u.id).await.unwrap(), (1, 50));
        assert_eq!(delete_unattached_before(&db, 2_000).await.unwrap(), 2);
        assert!(get(&db, b.company_id, old.id).await.is_ok());
        assert_eq!(waiting_of(&db, u.id).await.unwrap(), (0, 0));
        assert_eq!(waiting_of(&db, other.id).await.unwrap(), (0, 0));
    });
}
