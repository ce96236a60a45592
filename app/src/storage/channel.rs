//! Channels (ИИК): one measured quantity of a meter. Readings belong to channels.

use super::{Db, Result};

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Channel {
    pub id: i64,
    pub company_id: i64,
    pub meter_id: i64,
    pub resource: String,
    /// Two cold-water counters on one heat meter's pulse inputs are numbers 1 and 2.
    pub resource_number: i64,
    /// e.g. "energy_a_plus", "volume", "heat_energy", "t_supply".
    pub parameter: String,
    pub unit: String,
    /// "integral" (running total) or "interval" (delta over the period).
    pub kind: String,
    pub verified_on: Option<String>,
}

pub async fn create(db: &Db, c: &Channel) -> Result<Channel> {
    create_in(db.pool(), c).await
}

/// `create` inside a caller's transaction.
pub async fn create_in<'c, E>(ex: E, c: &Channel) -> Result<Channel>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_as::<_, Channel>(
        "INSERT INTO channels (company_id, meter_id, resource, resource_number, parameter, unit, kind, verified_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *",
    )
    .bind(c.company_id)
    .bind(c.meter_id)
    .bind(&c.resource)
    .bind(c.resource_number)
    .bind(&c.parameter)
    .bind(&c.unit)
    .bind(&c.kind)
    .bind(&c.verified_on)
    .fetch_one(ex)
    .await?)
}

/// The main channel of a new meter: what its resource counts, as a running total, verified
/// with the meter.
pub async fn create_main(db: &Db, m: &super::meter::Meter) -> Result<Channel> {
    create_main_in(db.pool(), m).await
}

/// `create_main` inside a caller's transaction.
pub async fn create_main_in<'c, E>(ex: E, m: &super::meter::Meter) -> Result<Channel>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let (parameter, unit) = m.resource.main_parameter();
    create_in(
        ex,
        &Channel {
            id: 0,
            company_id: m.company_id,
            meter_id: m.id,
            resource: m.resource.as_str().into(),
            resource_number: 1,
            parameter: parameter.into(),
            unit: unit.into(),
            kind: "integral".into(),
            verified_on: m.verified_on.map(|d| d.format("%Y-%m-%d").to_string()),
        },
    )
    .await
}

/// How a meter's channels are ordered. The first is the meter's main channel: the one the
/// readings table, field entry, consumption and the rollup read. Register order, not
/// creation order, so a second counter added before the first does not take its place.
pub const ORDER: &str = "resource_number, id";

pub async fn list_for_meter(db: &Db, company_id: i64, meter_id: i64) -> Result<Vec<Channel>> {
    Ok(sqlx::query_as::<_, Channel>(&format!(
        "SELECT * FROM channels WHERE company_id = $1 AND meter_id = $2 ORDER BY {ORDER}"
    ))
        .bind(company_id)
        .bind(meter_id)
        .fetch_all(db.pool())
        .await?)
}

/// The main channel (the first, as `list_for_meter` orders them) of each of these meters
/// that has one, as (meter, channel).
pub async fn main_of_meters(db: &Db, meter_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if meter_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT meter_id, id FROM channels WHERE meter_id IN ({}) ORDER BY meter_id, {ORDER}",
        super::id_list(meter_ids)
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(rows.len());
    for (meter, channel) in rows {
        if out.last().is_none_or(|(m, _)| *m != meter) {
            out.push((meter, channel));
        }
    }
    Ok(out)
}

/// Whose these channels are, as (channel, meter, building, the building's time zone): the
/// company's only, any other id is left out.
pub async fn owners(db: &Db, company_id: i64, channel_ids: &[i64]) -> Result<Vec<(i64, i64, i64, String)>> {
    let mut out = Vec::with_capacity(channel_ids.len());
    for chunk in channel_ids.chunks(500) {
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!(
            "SELECT c.id, c.meter_id, m.object_id, o.time_zone FROM channels c
             JOIN meters m ON m.id = c.meter_id JOIN objects o ON o.id = m.object_id
             WHERE c.company_id = $1 AND c.id IN ({})",
            super::id_list(chunk)
        ))
        .bind(company_id)
        .fetch_all(db.pool())
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The integer digits of the meter each channel belongs to, as (channel, digits): what a
/// rollover is measured against.
pub async fn integer_digits(db: &Db, channel_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    let mut out = Vec::with_capacity(channel_ids.len());
    for chunk in channel_ids.chunks(500) {
        let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT c.id, m.digits_integer FROM channels c JOIN meters m ON m.id = c.meter_id WHERE c.id IN ({})",
            super::id_list(chunk)
        ))
        .fetch_all(db.pool())
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Every channel of an object's meters, meter by meter in register order (the channel
/// inventory report).
pub async fn list_for_object(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<Channel>> {
    Ok(sqlx::query_as::<_, Channel>(
        "SELECT c.* FROM channels c JOIN meters m ON m.id = c.meter_id
         WHERE m.company_id = $1 AND m.object_id = $2 ORDER BY c.meter_id, c.resource_number, c.id",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?)
}

/// Channel ids of every meter of an object, for building-wide range queries.
pub async fn ids_for_object(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT c.id FROM channels c JOIN meters m ON m.id = c.meter_id WHERE m.company_id = $1 AND m.object_id = $2 ORDER BY c.id",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?)
}
