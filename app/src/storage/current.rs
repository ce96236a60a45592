//! What a meter's registers read now: one rule for every screen and file that shows a
//! current value (readings table and its export, field and entry sheets, polling console,
//! account card, cabinet).
//!
//! - Each register shows its own latest confirmed value: a reading that gives T1 only (a
//!   person typed one field) leaves T2 at T2's latest, with T2's own date.
//! - A reading waiting for a dispatcher's check (lower than the previous, or a jump) never
//!   takes the confirmed value's place; a newer one is carried beside it, to be shown marked
//!   («на проверке») and confirmed or rejected where it is shown.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sqlx::Row;

use super::decimal::from_micro;
use super::reading::{flags, Period};
use super::{Db, Result};

/// A register's slot: 0 the total, 1–4 the tariffs.
pub const COLUMNS: [&str; 5] = ["total", "t1", "t2", "t3", "t4"];

/// The waiting flag without the rejected one: `(flags & WAITING_MASK) = WAITING`.
const WAITING_MASK: i64 = flags::NEEDS_CONFIRMATION | flags::REJECTED;
const WAITING: i64 = flags::NEEDS_CONFIRMATION;

/// A reading that waits for a dispatcher's check.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub period: Period,
    pub ts: i64,
    /// Total, then T1–T4.
    pub values: [Option<Decimal>; 5],
    pub flags: i64,
}

/// A meter's registers as they read now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Current {
    /// Total, then T1–T4: each register's latest confirmed value and when it was read.
    pub values: [Option<(i64, Decimal)>; 5],
    /// A reading newer than every confirmed value that waits for a check.
    pub waiting: Option<Waiting>,
}

impl Current {
    /// From the newest confirmed reading's time and values (total, T1–T4).
    pub fn from_reading(ts: i64, values: [Option<Decimal>; 5]) -> Current {
        Current {
            values: values.map(|v| v.map(|v| (ts, v))),
            waiting: None,
        }
    }

    /// When the newest of the values was read.
    pub fn ts(&self) -> Option<i64> {
        self.values.iter().flatten().map(|(ts, _)| *ts).max()
    }

    /// The value of one register of a meter with `tariffs` tariffs: a single-tariff meter's
    /// total (or its T1 where it gives no total), else tariff `tariff`; slot 0 is the total.
    pub fn register(&self, tariffs: i64, slot: usize) -> Option<(i64, Decimal)> {
        match (tariffs <= 1, slot) {
            (true, 0 | 1) => self.values[0].or(self.values[1]),
            _ => self.values.get(slot).copied().flatten(),
        }
    }

    /// The waiting value of the same register.
    pub fn waiting_register(&self, tariffs: i64, slot: usize) -> Option<Decimal> {
        let w = self.waiting.as_ref()?;
        match (tariffs <= 1, slot) {
            (true, 0 | 1) => w.values[0].or(w.values[1]),
            _ => w.values.get(slot).copied().flatten(),
        }
    }

    /// Registers the meter shows that the newest confirmed reading left empty.
    fn missing(&self, tariffs: i64) -> Vec<usize> {
        crate::models::entry::typed_slots(tariffs)
            .into_iter()
            .filter(|&slot| self.register(tariffs, slot).is_none())
            .collect()
    }

    /// Keeps a waiting reading only if it is newer than every confirmed value.
    fn offer_waiting(&mut self, w: Waiting) {
        if self.ts().is_none_or(|ts| w.ts > ts) && self.waiting.as_ref().is_none_or(|o| w.ts > o.ts) {
            self.waiting = Some(w);
        }
    }
}

/// The SQL of a register: a single-tariff meter's total or T1.
fn column(tariffs: i64, slot: usize) -> String {
    if tariffs <= 1 && slot <= 1 {
        "COALESCE(total, t1)".into()
    } else {
        COLUMNS[slot].into()
    }
}

/// Fills the registers a meter shows that its newest confirmed reading lacks, each with
/// its own latest confirmed value before `before` (instant or daily record). Rare: only
/// a person's entry of some tariffs leaves others empty.
pub async fn fill_missing(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    tariffs: i64,
    before: i64,
    current: &mut Current,
) -> Result<()> {
    for slot in current.missing(tariffs) {
        let col = column(tariffs, slot);
        let row = sqlx::query(&format!(
            "SELECT ts, {col} AS v FROM readings
             WHERE channel_id = $1 AND period IN (0, 2) AND ts < $2 AND company_id = $3
               AND kind = 0 AND {col} IS NOT NULL AND (flags & {}) = 0
             ORDER BY ts DESC LIMIT 1",
            flags::NEEDS_CONFIRMATION
        ))
        .bind(channel_id)
        .bind(before)
        .bind(company_id)
        .fetch_optional(db.pool())
        .await?;
        if let Some(r) = row {
            let value = from_micro(r.try_get::<i64, _>("v")?);
            let at = if tariffs <= 1 { 0 } else { slot };
            current.values[at] = Some((r.try_get("ts")?, value));
        }
    }
    Ok(())
}

fn waiting_of(r: &sqlx::any::AnyRow) -> Result<(i64, Waiting)> {
    let mut values = [None; 5];
    for (i, name) in COLUMNS.iter().enumerate() {
        values[i] = r.try_get::<Option<i64>, _>(*name)?.map(from_micro);
    }
    Ok((
        r.try_get("channel_id")?,
        Waiting {
            period: Period::from_i64(r.try_get("period")?)?,
            ts: r.try_get("ts")?,
            values,
            flags: r.try_get("flags")?,
        },
    ))
}

const WAITING_SELECT: &str = "SELECT channel_id, period, ts, total, t1, t2, t3, t4, flags FROM readings";

/// The condition the partial index `readings_waiting` is made for (kept word for word, so
/// both databases use the index).
fn waiting_condition() -> String {
    format!("(flags & {WAITING_MASK}) = {WAITING}")
}

/// Every channel's newest waiting reading before `before` in a company: the partial index
/// holds only waiting readings, so this reads a handful of rows, not the table.
pub async fn waiting_of_company(
    db: &Db,
    company_id: i64,
    before: i64,
) -> Result<HashMap<i64, Waiting>> {
    let rows = sqlx::query(&format!(
        "{WAITING_SELECT} WHERE {} AND company_id = $1 AND ts < $2 AND kind = 0 AND period IN (0, 2)",
        waiting_condition()
    ))
    .bind(company_id)
    .bind(before)
    .fetch_all(db.pool())
    .await?;
    let mut newest: HashMap<i64, Waiting> = HashMap::new();
    for r in &rows {
        let (channel_id, w) = waiting_of(r)?;
        if newest.get(&channel_id).is_none_or(|o| w.ts > o.ts) {
            newest.insert(channel_id, w);
        }
    }
    Ok(newest)
}

/// Puts each line's newest waiting reading beside its confirmed values.
pub fn offer_waiting(current: &mut Current, waiting: Option<&Waiting>) {
    if let Some(w) = waiting {
        current.offer_waiting(w.clone());
    }
}

/// One channel's registers as they read before `before` (a meter's card, the cabinet).
pub async fn of_channel(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    tariffs: i64,
    before: i64,
) -> Result<Current> {
    let mut current =
        match super::reading::latest_integral_before(db, company_id, channel_id, before, true)
            .await?
        {
            Some(r) => {
                let [t1, t2, t3, t4] = r.tariffs;
                Current::from_reading(r.ts, [r.total, t1, t2, t3, t4])
            }
            None => Current::default(),
        };
    fill_missing(db, company_id, channel_id, tariffs, before, &mut current).await?;
    let row = sqlx::query(&format!(
        "{WAITING_SELECT} WHERE {} AND channel_id = $1 AND company_id = $2 AND ts < $3
           AND kind = 0 AND period IN (0, 2) ORDER BY ts DESC LIMIT 1",
        waiting_condition()
    ))
    .bind(channel_id)
    .bind(company_id)
    .bind(before)
    .fetch_optional(db.pool())
    .await?;
    if let Some(r) = row {
        current.offer_waiting(waiting_of(&r)?.1);
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::reading::{self, Kind, Reading, Source};
    use crate::storage::testing::fixtures;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn reading(f: &fixtures::Building, ts: i64, tariffs: [Option<&str>; 2], flags: i64) -> Reading {
        let [t1, t2] = tariffs.map(|v| v.map(d));
        Reading {
            channel_id: f.channel_id,
            company_id: f.company_id,
            period: Period::Instant,
            ts,
            kind: Kind::Integral,
            total: None,
            tariffs: [t1, t2, None, None],
            source: Source::FieldStaff,
            flags,
            entered_by: None,
            entry_id: None,
            received_at: ts,
        }
    }

    db_test!(a_reading_of_one_tariff_leaves_the_other_at_its_own_latest_value, |db| {
        let f = fixtures::building(&db).await;
        let two = fixtures::two_tariff(&db, &f).await;
        let morning_poll = Reading {
            channel_id: two,
            ..reading(&f, 1_000, [Some("100.5"), Some("50.25")], 0)
        };
        let t1_typed = Reading {
            channel_id: two,
            ..reading(&f, 2_000, [Some("101"), None], 0)
        };
        reading::insert_many(&db, &[morning_poll, t1_typed]).await.unwrap();
        let c = of_channel(&db, f.company_id, two, 2, 10_000).await.unwrap();
        assert_eq!(c.register(2, 1), Some((2_000, d("101"))));
        assert_eq!(c.register(2, 2), Some((1_000, d("50.25"))), "T2 from the poll");
        assert_eq!(c.ts(), Some(2_000));

        // the readings table and the sheets read the same through meter lines
        let lines = crate::storage::meter_line::list(
            &db,
            f.company_id,
            f.object_id,
            &crate::storage::meter_line::LineFilter { before: 10_000, ..Default::default() },
        )
        .await
        .unwrap();
        let line = lines.iter().find(|l| l.channel_id == Some(two)).unwrap();
        assert_eq!(line.current.register(2, 2), Some((1_000, d("50.25"))));
    });

    db_test!(a_reading_waiting_for_its_check_is_carried_beside_the_confirmed_value, |db| {
        let f = fixtures::building(&db).await;
        let waiting = flags::DECREASED | flags::NEEDS_CONFIRMATION;
        reading::insert_many(
            &db,
            &[
                reading(&f, 1_000, [Some("100"), None], 0),
                reading(&f, 2_000, [Some("90"), None], waiting),
                reading(&f, 3_000, [Some("80"), None], waiting | flags::REJECTED),
            ],
        )
        .await
        .unwrap();
        let c = of_channel(&db, f.company_id, f.channel_id, 1, 10_000).await.unwrap();
        assert_eq!(c.register(1, 0), Some((1_000, d("100"))), "the confirmed value stays current");
        let w = c.waiting.as_ref().unwrap();
        assert_eq!((w.ts, c.waiting_register(1, 0)), (2_000, Some(d("90"))), "the rejected one is not waiting");

        let lines = crate::storage::meter_line::list(
            &db,
            f.company_id,
            f.object_id,
            &crate::storage::meter_line::LineFilter { before: 10_000, ..Default::default() },
        )
        .await
        .unwrap();
        assert_eq!(lines[0].current.register(1, 0), Some((1_000, d("100"))));
        assert_eq!(lines[0].current.waiting_register(1, 0), Some(d("90")));

        // confirmed, it becomes the current value
        assert!(reading::review(&db, f.company_id, f.channel_id, Period::Instant, 2_000, true)
            .await
            .unwrap());
        let c = of_channel(&db, f.company_id, f.channel_id, 1, 10_000).await.unwrap();
        assert_eq!((c.register(1, 0), c.waiting.is_none()), (Some((2_000, d("90"))), true));
        assert!(
            of_channel(&db, f.company_id + 1, f.channel_id, 1, 10_000).await.unwrap() == Current::default(),
            "another company sees nothing"
        );
    });
}
