//! Stale marks: meters whose daily consumption must be recomputed from a device time on.
//! Every write of readings leaves one (in the write's transaction), so the rollup can never
//! miss a late reading; the rollup clears a mark only if nothing marked it again meanwhile.

use std::collections::HashMap;

use sqlx::Row;

use super::{Backend, Db, Result};

/// One meter to recompute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub meter_id: i64,
    pub company_id: i64,
    pub from_ts: i64,
    pub seq: i64,
}

fn upsert_tail(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            " ON CONFLICT (meter_id) DO UPDATE SET from_ts = MIN(consumption_stale.from_ts, excluded.from_ts), seq = consumption_stale.seq + 1"
        }
        Backend::Postgres => {
            " ON CONFLICT (meter_id) DO UPDATE SET from_ts = LEAST(consumption_stale.from_ts, excluded.from_ts), seq = consumption_stale.seq + 1"
        }
    }
}

/// The upsert of marks from `source`, a query of (meter, company, from device time).
fn mark_sql(backend: Backend, source: &str) -> String {
    format!(
        "INSERT INTO consumption_stale (meter_id, company_id, from_ts) {source}{}",
        upsert_tail(backend)
    )
}

/// PostgreSQL's bulk write: marks the meters of what its staging table holds, in the
/// write's transaction (see `reading::STAGING`).
pub(super) fn mark_staged_sql() -> String {
    mark_sql(
        Backend::Postgres,
        "SELECT c.meter_id, c.company_id, MIN(s.ts) FROM readings_in s JOIN channels c ON c.id = s.channel_id GROUP BY c.meter_id, c.company_id",
    )
}

/// Marks the meters of these channels stale from the earliest device time given for each.
pub async fn mark_channels<'c, E>(backend: Backend, exec: E, touched: &[(i64, i64)]) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let mut earliest: HashMap<i64, i64> = HashMap::new();
    for &(channel_id, ts) in touched {
        earliest
            .entry(channel_id)
            .and_modify(|t| *t = (*t).min(ts))
            .or_insert(ts);
    }
    if earliest.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(&earliest.into_iter().collect::<Vec<(i64, i64)>>())
        .expect("pairs of integers serialize");
    let source = match backend {
        Backend::Sqlite => {
            "SELECT c.meter_id, c.company_id, MIN(value->>1) FROM json_each($1) JOIN channels c ON c.id = value->>0 WHERE true GROUP BY c.meter_id, c.company_id"
        }
        Backend::Postgres => {
            "SELECT c.meter_id, c.company_id, MIN((j->>1)::bigint) FROM jsonb_array_elements($1::text::jsonb) AS j JOIN channels c ON c.id = (j->>0)::bigint GROUP BY c.meter_id, c.company_id"
        }
    };
    sqlx::query(&mark_sql(backend, source))
    .bind(json)
    .execute(exec)
    .await?;
    Ok(())
}

/// Marks one meter stale from `from_ts` on.
pub async fn mark_meter(db: &Db, company_id: i64, meter_id: i64, from_ts: i64) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO consumption_stale (meter_id, company_id, from_ts) VALUES ($1, $2, $3){}",
        upsert_tail(db.backend())
    ))
    .bind(meter_id)
    .bind(company_id)
    .bind(from_ts)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Up to `limit` marks of meters after `after`, of one company or of all, in meter order.
pub async fn list(db: &Db, company_id: Option<i64>, after: i64, limit: i64) -> Result<Vec<Mark>> {
    let rows = sqlx::query(
        "SELECT meter_id, company_id, from_ts, seq FROM consumption_stale
         WHERE ($1 = 0 OR company_id = $1) AND meter_id > $3 ORDER BY meter_id LIMIT $2",
    )
    .bind(company_id.unwrap_or(0))
    .bind(limit)
    .bind(after)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Mark {
                meter_id: r.try_get("meter_id")?,
                company_id: r.try_get("company_id")?,
                from_ts: r.try_get("from_ts")?,
                seq: r.try_get("seq")?,
            })
        })
        .collect()
}

/// How many meters wait, of one company or of all.
pub async fn get_count(db: &Db, company_id: Option<i64>) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM consumption_stale WHERE ($1 = 0 OR company_id = $1)",
    )
    .bind(company_id.unwrap_or(0))
    .fetch_one(db.pool())
    .await?)
}

/// Clears a mark the rollup has dealt with, unless it was marked again since it was read.
pub async fn clear(db: &Db, mark: &Mark) -> Result<()> {
    sqlx::query("DELETE FROM consumption_stale WHERE meter_id = $1 AND seq = $2")
        .bind(mark.meter_id)
        .bind(mark.seq)
        .execute(db.pool())
        .await?;
    Ok(())
}
