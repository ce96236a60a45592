//! Poll jobs: the collector's queue. A scheduled poll of a building (one a day, by its
//! `slot`), or a manual poll of a building, one resource of it, or one meter. Any server
//! process claims open jobs; PostgreSQL hands each to one claimant (`FOR UPDATE SKIP
//! LOCKED`), SQLite serializes writers anyway. A claim older than the lease is abandoned
//! (its process died) and may be claimed again.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{now, Backend, Db, Result};
use crate::models::Resource;

#[derive(Clone, Debug, PartialEq)]
pub struct PollJob {
    pub id: i64,
    pub company_id: i64,
    pub object_id: i64,
    pub meter_id: Option<i64>,
    pub resource: Option<Resource>,
    /// `schedule` or `manual`.
    pub reason: String,
    pub slot: Option<String>,
    pub requested_by: Option<i64>,
    pub requested_at: i64,
    pub due_at: i64,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub meters_total: i64,
    pub meters_ok: i64,
    pub readings: i64,
    pub error: String,
}

fn from_row(r: &AnyRow) -> Result<PollJob> {
    let resource: Option<String> = r.try_get("resource")?;
    Ok(PollJob {
        id: r.try_get("id")?,
        company_id: r.try_get("company_id")?,
        object_id: r.try_get("object_id")?,
        meter_id: r.try_get("meter_id")?,
        resource: resource.as_deref().and_then(Resource::parse),
        reason: r.try_get("reason")?,
        slot: r.try_get("slot")?,
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        due_at: r.try_get("due_at")?,
        claimed_by: r.try_get("claimed_by")?,
        claimed_at: r.try_get("claimed_at")?,
        finished_at: r.try_get("finished_at")?,
        meters_total: r.try_get("meters_total")?,
        meters_ok: r.try_get("meters_ok")?,
        readings: r.try_get("readings")?,
        error: r.try_get("error")?,
    })
}

/// What to poll, asked from the console.
#[derive(Clone, Debug, PartialEq)]
pub struct Manual {
    pub company_id: i64,
    pub object_id: i64,
    pub meter_id: Option<i64>,
    pub resource: Option<Resource>,
    /// Chosen meters (a console category or ticked rows); empty: as `meter_id`/`resource`
    /// say, else the whole building.
    pub meters: Vec<i64>,
    pub requested_by: Option<i64>,
}

/// Queues a manual poll, due now. The job and its chosen meters are written in one
/// transaction: a collector never claims it half-written (which would poll the building).
pub async fn create_manual(db: &Db, m: &Manual) -> Result<PollJob> {
    let at = now();
    let mut tx = db.pool().begin().await?;
    let row = sqlx::query(
        "INSERT INTO poll_jobs (company_id, object_id, meter_id, resource, reason, requested_by, requested_at, due_at)
         VALUES ($1, $2, $3, $4, 'manual', $5, $6, $6) RETURNING *",
    )
    .bind(m.company_id)
    .bind(m.object_id)
    .bind(m.meter_id)
    .bind(m.resource.map(|r| r.as_str()))
    .bind(m.requested_by)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let job = from_row(&row)?;
    for meter_id in &m.meters {
        sqlx::query("INSERT INTO poll_job_meters (job_id, meter_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(job.id)
            .bind(meter_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(job)
}

/// Queues the scheduled poll of a building for a local day, once however many processes ask.
/// Returns whether this call queued it.
pub async fn schedule(
    db: &Db,
    company_id: i64,
    object_id: i64,
    slot: &str,
    due_at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO poll_jobs (company_id, object_id, reason, slot, requested_at, due_at)
         VALUES ($1, $2, 'schedule', $3, $4, $5) ON CONFLICT (object_id, slot) DO NOTHING",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(slot)
    .bind(now())
    .bind(due_at)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims the oldest due job for `holder`; claims older than `lease_secs` are taken over.
pub async fn claim(db: &Db, holder: &str, lease_secs: i64) -> Result<Option<PollJob>> {
    let at = now();
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let row = sqlx::query(&format!(
        "UPDATE poll_jobs SET claimed_by = $1, claimed_at = $2
         WHERE id = (SELECT id FROM poll_jobs
                     WHERE finished_at IS NULL AND due_at <= $2 AND (claimed_at IS NULL OR claimed_at < $3)
                     ORDER BY due_at, id LIMIT 1{lock})
         RETURNING *"
    ))
    .bind(holder)
    .bind(at)
    .bind(at - lease_secs)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Who holds unfinished jobs now (each name once).
pub async fn holders(db: &Db) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT DISTINCT claimed_by FROM poll_jobs WHERE finished_at IS NULL AND claimed_by IS NOT NULL",
    )
    .fetch_all(db.pool())
    .await?)
}

/// Gives back the unfinished jobs `holder` claimed (its process is gone), so they are run
/// again at once instead of after the lease; returns how many.
pub async fn release_claims_of(db: &Db, holder: &str) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE poll_jobs SET claimed_by = NULL, claimed_at = NULL WHERE finished_at IS NULL AND claimed_by = $1",
    )
    .bind(holder)
    .execute(db.pool())
    .await?
    .rows_affected())
}

/// Records how a job ended.
pub async fn finish(
    db: &Db,
    id: i64,
    meters_total: i64,
    meters_ok: i64,
    readings: i64,
    error: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE poll_jobs SET finished_at = $2, meters_total = $3, meters_ok = $4, readings = $5, error = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(now())
    .bind(meters_total)
    .bind(meters_ok)
    .bind(readings)
    .bind(error)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<PollJob> {
    let row = sqlx::query("SELECT * FROM poll_jobs WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    from_row(&row)
}

/// The latest jobs of a company, newest first.
pub async fn list(db: &Db, company_id: i64, limit: i64) -> Result<Vec<PollJob>> {
    let rows = sqlx::query(
        "SELECT * FROM poll_jobs WHERE company_id = $1 ORDER BY requested_at DESC, id DESC LIMIT $2",
    )
    .bind(company_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Jobs not finished yet (queued or running) of a company.
pub async fn get_open_count(db: &Db, company_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM poll_jobs WHERE company_id = $1 AND finished_at IS NULL",
    )
    .bind(company_id)
    .fetch_one(db.pool())
    .await?)
}

/// The newest job of a building, and whether today's scheduled poll (`slot`) is queued.
pub async fn latest_for_object(
    db: &Db,
    company_id: i64,
    object_id: i64,
) -> Result<Option<PollJob>> {
    let row = sqlx::query(
        "SELECT * FROM poll_jobs WHERE company_id = $1 AND object_id = $2 ORDER BY requested_at DESC, id DESC LIMIT 1",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Whether a building's scheduled poll for a local day has been queued.
pub async fn slot_taken(db: &Db, object_id: i64, slot: &str) -> Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM poll_jobs WHERE object_id = $1 AND slot = $2")
            .bind(object_id)
            .bind(slot)
            .fetch_one(db.pool())
            .await?;
    Ok(n > 0)
}
