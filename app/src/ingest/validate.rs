//! Validation of automatic readings (issue 23, F19): a polled or LoRa reading passes the
//! same checks as a typed one — lower than before and not a rollover, or many times the
//! usual consumption — and a failing one is stored flagged, waiting for a dispatcher, never
//! silently counted or dropped. Monitoring's sweep turns such a reading into an event.

use std::collections::{BTreeMap, HashMap};

use super::checks;
use super::past::Pasts;
use crate::storage::reading::{Kind, Period, Reading};
use crate::storage::{channel, Db, StorageError};

/// Whether the checks look at this reading: running totals of instants, hours and days (a
/// month's archive record repeats a day's, and interval values have no "before").
fn checked(r: &Reading) -> bool {
    r.kind == Kind::Integral && matches!(r.period, Period::Instant | Period::Hour | Period::Day)
}

/// Sets the quality flags of these readings before they are stored; two statements per 500
/// readings ask their past, whatever the batch's companies.
pub async fn flag(db: &Db, readings: &mut [Reading]) -> Result<(), StorageError> {
    let mut by_company: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for r in readings.iter().filter(|r| checked(r)) {
        by_company.entry(r.company_id).or_default().push((r.channel_id, r.ts));
    }
    if by_company.is_empty() {
        return Ok(());
    }
    let mut channels: Vec<i64> = readings.iter().map(|r| r.channel_id).collect();
    channels.sort_unstable();
    channels.dedup();
    let digits: HashMap<i64, i64> = channel::integer_digits(db, &channels).await?.into_iter().collect();
    for (company_id, bounds) in by_company {
        let pasts = Pasts::of(db, company_id, bounds).await?;
        for r in readings.iter_mut().filter(|r| r.company_id == company_id && checked(r)) {
            let (Some(value), Some(d)) = (r.slot_value(0), digits.get(&r.channel_id)) else {
                continue;
            };
            let past = pasts.past(r.channel_id, r.ts, 0);
            r.flags |= checks::flags_for(value, r.ts, (*d).clamp(1, 18) as u8, past);
        }
    }
    Ok(())
}
