//! How long ago each meter in service was heard from, for «Карта приборов»: counted per
//! building and age bucket in the database (a map of 100 000 meters reads a few hundred
//! rows), and listed meter by meter for one building.

use sqlx::Row;

use super::{Db, Result};

/// A building's count of meters in one age bucket (`bucket` indexes `Contact::ALL`).
#[derive(Clone, Debug, PartialEq)]
pub struct BucketCount {
    pub object_id: i64,
    pub bucket: usize,
    pub meters: i64,
}

/// The bucket `CASE` over `m`: 7 on no line, then the ages below each of `bounds` (seconds
/// before `now`, bound as `$4`…`$9`), 6 beyond them or never heard from.
const BUCKET: &str = "CASE WHEN m.communicator_id IS NULL THEN 7
                          WHEN m.last_contact_at IS NULL THEN 6
                          WHEN m.last_contact_at >= $4 THEN 0
                          WHEN m.last_contact_at >= $5 THEN 1
                          WHEN m.last_contact_at >= $6 THEN 2
                          WHEN m.last_contact_at >= $7 THEN 3
                          WHEN m.last_contact_at >= $8 THEN 4
                          WHEN m.last_contact_at >= $9 THEN 5
                          ELSE 6 END";

/// Meters in service (not retired) of the company's buildings not archived, one building's
/// when `object_id` is given, one resource's when `resource` is not empty, counted per
/// building and bucket; `bounds` are the buckets' ages in seconds, youngest first.
pub async fn counts(db: &Db, company_id: i64, object_id: Option<i64>, resource: &str, now: i64, bounds: &[i64; 6]) -> Result<Vec<BucketCount>> {
    let sql = format!(
        "SELECT m.object_id, {BUCKET} AS bucket, COUNT(*) AS meters
         FROM meters m JOIN objects o ON o.id = m.object_id
         WHERE m.company_id = $1 AND o.archived_at IS NULL AND m.state <> 'retired'
           AND ($2 = 0 OR m.object_id = $2) AND ($3 = '' OR m.resource = $3)
         GROUP BY m.object_id, bucket"
    );
    let mut q = sqlx::query(&sql).bind(company_id).bind(object_id.unwrap_or(0)).bind(resource);
    for b in bounds {
        q = q.bind(now - b);
    }
    q.fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            let bucket: i32 = r.try_get("bucket")?;
            Ok(BucketCount { object_id: r.try_get("object_id")?, bucket: bucket.max(0) as usize, meters: r.try_get("meters")? })
        })
        .collect()
}

/// A meter of one building as the map lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRow {
    pub meter_id: i64,
    pub resource: String,
    pub model: String,
    pub serial: String,
    pub premise: Option<String>,
    pub placement: String,
    pub on_line: bool,
    pub last_contact_at: Option<i64>,
}

/// The building's meters in service (of `resource` when not empty).
pub async fn of_building(db: &Db, company_id: i64, object_id: i64, resource: &str) -> Result<Vec<ContactRow>> {
    sqlx::query(
        "SELECT m.id, m.resource, m.model, m.serial, p.number AS premise, m.placement, m.communicator_id, m.last_contact_at
         FROM meters m LEFT JOIN premises p ON p.id = m.premise_id
         WHERE m.company_id = $1 AND m.object_id = $2 AND m.state <> 'retired' AND ($3 = '' OR m.resource = $3)
         ORDER BY m.id",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(resource)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        let line: Option<i64> = r.try_get("communicator_id")?;
        Ok(ContactRow {
            meter_id: r.try_get("id")?,
            resource: r.try_get("resource")?,
            model: r.try_get("model")?,
            serial: r.try_get("serial")?,
            premise: r.try_get("premise")?,
            placement: r.try_get("placement")?,
            on_line: line.is_some(),
            last_contact_at: r.try_get("last_contact_at")?,
        })
    })
    .collect()
}
