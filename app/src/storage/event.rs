//! Events (monitoring, issue 23): one row per happening at a meter or building, open while
//! its condition lasts. The partial unique index `events_one_open` keeps one open event per
//! building, meter and kind, so a condition seen on every sweep never floods the journal.

use sqlx::Row;

use super::{id_list, Db, Result};

/// An event about to open.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    pub company_id: i64,
    pub object_id: i64,
    pub meter_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub kind: &'static str,
    pub severity: &'static str,
    pub source: &'static str,
    pub started_at: i64,
    /// JSON of the values around it.
    pub details: String,
}

/// An open event as a sweep compares it with what it found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenEvent {
    pub id: i64,
    pub object_id: i64,
    pub meter_id: Option<i64>,
    pub kind: String,
}

/// Inserts one event unless the same one is open (or, from a meter, already kept): the
/// database's unique indexes decide. Returns 1 when it was new.
async fn insert(conn: &mut sqlx::AnyConnection, e: &NewEvent, ended: Option<i64>, at: i64) -> Result<u64> {
    Ok(sqlx::query(
        "INSERT INTO events (company_id, object_id, meter_id, channel_id, kind, severity, source, started_at, opened_at, ended_at, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
    )
    .bind(e.company_id)
    .bind(e.object_id)
    .bind(e.meter_id)
    .bind(e.channel_id)
    .bind(e.kind)
    .bind(e.severity)
    .bind(e.source)
    .bind(e.started_at)
    .bind(at)
    .bind(ended)
    .bind(&e.details)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Opens these events at `at`; one already open for the same building, meter and kind is
/// left as it is. Returns how many opened.
pub async fn open_many(db: &Db, events: &[NewEvent], at: i64) -> Result<u64> {
    let mut tx = db.pool().begin().await?;
    let mut opened = 0;
    for e in events {
        opened += insert(&mut tx, e, None, at).await?;
    }
    tx.commit().await?;
    Ok(opened)
}

/// Keeps events a meter recorded itself (its journals): each once per meter, kind and start
/// however often the journal is read again; one read open and later seen ended gets its
/// end. `ended` goes with `events` one to one. Returns how many were new.
pub async fn record_from_meter(db: &Db, events: &[NewEvent], ended: &[Option<i64>], at: i64) -> Result<u64> {
    let mut tx = db.pool().begin().await?;
    let mut new = 0;
    for (e, end) in events.iter().zip(ended) {
        new += insert(&mut tx, e, *end, at).await?;
        if let Some(end) = end {
            sqlx::query(
                "UPDATE events SET ended_at = $1
                 WHERE company_id = $2 AND meter_id = $3 AND kind = $4 AND started_at = $5 AND source = $6 AND ended_at IS NULL",
            )
            .bind(*end)
            .bind(e.company_id)
            .bind(e.meter_id)
            .bind(e.kind)
            .bind(e.started_at)
            .bind(e.source)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(new)
}

/// Ends a meter's open events of these kinds from one source: the meter no longer says so.
pub async fn end_of_meter(db: &Db, company_id: i64, meter_id: i64, source: &str, kinds: &[&str], at: i64) -> Result<u64> {
    let mut ended = 0;
    for kind in kinds {
        ended += sqlx::query(
            "UPDATE events SET ended_at = $1
             WHERE company_id = $2 AND meter_id = $3 AND source = $4 AND kind = $5 AND ended_at IS NULL",
        )
        .bind(at)
        .bind(company_id)
        .bind(meter_id)
        .bind(source)
        .bind(*kind)
        .execute(db.pool())
        .await?
        .rows_affected();
    }
    Ok(ended)
}

/// Ends the open events of one kind from one source of many meters (an uplink batch's
/// flags left off), 500 meters to a statement.
pub async fn end_of_meters(db: &Db, source: &str, kind: &str, meter_ids: &[i64], at: i64) -> Result<u64> {
    let mut ended = 0;
    for chunk in meter_ids.chunks(500) {
        ended += sqlx::query(&format!(
            "UPDATE events SET ended_at = $1 WHERE source = $2 AND kind = $3 AND ended_at IS NULL AND meter_id IN ({})",
            id_list(chunk)
        ))
        .bind(at)
        .bind(source)
        .bind(kind)
        .execute(db.pool())
        .await?
        .rows_affected();
    }
    Ok(ended)
}

/// A company's open events of one source.
pub async fn open_of(db: &Db, company_id: i64, source: &str) -> Result<Vec<OpenEvent>> {
    let rows = sqlx::query(
        "SELECT id, object_id, meter_id, kind FROM events
         WHERE company_id = $1 AND source = $2 AND ended_at IS NULL",
    )
    .bind(company_id)
    .bind(source)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OpenEvent {
                id: r.try_get("id")?,
                object_id: r.try_get("object_id")?,
                meter_id: r.try_get("meter_id")?,
                kind: r.try_get("kind")?,
            })
        })
        .collect()
}

/// Ends these events at `at`: their condition is gone.
pub async fn end_many(db: &Db, company_id: i64, ids: &[i64], at: i64) -> Result<u64> {
    let mut ended = 0;
    for chunk in ids.chunks(500) {
        ended += sqlx::query(&format!(
            "UPDATE events SET ended_at = $1 WHERE company_id = $2 AND ended_at IS NULL AND id IN ({})",
            id_list(chunk)
        ))
        .bind(at)
        .bind(company_id)
        .execute(db.pool())
        .await?
        .rows_affected();
    }
    Ok(ended)
}

/// A dispatcher's resolution with a comment. False when the company has no such event or it
/// was resolved already (the first resolution stands).
pub async fn resolve(
    db: &Db,
    company_id: i64,
    id: i64,
    user_id: i64,
    comment: &str,
    at: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE events SET resolved_at = $1, resolved_by = $2, comment = $3
         WHERE company_id = $4 AND id = $5 AND resolved_at IS NULL",
    )
    .bind(at)
    .bind(user_id)
    .bind(comment)
    .bind(company_id)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// An event as the lists read it, with its meter, place, account and who resolved it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub object_id: i64,
    pub object_name: String,
    pub time_zone: String,
    pub meter_id: Option<i64>,
    pub placement: Option<String>,
    pub premise: Option<String>,
    pub resource: Option<String>,
    pub serial: Option<String>,
    pub account: Option<String>,
    pub kind: String,
    pub severity: String,
    pub source: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<String>,
    pub comment: String,
    pub details: String,
}

/// Which events a list asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter<'a> {
    pub object_id: Option<i64>,
    pub meter_id: Option<i64>,
    pub source: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub severity: Option<&'a str>,
    pub resource: Option<&'a str>,
    /// Started in `[from, to)`.
    pub started: Option<(i64, i64)>,
    /// Leave out the resolved ones.
    pub unresolved_only: bool,
    /// Only what «Нештатные ситуации» lists: Uchet's findings and what the meters report of
    /// themselves (a cover opened, a magnet, a low battery, an error), not a meter's notes
    /// such as a power cut.
    pub situations: bool,
    /// Opened after this event (the alerts' cursor).
    pub after_id: Option<i64>,
    pub limit: i64,
}

/// A company's events by the filter, newest first.
pub async fn list(db: &Db, company_id: i64, f: &Filter<'_>) -> Result<Vec<StoredEvent>> {
    let (from, to) = f.started.unwrap_or((i64::MIN, i64::MAX));
    let rows = sqlx::query(
        "SELECT e.id, e.object_id, o.name AS object_name, o.time_zone, e.meter_id, m.placement,
                p.number AS premise, m.resource, m.serial,
                (SELECT MIN(a.number) FROM accounts a WHERE a.premise_id = m.premise_id) AS account,
                e.kind, e.severity, e.source, e.started_at, e.ended_at, e.resolved_at,
                u.full_name AS resolved_by, e.comment, e.details
         FROM events e
         JOIN objects o ON o.id = e.object_id
         LEFT JOIN meters m ON m.id = e.meter_id
         LEFT JOIN premises p ON p.id = m.premise_id
         LEFT JOIN users u ON u.id = e.resolved_by
         WHERE e.company_id = $1
           AND (CAST($2 AS BIGINT) IS NULL OR e.object_id = $2)
           AND (CAST($11 AS BIGINT) IS NULL OR e.meter_id = $11)
           AND (CAST($3 AS TEXT) IS NULL OR e.source = $3)
           AND (CAST($4 AS TEXT) IS NULL OR e.kind = $4)
           AND (CAST($5 AS TEXT) IS NULL OR e.severity = $5)
           AND (CAST($6 AS TEXT) IS NULL OR m.resource = $6)
           AND e.started_at >= $7 AND e.started_at < $8
           AND ($9 = 0 OR e.resolved_at IS NULL)
           AND ($12 = 0 OR e.source = 'computed' OR e.severity <> 'info')
           AND e.id > $13
         ORDER BY e.started_at DESC, e.id DESC
         LIMIT $10",
    )
    .bind(company_id)
    .bind(f.object_id)
    .bind(f.source)
    .bind(f.kind)
    .bind(f.severity)
    .bind(f.resource)
    .bind(from)
    .bind(to)
    .bind(f.unresolved_only as i64)
    .bind(f.limit)
    .bind(f.meter_id)
    .bind(f.situations as i64)
    .bind(f.after_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredEvent {
                id: r.try_get("id")?,
                object_id: r.try_get("object_id")?,
                object_name: r.try_get("object_name")?,
                time_zone: r.try_get("time_zone")?,
                meter_id: r.try_get("meter_id")?,
                placement: r.try_get("placement")?,
                premise: r.try_get("premise")?,
                resource: r.try_get("resource")?,
                serial: r.try_get("serial")?,
                account: r.try_get("account")?,
                kind: r.try_get("kind")?,
                severity: r.try_get("severity")?,
                source: r.try_get("source")?,
                started_at: r.try_get("started_at")?,
                ended_at: r.try_get("ended_at")?,
                resolved_at: r.try_get("resolved_at")?,
                resolved_by: r.try_get("resolved_by")?,
                comment: r.try_get("comment")?,
                details: r.try_get("details")?,
            })
        })
        .collect()
}

/// How many situations («Нештатные ситуации»: computed events and the meters' alarms) of a
/// company, or of its building `object_id`, there are by severity: (severity, open, all
/// including the resolved). The list shows the newest only; these say how many there are.
pub async fn count_situations(db: &Db, company_id: i64, object_id: Option<i64>) -> Result<Vec<(String, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT e.severity, CAST(SUM(CASE WHEN e.resolved_at IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS open,
                CAST(COUNT(*) AS BIGINT) AS all_of_them
         FROM events e
         WHERE e.company_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR e.object_id = $2)
           AND (e.source = 'computed' OR e.severity <> 'info')
         GROUP BY e.severity",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("severity")?, r.try_get("open")?, r.try_get("all_of_them")?)))
        .collect()
}

/// The id of a company's newest event (0: none yet): where a new alert subscription starts
/// and how far the dispatcher has read.
pub async fn newest_id(db: &Db, company_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM events WHERE company_id = $1")
        .bind(company_id)
        .fetch_one(db.pool())
        .await?
        .unwrap_or(0))
}

/// How many of a company's events of a severity nobody resolved yet: the count beside
/// «Нештатные ситуации» in the menu.
pub async fn count_unresolved(db: &Db, company_id: i64, severity: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE company_id = $1 AND resolved_at IS NULL AND severity = $2",
    )
    .bind(company_id)
    .bind(severity)
    .fetch_one(db.pool())
    .await?)
}
