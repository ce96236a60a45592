//! A meter's history as the consumption engine takes it: the integral readings of its main
//! channel, preceded by those of the meters it replaced, each with its own register.

use chrono::NaiveDate;

use crate::consumption::{MeterHistory, Reading, Register};
use crate::errors::AppError;
use crate::storage::reading;
use crate::storage::{channel, meter, Db};

/// How many replacements back a history follows.
const MAX_PREDECESSORS: usize = 8;

/// How the engine reads a meter's totals: its digits (rollover) and multiplier.
pub(crate) fn register_of(m: &meter::Meter) -> Register {
    Register {
        digits_integer: m.capacity.integer() as u32,
        multiplier: m.multiplier,
    }
}

/// The readings that count for consumption: daily archives and polled or entered instants,
/// without those that still wait for a dispatcher's confirmation.
pub(crate) async fn readings_of(
    db: &Db,
    company_id: i64,
    channel_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<Reading>, AppError> {
    let mut all: Vec<Reading> = reading::counted_integral(db, company_id, channel_id, from, to + 1)
        .await?
        .into_iter()
        .map(|(ts, values)| Reading { ts, values })
        .collect();
    // an instant and a daily archive at the same second are one reading
    all.dedup_by_key(|r| r.ts);
    Ok(all)
}

/// The main channel of a meter: its first.
pub async fn main_channel(
    db: &Db,
    company_id: i64,
    meter_id: i64,
) -> Result<Option<channel::Channel>, AppError> {
    Ok(channel::list_for_meter(db, company_id, meter_id)
        .await?
        .into_iter()
        .next())
}

/// `m` and the meters it replaced, oldest first: the chain its consumption is counted over.
pub async fn chain_of(db: &Db, m: &meter::Meter) -> Result<Vec<meter::Meter>, AppError> {
    let mut chain = vec![m.clone()];
    while let Some(prev) = chain.last().and_then(|x| x.replaces_meter_id) {
        if chain.len() > MAX_PREDECESSORS || chain.iter().any(|x| x.id == prev) {
            break;
        }
        chain.push(meter::get(db, m.company_id, prev).await?);
    }
    chain.reverse();
    Ok(chain)
}

/// The history of `m` and its predecessors between `from` and `to` (inclusive), oldest
/// meter first.
pub async fn of_meter(
    db: &Db,
    m: &meter::Meter,
    from: i64,
    to: i64,
) -> Result<Vec<MeterHistory>, AppError> {
    of_chain(db, &chain_of(db, m).await?, from, to).await
}

/// The history of a chain ([`chain_of`]) between `from` and `to` (inclusive).
pub async fn of_chain(
    db: &Db,
    chain: &[meter::Meter],
    from: i64,
    to: i64,
) -> Result<Vec<MeterHistory>, AppError> {
    let mut out = Vec::with_capacity(chain.len());
    for meter in chain {
        let readings = match main_channel(db, meter.company_id, meter.id).await? {
            Some(ch) => readings_of(db, meter.company_id, ch.id, from, to).await?,
            None => Vec::new(),
        };
        out.push(MeterHistory {
            register: register_of(meter),
            readings,
        });
    }
    Ok(out)
}

/// The local dates `from..=to` of a month holding `day`.
pub fn month_days(day: NaiveDate) -> (NaiveDate, u32) {
    use chrono::Datelike;
    let first = day.with_day(1).expect("the 1st exists");
    (first, crate::consumption::calendar::days_in_month(first))
}
