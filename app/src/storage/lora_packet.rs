//! The radio side of LoRaWAN uplinks (F25): each packet's time, counter, port, signal,
//! gateway, data rate and raw payload, kept for ten days so the sessions page can show a
//! device's last packet, its packet error rate and its log.

use rust_decimal::Decimal;
use sqlx::Row;

use super::{Db, Result};

/// Packets older than this are deleted by the sweep (the PER looks back 10 days).
pub const KEEP_SECONDS: i64 = 10 * 86_400;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Packet {
    pub company_id: i64,
    pub communicator_id: i64,
    /// When the network server received it (unix seconds).
    pub received_at: i64,
    pub f_cnt: Option<u32>,
    pub f_port: Option<u8>,
    pub rssi: Option<i32>,
    /// dB, as the gateway reported it (a radio measure, not a reading).
    pub snr: Option<Decimal>,
    pub gateway: String,
    pub dr: Option<u8>,
    /// Hex.
    pub payload: String,
    /// The network server's deduplication id: a redelivered uplink is kept once.
    pub dedup: String,
}

const COLUMNS: usize = 11;
/// Rows per statement: well under SQLite's parameter limit.
const ROWS: usize = 400;

/// Keeps packets; one already kept (same device and deduplication id) is skipped. Returns
/// how many were new.
pub async fn insert_many(db: &Db, packets: &[Packet]) -> Result<u64> {
    if packets.is_empty() {
        return Ok(0);
    }
    let mut tx = db.pool().begin().await?;
    let mut inserted = 0;
    for chunk in packets.chunks(ROWS) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=COLUMNS).map(|c| format!("${}", i * COLUMNS + c)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO lora_packets (company_id, communicator_id, received_at, f_cnt, f_port, rssi, snr, gateway, dr, payload, dedup)
             VALUES {} ON CONFLICT DO NOTHING",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for p in chunk {
            q = q
                .bind(p.company_id)
                .bind(p.communicator_id)
                .bind(p.received_at)
                .bind(p.f_cnt.map(i64::from))
                .bind(p.f_port.map(i64::from))
                .bind(p.rssi.map(i64::from))
                .bind(p.snr.map(|s| s.to_string()))
                .bind(p.gateway.clone())
                .bind(p.dr.map(i64::from))
                .bind(p.payload.clone())
                .bind(p.dedup.clone());
        }
        inserted += q.execute(&mut *tx).await?.rows_affected();
    }
    tx.commit().await?;
    Ok(inserted)
}

fn from_row(r: &sqlx::any::AnyRow) -> std::result::Result<Packet, sqlx::Error> {
    let small = |name: &str| -> std::result::Result<Option<i64>, sqlx::Error> { r.try_get(name) };
    let snr: Option<String> = r.try_get("snr")?;
    Ok(Packet {
        company_id: r.try_get("company_id")?,
        communicator_id: r.try_get("communicator_id")?,
        received_at: r.try_get("received_at")?,
        f_cnt: small("f_cnt")?.and_then(|v| u32::try_from(v).ok()),
        f_port: small("f_port")?.and_then(|v| u8::try_from(v).ok()),
        rssi: small("rssi")?.and_then(|v| i32::try_from(v).ok()),
        snr: snr.and_then(|s| s.parse().ok()),
        gateway: r.try_get("gateway")?,
        dr: small("dr")?.and_then(|v| u8::try_from(v).ok()),
        payload: r.try_get("payload")?,
        dedup: r.try_get("dedup")?,
    })
}

/// A device's packets since `since`, the newest `limit`, newest first.
pub async fn of_device(db: &Db, company_id: i64, communicator_id: i64, since: i64, limit: usize) -> Result<Vec<Packet>> {
    sqlx::query(
        "SELECT * FROM lora_packets WHERE company_id = $1 AND communicator_id = $2 AND received_at >= $3
         ORDER BY received_at DESC, id DESC LIMIT $4",
    )
    .bind(company_id)
    .bind(communicator_id)
    .bind(since)
    .bind(limit as i64)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| Ok(from_row(r)?))
    .collect()
}

/// The latest packet of each of the company's devices.
pub async fn latest(db: &Db, company_id: i64) -> Result<Vec<Packet>> {
    sqlx::query(
        "SELECT * FROM (
             SELECT p.*, ROW_NUMBER() OVER (PARTITION BY p.communicator_id ORDER BY p.received_at DESC, p.id DESC) AS n
             FROM lora_packets p WHERE p.company_id = $1
         ) t WHERE n = 1",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| Ok(from_row(r)?))
    .collect()
}

/// A device's frame counters over a window: the lowest and highest, how many distinct were
/// heard, how many packets, and how often the counter went back (a new join).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counters {
    pub communicator_id: i64,
    pub first: u32,
    pub last: u32,
    pub distinct: i64,
    pub packets: i64,
    pub resets: i64,
}

/// The counters of each of the company's devices over its packets received since `since`,
/// at most the latest `cap` of each; worked out in the database, so a company of thousands
/// of devices reads one row each.
pub async fn counters(db: &Db, company_id: i64, since: i64, cap: usize) -> Result<Vec<Counters>> {
    sqlx::query(
        "SELECT communicator_id, MIN(f_cnt) AS first, MAX(f_cnt) AS last, COUNT(DISTINCT f_cnt) AS heard,
                COUNT(*) AS packets, SUM(CASE WHEN prev IS NOT NULL AND f_cnt < prev THEN 1 ELSE 0 END) AS resets
         FROM (
             SELECT communicator_id, f_cnt, LAG(f_cnt) OVER (PARTITION BY communicator_id ORDER BY received_at, id) AS prev
             FROM (
                 SELECT communicator_id, f_cnt, received_at, id,
                        ROW_NUMBER() OVER (PARTITION BY communicator_id ORDER BY received_at DESC, id DESC) AS n
                 FROM lora_packets
                 WHERE company_id = $1 AND received_at >= $2 AND f_cnt IS NOT NULL
             ) k
             WHERE n <= $3
         ) w
         GROUP BY communicator_id",
    )
    .bind(company_id)
    .bind(since)
    .bind(cap as i64)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        let whole = |name: &str| -> std::result::Result<u32, sqlx::Error> {
            let v: i64 = r.try_get(name)?;
            Ok(u32::try_from(v).unwrap_or(0))
        };
        Ok(Counters {
            communicator_id: r.try_get("communicator_id")?,
            first: whole("first")?,
            last: whole("last")?,
            distinct: r.try_get("heard")?,
            packets: r.try_get("packets")?,
            resets: r.try_get("resets")?,
        })
    })
    .collect()
}

/// Deletes packets received before `before`; returns how many.
pub async fn prune(db: &Db, before: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM lora_packets WHERE received_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?
        .rows_affected())
}
