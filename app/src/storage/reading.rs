//! Readings: per channel, device time, period, kind, values per tariff, source and flags.
//!
//! The write path takes batches: one multi-row INSERT per chunk inside one transaction, and
//! a reading already stored (same channel, period and device time) is skipped, so a poll or
//! an uplink delivered twice stores once.

use rust_decimal::Decimal;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::decimal::{from_micro, opt_to_micro};
use super::{Db, Result, StorageError};

/// What span a reading covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Instant = 0,
    Hour = 1,
    Day = 2,
    Month = 3,
}

/// Running total (integral) or consumption over the period (interval).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Integral = 0,
    Interval = 1,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Poll = 1,
    LoraUplink = 2,
    Dispatcher = 3,
    FieldStaff = 4,
    Resident = 5,
    Estimate = 6,
    Import = 7,
}

/// Quality flags, a bit each.
pub mod flags {
    /// Lower than the previous reading and not a rollover or replacement.
    pub const DECREASED: i64 = 1;
    /// Many times the usual daily consumption.
    pub const JUMP: i64 = 2;
    /// Filled in by an estimate, not measured.
    pub const ESTIMATED: i64 = 4;
    /// Waits for a dispatcher's confirmation.
    pub const NEEDS_CONFIRMATION: i64 = 8;
    /// A dispatcher rejected it: kept for the record, never counted or shown as current
    /// (it keeps `NEEDS_CONFIRMATION`, so everything that passes over unconfirmed readings
    /// passes over it too).
    pub const REJECTED: i64 = 16;
}

impl Period {
    pub fn from_i64(v: i64) -> Result<Period> {
        Ok(match v {
            0 => Period::Instant,
            1 => Period::Hour,
            2 => Period::Day,
            3 => Period::Month,
            _ => return Err(StorageError::BadValue("readings.period")),
        })
    }
}
impl Kind {
    fn from_i64(v: i64) -> Result<Kind> {
        Ok(match v {
            0 => Kind::Integral,
            1 => Kind::Interval,
            _ => return Err(StorageError::BadValue("readings.kind")),
        })
    }
}
impl Source {
    fn from_i64(v: i64) -> Result<Source> {
        Ok(match v {
            1 => Source::Poll,
            2 => Source::LoraUplink,
            3 => Source::Dispatcher,
            4 => Source::FieldStaff,
            5 => Source::Resident,
            6 => Source::Estimate,
            7 => Source::Import,
            _ => return Err(StorageError::BadValue("readings.source")),
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub channel_id: i64,
    pub company_id: i64,
    pub period: Period,
    /// Device time, UTC unix seconds.
    pub ts: i64,
    pub kind: Kind,
    pub total: Option<Decimal>,
    /// T1..T4; `None` where the meter has fewer tariffs or did not report one.
    pub tariffs: [Option<Decimal>; 4],
    pub source: Source,
    pub flags: i64,
    pub entered_by: Option<i64>,
    /// A client-made id for human entries: the same entry arriving twice stores once.
    pub entry_id: Option<String>,
    pub received_at: i64,
}

impl Reading {
    /// The value in a slot: 0 is the total (a single-tariff meter's T1 where it has no
    /// total), 1–4 the tariffs.
    pub fn slot_value(&self, slot: usize) -> Option<Decimal> {
        match slot {
            0 => self.total.or(self.tariffs[0]),
            s => self.tariffs.get(s - 1).copied().flatten(),
        }
    }
}

const COLUMNS: &str =
    "channel_id, period, ts, company_id, kind, total, t1, t2, t3, t4, source, flags, entered_by, entry_id, received_at";
/// Rows per statement: the whole chunk travels as one JSON text parameter.
const CHUNK: usize = 5000;

/// The insert, by backend. Each chunk is one JSON array of rows bound as a single text
/// parameter, so the statement is short and constant: prepared once, cheap to bind. (A
/// multi-row `VALUES` list of 15 000 parameters is re-prepared by SQLite on every call and
/// ran at 2 800 rows/s.)
fn insert_sql(backend: super::Backend) -> String {
    match backend {
        super::Backend::Sqlite => {
            let picks: Vec<String> = (0..15).map(|i| format!("value->>{i}")).collect();
            // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT.
            format!("INSERT INTO readings ({COLUMNS}) SELECT {} FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING", picks.join(", "))
        }
        super::Backend::Postgres => {
            let picks: Vec<String> = (0..15)
                .map(|i| {
                    if i == 13 {
                        format!("r->>{i}")
                    } else {
                        format!("(r->>{i})::bigint")
                    }
                })
                .collect();
            format!("INSERT INTO readings ({COLUMNS}) SELECT {} FROM jsonb_array_elements($1::text::jsonb) AS r ON CONFLICT DO NOTHING", picks.join(", "))
        }
    }
}

fn push_opt(json: &mut String, v: Option<i64>) {
    match v {
        Some(v) => json.push_str(&v.to_string()),
        None => json.push_str("null"),
    }
}

/// One chunk as `[[channel, period, ts, …], …]`, in COLUMNS order.
fn chunk_json(chunk: &[Reading]) -> Result<String> {
    let mut json = String::with_capacity(chunk.len() * 96);
    json.push('[');
    for (i, r) in chunk.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        let [t1, t2, t3, t4] = r.tariffs;
        json.push('[');
        for v in [
            r.channel_id,
            r.period as i64,
            r.ts,
            r.company_id,
            r.kind as i64,
        ] {
            json.push_str(&v.to_string());
            json.push(',');
        }
        for v in [r.total, t1, t2, t3, t4] {
            push_opt(&mut json, opt_to_micro(v)?);
            json.push(',');
        }
        for v in [r.source as i64, r.flags] {
            json.push_str(&v.to_string());
            json.push(',');
        }
        push_opt(&mut json, r.entered_by);
        json.push(',');
        match &r.entry_id {
            Some(id) => json.push_str(
                &serde_json::to_string(id)
                    .map_err(|_| StorageError::BadValue("readings.entry_id"))?,
            ),
            None => json.push_str("null"),
        }
        json.push(',');
        json.push_str(&r.received_at.to_string());
        json.push(']');
    }
    json.push(']');
    Ok(json)
}

/// Stores a batch; returns how many were new. Readings already stored are left as they are.
/// A value that cannot be stored exactly fails the whole batch before anything is written.
pub async fn insert_many(db: &Db, readings: &[Reading]) -> Result<u64> {
    let chunks: Vec<String> = readings
        .chunks(CHUNK)
        .map(chunk_json)
        .collect::<Result<_>>()?;
    let sql = insert_sql(db.backend());
    let mut tx = db.pool().begin().await?;
    let mut inserted = 0;
    for json in chunks {
        inserted += sqlx::query(&sql)
            .bind(json)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    let touched: Vec<(i64, i64)> = readings.iter().map(|r| (r.channel_id, r.ts)).collect();
    super::stale::mark_channels(db.backend(), &mut *tx, &touched).await?;
    tx.commit().await?;
    Ok(inserted)
}

fn from_row(r: &AnyRow) -> Result<Reading> {
    let micro = |name: &str| -> Result<Option<Decimal>> {
        Ok(r.try_get::<Option<i64>, _>(name)?.map(from_micro))
    };
    Ok(Reading {
        channel_id: r.try_get("channel_id")?,
        company_id: r.try_get("company_id")?,
        period: Period::from_i64(r.try_get("period")?)?,
        ts: r.try_get("ts")?,
        kind: Kind::from_i64(r.try_get("kind")?)?,
        total: micro("total")?,
        tariffs: [micro("t1")?, micro("t2")?, micro("t3")?, micro("t4")?],
        source: Source::from_i64(r.try_get("source")?)?,
        flags: r.try_get("flags")?,
        entered_by: r.try_get("entered_by")?,
        entry_id: r.try_get("entry_id")?,
        received_at: r.try_get("received_at")?,
    })
}

/// A channel's readings of one period in `[from, to)`, oldest first.
pub async fn list(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    period: Period,
    from: i64,
    to: i64,
) -> Result<Vec<Reading>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM readings WHERE channel_id = $1 AND period = $2 AND ts >= $3 AND ts < $4 AND company_id = $5 ORDER BY ts"
    ))
    .bind(channel_id)
    .bind(period as i64)
    .bind(from)
    .bind(to)
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// When a channel's first reading was taken (of any period and source), if it has one.
pub async fn first_ts(db: &Db, company_id: i64, channel_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar::<_, Option<i64>>(
        "SELECT MIN(ts) FROM readings WHERE channel_id = $1 AND company_id = $2",
    )
    .bind(channel_id)
    .bind(company_id)
    .fetch_one(db.pool())
    .await?)
}

/// What the consumption engine counts of a channel in `[from, to)`: integral readings of
/// instants, hours and days that wait for no confirmation, as (device time, total and
/// T1–T4), oldest first. Only the columns it needs, in one query.
pub async fn counted_integral(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, [Option<Decimal>; 5])>> {
    let rows = sqlx::query(&format!(
        "SELECT ts, total, t1, t2, t3, t4 FROM readings
         WHERE channel_id = $1 AND period IN (0, 1, 2) AND ts >= $2 AND ts < $3 AND company_id = $4
           AND kind = 0 AND (flags & {}) = 0
         ORDER BY ts, period DESC",
        flags::NEEDS_CONFIRMATION
    ))
    .bind(channel_id)
    .bind(from)
    .bind(to)
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let micro = |name: &str| -> Result<Option<Decimal>> {
                Ok(r.try_get::<Option<i64>, _>(name)?.map(from_micro))
            };
            Ok((
                r.try_get("ts")?,
                [micro("total")?, micro("t1")?, micro("t2")?, micro("t3")?, micro("t4")?],
            ))
        })
        .collect()
}

/// The newest reading of a channel and period at or before `at`.
pub async fn latest(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    period: Period,
    at: i64,
) -> Result<Option<Reading>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM readings WHERE channel_id = $1 AND period = $2 AND ts <= $3 AND company_id = $4 ORDER BY ts DESC LIMIT 1"
    ))
    .bind(channel_id)
    .bind(period as i64)
    .bind(at)
    .bind(company_id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The newest integral reading (daily archive or instant) strictly before `before`; with
/// `confirmed_only`, readings still waiting for a dispatcher's confirmation are passed over
/// (a typo must not become the yardstick of the next entry).
pub async fn latest_integral_before(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    before: i64,
    confirmed_only: bool,
) -> Result<Option<Reading>> {
    let mut best: Option<Reading> = None;
    for period in [Period::Day, Period::Instant] {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM readings WHERE channel_id = $1 AND period = $2 AND ts < $3 AND company_id = $4
               AND kind = 0 AND ($5 = 0 OR (flags & {}) = 0)
             ORDER BY ts DESC LIMIT 1",
            flags::NEEDS_CONFIRMATION
        ))
        .bind(channel_id)
        .bind(period as i64)
        .bind(before)
        .bind(company_id)
        .bind(confirmed_only as i64)
        .fetch_optional(db.pool())
        .await?;
        if let Some(r) = row.as_ref().map(from_row).transpose()? {
            if best.as_ref().is_none_or(|b| r.ts > b.ts) {
                best = Some(r);
            }
        }
    }
    Ok(best)
}

/// A dispatcher's decision on a reading waiting for confirmation: accepted (it counts from
/// now on) or rejected (kept, never counted). False when no such reading waits.
pub async fn review(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    period: Period,
    ts: i64,
    accept: bool,
) -> Result<bool> {
    let waiting = flags::NEEDS_CONFIRMATION;
    let change = if accept {
        format!("flags - {waiting}")
    } else {
        format!("flags + {}", flags::REJECTED)
    };
    let r = sqlx::query(&format!(
        "UPDATE readings SET flags = {change}
         WHERE company_id = $1 AND channel_id = $2 AND period = $3 AND ts = $4
           AND (flags & {waiting}) = {waiting} AND (flags & {rejected}) = 0",
        rejected = flags::REJECTED
    ))
    .bind(company_id)
    .bind(channel_id)
    .bind(period as i64)
    .bind(ts)
    .execute(db.pool())
    .await?;
    let changed = r.rows_affected() == 1;
    if changed {
        super::stale::mark_channels(db.backend(), db.pool(), &[(channel_id, ts)]).await?;
    }
    Ok(changed)
}

/// Whether a human entry with this id is stored already.
pub async fn entry_exists(db: &Db, entry_id: &str) -> Result<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM readings WHERE entry_id = $1")
            .bind(entry_id)
            .fetch_one(db.pool())
            .await?
            > 0,
    )
}

pub async fn get_count(db: &Db, company_id: i64, channel_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM readings WHERE channel_id = $1 AND company_id = $2",
    )
    .bind(channel_id)
    .bind(company_id)
    .fetch_one(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn daily(channel_id: i64, company_id: i64, ts: i64, total: &str) -> Reading {
        Reading {
            channel_id,
            company_id,
            period: Period::Day,
            ts,
            kind: Kind::Integral,
            total: Some(d(total)),
            tariffs: [Some(d(total)), None, None, None],
            source: Source::Poll,
            flags: 0,
            entered_by: None,
            entry_id: None,
            received_at: ts,
        }
    }

    db_test!(readings_keep_every_digit_and_a_repeat_stores_once, |db| {
        let f = fixtures::building(&db).await;
        let batch = vec![
            daily(f.channel_id, f.company_id, 86_400, "12345.678901"),
            daily(f.channel_id, f.company_id, 2 * 86_400, "12350.000001"),
        ];
        assert_eq!(insert_many(&db, &batch).await.unwrap(), 2);
        assert_eq!(
            insert_many(&db, &batch).await.unwrap(),
            0,
            "a re-delivered batch adds nothing"
        );
        let stored = list(&db, f.company_id, f.channel_id, Period::Day, 0, 10 * 86_400)
            .await
            .unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[0].total, Some(d("12345.678901")));
        assert_eq!(stored[1].tariffs[0], Some(d("12350.000001")));
        assert_eq!(stored[1].tariffs[1], None);
        let last = latest(&db, f.company_id, f.channel_id, Period::Day, 10 * 86_400)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(last.ts, 2 * 86_400);
    });

    db_test!(a_batch_larger_than_one_chunk_is_stored_whole, |db| {
        let f = fixtures::building(&db).await;
        let batch: Vec<_> = (0..2500)
            .map(|i| daily(f.channel_id, f.company_id, i * 3600, &format!("{i}.5")))
            .collect();
        assert_eq!(insert_many(&db, &batch).await.unwrap(), 2500);
        assert_eq!(
            get_count(&db, f.company_id, f.channel_id).await.unwrap(),
            2500
        );
    });

    db_test!(human_entries_with_the_same_entry_id_store_once, |db| {
        let f = fixtures::building(&db).await;
        let mut a = daily(f.channel_id, f.company_id, 100, "5");
        a.entry_id = Some("phone-1:42".into());
        a.source = Source::FieldStaff;
        let mut b = a.clone();
        b.ts = 200; // a replay that got a different device time still has the same id
        assert_eq!(insert_many(&db, &[a]).await.unwrap(), 1);
        assert_eq!(insert_many(&db, &[b]).await.unwrap(), 0);
    });

    db_test!(another_companys_readings_are_invisible, |db| {
        let f = fixtures::building(&db).await;
        insert_many(&db, &[daily(f.channel_id, f.company_id, 100, "1")])
            .await
            .unwrap();
        assert!(
            list(&db, f.company_id + 1, f.channel_id, Period::Day, 0, 1000)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            latest(&db, f.company_id + 1, f.channel_id, Period::Day, 1000)
                .await
                .unwrap()
                .is_none()
        );
    });

    db_test!(a_value_finer_than_a_millionth_is_refused_whole, |db| {
        let f = fixtures::building(&db).await;
        let bad = daily(f.channel_id, f.company_id, 100, "1.0000001");
        assert!(matches!(
            insert_many(&db, &[bad]).await,
            Err(StorageError::TooPrecise(_))
        ));
        assert_eq!(get_count(&db, f.company_id, f.channel_id).await.unwrap(), 0);
    });
}
