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
        })
    }
}

pub async fn create(db: &Db, c: &Communicator) -> Result<Communicator> {
    Ok(sqlx::query_as::<_, Communicator>(
        "INSERT INTO communicators (company_id, object_id, name, built_in, line, host, port, serial_port, baud_rate,
           sim_iccid, dev_eui, lorawan_class, lorawan_version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *",
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
    .fetch_one(db.pool())
    .await?)
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
