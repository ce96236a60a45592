//! Billing export runs (issue 28): each run's head, its file exactly as handed over, and its
//! protocol lines. A run is written as `running` first, so a run cut short by a restart is
//! seen as such, and finished with its lines and file in one transaction.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::Row;

use super::{Db, Result, StorageError};
use crate::models::billing::{ExportLine, Reason, RunStatus, Template};
use crate::models::period::Basis;
use crate::models::Resource;

/// A run's head as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub id: i64,
    pub company_id: i64,
    pub period: NaiveDate,
    pub template: Template,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub status: RunStatus,
    pub sent: i64,
    pub not_sent: i64,
    pub changed: i64,
    pub started_by: String,
    pub again_of: Option<i64>,
    pub file_name: String,
    pub fault: String,
}

/// A protocol line with the meter it is of (a re-run compares by meter).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredLine {
    pub meter_id: Option<i64>,
    pub line: ExportLine,
}

const COLUMNS: &str = "id, company_id, period, template, started_at, finished_at, status, sent, not_sent, changed, started_by, again_of, file_name, fault";

fn run_of(r: &sqlx::any::AnyRow) -> Result<Run> {
    let period: String = r.try_get("period")?;
    let template: String = r.try_get("template")?;
    Ok(Run {
        id: r.try_get("id")?,
        company_id: r.try_get("company_id")?,
        period: NaiveDate::parse_from_str(&period, "%Y-%m-%d").map_err(|_| StorageError::BadValue("billing_exports.period"))?,
        template: Template::parse(&template).ok_or_else(|| StorageError::BadValue("billing_exports.template"))?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        status: RunStatus::parse(&r.try_get::<String, _>("status")?),
        sent: r.try_get("sent")?,
        not_sent: r.try_get("not_sent")?,
        changed: r.try_get("changed")?,
        started_by: r.try_get("started_by")?,
        again_of: r.try_get("again_of")?,
        file_name: r.try_get("file_name")?,
        fault: r.try_get("fault")?,
    })
}

/// Opens a run: its head, `running`, with nothing sent yet.
pub async fn start(
    db: &Db,
    company_id: i64,
    period: NaiveDate,
    template: Template,
    started_by: &str,
    again_of: Option<i64>,
    now: i64,
) -> Result<Run> {
    let row = sqlx::query(&format!(
        "INSERT INTO billing_exports (company_id, period, template, started_at, status, started_by, again_of)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    ))
    .bind(company_id)
    .bind(period.format("%Y-%m-%d").to_string())
    .bind(template.as_str())
    .bind(now)
    .bind(RunStatus::Running.as_str())
    .bind(started_by)
    .bind(again_of)
    .fetch_one(db.pool())
    .await?;
    run_of(&row)
}

fn text(v: Option<Decimal>) -> Option<String> {
    v.map(|v| v.normalize().to_string())
}

/// Closes a run with its protocol and file, all at once: a run is either whole or `running`.
pub async fn finish(db: &Db, run: &Run, lines: &[StoredLine], file: &[u8], now: i64) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    for (chunk_no, chunk) in lines.chunks(200).enumerate() {
        const PER_ROW: usize = 17;
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * PER_ROW;
                format!("({})", (1..=PER_ROW).map(|k| format!("${}", n + k)).collect::<Vec<_>>().join(","))
            })
            .collect();
        let sql = format!(
            "INSERT INTO billing_export_lines (export_id, position, meter_id, object_name, flat, account, serial, resource,
               taken_on, t1, t2, t3, volume, basis, sent, reason, was) VALUES {}",
            rows.join(",")
        );
        let mut q = sqlx::query(&sql);
        for (i, s) in chunk.iter().enumerate() {
            let l = &s.line;
            q = q
                .bind(run.id)
                .bind((chunk_no * 200 + i) as i64)
                .bind(s.meter_id)
                .bind(l.object.clone())
                .bind(l.flat.clone())
                .bind(l.account.clone())
                .bind(l.serial.clone())
                .bind(l.resource.as_str())
                .bind(l.taken_on.map(|d| d.format("%Y-%m-%d").to_string()))
                .bind(text(l.values[0]))
                .bind(text(l.values[1]))
                .bind(text(l.values[2]))
                .bind(text(l.volume))
                .bind(l.basis.as_str())
                .bind(l.sent as i64)
                .bind(l.reason.map(|r| r.as_str()).unwrap_or(""))
                .bind(l.was.clone());
        }
        q.execute(&mut *tx).await?;
    }
    sqlx::query(
        "UPDATE billing_exports SET finished_at = $1, status = $2, sent = $3, not_sent = $4, changed = $5, file_name = $6,
           content = $7 WHERE id = $8",
    )
    .bind(now)
    .bind(run.status.as_str())
    .bind(run.sent)
    .bind(run.not_sent)
    .bind(run.changed)
    .bind(run.file_name.clone())
    .bind(file.to_vec())
    .bind(run.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a run failed with the fault in words; what it had made is dropped.
pub async fn fail(db: &Db, id: i64, fault: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE billing_exports SET finished_at = $1, status = $2, fault = $3 WHERE id = $4")
        .bind(now)
        .bind(RunStatus::Failed.as_str())
        .bind(fault)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The company's runs, newest first.
pub async fn list(db: &Db, company_id: i64, limit: i64) -> Result<Vec<Run>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM billing_exports WHERE company_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(company_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(run_of).collect()
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<Run> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM billing_exports WHERE company_id = $1 AND id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(StorageError::NotFound)?;
    run_of(&row)
}

/// The newest run of a period in a template that made a file (a failed one made none).
pub async fn latest_made(db: &Db, company_id: i64, period: NaiveDate, template: Template) -> Result<Option<Run>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM billing_exports WHERE company_id = $1 AND period = $2 AND template = $3
           AND status IN ('success', 'with_errors') ORDER BY id DESC LIMIT 1"
    ))
    .bind(company_id)
    .bind(period.format("%Y-%m-%d").to_string())
    .bind(template.as_str())
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(run_of).transpose()
}

/// Whether a run of a period in a template (of any outcome) started at or after `since`.
pub async fn started_since(db: &Db, company_id: i64, period: NaiveDate, template: Template, since: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM billing_exports WHERE company_id = $1 AND period = $2 AND template = $3 AND started_at >= $4",
    )
    .bind(company_id)
    .bind(period.format("%Y-%m-%d").to_string())
    .bind(template.as_str())
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// The file of a run, exactly as it was made.
pub async fn content(db: &Db, company_id: i64, id: i64) -> Result<Vec<u8>> {
    sqlx::query_scalar::<_, Option<Vec<u8>>>("SELECT content FROM billing_exports WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .flatten()
        .ok_or(StorageError::NotFound)
}

/// A run's protocol lines in their order.
pub async fn lines(db: &Db, company_id: i64, id: i64) -> Result<Vec<StoredLine>> {
    let rows = sqlx::query(
        "SELECT l.* FROM billing_export_lines l JOIN billing_exports e ON e.id = l.export_id
         WHERE e.company_id = $1 AND l.export_id = $2 ORDER BY l.position",
    )
    .bind(company_id)
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let decimal = |r: &sqlx::any::AnyRow, c: &str| -> Result<Option<Decimal>> {
        let v: Option<String> = r.try_get(c)?;
        v.map(|s| s.parse::<Decimal>().map_err(|_| StorageError::BadValue("billing_export_lines"))).transpose()
    };
    rows.iter()
        .map(|r| {
            let resource: String = r.try_get("resource")?;
            let basis: String = r.try_get("basis")?;
            let taken: Option<String> = r.try_get("taken_on")?;
            Ok(StoredLine {
                meter_id: r.try_get("meter_id")?,
                line: ExportLine {
                    object: r.try_get("object_name")?,
                    flat: r.try_get("flat")?,
                    account: r.try_get("account")?,
                    serial: r.try_get("serial")?,
                    resource: Resource::parse(&resource).ok_or_else(|| StorageError::BadValue("billing_exports.resource"))?,
                    taken_on: taken.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    values: [decimal(r, "t1")?, decimal(r, "t2")?, decimal(r, "t3")?],
                    volume: decimal(r, "volume")?,
                    basis: [Basis::Measured, Basis::Recalculated, Basis::Average, Basis::Norm]
                        .into_iter()
                        .find(|b| b.as_str() == basis)
                        .unwrap_or_default(),
                    sent: r.try_get::<i64, _>("sent")? != 0,
                    reason: Reason::parse(&r.try_get::<String, _>("reason")?),
                    was: r.try_get("was")?,
                },
            })
        })
        .collect()
}

/// What the company's newest made run of an earlier period sent per meter: the yardstick of
/// «lower than sent before». (meter, T1–T3 values).
pub async fn sent_before(db: &Db, company_id: i64, period: NaiveDate) -> Result<Vec<(i64, [Option<Decimal>; 3])>> {
    let rows = sqlx::query(
        "SELECT l.meter_id, l.t1, l.t2, l.t3 FROM billing_export_lines l JOIN billing_exports e ON e.id = l.export_id
         WHERE l.export_id = (SELECT MAX(id) FROM billing_exports WHERE company_id = $1 AND period < $2
                                AND status IN ('success', 'with_errors'))
           AND e.company_id = $1 AND l.sent = 1 AND l.meter_id IS NOT NULL",
    )
    .bind(company_id)
    .bind(period.format("%Y-%m-%d").to_string())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let v = |c: &str| -> Result<Option<Decimal>> { Ok(r.try_get::<Option<String>, _>(c)?.and_then(|s| s.parse().ok())) };
            Ok((r.try_get("meter_id")?, [v("t1")?, v("t2")?, v("t3")?]))
        })
        .collect()
}
