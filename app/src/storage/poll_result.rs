//! Poll results: what one poll of one meter brought (or why it brought nothing), with the
//! line's counts of timeouts, damaged replies and noise. The console's log and its
//! "not polled" list read these.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Db, Result};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PollResult {
    pub job_id: i64,
    pub meter_id: i64,
    pub company_id: i64,
    pub at: i64,
    pub ok: bool,
    pub message: String,
    pub readings: i64,
    pub duration_ms: i64,
    pub requests: i64,
    pub timeouts: i64,
    pub crc_errors: i64,
    pub garbage_bytes: i64,
    /// The frames of the poll as JSON (`[{"t": unix ms, "d": ">" or "<", "hex": "…"}]`).
    pub exchange: String,
}

fn from_row(r: &AnyRow) -> Result<PollResult> {
    Ok(PollResult {
        job_id: r.try_get("job_id")?,
        meter_id: r.try_get("meter_id")?,
        company_id: r.try_get("company_id")?,
        at: r.try_get("at")?,
        ok: r.try_get::<i64, _>("ok")? != 0,
        message: r.try_get("message")?,
        readings: r.try_get("readings")?,
        duration_ms: r.try_get("duration_ms")?,
        requests: r.try_get("requests")?,
        timeouts: r.try_get("timeouts")?,
        crc_errors: r.try_get("crc_errors")?,
        garbage_bytes: r.try_get("garbage_bytes")?,
        exchange: r.try_get("exchange")?,
    })
}

pub async fn create(db: &Db, p: &PollResult) -> Result<()> {
    sqlx::query(
        "INSERT INTO poll_results (job_id, meter_id, company_id, at, ok, message, readings, duration_ms,
           requests, timeouts, crc_errors, garbage_bytes, exchange)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (job_id, meter_id) DO UPDATE SET at = excluded.at, ok = excluded.ok, message = excluded.message,
           readings = excluded.readings, duration_ms = excluded.duration_ms, requests = excluded.requests,
           timeouts = excluded.timeouts, crc_errors = excluded.crc_errors, garbage_bytes = excluded.garbage_bytes,
           exchange = excluded.exchange",
    )
    .bind(p.job_id)
    .bind(p.meter_id)
    .bind(p.company_id)
    .bind(p.at)
    .bind(p.ok as i64)
    .bind(&p.message)
    .bind(p.readings)
    .bind(p.duration_ms)
    .bind(p.requests)
    .bind(p.timeouts)
    .bind(p.crc_errors)
    .bind(p.garbage_bytes)
    .bind(&p.exchange)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn list_for_job(db: &Db, company_id: i64, job_id: i64) -> Result<Vec<PollResult>> {
    let rows = sqlx::query(
        "SELECT * FROM poll_results WHERE company_id = $1 AND job_id = $2 ORDER BY meter_id",
    )
    .bind(company_id)
    .bind(job_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Meters of a building read automatically and in operation whose latest poll since `since`
/// failed, or that were not polled at all since then: the console's «Не опрошены».
pub async fn not_polled(
    db: &Db,
    company_id: i64,
    object_id: i64,
    since: i64,
) -> Result<Vec<(i64, Option<PollResult>)>> {
    let meters: Vec<i64> = sqlx::query_scalar(
        "SELECT m.id FROM meters m
         WHERE m.company_id = $1 AND m.object_id = $2 AND m.protocol <> '' AND m.state = 'in_operation'
           AND m.communicator_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM poll_results r WHERE r.meter_id = m.id AND r.ok = 1 AND r.at >= $3)
         ORDER BY m.id",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(meters.len());
    for id in meters {
        let last =
            sqlx::query("SELECT * FROM poll_results WHERE meter_id = $1 ORDER BY at DESC LIMIT 1")
                .bind(id)
                .fetch_optional(db.pool())
                .await?;
        out.push((id, last.as_ref().map(from_row).transpose()?));
    }
    Ok(out)
}

/// The latest result of every meter of a building that has one.
pub async fn latest_for_object(
    db: &Db,
    company_id: i64,
    object_id: i64,
) -> Result<std::collections::HashMap<i64, PollResult>> {
    let rows = sqlx::query(
        // Without the exchange: the console needs the outcome, the terminal reads one meter's.
        "SELECT r.job_id, r.meter_id, r.company_id, r.at, r.ok, r.message, r.readings, r.duration_ms,
                r.requests, r.timeouts, r.crc_errors, r.garbage_bytes, '' AS exchange
         FROM poll_results r
         JOIN (SELECT x.meter_id, MAX(x.at) AS at FROM poll_results x JOIN meters m ON m.id = x.meter_id
               WHERE x.company_id = $1 AND m.object_id = $2 GROUP BY x.meter_id) l
           ON l.meter_id = r.meter_id AND l.at = r.at
         WHERE r.company_id = $1",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = std::collections::HashMap::new();
    for r in &rows {
        let p = from_row(r)?;
        out.insert(p.meter_id, p);
    }
    Ok(out)
}

/// Meters a job has finished with, and how many of them answered.
pub async fn progress(db: &Db, company_id: i64, job_id: i64) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS done, CAST(COALESCE(SUM(ok), 0) AS BIGINT) AS ok FROM poll_results WHERE company_id = $1 AND job_id = $2",
    )
    .bind(company_id)
    .bind(job_id)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("done")?, row.try_get::<i64, _>("ok")?))
}

/// The latest result of one meter (with its exchange), for the console's terminal.
pub async fn latest_for_meter(db: &Db, company_id: i64, meter_id: i64) -> Result<Option<PollResult>> {
    let row = sqlx::query(
        "SELECT * FROM poll_results WHERE company_id = $1 AND meter_id = $2 ORDER BY at DESC, job_id DESC LIMIT 1",
    )
    .bind(company_id)
    .bind(meter_id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}
