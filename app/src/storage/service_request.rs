//! Requests (заявки) and their threads. A request is numbered per company; its thread holds
//! the author's and staff's messages and what staff did (stage, assignee).

use super::{Db, Result, StorageError};

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct ServiceRequest {
    pub id: i64,
    pub company_id: i64,
    pub number: i64,
    pub object_id: Option<i64>,
    pub premise_id: Option<i64>,
    pub author_id: Option<i64>,
    pub specialist: String,
    pub message: String,
    pub stage: String,
    pub assignee_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    /// The last thread message staff have seen; later ones are unread for them.
    pub staff_seen_id: i64,
    /// The same for the author.
    pub author_seen_id: i64,
    /// `emergency`, `repair`, `complaint` or `consultation`: sets each stage's time limit.
    pub category: String,
    /// `cabinet` (the resident filed it) or how staff took it: `phone`, `walk_round`, `visit`.
    pub channel: String,
    /// Who asked, as staff wrote it down (a caller need not be registered).
    pub applicant: String,
    pub phone: String,
    /// The staff member who filed it; none when the resident did.
    pub filed_by: Option<i64>,
    /// The group request this one is attached to.
    pub group_id: Option<i64>,
    /// When the current stage began: its time limit runs from here.
    pub stage_at: i64,
}

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct RequestMessage {
    pub id: i64,
    pub request_id: i64,
    pub company_id: i64,
    pub author_id: Option<i64>,
    pub staff: i64,
    /// `message`, `stage:<stage>` or `assigned`.
    pub kind: String,
    pub body: String,
    pub attachment_id: Option<i64>,
    pub created_at: i64,
}

/// A new request, given the next number of its company.
pub async fn create(db: &Db, r: &ServiceRequest) -> Result<ServiceRequest> {
    // Two requests filed at the same moment may pick the same number: one insert loses on
    // the unique key and tries the next.
    for _ in 0..5 {
        let inserted = sqlx::query_as::<_, ServiceRequest>(
            "INSERT INTO service_requests (company_id, number, object_id, premise_id, author_id, specialist,
                message, stage, created_at, updated_at, stage_at, category, channel, applicant, phone, filed_by)
             VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM service_requests WHERE company_id = $1),
                $2, $3, $4, $5, $6, $7, $8, $8, $8, $9, $10, $11, $12, $13)
             RETURNING *",
        )
        .bind(r.company_id)
        .bind(r.object_id)
        .bind(r.premise_id)
        .bind(r.author_id)
        .bind(&r.specialist)
        .bind(&r.message)
        .bind(&r.stage)
        .bind(r.created_at)
        .bind(if r.category.is_empty() { "repair" } else { r.category.as_str() })
        .bind(if r.channel.is_empty() { "cabinet" } else { r.channel.as_str() })
        .bind(&r.applicant)
        .bind(&r.phone)
        .bind(r.filed_by)
        .fetch_one(db.pool())
        .await;
        match inserted {
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => continue,
            other => return Ok(other?),
        }
    }
    Err(StorageError::AlreadyExists)
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<ServiceRequest> {
    Ok(sqlx::query_as::<_, ServiceRequest>(
        "SELECT * FROM service_requests WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .fetch_one(db.pool())
    .await?)
}

/// What the desk's SQL filters on; the rest is filtered on the rows.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub stage: Option<String>,
    pub open_only: bool,
    pub specialist: Option<String>,
    pub object_id: Option<i64>,
    pub number: Option<i64>,
    pub author_id: Option<i64>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub category: Option<String>,
}

/// A company's requests, newest first, at most `limit`.
pub async fn list(db: &Db, company_id: i64, f: &ListFilter, limit: i64) -> Result<Vec<ServiceRequest>> {
    Ok(sqlx::query_as::<_, ServiceRequest>(
        "SELECT * FROM service_requests
         WHERE company_id = $1
           AND ($2 = '' OR stage = $2)
           AND ($3 = 0 OR stage NOT IN ('completion', 'cancelled'))
           AND ($4 = '' OR specialist = $4)
           AND ($5 = 0 OR object_id = $5)
           AND ($6 = 0 OR number = $6)
           AND ($7 = 0 OR author_id = $7)
           AND created_at >= $8 AND created_at < $9
           AND ($11 = '' OR category = $11)
         ORDER BY created_at DESC, id DESC LIMIT $10",
    )
    .bind(company_id)
    .bind(f.stage.clone().unwrap_or_default())
    .bind(f.open_only as i64)
    .bind(f.specialist.clone().unwrap_or_default())
    .bind(f.object_id.unwrap_or(0))
    .bind(f.number.unwrap_or(0))
    .bind(f.author_id.unwrap_or(0))
    .bind(f.since.unwrap_or(i64::MIN))
    .bind(f.until.unwrap_or(i64::MAX))
    .bind(limit)
    .bind(f.category.clone().unwrap_or_default())
    .fetch_all(db.pool())
    .await?)
}

/// Requests waiting for a dispatcher (still at registration): the menu's badge.
pub async fn count_new(db: &Db, company_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM service_requests WHERE company_id = $1 AND stage = 'registration'",
    )
    .bind(company_id)
    .fetch_one(db.pool())
    .await?)
}

/// An author's requests with a staff message or event they have not seen: their badge.
pub async fn count_unread_for_author(db: &Db, company_id: i64, author_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM service_requests r
         WHERE r.company_id = $1 AND r.author_id = $2 AND EXISTS (
            SELECT 1 FROM request_messages m
            WHERE m.request_id = r.id AND m.staff = 1 AND m.id > r.author_seen_id)",
    )
    .bind(company_id)
    .bind(author_id)
    .fetch_one(db.pool())
    .await?)
}

/// The ids among `ids` whose thread has something newer than the viewer last saw: for staff
/// an author's message, for the author a staff one.
pub async fn unread_among(db: &Db, company_id: i64, ids: &[i64], staff_view: bool) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = super::id_list(ids);
    let (seen, writer) = if staff_view {
        ("r.staff_seen_id", 0)
    } else {
        ("r.author_seen_id", 1)
    };
    // ids are integers formatted here, never text from a request
    Ok(sqlx::query_scalar::<_, i64>(&format!(
        "SELECT r.id FROM service_requests r
         WHERE r.company_id = $1 AND r.id IN ({list}) AND EXISTS (
            SELECT 1 FROM request_messages m
            WHERE m.request_id = r.id AND m.staff = $2 AND m.id > {seen})"
    ))
    .bind(company_id)
    .bind(writer)
    .fetch_all(db.pool())
    .await?)
}

pub async fn set_stage(db: &Db, company_id: i64, id: i64, stage: &str, closed: bool, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE service_requests SET stage = $3, updated_at = $4, stage_at = $4,
            closed_at = CASE WHEN $5 = 1 THEN $4 ELSE NULL END
         WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(stage)
    .bind(now)
    .bind(closed as i64)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn set_assignee(db: &Db, company_id: i64, id: i64, assignee: Option<i64>, now: i64) -> Result<()> {
    sqlx::query("UPDATE service_requests SET assignee_id = $3, updated_at = $4 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(assignee)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn set_category(db: &Db, company_id: i64, id: i64, category: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE service_requests SET category = $3, updated_at = $4 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(category)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Attaches requests to a group request (or detaches them with `None`). The caller has
/// checked that each may go there; ids are the company's.
pub async fn set_group(db: &Db, company_id: i64, ids: &[i64], group: Option<i64>, now: i64) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // ids are integers formatted here, never text from a request
    sqlx::query(&format!(
        "UPDATE service_requests SET group_id = $2, updated_at = $3 WHERE company_id = $1 AND id IN ({})",
        super::id_list(ids)
    ))
    .bind(company_id)
    .bind(group)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The requests attached to a group request, oldest first.
pub async fn members(db: &Db, company_id: i64, group_id: i64) -> Result<Vec<ServiceRequest>> {
    Ok(sqlx::query_as::<_, ServiceRequest>(
        "SELECT * FROM service_requests WHERE company_id = $1 AND group_id = $2 ORDER BY id",
    )
    .bind(company_id)
    .bind(group_id)
    .fetch_all(db.pool())
    .await?)
}

/// How many requests are attached to each of `ids` that has any.
pub async fn member_counts(db: &Db, company_id: i64, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as::<_, (i64, i64)>(&format!(
        "SELECT group_id, COUNT(*) FROM service_requests
         WHERE company_id = $1 AND group_id IN ({}) GROUP BY group_id",
        super::id_list(ids)
    ))
    .bind(company_id)
    .fetch_all(db.pool())
    .await?)
}

/// A building's open requests that stand alone (neither attached nor with any attached):
/// what may be attached to a group request of that building.
pub async fn attachable(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<ServiceRequest>> {
    Ok(sqlx::query_as::<_, ServiceRequest>(
        "SELECT * FROM service_requests r
         WHERE r.company_id = $1 AND r.object_id = $2 AND r.group_id IS NULL
           AND r.stage NOT IN ('completion', 'cancelled')
           AND NOT EXISTS (SELECT 1 FROM service_requests m WHERE m.group_id = r.id)
         ORDER BY r.id DESC LIMIT 200",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?)
}

/// The open requests' category, stage and its start: the desk counts the overdue from them.
pub async fn open_timings(db: &Db, company_id: i64) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as::<_, (String, String, i64)>(
        "SELECT category, stage, stage_at FROM service_requests
         WHERE company_id = $1 AND stage NOT IN ('completion', 'cancelled')",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?)
}

/// The viewer has seen the whole thread as it stands.
pub async fn mark_seen(db: &Db, company_id: i64, id: i64, staff_view: bool) -> Result<()> {
    let column = if staff_view { "staff_seen_id" } else { "author_seen_id" };
    sqlx::query(&format!(
        "UPDATE service_requests SET {column} =
            (SELECT COALESCE(MAX(m.id), 0) FROM request_messages m WHERE m.request_id = $2)
         WHERE company_id = $1 AND id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn add_message(db: &Db, m: &RequestMessage) -> Result<RequestMessage> {
    let stored = sqlx::query_as::<_, RequestMessage>(
        "INSERT INTO request_messages (request_id, company_id, author_id, staff, kind, body, attachment_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(m.request_id)
    .bind(m.company_id)
    .bind(m.author_id)
    .bind(m.staff)
    .bind(&m.kind)
    .bind(&m.body)
    .bind(m.attachment_id)
    .bind(m.created_at)
    .fetch_one(db.pool())
    .await?;
    sqlx::query("UPDATE service_requests SET updated_at = $2 WHERE id = $1")
        .bind(m.request_id)
        .bind(m.created_at)
        .execute(db.pool())
        .await?;
    Ok(stored)
}

pub async fn list_messages(db: &Db, company_id: i64, request_id: i64) -> Result<Vec<RequestMessage>> {
    Ok(sqlx::query_as::<_, RequestMessage>(
        "SELECT * FROM request_messages WHERE company_id = $1 AND request_id = $2 ORDER BY created_at, id",
    )
    .bind(company_id)
    .bind(request_id)
    .fetch_all(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;

    fn request(company_id: i64, object_id: i64, author: i64, at: i64) -> ServiceRequest {
        ServiceRequest {
            company_id,
            object_id: Some(object_id),
            author_id: Some(author),
            specialist: "plumber".into(),
            message: "Течёт кран на кухне".into(),
            stage: "registration".into(),
            created_at: at,
            ..Default::default()
        }
    }

    async fn person(db: &Db, login: &str) -> i64 {
        crate::storage::user::create(
            db,
            &crate::storage::user::User {
                login: login.into(),
                password_hash: "-".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id
    }

    db_test!(requests_are_numbered_per_company_and_unread_follows_the_thread, |db| {
        let a = fixtures::building(&db).await;
        let b = fixtures::building(&db).await;
        let resident = person(&db, "res").await;
        let r1 = create(&db, &request(a.company_id, a.object_id, resident, 100)).await.unwrap();
        let r2 = create(&db, &request(a.company_id, a.object_id, resident, 200)).await.unwrap();
        let other = create(&db, &request(b.company_id, b.object_id, resident, 150)).await.unwrap();
        assert_eq!((r1.number, r2.number, other.number), (1, 2, 1));
        assert_eq!(count_new(&db, a.company_id).await.unwrap(), 2);

        let all = list(&db, a.company_id, &ListFilter::default(), 100).await.unwrap();
        assert_eq!(all.iter().map(|r| r.number).collect::<Vec<_>>(), vec![2, 1]);
        let by_number = ListFilter {
            number: Some(1),
            ..Default::default()
        };
        assert_eq!(list(&db, a.company_id, &by_number, 100).await.unwrap().len(), 1);

        // the author wrote (staff has not seen it), then staff answered
        add_message(&db, &RequestMessage {
            request_id: r1.id,
            company_id: a.company_id,
            author_id: Some(resident),
            body: "Вода на полу".into(),
            kind: "message".into(),
            created_at: 110,
            ..Default::default()
        })
        .await
        .unwrap();
        assert_eq!(unread_among(&db, a.company_id, &[r1.id, r2.id], true).await.unwrap(), vec![r1.id]);
        mark_seen(&db, a.company_id, r1.id, true).await.unwrap();
        assert!(unread_among(&db, a.company_id, &[r1.id], true).await.unwrap().is_empty());
        add_message(&db, &RequestMessage {
            request_id: r1.id,
            company_id: a.company_id,
            staff: 1,
            body: "Мастер придёт завтра".into(),
            kind: "message".into(),
            created_at: 130,
            ..Default::default()
        })
        .await
        .unwrap();
        assert_eq!(count_unread_for_author(&db, a.company_id, resident).await.unwrap(), 1);
        mark_seen(&db, a.company_id, r1.id, false).await.unwrap();
        assert_eq!(count_unread_for_author(&db, a.company_id, resident).await.unwrap(), 0);

        set_stage(&db, a.company_id, r1.id, "completion", true, 150).await.unwrap();
        let done = get(&db, a.company_id, r1.id).await.unwrap();
        assert_eq!((done.stage.as_str(), done.closed_at), ("completion", Some(150)));
        let open = ListFilter {
            open_only: true,
            ..Default::default()
        };
        assert_eq!(list(&db, a.company_id, &open, 100).await.unwrap().len(), 1);
        assert!(get(&db, b.company_id, r1.id).await.is_err(), "another company's request");
    });

    db_test!(requests_attached_to_a_group_leave_what_may_be_attached, |db| {
        let a = fixtures::building(&db).await;
        let resident = person(&db, "res").await;
        let group = create(&db, &ServiceRequest {
            category: "emergency".into(),
            channel: "walk_round".into(),
            applicant: "Обход".into(),
            ..request(a.company_id, a.object_id, resident, 100)
        })
        .await
        .unwrap();
        assert_eq!((group.category.as_str(), group.channel.as_str(), group.stage_at), ("emergency", "walk_round", 100));
        let one = create(&db, &request(a.company_id, a.object_id, resident, 110)).await.unwrap();
        let two = create(&db, &request(a.company_id, a.object_id, resident, 120)).await.unwrap();
        let closed = create(&db, &request(a.company_id, a.object_id, resident, 130)).await.unwrap();
        set_stage(&db, a.company_id, closed.id, "cancelled", true, 140).await.unwrap();
        assert_eq!(get(&db, a.company_id, closed.id).await.unwrap().stage_at, 140, "a stage's clock starts when it is reached");
        assert_eq!(attachable(&db, a.company_id, a.object_id).await.unwrap().len(), 3);

        set_group(&db, a.company_id, &[one.id, two.id], Some(group.id), 150).await.unwrap();
        assert_eq!(members(&db, a.company_id, group.id).await.unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), vec![one.id, two.id]);
        assert_eq!(member_counts(&db, a.company_id, &[group.id, one.id]).await.unwrap(), vec![(group.id, 2)]);
        assert!(attachable(&db, a.company_id, a.object_id).await.unwrap().is_empty(), "a group, its members and a closed one");
        let emergencies = ListFilter {
            category: Some("emergency".into()),
            ..Default::default()
        };
        assert_eq!(list(&db, a.company_id, &emergencies, 10).await.unwrap().len(), 1);
        assert_eq!(open_timings(&db, a.company_id).await.unwrap().len(), 3);

        set_group(&db, a.company_id, &[two.id], None, 160).await.unwrap();
        assert_eq!(members(&db, a.company_id, group.id).await.unwrap().len(), 1);
        assert_eq!(get(&db, a.company_id, two.id).await.unwrap().group_id, None);
    });
}
