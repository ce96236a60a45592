//! Human entries into storage: parse each value within the meter's digits, check it against
//! the meter's past, store it once under its device-made id, and say what became of every
//! value. One refused value does not stop the others.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::checks;
use super::past::{past_of, Pasts};
use crate::auth::caller::Caller;
use crate::errors::AppError;
use crate::models::entry::{parse_reading, EntryInput, EntryProblem, EntryResult, RefusedValue};
use crate::models::MeterState;
use crate::storage::reading::{self, Kind, Period, Reading, Source};
use crate::storage::{channel, meter, Db};

/// Entries older than this or later than a few minutes ahead get the server's time.
const MAX_AGE_SECONDS: i64 = 62 * 86_400;
const MAX_AHEAD_SECONDS: i64 = 300;
/// Values one entry may carry (T1–T4 and a total) and characters one value may have.
const MAX_VALUES_PER_ENTRY: usize = 5;
const MAX_TEXT_CHARS: usize = 40;
/// Two entries of one meter in the same second are stored a second apart.
const SAME_SECOND_RETRIES: i64 = 5;

fn refused(entry: &EntryInput, problem: EntryProblem) -> EntryResult {
    EntryResult {
        entry_id: entry.entry_id.clone(),
        stored: false,
        duplicate: false,
        flags: 0,
        refused: entry
            .values
            .iter()
            .map(|v| RefusedValue {
                tariff: v.tariff,
                problem,
            })
            .collect(),
    }
}

/// Who entries come from: the company they go to, the person who typed them (none for another
/// system), and what their ids are kept apart by.
#[derive(Clone, Debug)]
pub struct Author {
    pub company_id: i64,
    pub user_id: Option<i64>,
    /// Put before every entry id: two people's (or two systems') ids never meet.
    pub prefix: String,
}

impl Author {
    /// A person at a screen: their own ids.
    pub fn person(caller: &Caller) -> Author {
        Author { company_id: caller.company_id, user_id: Some(caller.user_id), prefix: format!("u{}", caller.user_id) }
    }

    /// Another system through the open API: the company's client ids, whichever of its
    /// tokens sends them (a token replaced mid-retry still stores nothing twice).
    pub fn system(company_id: i64) -> Author {
        Author { company_id, user_id: None, prefix: format!("api{company_id}") }
    }
}

/// Stores one person's (or system's) entries. `source` says whose screen they came from;
/// `only` limits the meters they may read (a resident's own), every other meter being
/// unknown to them.
pub async fn submit(
    db: &Db,
    author: &Author,
    source: Source,
    only: Option<&[i64]>,
    entries: Vec<EntryInput>,
) -> Result<Vec<EntryResult>, AppError> {
    let now = crate::storage::now();
    let mut results = Vec::with_capacity(entries.len());
    // What every entry needs from storage, asked for all of them at once: the meters, their
    // main channels and the entries already stored (a queue sent again).
    let mut meter_ids: Vec<i64> = entries.iter().map(|e| e.meter_id).collect();
    meter_ids.sort_unstable();
    meter_ids.dedup();
    let meters: HashMap<i64, meter::Meter> = meter::get_many(db, &meter_ids)
        .await?
        .into_iter()
        .filter(|m| m.company_id == author.company_id && m.state != MeterState::Retired)
        .map(|m| (m.id, m))
        .collect();
    let channels: HashMap<i64, i64> = channel::main_of_meters(db, &meter_ids)
        .await?
        .into_iter()
        .collect();
    // ids are the device's; the user's id in front keeps two people's ids apart
    let ids: Vec<String> = entries
        .iter()
        .map(|entry| format!("{}:{}", author.prefix, entry.entry_id.trim()))
        .collect();
    // the entries stored before, and this send's own on their way in (an entry sent twice in
    // one send finds the first)
    let mut stored = reading::entries_stored(db, &ids).await?;
    // the moment each entry is stored at: its device time, or the server's when absent or absurd
    let at_of = |entry: &EntryInput| {
        entry
            .typed_at
            .filter(|t| *t > now - MAX_AGE_SECONDS && *t < now + MAX_AHEAD_SECONDS)
            .unwrap_or(now)
            .min(now)
    };
    let pasts = Pasts::of(
        db,
        author.company_id,
        entries
            .iter()
            .filter_map(|e| Some((*channels.get(&e.meter_id)?, at_of(e))))
            .collect(),
    )
    .await?;
    // meters with an entry stored by this send: their later entries ask their past again
    let mut touched: std::collections::HashSet<i64> = std::collections::HashSet::new();
    // New readings wait here and go in one transaction; an entry of a meter already waiting
    // stores the batch first, so its checks see the earlier value.
    let mut pending: Vec<Pending> = Vec::new();
    for (entry, stored_id) in entries.into_iter().zip(ids) {
        if entry.entry_id.trim().is_empty() || entry.entry_id.len() > 100 {
            results.push(refused(&entry, EntryProblem::BadEntryId));
            continue;
        }
        // a meter has at most four tariffs and a total: more values is not a person typing
        if entry.values.len() > MAX_VALUES_PER_ENTRY
            || entry.values.iter().any(|v| v.text.chars().count() > MAX_TEXT_CHARS)
        {
            let mut entry = entry;
            entry.values.truncate(MAX_VALUES_PER_ENTRY);
            results.push(refused(&entry, EntryProblem::NotANumber));
            continue;
        }
        if only.is_some_and(|ids| !ids.contains(&entry.meter_id)) {
            results.push(refused(&entry, EntryProblem::UnknownMeter));
            continue;
        }
        let Some(m) = meters.get(&entry.meter_id) else {
            results.push(refused(&entry, EntryProblem::UnknownMeter));
            continue;
        };
        if pending.iter().any(|p| p.meter_id == m.id) {
            store_pending(db, &mut pending, &mut results).await?;
        }
        if stored.contains(&stored_id) {
            results.push(EntryResult {
                entry_id: entry.entry_id.clone(),
                stored: false,
                duplicate: true,
                flags: 0,
                refused: vec![],
            });
            continue;
        }
        let Some(&channel_id) = channels.get(&m.id) else {
            results.push(refused(&entry, EntryProblem::UnknownMeter));
            continue;
        };
        let at = at_of(&entry);
        let tariffs = m.tariffs.clamp(1, 4) as u8;
        let mut slots: [Option<Decimal>; 5] = [None; 5];
        let mut refused_values = Vec::new();
        let mut flags = 0;
        for v in &entry.values {
            let slot = match (tariffs, v.tariff) {
                (1, 0 | 1) => 0,
                (n, t) if t >= 1 && t <= n => t as usize,
                _ => {
                    refused_values.push(RefusedValue {
                        tariff: v.tariff,
                        problem: EntryProblem::NoSuchTariff,
                    });
                    continue;
                }
            };
            match parse_reading(&v.text, m.capacity) {
                Ok(value) => {
                    let past = if touched.contains(&m.id) {
                        past_of(db, author.company_id, channel_id, at, slot).await?
                    } else {
                        pasts.past(channel_id, at, slot)
                    };
                    flags |= checks::flags_for(value, at, m.capacity.integer(), past);
                    slots[slot] = Some(value);
                }
                Err(problem) => refused_values.push(RefusedValue {
                    tariff: v.tariff,
                    problem,
                }),
            }
        }
        if tariffs > 1 && (1..=tariffs as usize).all(|s| slots[s].is_some()) {
            slots[0] = Some((1..=tariffs as usize).filter_map(|s| slots[s]).sum());
        }
        if slots.iter().any(Option::is_some) {
            stored.insert(stored_id.clone());
            touched.insert(m.id);
            pending.push(Pending {
                result: results.len(),
                meter_id: m.id,
                reading: Reading {
                    channel_id,
                    company_id: author.company_id,
                    period: Period::Instant,
                    ts: at,
                    kind: Kind::Integral,
                    total: slots[0],
                    tariffs: [slots[1], slots[2], slots[3], slots[4]],
                    source,
                    flags,
                    entered_by: author.user_id,
                    entry_id: Some(stored_id.clone()),
                    received_at: now,
                },
            });
        }
        results.push(EntryResult {
            entry_id: entry.entry_id.clone(),
            stored: false,
            duplicate: false,
            flags: 0,
            refused: refused_values,
        });
    }
    store_pending(db, &mut pending, &mut results).await?;
    Ok(results)
}

/// A checked reading waiting for the batch insert, and the result it belongs to.
struct Pending {
    result: usize,
    meter_id: i64,
    reading: Reading,
}

/// Stores the waiting readings in one transaction. A reading that did not go in (another of
/// the meter's readings holds that second, or the same entry arrived twice at once) is
/// retried alone, a second later each time, unless its entry is stored by now.
async fn store_pending(
    db: &Db,
    pending: &mut Vec<Pending>,
    results: &mut [EntryResult],
) -> Result<(), AppError> {
    if pending.is_empty() {
        return Ok(());
    }
    let batch: Vec<Reading> = pending.iter().map(|p| p.reading.clone()).collect();
    let all_in = reading::insert_many(db, &batch).await? == batch.len() as u64;
    for p in pending.drain(..) {
        let stored_id = p.reading.entry_id.clone().unwrap_or_default();
        let stored = all_in || reading::entry_exists(db, &stored_id).await? || {
            let mut reading = p.reading.clone();
            let mut done = false;
            for _ in 0..SAME_SECOND_RETRIES {
                reading.ts += 1;
                if reading::insert_many(db, std::slice::from_ref(&reading)).await? == 1 {
                    done = true;
                    break;
                }
                if reading::entry_exists(db, &stored_id).await? {
                    break; // the same entry arrived twice at once: stored by the other send
                }
            }
            if !done && !reading::entry_exists(db, &stored_id).await? {
                tracing::error!(entry = %stored_id, "entry could not be stored");
                return Err(AppError::Internal);
            }
            done
        };
        let r = &mut results[p.result];
        r.stored = stored;
        r.flags = if stored { p.reading.flags } else { 0 };
    }
    Ok(())
}
