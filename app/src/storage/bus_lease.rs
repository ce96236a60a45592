//! Bus leases: one process at a time on a bus, whatever jobs ask for it. A lease is taken
//! before a bus is polled and released after; one left behind by a dead process expires.

use super::{now, Db, Result};

/// Takes the bus for `holder` for `secs` unless someone else holds an unexpired lease.
pub async fn acquire(db: &Db, communicator_id: i64, holder: &str, secs: i64) -> Result<bool> {
    let at = now();
    let done = sqlx::query(
        "INSERT INTO bus_leases (communicator_id, holder, until) VALUES ($1, $2, $3)
         ON CONFLICT (communicator_id) DO UPDATE SET holder = excluded.holder, until = excluded.until
         WHERE bus_leases.until < $4 OR bus_leases.holder = excluded.holder",
    )
        .bind(communicator_id)
        .bind(holder)
        .bind(at + secs)
        .bind(at)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release(db: &Db, communicator_id: i64, holder: &str) -> Result<()> {
    sqlx::query("DELETE FROM bus_leases WHERE communicator_id = $1 AND holder = $2")
        .bind(communicator_id)
        .bind(holder)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Who holds bus leases now (each name once).
pub async fn holders(db: &Db) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar::<_, String>("SELECT DISTINCT holder FROM bus_leases")
        .fetch_all(db.pool())
        .await?)
}

/// Drops every lease of `holder` (its process is gone); returns how many.
pub async fn release_all_of(db: &Db, holder: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM bus_leases WHERE holder = $1")
        .bind(holder)
        .execute(db.pool())
        .await?
        .rows_affected())
}
