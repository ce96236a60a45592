//! Meter lines: a building's meters with the flat, account and current values as of a
//! moment, in one query. The readings table, its Excel export, the console and field entry
//! read these.
//!
//! The newest confirmed reading is the newer of the daily archive and the instant (polled or
//! entered) readings of the meter's main channel, each found by one index seek; then
//! `storage::current` fills registers it lacks and adds a reading waiting for a check.

use rust_decimal::Decimal;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::current::{self, Current};
use super::decimal::from_micro;
use super::{Db, Result};
use crate::models::capacity::DigitCapacity;
use crate::models::{MeterState, Placement, Resource};

/// Which of a building's meters to list.
#[derive(Clone, Debug, Default)]
pub struct LineFilter {
    pub resources: Vec<Resource>,
    pub placement: Option<Placement>,
    /// Flat number (exact), meter serial or account number (contained).
    pub search: String,
    /// Readings strictly before this instant count.
    pub before: i64,
}

/// The newest confirmed reading of a meter's main channel in one period.
#[derive(Clone, Debug, PartialEq)]
struct Latest {
    ts: i64,
    /// Total, then T1–T4.
    values: [Option<Decimal>; 5],
}

#[derive(Clone, Debug, PartialEq)]
pub struct MeterLine {
    pub meter_id: i64,
    pub channel_id: Option<i64>,
    pub premise_id: Option<i64>,
    pub premise: Option<String>,
    pub account: Option<String>,
    pub placement: Placement,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    pub bus_address: String,
    pub tariffs: i64,
    pub capacity: DigitCapacity,
    pub state: MeterState,
    /// Its registers as they read at the moment asked (`storage::current`'s rule).
    pub current: Current,
}

const LATEST: &str = "ts, total, t1, t2, t3, t4";

/// The newest reading of the main channel in one period before `before`: a correlated
/// MAX on SQLite (one seek each), a LATERAL top-1 on PostgreSQL, where the correlated form
/// took 38 ms (p50) for a 1 092-meter building and this one 23 ms (SQLite: 8–10 ms).
fn latest_join(backend: super::Backend, alias: &str, period: i64, before: &str) -> String {
    // waiting for a check (and so also rejected): never the current value
    let rejected = super::reading::flags::NEEDS_CONFIRMATION;
    match backend {
        super::Backend::Sqlite => format!(
            "LEFT JOIN readings {alias} ON {alias}.channel_id = ch.id AND {alias}.period = {period} AND {alias}.ts = \
             (SELECT MAX(x.ts) FROM readings x WHERE x.channel_id = ch.id AND x.period = {period} AND x.ts < {before} AND (x.flags & {rejected}) = 0)"
        ),
        super::Backend::Postgres => format!(
            "LEFT JOIN LATERAL (SELECT {LATEST} FROM readings x WHERE x.channel_id = ch.id AND x.period = {period} \
             AND x.ts < {before} AND (x.flags & {rejected}) = 0 ORDER BY x.ts DESC LIMIT 1) {alias} ON true"
        ),
    }
}

/// The meter's main channel (the first in `channel::ORDER`). PostgreSQL planned a correlated
/// subquery as a hash join over every channel of every company (a sequential scan, 0.8 ms
/// at 2 748 meters and growing with them); the `LATERAL` form is one index probe per meter.
fn channel_join(backend: super::Backend) -> String {
    let order = super::channel::ORDER;
    match backend {
        super::Backend::Sqlite => format!(
            "LEFT JOIN channels ch ON ch.id = (SELECT c.id FROM channels c WHERE c.meter_id = m.id ORDER BY {order} LIMIT 1)"
        ),
        super::Backend::Postgres => format!(
            "LEFT JOIN LATERAL (SELECT c.id FROM channels c WHERE c.meter_id = m.id ORDER BY {order} LIMIT 1) ch ON true"
        ),
    }
}

fn latest_of(r: &AnyRow, alias: &str) -> Result<Option<Latest>> {
    let Some(ts) = r.try_get::<Option<i64>, _>(format!("{alias}_ts").as_str())? else {
        return Ok(None);
    };
    let mut values = [None; 5];
    for (i, name) in ["total", "t1", "t2", "t3", "t4"].iter().enumerate() {
        values[i] = r
            .try_get::<Option<i64>, _>(format!("{alias}_{name}").as_str())?
            .map(from_micro);
    }
    Ok(Some(Latest { ts, values }))
}

fn from_row(r: &AnyRow) -> Result<MeterLine> {
    let (placement, resource, state, capacity) = super::meter::kinds_of(r)?;
    let day = latest_of(r, "rd")?;
    let instant = latest_of(r, "ri")?;
    let latest = match (day, instant) {
        (Some(a), Some(b)) => Some(if b.ts >= a.ts { b } else { a }),
        (a, b) => a.or(b),
    };
    let current = latest
        .map(|l| Current::from_reading(l.ts, l.values))
        .unwrap_or_default();
    Ok(MeterLine {
        meter_id: r.try_get("id")?,
        channel_id: r.try_get("channel_id")?,
        premise_id: r.try_get("premise_id")?,
        premise: r.try_get("premise")?,
        account: r.try_get("account")?,
        placement,
        resource,
        model: r.try_get("model")?,
        serial: r.try_get("serial")?,
        bus_address: r.try_get("bus_address")?,
        tariffs: r.try_get("tariffs")?,
        capacity,
        state,
        current,
    })
}

/// A building's meters matching `filter`, with their latest readings, in no set order.
pub async fn list(
    db: &Db,
    company_id: i64,
    object_id: i64,
    filter: &LineFilter,
) -> Result<Vec<MeterLine>> {
    let mut conditions = vec![
        "m.company_id = $1".to_string(),
        "m.object_id = $2".to_string(),
    ];
    let mut texts: Vec<String> = Vec::new();
    let mut next = 4; // $3 is `before`
    if !filter.resources.is_empty() {
        let mut marks = Vec::new();
        for r in &filter.resources {
            marks.push(format!("${next}"));
            texts.push(r.as_str().to_string());
            next += 1;
        }
        conditions.push(format!("m.resource IN ({})", marks.join(", ")));
    }
    if let Some(p) = filter.placement {
        conditions.push(format!("m.placement = ${next}"));
        texts.push(p.as_str().to_string());
        next += 1;
    }
    let search = filter.search.trim();
    if !search.is_empty() {
        let flat = search
            .trim_start_matches(|c: char| c.is_alphabetic() || c == '.' || c == ' ')
            .trim();
        let like = format!("%{}%", search.replace(['%', '_'], ""));
        conditions.push(format!(
            "(p.number = ${a} OR m.serial LIKE ${b} OR EXISTS (SELECT 1 FROM accounts sa WHERE sa.premise_id = m.premise_id AND sa.number LIKE ${b}))",
            a = next,
            b = next + 1
        ));
        texts.push(if flat.is_empty() { search } else { flat }.to_string());
        texts.push(like);
    }
    let cols = |alias: &str| -> String {
        LATEST
            .split(", ")
            .map(|c| format!("{alias}.{c} AS {alias}_{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = format!(
        "SELECT m.id, m.premise_id, m.placement, m.resource, m.model, m.serial, m.bus_address, m.tariffs,
                m.digits_integer, m.digits_fraction, m.state, ch.id AS channel_id, p.number AS premise,
                (SELECT a.number FROM accounts a WHERE a.premise_id = m.premise_id ORDER BY a.id LIMIT 1) AS account,
                {rd}, {ri}
         FROM meters m
         LEFT JOIN premises p ON p.id = m.premise_id
         {join_channel}
         {join_day}
         {join_instant}
         WHERE {conditions}",
        rd = cols("rd"),
        ri = cols("ri"),
        join_channel = channel_join(db.backend()),
        join_day = latest_join(db.backend(), "rd", 2, "$3"),
        join_instant = latest_join(db.backend(), "ri", 0, "$3"),
        conditions = conditions.join(" AND "),
    );
    let mut q = sqlx::query(&sql)
        .bind(company_id)
        .bind(object_id)
        .bind(filter.before);
    for t in &texts {
        q = q.bind(t.as_str());
    }
    let rows = q.fetch_all(db.pool()).await?;
    let mut lines = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    // one rule for every current value (storage::current): registers the newest reading
    // left empty keep their own latest values, and a waiting reading goes beside them
    let waiting = current::waiting_of_company(db, company_id, filter.before).await?;
    for line in &mut lines {
        let Some(channel_id) = line.channel_id else {
            continue;
        };
        if line.current.ts().is_some() {
            current::fill_missing(db, company_id, channel_id, line.tariffs, filter.before, &mut line.current)
                .await?;
        }
        current::offer_waiting(&mut line.current, waiting.get(&channel_id));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::account;
    use crate::storage::reading::{self, Period, Reading};
    use crate::storage::testing::fixtures;

    fn at(f: &fixtures::Building, period: Period, ts: i64, total: i64) -> Reading {
        fixtures::polled(f.company_id, f.channel_id, period, ts, Decimal::from(total))
    }

    db_test!(
        a_line_carries_the_flat_account_and_the_newest_reading_before_the_moment,
        |db| {
            let f = fixtures::building(&db).await;
            account::create(
                &db,
                &account::Account {
                    id: 0,
                    company_id: f.company_id,
                    premise_id: f.premise_id,
                    number: "0076000101".into(),
                    owner_name: String::new(),
                },
            )
            .await
            .unwrap();
            reading::insert_many(
                &db,
                &[
                    at(&f, Period::Day, 100, 10),
                    at(&f, Period::Day, 200, 20),
                    at(&f, Period::Instant, 250, 25),
                ],
            )
            .await
            .unwrap();
            let filter = |before: i64, search: &str| LineFilter {
                before,
                search: search.into(),
                ..Default::default()
            };
            let lines = list(&db, f.company_id, f.object_id, &filter(300, ""))
                .await
                .unwrap();
            assert_eq!(lines.len(), 1);
            let line = &lines[0];
            assert_eq!(line.premise.as_deref(), Some("1"));
            assert_eq!(line.account.as_deref(), Some("0076000101"));
            assert_eq!(line.channel_id, Some(f.channel_id));
            assert_eq!(line.current.register(1, 0), Some((250, Decimal::from(25))));

            let earlier = list(&db, f.company_id, f.object_id, &filter(220, ""))
                .await
                .unwrap();
            assert_eq!(earlier[0].current.ts(), Some(200));
            let before_all = list(&db, f.company_id, f.object_id, &filter(50, ""))
                .await
                .unwrap();
            assert_eq!(before_all[0].current, Current::default());

            for found in ["0076", "кв. 1", "SN-1"] {
                assert_eq!(
                    list(&db, f.company_id, f.object_id, &filter(300, found))
                        .await
                        .unwrap()
                        .len(),
                    1,
                    "{found}"
                );
            }
            assert!(list(&db, f.company_id, f.object_id, &filter(300, "999"))
                .await
                .unwrap()
                .is_empty());
            let common = LineFilter {
                before: 300,
                placement: Some(Placement::Common),
                ..Default::default()
            };
            assert!(list(&db, f.company_id, f.object_id, &common)
                .await
                .unwrap()
                .is_empty());
            let water = LineFilter {
                before: 300,
                resources: vec![Resource::ColdWater, Resource::HotWater],
                ..Default::default()
            };
            assert!(list(&db, f.company_id, f.object_id, &water)
                .await
                .unwrap()
                .is_empty());
            assert!(
                list(&db, f.company_id + 1, f.object_id, &filter(300, ""))
                    .await
                    .unwrap()
                    .is_empty(),
                "another company sees nothing"
            );
        }
    );

    db_test!(
        the_main_channel_is_the_first_by_register_number_whatever_order_channels_were_added_in,
        |db| {
            use crate::storage::{channel, meter};
            let f = fixtures::building(&db).await;
            let water = meter::create(
                &db,
                &meter::Meter::new(
                    f.company_id,
                    f.object_id,
                    Resource::ColdWater,
                    "Пульсар",
                    "SN-2",
                    DigitCapacity::new(5, 3).unwrap(),
                ),
            )
            .await
            .unwrap();
            let counter = |number: i64| channel::Channel {
                id: 0,
                company_id: f.company_id,
                meter_id: water.id,
                resource: "cold_water".into(),
                resource_number: number,
                parameter: "volume".into(),
                unit: "m3".into(),
                kind: "integral".into(),
                verified_on: None,
            };
            // The second counter is registered before the first.
            let second = channel::create(&db, &counter(2)).await.unwrap();
            let first = channel::create(&db, &counter(1)).await.unwrap();
            assert!(second.id < first.id);

            let filter = LineFilter {
                before: 300,
                ..Default::default()
            };
            let lines = list(&db, f.company_id, f.object_id, &filter).await.unwrap();
            let line = lines.iter().find(|l| l.meter_id == water.id).unwrap();
            assert_eq!(line.channel_id, Some(first.id));
            assert_eq!(
                channel::main_of_meters(&db, &[water.id]).await.unwrap(),
                vec![(water.id, first.id)]
            );
            let history = crate::queries::history::main_channel(&db, f.company_id, water.id)
                .await
                .unwrap();
            assert_eq!(history.map(|c| c.id), Some(first.id));
        }
    );
}
