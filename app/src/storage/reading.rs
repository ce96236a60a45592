//! Readings: per channel, device time, period, kind, values per tariff, source and flags.
//!
//! The write path takes batches in one transaction (SQLite: a few prepared multi-row
//! INSERTs; PostgreSQL: `COPY` into a staging table), and a reading already stored (same
//! channel, period and device time) is skipped, so a poll or an uplink delivered twice
//! stores once.

use rust_decimal::Decimal;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::bulk::{self, ValuesInsert};
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
    /// Posted by another system through the open API.
    Api = 8,
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
            8 => Source::Api,
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
    "channel_id, period, ts, company_id, kind, total, t1, t2, t3, t4, source, flags, entered_by, received_at, entry_id";
/// PostgreSQL: each native connection's staging table, made when it connects. A bulk write
/// `COPY`s the batch in, moves it on with `ON CONFLICT DO NOTHING`, and the commit empties it.
pub(crate) const STAGING: &str =
    "CREATE TEMP TABLE readings_in (LIKE readings) ON COMMIT DELETE ROWS";

/// SQLite's inserts of readings, a re-delivered one skipped.
fn values_insert() -> &'static ValuesInsert {
    static INSERT: std::sync::OnceLock<ValuesInsert> = std::sync::OnceLock::new();
    INSERT.get_or_init(|| {
        ValuesInsert::new(&format!("INSERT INTO readings ({COLUMNS})"), 15, "ON CONFLICT DO NOTHING")
    })
}

/// A reading's integer columns in COLUMNS order (all but the entry id, which comes last),
/// values as millionths; fails on a value that cannot be stored exactly.
fn integers(r: &Reading) -> Result<[Option<i64>; 14]> {
    let [t1, t2, t3, t4] = r.tariffs;
    Ok([
        Some(r.channel_id),
        Some(r.period as i64),
        Some(r.ts),
        Some(r.company_id),
        Some(r.kind as i64),
        opt_to_micro(r.total)?,
        opt_to_micro(t1)?,
        opt_to_micro(t2)?,
        opt_to_micro(t3)?,
        opt_to_micro(t4)?,
        Some(r.source as i64),
        Some(r.flags),
        r.entered_by,
        Some(r.received_at),
    ])
}

/// A batch in `COPY`'s text format: a line per reading, tab between columns, `\N` for none.
fn copy_text(readings: &[Reading]) -> Result<String> {
    let mut text = String::with_capacity(readings.len() * 80);
    for r in readings {
        bulk::copy_integers(&mut text, &integers(r)?);
        match &r.entry_id {
            Some(id) => bulk::copy_text(&mut text, id).ok_or(StorageError::BadValue("readings.entry_id"))?,
            None => text.push_str("\\N"),
        }
        text.push('\n');
    }
    Ok(text)
}

/// Stores a batch; returns how many were new. Readings already stored are left as they are,
/// and the meters they touch are marked for the consumption rollup in the same transaction.
/// A value that cannot be stored exactly fails the whole batch before anything is written.
pub async fn insert_many(db: &Db, readings: &[Reading]) -> Result<u64> {
    if readings.is_empty() {
        return Ok(0);
    }
    match db.copy_pool() {
        Some(pg) => insert_copy(pg, readings).await,
        None => insert_values(db, readings).await,
    }
}

/// SQLite: the rows as parameters of a few prepared `VALUES` statements.
async fn insert_values(db: &Db, readings: &[Reading]) -> Result<u64> {
    let rows = readings
        .iter()
        .map(|r| Ok((integers(r)?, r.entry_id.as_deref())))
        .collect::<Result<Vec<_>>>()?;
    let mut tx = db.pool().begin().await?;
    let mut inserted = 0;
    let mut at = 0;
    for size in ValuesInsert::sizes(rows.len()) {
        let mut query = sqlx::query(values_insert().sql(size));
        for (integers, entry_id) in &rows[at..at + size] {
            for v in integers {
                query = query.bind(*v);
            }
            query = query.bind(*entry_id);
        }
        inserted += query.execute(&mut *tx).await?.rows_affected();
        at += size;
    }
    let touched: Vec<(i64, i64)> = readings.iter().map(|r| (r.channel_id, r.ts)).collect();
    super::stale::mark_channels(db.backend(), &mut *tx, &touched).await?;
    tx.commit().await?;
    Ok(inserted)
}

/// PostgreSQL: `COPY` into the connection's staging table, then one `INSERT … SELECT`. The
/// rows are parsed once, by `COPY`: 1.8 times the rows per second of the JSON parameter
/// this replaced (BENCHMARKS.md).
async fn insert_copy(pg: &sqlx::PgPool, readings: &[Reading]) -> Result<u64> {
    let text = copy_text(readings)?;
    let mut tx = pg.begin().await?;
    let mut copy = tx
        .copy_in_raw(&format!("COPY readings_in ({COLUMNS}) FROM STDIN"))
        .await?;
    let sent = copy.send(text.as_bytes()).await.map(|_| ());
    if let Err(e) = sent {
        copy.abort(e.to_string()).await.ok();
        return Err(e.into());
    }
    copy.finish().await?;
    let inserted = sqlx::query(&format!(
        "INSERT INTO readings ({COLUMNS}) SELECT {COLUMNS} FROM readings_in ON CONFLICT DO NOTHING"
    ))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(&super::stale::mark_staged_sql())
        .execute(&mut *tx)
        .await?;
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

/// Readings of instants and days of many channels in `[from, to)`, by channel, then time, a
/// day's archive before an instant of the same moment (an import's checks read a file's
/// channels this way, 500 to a statement).
pub async fn list_many(db: &Db, company_id: i64, channel_ids: &[i64], from: i64, to: i64) -> Result<Vec<Reading>> {
    if channel_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM readings WHERE channel_id IN ({}) AND period IN (0, 2)
           AND ts >= $1 AND ts < $2 AND company_id = $3 ORDER BY channel_id, ts, period DESC",
        super::id_list(channel_ids)
    ))
    .bind(from)
    .bind(to)
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Many channels' records of one period (their hourly, daily or monthly archive) in
/// `[from, to)`, by channel, then time; 500 channels to a statement.
pub async fn archive_of_channels(db: &Db, company_id: i64, channel_ids: &[i64], period: Period, from: i64, to: i64) -> Result<Vec<Reading>> {
    let mut out = Vec::new();
    for chunk in channel_ids.chunks(500) {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM readings WHERE channel_id IN ({}) AND period = $1
               AND ts >= $2 AND ts < $3 AND company_id = $4 ORDER BY channel_id, ts",
            super::id_list(chunk)
        ))
        .bind(period as i64)
        .bind(from)
        .bind(to)
        .bind(company_id)
        .fetch_all(db.pool())
        .await?;
        for r in &rows {
            out.push(from_row(r)?);
        }
    }
    Ok(out)
}

/// [`latest_integral_before`] of many channels at once, each before its own moment, confirmed
/// readings only: (channel, reading) for those that have one.
pub async fn latest_confirmed_before_many(db: &Db, company_id: i64, bounds: &[(i64, i64)]) -> Result<Vec<(i64, Reading)>> {
    Ok(latest_confirmed_before_each(db, company_id, bounds)
        .await?
        .into_iter()
        .map(|((channel, _), r)| (channel, r))
        .collect())
}

/// The newest confirmed integral reading (daily archive or instant) of each (channel, moment)
/// strictly before the moment: ((channel, moment), reading) for those that have one. A
/// channel may be asked at many moments (the billing periods read a meter at each period's
/// end this way, 500 pairs to a statement).
pub async fn latest_confirmed_before_each(
    db: &Db,
    company_id: i64,
    bounds: &[(i64, i64)],
) -> Result<Vec<((i64, i64), Reading)>> {
    let mut out = Vec::new();
    for chunk in bounds.chunks(500) {
        // integers only are formatted into the statement
        let values = chunk.iter().map(|(c, b)| format!("({c},{b})")).collect::<Vec<_>>().join(",");
        let newest = |period: Period| {
            format!(
                "(SELECT MAX(x.ts) FROM readings x WHERE x.channel_id = v.column1 AND x.period = {} AND x.ts < v.column2
                   AND x.company_id = $1 AND x.kind = 0 AND (x.flags & {}) = 0)",
                period as i64,
                flags::NEEDS_CONFIRMATION
            )
        };
        // The moments first, once per pair (MATERIALIZED), then each reading by its whole
        // key: a join that re-ran the subqueries per candidate row took PostgreSQL ten times
        // as long.
        let columns = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(&format!(
            "WITH l AS MATERIALIZED (SELECT v.column1 AS channel_id, v.column2 AS bound,
               {} AS day_ts, {} AS instant_ts FROM (VALUES {values}) AS v)
             SELECT {columns}, l.bound FROM l JOIN readings r ON r.channel_id = l.channel_id AND r.period = 2 AND r.ts = l.day_ts
             UNION ALL
             SELECT {columns}, l.bound FROM l JOIN readings r ON r.channel_id = l.channel_id AND r.period = 0 AND r.ts = l.instant_ts",
            newest(Period::Day),
            newest(Period::Instant),
        ))
        .bind(company_id)
        .fetch_all(db.pool())
        .await?;
        let mut best: std::collections::HashMap<(i64, i64), Reading> = std::collections::HashMap::new();
        for row in &rows {
            let r = from_row(row)?;
            let key = (r.channel_id, row.try_get::<i64, _>("bound")?);
            // the daily archive wins a tie, as the meter's own record
            let newer = best.get(&key).is_none_or(|b| {
                r.ts > b.ts || (r.ts == b.ts && r.period == Period::Day && b.period != Period::Day)
            });
            if newer {
                best.insert(key, r);
            }
        }
        out.extend(best);
    }
    Ok(out)
}

/// The newest moment in `[from, to)` of each channel's readings that still wait for a
/// dispatcher's confirmation (rejected ones are done with): (channel, moment). The billing
/// export holds back a meter whose period reading waits.
pub async fn waiting_between(db: &Db, company_id: i64, channel_ids: &[i64], from: i64, to: i64) -> Result<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for chunk in channel_ids.chunks(500) {
        let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT channel_id, MAX(ts) FROM readings WHERE channel_id IN ({}) AND company_id = $1
               AND ts >= $2 AND ts < $3 AND kind = 0 AND (flags & {}) = {} GROUP BY channel_id",
            super::id_list(chunk),
            flags::NEEDS_CONFIRMATION | flags::REJECTED,
            flags::NEEDS_CONFIRMATION
        ))
        .bind(company_id)
        .bind(from)
        .bind(to)
        .fetch_all(db.pool())
        .await?;
        out.extend(rows);
    }
    Ok(out)
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
/// (a typo must not become the yardstick of the next entry). One statement, two index seeks:
/// every typed value asks this twice, so round trips count.
pub async fn latest_integral_before(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    before: i64,
    confirmed_only: bool,
) -> Result<Option<Reading>> {
    let newest_of = |period: Period| {
        format!(
            "SELECT * FROM (SELECT {COLUMNS} FROM readings WHERE channel_id = $1 AND period = {} AND ts < $2
               AND company_id = $3 AND kind = 0 AND ($4 = 0 OR (flags & {}) = 0)
             ORDER BY ts DESC LIMIT 1) AS p{}",
            period as i64,
            flags::NEEDS_CONFIRMATION,
            period as i64
        )
    };
    let rows = sqlx::query(&format!(
        "{} UNION ALL {}",
        newest_of(Period::Day),
        newest_of(Period::Instant)
    ))
    .bind(channel_id)
    .bind(before)
    .bind(company_id)
    .bind(confirmed_only as i64)
    .fetch_all(db.pool())
    .await?;
    let mut best: Option<Reading> = None;
    for r in rows.iter().map(from_row) {
        let r = r?;
        // the daily archive wins a tie, as the meter's own record
        let newer = best.as_ref().is_none_or(|b| {
            r.ts > b.ts || (r.ts == b.ts && r.period == Period::Day && b.period != Period::Day)
        });
        if newer {
            best = Some(r);
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

/// Which of these device-made entry ids are stored already: a queue sent again finds its
/// entries in one query instead of one each.
pub async fn entries_stored(
    db: &Db,
    entry_ids: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut stored = std::collections::HashSet::new();
    for chunk in entry_ids.chunks(1_000) {
        let json = serde_json::to_string(chunk).expect("strings serialize");
        let sql = match db.backend() {
            super::Backend::Sqlite => {
                "SELECT entry_id FROM readings WHERE entry_id IN (SELECT value FROM json_each($1))"
            }
            super::Backend::Postgres => {
                "SELECT entry_id FROM readings WHERE entry_id IN (SELECT jsonb_array_elements_text($1::text::jsonb))"
            }
        };
        let found: Vec<String> = sqlx::query_scalar(sql).bind(json).fetch_all(db.pool()).await?;
        stored.extend(found);
    }
    Ok(stored)
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

    #[test]
    fn the_largest_statement_binds_fifteen_columns_a_row() {
        assert_eq!(values_insert().sql(512).matches('?').count(), 512 * 15);
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

    db_test!(an_entry_id_keeps_tabs_backslashes_and_line_breaks, |db| {
        let f = fixtures::building(&db).await;
        let id = "phone\t1\\n:\n42\r\\N";
        let mut a = daily(f.channel_id, f.company_id, 100, "5");
        a.entry_id = Some(id.into());
        assert_eq!(insert_many(&db, &[a]).await.unwrap(), 1);
        assert!(entry_exists(&db, id).await.unwrap());
        let stored = list(&db, f.company_id, f.channel_id, Period::Day, 0, 1000)
            .await
            .unwrap();
        assert_eq!(stored[0].entry_id.as_deref(), Some(id));
    });

    db_test!(a_batch_marks_its_meters_for_the_rollup_from_its_earliest_reading, |db| {
        let f = fixtures::building(&db).await;
        let batch = vec![
            daily(f.channel_id, f.company_id, 5 * 86_400, "7"),
            daily(f.channel_id, f.company_id, 3 * 86_400, "6"),
        ];
        insert_many(&db, &batch).await.unwrap();
        let marks = crate::storage::stale::list(&db, Some(f.company_id), 0, 10)
            .await
            .unwrap();
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].from_ts, 3 * 86_400);
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

/// Where a page of readings ends: the next page starts after this (channel, period, moment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub channel_id: i64,
    pub period: i64,
    pub ts: i64,
}

/// A page of an object's readings (of one meter, when given) of the given periods in
/// `[from, to)`, in key order — by channel, period, then time — after `after`: each page is
/// one range walk of the primary key, however deep the paging. With each reading its channel.
pub async fn page_of_object(
    db: &Db,
    company_id: i64,
    object_id: i64,
    meter_id: Option<i64>,
    periods: &[Period],
    (from, to): (i64, i64),
    after: Position,
    limit: i64,
) -> Result<Vec<(ChannelOf, Reading)>> {
    if periods.is_empty() {
        return Ok(Vec::new());
    }
    let periods = periods.iter().map(|p| (*p as i64).to_string()).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(&format!(
        "SELECT c.meter_id, c.parameter, c.unit, r.channel_id, r.period, r.ts, r.company_id, r.kind, r.total, r.t1, r.t2, r.t3, r.t4,
                r.source, r.flags, r.entered_by, r.received_at, r.entry_id
         FROM readings r JOIN channels c ON c.id = r.channel_id JOIN meters m ON m.id = c.meter_id
         WHERE m.company_id = $1 AND m.object_id = $2 AND (CAST($3 AS BIGINT) IS NULL OR m.id = $3)
           AND r.company_id = $1 AND r.period IN ({periods}) AND r.ts >= $4 AND r.ts < $5
           AND (r.channel_id > $6 OR (r.channel_id = $6 AND (r.period > $7 OR (r.period = $7 AND r.ts > $8))))
         ORDER BY r.channel_id, r.period, r.ts LIMIT $9"
    ))
    .bind(company_id)
    .bind(object_id)
    .bind(meter_id)
    .bind(from)
    .bind(to)
    .bind(after.channel_id)
    .bind(after.period)
    .bind(after.ts)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let of = ChannelOf {
                meter_id: r.try_get("meter_id")?,
                parameter: r.try_get("parameter")?,
                unit: r.try_get("unit")?,
            };
            Ok((of, from_row(r)?))
        })
        .collect()
}

/// What a reading in [`page_of_object`] measures: its meter, parameter and unit.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelOf {
    pub meter_id: i64,
    pub parameter: String,
    pub unit: String,
}
