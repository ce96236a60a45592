//! What the checks know of a register's past: the newest confirmed reading before a value and
//! the one a week before that, asked one at a time or for a whole batch at once. Typed,
//! posted and polled readings all ask here.

use std::collections::HashMap;

use super::checks::{self, Past};
use crate::storage::reading::{self, Reading};
use crate::storage::{Db, StorageError};

/// What the checks know of one register's past from its newest confirmed reading before the
/// entry (`prev`) and the newest a week before that one (`older`).
pub(crate) fn past_from(prev: Option<&Reading>, older: Option<&Reading>, slot: usize) -> Past {
    let Some((prev, prev_value)) = prev.and_then(|p| Some((p, p.slot_value(slot)?))) else {
        return Past::default();
    };
    let usual_per_day = older
        .and_then(|o| o.slot_value(slot).map(|v| (o.ts, v)))
        .and_then(|o| checks::per_day(o, (prev.ts, prev_value)));
    Past {
        previous: Some((prev.ts, prev_value)),
        usual_per_day,
    }
}

/// How far before the previous reading the usual daily consumption is measured from.
const USUAL_SPAN_SECONDS: i64 = 7 * 86_400;

/// What the checks know of one register's past before `at`, asked alone (an entry of a meter
/// another entry of the same send was stored for).
pub(crate) async fn past_of(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    at: i64,
    slot: usize,
) -> Result<Past, StorageError> {
    let Some(prev) = reading::latest_integral_before(db, company_id, channel_id, at, true).await?
    else {
        return Ok(Past::default());
    };
    let older =
        reading::latest_integral_before(db, company_id, channel_id, prev.ts - USUAL_SPAN_SECONDS, true)
            .await?;
    Ok(past_from(Some(&prev), older.as_ref(), slot))
}

/// The pasts of many entries asked at once — (channel, moment) → the newest confirmed reading
/// before it, and the one a week before that — two statements per 500 entries instead of two
/// per value: a building walked offline, or 10 000 readings another system posts.
pub(crate) struct Pasts {
    prev: HashMap<(i64, i64), Reading>,
    older: HashMap<(i64, i64), Reading>,
}

impl Pasts {
    pub(crate) async fn of(db: &Db, company_id: i64, mut bounds: Vec<(i64, i64)>) -> Result<Pasts, StorageError> {
        bounds.sort_unstable();
        bounds.dedup();
        let prev: HashMap<(i64, i64), Reading> =
            reading::latest_confirmed_before_each(db, company_id, &bounds).await?.into_iter().collect();
        let mut before: Vec<(i64, i64)> =
            prev.values().map(|r| (r.channel_id, r.ts - USUAL_SPAN_SECONDS)).collect();
        before.sort_unstable();
        before.dedup();
        let older = reading::latest_confirmed_before_each(db, company_id, &before).await?.into_iter().collect();
        Ok(Pasts { prev, older })
    }

    pub(crate) fn past(&self, channel_id: i64, at: i64, slot: usize) -> Past {
        let prev = self.prev.get(&(channel_id, at));
        let older = prev.and_then(|p| self.older.get(&(channel_id, p.ts - USUAL_SPAN_SECONDS)));
        past_from(prev, older, slot)
    }
}

