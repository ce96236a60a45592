//! Communicators (коммуникаторы): the line a meter is reached over — TCP/GPRS modem,
//! LoRaWAN end device, or a serial RS-485 / M-Bus port.

use super::{now, Db, Result};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Communicator {
    pub id: i64,
    pub company_id: i64,
    pub object_id: Option<i64>,
    pub name: String,
    pub built_in: bool,
    /// "tcp", "gprs", "lorawan", "rs485", "mbus".
    pub line: String,
    pub host: String,
    pub port: Option<i64>,
    pub serial_port: String,
    pub baud_rate: Option<i64>,
    pub sim_iccid: String,
    pub dev_eui: String,
    pub lorawan_class: String,
    pub lorawan_version: String,
    pub created_at: i64,
    /// Line timing for the collector (database defaults on create; see [`set_line`]).
    pub timeout_ms: i64,
    pub char_timeout_ms: i64,
    pub frame_gap_ms: i64,
    pub retries: i64,
    /// A GPRS modem's SIM: IMSI (15 digits) and phone number (+7…), empty when unknown.
    pub imsi: String,
    pub phone: String,
    /// A serial port's parity, `none`/`even`/`odd`; empty: the line's usual one.
    pub parity: String,
    /// A LoRaWAN device's field map (a model name in `maps/lorawan.json`); empty: the map of
    /// its meter's model.
    pub field_map: String,
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for Communicator {
    fn from_row(r: &'r sqlx::any::AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(Communicator {
            id: r.try_get("id")?,
            company_id: r.try_get("company_id")?,
            object_id: r.try_get("object_id")?,
            name: r.try_get("name")?,
            built_in: r.try_get::<i64, _>("built_in")? != 0,
            line: r.try_get("line")?,
            host: r.try_get("host")?,
            port: r.try_get("port")?,
            serial_port: r.try_get("serial_port")?,
            baud_rate: r.try_get("baud_rate")?,
            sim_iccid: r.try_get("sim_iccid")?,
            dev_eui: r.try_get("dev_eui")?,
            lorawan_class: r.try_get("lorawan_class")?,
            lorawan_version: r.try_get("lorawan_version")?,
            created_at: r.try_get("created_at")?,
            timeout_ms: r.try_get("timeout_ms")?,
            char_timeout_ms: r.try_get("char_timeout_ms")?,
            frame_gap_ms: r.try_get("frame_gap_ms")?,
            retries: r.try_get("retries")?,
            imsi: r.try_get("imsi")?,
            phone: r.try_get("phone")?,
            parity: r.try_get("parity")?,
            field_map: r.try_get("field_map")?,
        })
    }
}

pub async fn create(db: &Db, c: &Communicator) -> Result<Communicator> {
    Ok(sqlx::query_as::<_, Communicator>(
        "INSERT INTO communicators (company_id, object_id, name, built_in, line, host, port, serial_port, baud_rate,
           sim_iccid, dev_eui, lorawan_class, lorawan_version, created_at, imsi, phone, parity, field_map)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING *",
    )
    .bind(c.company_id)
    .bind(c.object_id)
    .bind(&c.name)
    .bind(c.built_in as i64)
    .bind(&c.line)
    .bind(&c.host)
    .bind(c.port)
    .bind(&c.serial_port)
    .bind(c.baud_rate)
    .bind(&c.sim_iccid)
    .bind(&c.dev_eui)
    .bind(&c.lorawan_class)
    .bind(&c.lorawan_version)
    .bind(now())
    .bind(&c.imsi)
    .bind(&c.phone)
    .bind(&c.parity)
    .bind(&c.field_map)
    .fetch_one(db.pool())
    .await?)
}

/// Everything «Коммуникаторы» edits, the timing included; the company and the creation
/// time stay.
pub async fn update(db: &Db, c: &Communicator) -> Result<()> {
    let done = sqlx::query(
        "UPDATE communicators SET object_id = $3, name = $4, built_in = $5, line = $6, host = $7, port = $8,
           serial_port = $9, baud_rate = $10, sim_iccid = $11, dev_eui = $12, lorawan_class = $13,
           lorawan_version = $14, timeout_ms = $15, char_timeout_ms = $16, frame_gap_ms = $17, retries = $18,
           imsi = $19, phone = $20, parity = $21, field_map = $22
         WHERE company_id = $1 AND id = $2",
    )
    .bind(c.company_id)
    .bind(c.id)
    .bind(c.object_id)
    .bind(&c.name)
    .bind(c.built_in as i64)
    .bind(&c.line)
    .bind(&c.host)
    .bind(c.port)
    .bind(&c.serial_port)
    .bind(c.baud_rate)
    .bind(&c.sim_iccid)
    .bind(&c.dev_eui)
    .bind(&c.lorawan_class)
    .bind(&c.lorawan_version)
    .bind(c.timeout_ms)
    .bind(c.char_timeout_ms)
    .bind(c.frame_gap_ms)
    .bind(c.retries)
    .bind(&c.imsi)
    .bind(&c.phone)
    .bind(&c.parity)
    .bind(&c.field_map)
    .execute(db.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

/// Removes a line; its LoRaWAN packets and its bus lease go with it, and a retired meter
/// that hung on it keeps no line (the caller refuses while a meter in service does).
pub async fn delete(db: &Db, company_id: i64, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM communicators WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(db.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

/// A line's meters in service and when the last of them was heard from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    pub communicator_id: i64,
    pub meters: i64,
    pub last_contact_at: Option<i64>,
}

/// Every line of the company that has meters in service, with their count and last contact.
pub async fn usage(db: &Db, company_id: i64) -> Result<Vec<Usage>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT communicator_id, COUNT(*) AS meters, MAX(last_contact_at) AS last
         FROM meters
         WHERE company_id = $1 AND communicator_id IS NOT NULL AND state <> 'retired'
         GROUP BY communicator_id",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Usage {
                communicator_id: r.try_get("communicator_id")?,
                meters: r.try_get("meters")?,
                last_contact_at: r.try_get("last")?,
            })
        })
        .collect()
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<Communicator> {
    Ok(sqlx::query_as::<_, Communicator>(
        "SELECT * FROM communicators WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .fetch_one(db.pool())
    .await?)
}

/// The LoRaWAN end device behind an uplink; DevEUI is unique across companies.
pub async fn get_by_dev_eui(db: &Db, dev_eui: &str) -> Result<Option<Communicator>> {
    Ok(
        sqlx::query_as::<_, Communicator>("SELECT * FROM communicators WHERE dev_eui = $1")
            .bind(dev_eui.to_ascii_lowercase())
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn list(db: &Db, company_id: i64) -> Result<Vec<Communicator>> {
    Ok(sqlx::query_as::<_, Communicator>(
        "SELECT * FROM communicators WHERE company_id = $1 ORDER BY name, id",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?)
}

/// Where and how the collector reaches a line: host and port of a modem or a serial port,
/// and the line's timing.
pub async fn set_line(db: &Db, c: &Communicator) -> Result<()> {
    sqlx::query(
        "UPDATE communicators SET line = $3, host = $4, port = $5, serial_port = $6, baud_rate = $7,
           timeout_ms = $8, char_timeout_ms = $9, frame_gap_ms = $10, retries = $11
         WHERE company_id = $1 AND id = $2",
    )
    .bind(c.company_id)
    .bind(c.id)
    .bind(&c.line)
    .bind(&c.host)
    .bind(c.port)
    .bind(&c.serial_port)
    .bind(c.baud_rate)
    .bind(c.timeout_ms)
    .bind(c.char_timeout_ms)
    .bind(c.frame_gap_ms)
    .bind(c.retries)
    .execute(db.pool())
    .await?;
    Ok(())
}
