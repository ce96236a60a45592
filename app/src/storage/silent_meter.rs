//! Meters read automatically that have gone quiet («Не опрашиваются», F5): in operation, on
//! a line (bus, modem, LoRaWAN device), and either their latest poll failed or nothing has
//! been heard from them since a moment (or ever).

use sqlx::Row;

use super::{Db, Result};

#[derive(Clone, Debug, PartialEq)]
pub struct SilentMeter {
    pub meter_id: i64,
    pub object_id: i64,
    pub object_name: String,
    pub time_zone: String,
    pub premise: Option<String>,
    pub placement: String,
    pub resource: String,
    pub model: String,
    pub serial: String,
    /// The communicator's name and kind of line.
    pub line: String,
    pub line_kind: String,
    pub last_contact_at: Option<i64>,
    /// The latest poll: when, whether it read the meter, and what went wrong.
    pub poll_at: Option<i64>,
    pub poll_ok: Option<bool>,
    pub poll_message: String,
}

/// A company's quiet meters (one building's when `object_id` is given), by building, then
/// common meters, then flats.
pub async fn list(
    db: &Db,
    company_id: i64,
    object_id: Option<i64>,
    heard_since: i64,
) -> Result<Vec<SilentMeter>> {
    let rows = sqlx::query(
        "SELECT m.id AS meter_id, m.object_id, o.name AS object_name, o.time_zone, p.number AS premise,
                m.placement, m.resource, m.model, m.serial, c.name AS line, c.line AS line_kind,
                m.last_contact_at, r.at AS poll_at, r.ok AS poll_ok, r.message AS poll_message
         FROM meters m
         JOIN objects o ON o.id = m.object_id
         JOIN communicators c ON c.id = m.communicator_id
         LEFT JOIN premises p ON p.id = m.premise_id
         LEFT JOIN poll_results r ON r.meter_id = m.id AND r.job_id = (
             SELECT x.job_id FROM poll_results x WHERE x.meter_id = m.id ORDER BY x.at DESC, x.job_id DESC LIMIT 1)
         WHERE m.company_id = $1 AND m.state = 'in_operation' AND c.built_in = 0
           AND (CAST($2 AS BIGINT) IS NULL OR m.object_id = $2)
           AND (r.ok = 0 OR m.last_contact_at IS NULL OR m.last_contact_at < $3)
         ORDER BY o.name, m.object_id, m.placement, p.number, m.id",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(heard_since)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SilentMeter {
                meter_id: r.try_get("meter_id")?,
                object_id: r.try_get("object_id")?,
                object_name: r.try_get("object_name")?,
                time_zone: r.try_get("time_zone")?,
                premise: r.try_get("premise")?,
                placement: r.try_get("placement")?,
                resource: r.try_get("resource")?,
                model: r.try_get("model")?,
                serial: r.try_get("serial")?,
                line: r.try_get("line")?,
                line_kind: r.try_get("line_kind")?,
                last_contact_at: r.try_get("last_contact_at")?,
                poll_at: r.try_get("poll_at")?,
                poll_ok: r.try_get::<Option<i64>, _>("poll_ok")?.map(|v| v != 0),
                poll_message: r
                    .try_get::<Option<String>, _>("poll_message")?
                    .unwrap_or_default(),
            })
        })
        .collect()
}
