//! Daily consumption per meter chain and its sum per object: the rollup the dashboard and
//! the subscribers' list read. Written only by `crate::rollup`; days are object-local dates
//! stored as `yyyymmdd`, values as millionths.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use sqlx::Row;

use super::bulk::{self, ValuesInsert};
use super::decimal::{from_micro, to_micro};
use super::{Db, Result, StorageError};
use crate::consumption::SLOTS;
use crate::models::{Amount, Placement, Resource};

/// `yyyymmdd`: sorts like the date and reads like it in SQL.
pub fn day_key(d: NaiveDate) -> i64 {
    d.year() as i64 * 10_000 + d.month() as i64 * 100 + d.day() as i64
}

pub fn day_of_key(key: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((key / 10_000) as i32, (key / 100 % 100) as u32, (key % 100) as u32)
}

/// How long a stored figure is: a day, or a month keyed by its 1st.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Day = 1,
    Month = 2,
}

/// Whose days these are: the current meter of a chain and where it counts.
#[derive(Clone, Copy, Debug)]
pub struct Owner {
    pub meter_id: i64,
    pub company_id: i64,
    pub object_id: i64,
    pub resource: Resource,
    pub placement: Placement,
}

/// A meter chain's recomputed days from `first` and months from `first`'s month: what was
/// stored from there on is replaced (those with nothing measured are left out: no row is
/// "no data").
#[derive(Clone, Debug)]
pub struct Replacement {
    pub owner: Owner,
    pub first: NaiveDate,
    pub days: Vec<(NaiveDate, [Amount; SLOTS])>,
    pub months: Vec<(NaiveDate, [Amount; SLOTS])>,
}

impl Replacement {
    /// Clears the owner's days from `first` on.
    pub fn empty(owner: Owner, first: NaiveDate) -> Replacement {
        Replacement {
            owner,
            first,
            days: Vec::new(),
            months: Vec::new(),
        }
    }
}

const COLUMNS: &str =
    "meter_id, company_id, object_id, resource, placement, span, day, total, t1, t2, t3, t4, partial";

/// One stored row: the owner's ids, resource and placement, then span, day, the five slots
/// and the partial bits.
struct DayRow<'a> {
    ids: [Option<i64>; 3],
    kinds: [&'a str; 2],
    rest: [Option<i64>; 8],
}

/// The rows of a batch; a day or month with nothing measured has none.
fn rows_of(batch: &[Replacement]) -> Result<Vec<DayRow<'_>>> {
    let mut rows = Vec::new();
    for r in batch {
        let o = &r.owner;
        for (span, list) in [(Span::Day, &r.days), (Span::Month, &r.months)] {
            for (date, amounts) in list {
                if amounts.iter().all(|a| *a == Amount::NoData) {
                    continue;
                }
                let mut rest = [None; 8];
                rest[0] = Some(span as i64);
                rest[1] = Some(day_key(*date));
                let mut partial = 0i64;
                for (s, a) in amounts.iter().enumerate() {
                    rest[2 + s] = a.known().map(to_micro).transpose()?;
                    if matches!(a, Amount::Partial(_)) {
                        partial |= 1 << s;
                    }
                }
                rest[7] = Some(partial);
                rows.push(DayRow {
                    ids: [Some(o.meter_id), Some(o.company_id), Some(o.object_id)],
                    kinds: [o.resource.as_str(), o.placement.as_str()],
                    rest,
                });
            }
        }
    }
    Ok(rows)
}

const DELETE: &str = "DELETE FROM consumption_days WHERE meter_id = $1
   AND ((span = 1 AND day >= $2) OR (span = 2 AND day >= $3))";

/// The days and months a replacement clears: its owner's from `first` and from `first`'s month.
fn cleared(r: &Replacement) -> (i64, i64, i64) {
    (
        r.owner.meter_id,
        day_key(r.first),
        day_key(r.first.with_day(1).expect("the 1st exists")),
    )
}

/// Writes a batch of replacements in one transaction: SQLite through prepared `VALUES`
/// lists, PostgreSQL through `COPY` (see `bulk`).
pub async fn replace_many(db: &Db, batch: &[Replacement]) -> Result<()> {
    let rows = rows_of(batch)?;
    match db.copy_pool() {
        Some(pg) => replace_copy(pg, batch, &rows).await,
        None => replace_values(db, batch, &rows).await,
    }
}

async fn replace_values(db: &Db, batch: &[Replacement], rows: &[DayRow<'_>]) -> Result<()> {
    static INSERT: std::sync::OnceLock<ValuesInsert> = std::sync::OnceLock::new();
    let insert = INSERT.get_or_init(|| ValuesInsert::new(&format!("INSERT INTO consumption_days ({COLUMNS})"), 13, ""));
    let mut tx = db.pool().begin().await?;
    for r in batch {
        let (meter_id, day, month) = cleared(r);
        sqlx::query(DELETE)
            .bind(meter_id)
            .bind(day)
            .bind(month)
            .execute(&mut *tx)
            .await?;
    }
    let mut at = 0;
    for size in ValuesInsert::sizes(rows.len()) {
        let mut query = sqlx::query(insert.sql(size));
        for row in &rows[at..at + size] {
            for v in row.ids {
                query = query.bind(v);
            }
            for k in row.kinds {
                query = query.bind(k);
            }
            for v in row.rest {
                query = query.bind(v);
            }
        }
        query.execute(&mut *tx).await?;
        at += size;
    }
    tx.commit().await?;
    Ok(())
}

async fn replace_copy(pg: &sqlx::PgPool, batch: &[Replacement], rows: &[DayRow<'_>]) -> Result<()> {
    let mut text = String::with_capacity(rows.len() * 80);
    for row in rows {
        bulk::copy_integers(&mut text, &row.ids);
        for k in row.kinds {
            // resource and placement names are the program's own words
            bulk::copy_text(&mut text, k).ok_or(StorageError::BadValue("consumption_days.resource"))?;
            text.push('\t');
        }
        bulk::copy_integers(&mut text, &row.rest);
        text.pop();
        text.push('\n');
    }
    let mut tx = pg.begin().await?;
    for r in batch {
        let (meter_id, day, month) = cleared(r);
        sqlx::query(DELETE)
            .bind(meter_id)
            .bind(day)
            .bind(month)
            .execute(&mut *tx)
            .await?;
    }
    let mut copy = tx
        .copy_in_raw(&format!("COPY consumption_days ({COLUMNS}) FROM STDIN"))
        .await?;
    if let Err(e) = copy.send(text.as_bytes()).await {
        copy.abort(e.to_string()).await.ok();
        return Err(e.into());
    }
    copy.finish().await?;
    tx.commit().await?;
    Ok(())
}

/// The first stored day of a meter chain, if any.
pub async fn first_day(db: &Db, meter_id: i64) -> Result<Option<NaiveDate>> {
    let key: Option<i64> =
        sqlx::query_scalar("SELECT MIN(day) FROM consumption_days WHERE meter_id = $1 AND span = 1")
            .bind(meter_id)
            .fetch_one(db.pool())
            .await?;
    Ok(key.and_then(day_of_key))
}

/// Re-sums an object's days and months of one resource and placement from `first` (and
/// its month) on.
pub async fn resum_object(
    db: &Db,
    object_id: i64,
    resource: Resource,
    placement: Placement,
    first: NaiveDate,
) -> Result<()> {
    resum_span(db, object_id, resource, placement, Span::Day, first).await?;
    let month = first.with_day(1).expect("the 1st exists");
    resum_span(db, object_id, resource, placement, Span::Month, month).await?;
    // after the days are written: a page kept under the old generation is now outdated
    super::object_generation::bump_consumption(db, object_id).await
}

async fn resum_span(
    db: &Db,
    object_id: i64,
    resource: Resource,
    placement: Placement,
    span: Span,
    first: NaiveDate,
) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "DELETE FROM consumption_object_days WHERE object_id = $1 AND resource = $2 AND placement = $3 AND span = $5 AND day >= $4",
    )
    .bind(object_id)
    .bind(resource.as_str())
    .bind(placement.as_str())
    .bind(day_key(first))
    .bind(span as i64)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO consumption_object_days
           (object_id, resource, placement, span, day, company_id, total, t1, t2, t3, t4, meters, partial_meters)
         SELECT object_id, resource, placement, span, day, MIN(company_id), SUM(total), SUM(t1), SUM(t2), SUM(t3), SUM(t4),
                COUNT(*), SUM(CASE WHEN partial <> 0 THEN 1 ELSE 0 END)
         FROM consumption_days
         WHERE object_id = $1 AND resource = $2 AND placement = $3 AND span = $5 AND day >= $4
         GROUP BY object_id, resource, placement, span, day",
    )
    .bind(object_id)
    .bind(resource.as_str())
    .bind(placement.as_str())
    .bind(day_key(first))
    .bind(span as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A day (or month) of one resource summed over the company's (or one object's) meters of a placement.
#[derive(Clone, Debug, PartialEq)]
pub struct DaySum {
    pub day: NaiveDate,
    pub resource: Resource,
    /// Total and T1–T4; `None` where no meter gave that slot.
    pub values: [Option<Decimal>; SLOTS],
    /// Meters with something measured that day, and how many of them only partly.
    pub meters: i64,
    pub partial_meters: i64,
}

/// Per day (or month) and resource over `[first, last]`.
pub async fn day_sums(
    db: &Db,
    company_id: i64,
    object_id: Option<i64>,
    placement: Placement,
    span: Span,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<DaySum>> {
    let rows = sqlx::query(
        "SELECT day, resource, CAST(SUM(total) AS BIGINT) AS total, CAST(SUM(t1) AS BIGINT) AS t1,
                CAST(SUM(t2) AS BIGINT) AS t2, CAST(SUM(t3) AS BIGINT) AS t3, CAST(SUM(t4) AS BIGINT) AS t4,
                CAST(SUM(meters) AS BIGINT) AS meters, CAST(SUM(partial_meters) AS BIGINT) AS partial_meters
         FROM consumption_object_days
         WHERE company_id = $1 AND placement = $2 AND span = $6 AND day >= $3 AND day <= $4 AND ($5 = 0 OR object_id = $5)
         GROUP BY day, resource ORDER BY day, resource",
    )
    .bind(company_id)
    .bind(placement.as_str())
    .bind(day_key(first))
    .bind(day_key(last))
    .bind(object_id.unwrap_or(0))
    .bind(span as i64)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let slot = |name: &str| -> Result<Option<Decimal>> {
                Ok(sum_of(r, name)?.map(from_micro))
            };
            let resource: String = r.try_get("resource")?;
            Ok(DaySum {
                day: day_of_key(r.try_get("day")?)
                    .ok_or(StorageError::BadValue("consumption_object_days.day"))?,
                resource: Resource::parse(&resource)
                    .ok_or(StorageError::BadValue("consumption_object_days.resource"))?,
                values: [
                    slot("total")?,
                    slot("t1")?,
                    slot("t2")?,
                    slot("t3")?,
                    slot("t4")?,
                ],
                meters: sum_of(r, "meters")?.unwrap_or(0),
                partial_meters: sum_of(r, "partial_meters")?.unwrap_or(0),
            })
        })
        .collect()
}

/// A summed column (cast to BIGINT in SQL: PostgreSQL's SUM is NUMERIC, which `Any` cannot read).
fn sum_of(r: &sqlx::any::AnyRow, name: &str) -> Result<Option<i64>> {
    Ok(r.try_get::<Option<i64>, _>(name)?)
}

/// A stored row's total and T1–T4, each `Partial` where its bit in `partial` is set.
fn amounts_of(r: &sqlx::any::AnyRow) -> Result<[Amount; SLOTS]> {
    let partial: i64 = r.try_get("partial")?;
    let mut amounts = [Amount::NoData; SLOTS];
    for (s, name) in ["total", "t1", "t2", "t3", "t4"].iter().enumerate() {
        if let Some(v) = r.try_get::<Option<i64>, _>(*name)? {
            let v = from_micro(v);
            amounts[s] = if partial & (1 << s) != 0 {
                Amount::Partial(v)
            } else {
                Amount::Full(v)
            };
        }
    }
    Ok(amounts)
}

/// One meter chain's stored days in `[first, last]`, for tests and the account page.
pub async fn of_meter(
    db: &Db,
    meter_id: i64,
    span: Span,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(NaiveDate, [Amount; SLOTS])>> {
    let rows = sqlx::query(
        "SELECT day, total, t1, t2, t3, t4, partial FROM consumption_days
         WHERE meter_id = $1 AND span = $4 AND day >= $2 AND day <= $3 ORDER BY day",
    )
    .bind(meter_id)
    .bind(day_key(first))
    .bind(day_key(last))
    .bind(span as i64)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                day_of_key(r.try_get("day")?)
                    .ok_or(StorageError::BadValue("consumption_days.day"))?,
                amounts_of(r)?,
            ))
        })
        .collect()
}

/// Every meter chain of an object's resource with something stored in `[first, last]`:
/// (current meter, day or month, its total). The balance reads a building's month by days,
/// or its year by months, from here in one indexed query.
pub async fn totals_of_object(
    db: &Db,
    company_id: i64,
    object_id: i64,
    resource: Resource,
    span: Span,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(i64, NaiveDate, Amount)>> {
    let rows = sqlx::query(
        // the total only: decoding the tariff slots of a big building's month of days
        // doubled the page's time on SQLite
        "SELECT meter_id, day, total, partial FROM consumption_days
         WHERE object_id = $1 AND resource = $2 AND placement IN ('common', 'individual') AND span = $3
           AND day >= $4 AND day <= $5 AND company_id = $6",
    )
    .bind(object_id)
    .bind(resource.as_str())
    .bind(span as i64)
    .bind(day_key(first))
    .bind(day_key(last))
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let day = day_of_key(r.try_get("day")?).ok_or(StorageError::BadValue("consumption_days.day"))?;
            let partial: i64 = r.try_get("partial")?;
            let total = match r.try_get::<Option<i64>, _>("total")?.map(from_micro) {
                None => Amount::NoData,
                Some(v) if partial & 1 != 0 => Amount::Partial(v),
                Some(v) => Amount::Full(v),
            };
            Ok((r.try_get("meter_id")?, day, total))
        })
        .collect()
}

/// One building's day (or month) of a resource and placement, summed.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectSum {
    pub object_id: i64,
    pub placement: Placement,
    pub total: Option<Decimal>,
    /// Meters with something measured, and how many of them only partly.
    pub meters: i64,
    pub partial_meters: i64,
}

/// Every building's sums of one resource for a day (or month, keyed by its 1st), both
/// placements: objects compared read a company's day from here in one indexed query.
pub async fn object_sums(db: &Db, company_id: i64, resource: Resource, span: Span, day: NaiveDate) -> Result<Vec<ObjectSum>> {
    let rows = sqlx::query(
        "SELECT object_id, placement, total, meters, partial_meters FROM consumption_object_days
         WHERE company_id = $1 AND placement IN ('common', 'individual') AND span = $2 AND day = $3 AND resource = $4",
    )
    .bind(company_id)
    .bind(span as i64)
    .bind(day_key(day))
    .bind(resource.as_str())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let placement: String = r.try_get("placement")?;
            Ok(ObjectSum {
                object_id: r.try_get("object_id")?,
                placement: Placement::parse(&placement).ok_or(StorageError::BadValue("consumption_object_days.placement"))?,
                total: r.try_get::<Option<i64>, _>("total")?.map(from_micro),
                meters: r.try_get("meters")?,
                partial_meters: r.try_get("partial_meters")?,
            })
        })
        .collect()
}

/// Every meter chain of an object with something stored for one day (or month, keyed by
/// its 1st): (current meter, total and T1–T4). The subscribers' list reads a building's
/// month from here in one indexed query.
pub async fn of_object(
    db: &Db,
    company_id: i64,
    object_id: i64,
    span: Span,
    day: NaiveDate,
) -> Result<Vec<(i64, [Amount; SLOTS])>> {
    let rows = sqlx::query(
        "SELECT meter_id, total, t1, t2, t3, t4, partial FROM consumption_days
         WHERE object_id = $1 AND company_id = $2 AND span = $3 AND day = $4",
    )
    .bind(object_id)
    .bind(company_id)
    .bind(span as i64)
    .bind(day_key(day))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("meter_id")?, amounts_of(r)?)))
        .collect()
}

/// Meters in service of building `object_id` that used nothing on each of the days
/// `[from, to)` — every day known and exactly zero — though they used something in the
/// days `[before, from)`: where use is expected and has stopped. Heat meters only with
/// `heat` (the building in its heating season all those days): heat stops with the season.
/// Each with its first day of nothing (the day after its last use).
pub async fn stopped(db: &Db, company_id: i64, object_id: i64, before: NaiveDate, from: NaiveDate, to: NaiveDate, heat: bool) -> Result<Vec<(i64, NaiveDate)>> {
    let days = (to - from).num_days();
    let rows = sqlx::query(
        "SELECT d.meter_id,
                (SELECT MAX(b.day) FROM consumption_days b
                 WHERE b.meter_id = d.meter_id AND b.span = 1 AND b.day >= $5 AND b.day < $3 AND b.total > 0) AS last_used
         FROM consumption_days d
         JOIN meters m ON m.id = d.meter_id AND m.state = 'in_operation' AND (m.resource <> 'heat' OR $7 = 1)
         WHERE d.company_id = $1 AND d.object_id = $2 AND d.span = 1 AND d.day >= $3 AND d.day < $4
         GROUP BY d.meter_id
         HAVING COUNT(*) = $6 AND MIN(COALESCE(d.total, -1)) = 0 AND MAX(COALESCE(d.total, -1)) = 0",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(day_key(from))
    .bind(day_key(to))
    .bind(day_key(before))
    .bind(days)
    .bind(heat as i64)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let Some(last) = r.try_get::<Option<i64>, _>("last_used")? else { continue };
        let first = day_of_key(last).and_then(|d| d.succ_opt()).ok_or(StorageError::BadValue("consumption_days.day"))?;
        out.push((r.try_get("meter_id")?, first));
    }
    Ok(out)
}
