//! Poll targets: the meters a poll job covers, in operation and read automatically, each
//! with the bus it hangs on. The collector groups them by bus: one bus at a time per meter
//! chain, different buses in parallel.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::communicator::Communicator;
use super::poll_job::PollJob;
use super::{Db, Result, StorageError};
use crate::models::Resource;

#[derive(Clone, Debug, PartialEq)]
pub struct PollTarget {
    pub meter_id: i64,
    pub company_id: i64,
    pub object_id: i64,
    pub resource: Resource,
    pub tariffs: i64,
    pub serial: String,
    /// The meter model: a Modbus device's register map is found by it.
    pub model: String,
    pub protocol: String,
    pub bus_address: String,
    pub bus_password: String,
    pub communicator_id: i64,
    /// When a Mercury's event journals were last read (once a day is enough).
    pub journals_read_at: Option<i64>,
}

fn from_row(r: &AnyRow) -> Result<PollTarget> {
    let resource: String = r.try_get("resource")?;
    Ok(PollTarget {
        meter_id: r.try_get("id")?,
        company_id: r.try_get("company_id")?,
        object_id: r.try_get("object_id")?,
        resource: Resource::parse(&resource).ok_or(StorageError::BadValue("meters.resource"))?,
        tariffs: r.try_get("tariffs")?,
        serial: r.try_get("serial")?,
        model: r.try_get("model")?,
        protocol: r.try_get("protocol")?,
        bus_address: r.try_get("bus_address")?,
        bus_password: r.try_get("bus_password")?,
        communicator_id: r.try_get("communicator_id")?,
        journals_read_at: r.try_get("journals_read_at")?,
    })
}

/// The meters a job covers, ordered by bus and address.
pub async fn list(db: &Db, job: &PollJob) -> Result<Vec<PollTarget>> {
    let rows = sqlx::query(
        "SELECT id, company_id, object_id, resource, tariffs, serial, model, protocol, bus_address, bus_password, communicator_id, journals_read_at
         FROM meters
         WHERE company_id = $1 AND object_id = $2 AND protocol <> '' AND state = 'in_operation'
           AND communicator_id IS NOT NULL
           AND (CAST($3 AS BIGINT) IS NULL OR id = $3) AND (CAST($4 AS TEXT) IS NULL OR resource = $4)
           AND (NOT EXISTS (SELECT 1 FROM poll_job_meters c WHERE c.job_id = $5)
                OR id IN (SELECT c.meter_id FROM poll_job_meters c WHERE c.job_id = $5))
         ORDER BY communicator_id, bus_address, id",
    )
    .bind(job.company_id)
    .bind(job.object_id)
    .bind(job.meter_id)
    .bind(job.resource.map(|r| r.as_str()))
    .bind(job.id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The buses of these targets.
pub async fn buses(db: &Db, company_id: i64, ids: &[i64]) -> Result<Vec<Communicator>> {
    let mut out = Vec::new();
    for &id in ids {
        out.push(super::communicator::get(db, company_id, id).await?);
    }
    Ok(out)
}

/// A building's meters on buses: protocol and bus name by meter id.
pub async fn buses_of_object(
    db: &Db,
    company_id: i64,
    object_id: i64,
) -> Result<std::collections::HashMap<i64, (String, String)>> {
    let rows = sqlx::query(
        "SELECT m.id, m.protocol, c.name FROM meters m JOIN communicators c ON c.id = m.communicator_id
         WHERE m.company_id = $1 AND m.object_id = $2",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = std::collections::HashMap::new();
    for r in rows {
        out.insert(
            r.try_get("id")?,
            (r.try_get("protocol")?, r.try_get("name")?),
        );
    }
    Ok(out)
}
