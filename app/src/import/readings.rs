//! Readings history from a file: a row per meter and moment, the meter named by its serial
//! (and model, where two share a serial) or by the personal account of its premise (and the
//! resource, where the premise has several), a value per tariff. Every value passes the
//! checks a typed reading passes — the meter's digits, lower than the one before, a jump —
//! and goes in by the same idempotent write: a reading already stored is the same reading,
//! so the same file twice adds nothing, and a different value on a stored moment is
//! reported, never overwritten. A lower value or a jump is stored for a dispatcher to confirm.
//! The moment is the building's local time; a date alone is its first minute (the value
//! at the start of that day, as a meter's daily archive keeps it).

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::cells::local_moment;
use super::columns::{self, Field};
use super::table::{Row, Table};
use super::{begin, issue, Counter, ImportError};
use crate::i18n::Lang;
use crate::ingest::checks::{self, Past};
use crate::models::entry::parse_reading;
use crate::models::import::{ImportKind, ImportReport};
use crate::storage::reading::{self, flags, Kind, Period, Reading, Source};
use crate::storage::{account, channel, meter, object, Db};

pub const FIELDS: [Field; 10] = [
    columns::ACCOUNT,
    columns::SERIAL,
    columns::MODEL,
    columns::RESOURCE,
    Field { title: "Дата", other_names: &["Дата показания", "Дата снятия", "Дата и время", "Дата съёма"], required: true },
    Field { title: "Показание", other_names: &["Показания", "Значение", "Итого", "Сумма"], required: false },
    Field { title: "Т1", other_names: &["Тариф 1", "День", "T1"], required: false },
    Field { title: "Т2", other_names: &["Тариф 2", "Ночь", "T2"], required: false },
    Field { title: "Т3", other_names: &["Тариф 3", "T3"], required: false },
    Field { title: "Т4", other_names: &["Тариф 4", "T4"], required: false },
];

const ACCOUNT: usize = 0;
const SERIAL: usize = 1;
const MODEL: usize = 2;
const RESOURCE: usize = 3;
const DATE: usize = 4;
const TOTAL: usize = 5;
const T1: usize = 6;

/// A week: the usual consumption is taken over at least this much, as typed readings take it.
const WEEK: i64 = 7 * 86_400;
/// Readings written in one statement batch (each batch is its own transaction: a run cut
/// short is finished by running the same file again).
const BATCH: usize = 20_000;

type Problem = (usize, String);

/// The company's meters as a file may name them.
struct Meters {
    by_id: HashMap<i64, meter::Meter>,
    by_serial: HashMap<String, Vec<i64>>,
    by_premise: HashMap<i64, Vec<i64>>,
    accounts: HashMap<String, i64>,
    channels: HashMap<i64, i64>,
    zones: HashMap<i64, Tz>,
}

impl Meters {
    /// The meter a row names, or why it names none or several.
    fn find(&self, cell: &dyn Fn(usize) -> String) -> Result<&meter::Meter, Problem> {
        let serial = cell(SERIAL);
        let account = cell(ACCOUNT);
        let resource = match cell(RESOURCE).as_str() {
            "" => None,
            r => Some(super::meters::resource(r).ok_or((RESOURCE, "ресурс: электроэнергия, тепло, ХВС, ГВС, газ или водоотведение".to_string()))?),
        };
        let premise = match account.as_str() {
            "" => None,
            a => Some(*self.accounts.get(a).ok_or((ACCOUNT, "лицевой счёт не найден".to_string()))?),
        };
        let id = if !serial.is_empty() {
            let model = cell(MODEL).to_lowercase();
            let ids: Vec<i64> = self
                .by_serial
                .get(&serial)
                .into_iter()
                .flatten()
                .copied()
                .filter(|id| model.is_empty() || self.by_id[id].model.to_lowercase() == model)
                .collect();
            match ids.as_slice() {
                [] => return Err((SERIAL, "прибор с таким заводским номером не найден".into())),
                [one] => *one,
                _ => return Err((SERIAL, "заводской номер у нескольких приборов: укажите модель".into())),
            }
        } else if let Some(p) = premise {
            let ids: Vec<i64> = self
                .by_premise
                .get(&p)
                .into_iter()
                .flatten()
                .copied()
                .filter(|id| resource.is_none_or(|r| self.by_id[id].resource == r))
                .filter(|id| self.by_id[id].state != crate::models::MeterState::Retired)
                .collect();
            match ids.as_slice() {
                [] => return Err((ACCOUNT, "у лицевого счёта нет такого прибора".into())),
                [one] => *one,
                _ => return Err((ACCOUNT, "у лицевого счёта несколько приборов: укажите ресурс или заводской номер".into())),
            }
        } else {
            return Err((SERIAL, "не указан ни лицевой счёт, ни заводской номер".into()));
        };
        let m = &self.by_id[&id];
        if premise.is_some_and(|p| m.premise_id != Some(p)) {
            return Err((ACCOUNT, "прибор с этим номером стоит не в помещении этого лицевого счёта".into()));
        }
        if resource.is_some_and(|r| m.resource != r) {
            return Err((RESOURCE, "у прибора другой ресурс".into()));
        }
        Ok(m)
    }
}

/// The UTC instant of a building's local time; in a DST gap, the first that exists.
fn instant(tz: Tz, local: NaiveDateTime) -> i64 {
    (0..4)
        .find_map(|h| tz.from_local_datetime(&(local + chrono::Duration::hours(h))).earliest())
        .map(|t| t.timestamp())
        .unwrap_or_else(|| local.and_utc().timestamp())
}

/// One row read: the meter's main channel, the moment and the value in each slot (0 the
/// total, 1–4 the tariffs), as a typed entry fills them.
struct Parsed {
    line: usize,
    meter_id: i64,
    channel_id: i64,
    ts: i64,
    slots: [Option<Decimal>; 5],
}

fn parse(row: &Row, at: &[Option<usize>], meters: &Meters, now: i64) -> Result<Parsed, Problem> {
    let cell = |i: usize| row.cell(at[i]).to_string();
    let m = meters.find(&cell)?;
    let channel_id = *meters.channels.get(&m.id).ok_or((SERIAL, "у прибора нет канала учёта".to_string()))?;
    let tz = meters.zones.get(&m.object_id).copied().unwrap_or(chrono_tz::Europe::Moscow);
    let now_local = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default().with_timezone(&tz).naive_local();
    let local = local_moment(&cell(DATE), now_local).map_err(|e| (DATE, e))?;
    let ts = instant(tz, local);
    let tariffs = m.tariffs.clamp(1, 4) as usize;
    let mut slots: [Option<Decimal>; 5] = [None; 5];
    let value = |i: usize| -> Result<Option<Decimal>, Problem> {
        match cell(i) {
            t if t.is_empty() => Ok(None),
            t => parse_reading(&t, m.capacity).map(Some).map_err(|p| (i, p.text(Lang::Ru))),
        }
    };
    for t in 1..=4 {
        let v = value(T1 + t - 1)?;
        if v.is_some() && t > tariffs {
            let why = if tariffs == 1 { "у прибора один тариф: значение в столбец «Показание»".to_string() } else { format!("у прибора {tariffs} тарифа") };
            return Err((T1 + t - 1, why));
        }
        if tariffs > 1 {
            slots[t] = v;
        } else if v.is_some() {
            slots[0] = v;
        }
    }
    if let Some(total) = value(TOTAL)? {
        slots[0] = Some(total);
    }
    if tariffs > 1 && slots[0].is_none() && (1..=tariffs).all(|s| slots[s].is_some()) {
        slots[0] = Some((1..=tariffs).filter_map(|s| slots[s]).sum());
    }
    if slots.iter().all(Option::is_none) {
        return Err((TOTAL, "нет показания".into()));
    }
    Ok(Parsed { line: row.line, meter_id: m.id, channel_id, ts, slots })
}

fn slots_of(r: &Reading) -> [Option<Decimal>; 5] {
    let [t1, t2, t3, t4] = r.tariffs;
    [r.total, t1, t2, t3, t4]
}

/// What a channel's stored readings say around the file's moments: the confirmed ones the
/// checks compare with, oldest first, and the instants already stored, by moment.
#[derive(Default)]
struct History {
    confirmed: Vec<(i64, [Option<Decimal>; 5])>,
    stored: HashMap<i64, [Option<Decimal>; 5]>,
}

impl History {
    /// The latest confirmed reading before `t`.
    fn before(&self, t: i64) -> Option<&(i64, [Option<Decimal>; 5])> {
        let i = self.confirmed.partition_point(|(ts, _)| *ts < t);
        i.checked_sub(1).map(|i| &self.confirmed[i])
    }

    /// The past a typed entry at `at` would see: the latest confirmed reading before it and
    /// the usual consumption per day from the one a week before that.
    fn past(&self, at: i64, slot: usize) -> Past {
        let value = |s: &[Option<Decimal>; 5]| if slot == 0 { s[0].or(s[1]) } else { s[slot] };
        let Some((prev_ts, prev)) = self.before(at) else { return Past::default() };
        let Some(prev_value) = value(prev) else { return Past::default() };
        let usual_per_day = self
            .before(prev_ts - WEEK)
            .and_then(|(ts, s)| value(s).map(|v| (*ts, v)))
            .and_then(|o| checks::per_day(o, (*prev_ts, prev_value)));
        Past { previous: Some((*prev_ts, prev_value)), usual_per_day }
    }

    fn add(&mut self, ts: i64, slots: [Option<Decimal>; 5]) {
        let i = self.confirmed.partition_point(|(t, _)| *t <= ts);
        self.confirmed.insert(i, (ts, slots));
    }

    /// Oldest first; of a daily archive and an instant of one moment, the archive (the
    /// meter's own record), which comes first.
    fn settle(&mut self) {
        self.confirmed.sort_by_key(|(ts, _)| *ts);
        self.confirmed.dedup_by_key(|(ts, _)| *ts);
    }
}

/// The stored past of the channels of `spans` (channel, first and last moment of its rows):
/// every reading from a week before the earliest row on, the latest confirmed one before
/// that, and — where the checks of a channel's first row reach further back — the one they
/// reach. A few statements for 500 channels, not a few per channel.
async fn histories(db: &Db, company_id: i64, spans: &[(i64, i64, i64)]) -> Result<HashMap<i64, History>, ImportError> {
    let start = spans.iter().map(|s| s.1).min().unwrap_or(0) - WEEK;
    let end = spans.iter().map(|s| s.2).max().unwrap_or(0) + 1;
    let ids: Vec<i64> = spans.iter().map(|s| s.0).collect();
    let mut hs: HashMap<i64, History> = ids.iter().map(|c| (*c, History::default())).collect();
    let confirmed = |r: &Reading| r.kind == Kind::Integral && r.flags & flags::NEEDS_CONFIRMATION == 0;
    for r in reading::list_many(db, company_id, &ids, start, end).await? {
        let h = hs.entry(r.channel_id).or_default();
        if r.period == Period::Instant {
            h.stored.insert(r.ts, slots_of(&r));
        }
        if confirmed(&r) {
            h.confirmed.push((r.ts, slots_of(&r)));
        }
    }
    let bounds: Vec<(i64, i64)> = ids.iter().map(|c| (*c, start)).collect();
    for (c, r) in reading::latest_confirmed_before_many(db, company_id, &bounds).await? {
        hs.entry(c).or_default().confirmed.push((r.ts, slots_of(&r)));
    }
    let mut further = Vec::new();
    for (c, from, _) in spans {
        let h = hs.entry(*c).or_default();
        h.settle();
        // the usual consumption of the first row is taken a week before the reading just
        // before it; what is stored is known from `start` on, and the latest before it
        let Some(&(just_before, _)) = h.before(*from) else { continue };
        let bound = just_before - WEEK;
        if bound < start && h.before(start).is_some_and(|(ts, _)| *ts >= bound) {
            further.push((*c, bound));
        }
    }
    for (c, r) in reading::latest_confirmed_before_many(db, company_id, &further).await? {
        let h = hs.entry(c).or_default();
        h.confirmed.push((r.ts, slots_of(&r)));
        h.settle();
    }
    Ok(hs)
}

/// Writes a value as the file would show it, for a report line.
fn shown(slots: &[Option<Decimal>; 5]) -> String {
    slots
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| if i == 0 { v.normalize().to_string() } else { format!("Т{i} {}", v.normalize()) }))
        .collect::<Vec<_>>()
        .join(", ")
        .replace('.', ",")
}

pub async fn run(db: &Db, company_id: i64, table: &Table, write: bool) -> Result<ImportReport, ImportError> {
    let (mut report, at) = match begin(ImportKind::Readings, table, &FIELDS) {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    if at[ACCOUNT].is_none() && at[SERIAL].is_none() {
        report.issues.push(issue(1, FIELDS[SERIAL].title, "", "нет столбца «Лицевой счёт» или «Заводской номер»"));
        return Ok(report);
    }
    if at[TOTAL].is_none() && at[T1].is_none() {
        report.issues.push(issue(1, FIELDS[TOTAL].title, "", "нет столбца «Показание» или «Т1»"));
        return Ok(report);
    }
    let meters = load(db, company_id).await?;
    let now = crate::storage::now();
    // every row read first, then each channel's rows in time order
    let mut parsed: Vec<Parsed> = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        match parse(row, &at, &meters, now) {
            Ok(p) => parsed.push(p),
            Err((column, reason)) => {
                report.issues.push(issue(row.line, FIELDS[column].title, row.cell(at[column]), &reason));
            }
        }
    }
    parsed.sort_by_key(|p| (p.channel_id, p.ts, p.line));
    // each channel's rows, a run of `parsed`
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, p) in parsed.iter().enumerate() {
        match runs.last_mut() {
            Some((_, end)) if parsed[*end - 1].channel_id == p.channel_id => *end = i + 1,
            _ => runs.push((i, i + 1)),
        }
    }
    let mut counter = Counter::default();
    let mut to_write: Vec<Reading> = Vec::new();
    for chunk in runs.chunks(500) {
        let spans: Vec<(i64, i64, i64)> =
            chunk.iter().map(|&(a, b)| (parsed[a].channel_id, parsed[a].ts, parsed[b - 1].ts)).collect();
        let mut hs = histories(db, company_id, &spans).await?;
        for &(a, b) in chunk {
            let rows = &parsed[a..b];
            let channel_id = rows[0].channel_id;
            let mut h = hs.remove(&channel_id).unwrap_or_default();
            let m = &meters.by_id[&rows[0].meter_id];
            check_channel(rows, &mut h, m.capacity.integer(), &mut report, &mut counter, |p, flags| Reading {
                channel_id,
                company_id,
                period: Period::Instant,
                ts: p.ts,
                kind: Kind::Integral,
                total: p.slots[0],
                tariffs: [p.slots[1], p.slots[2], p.slots[3], p.slots[4]],
                source: Source::Import,
                flags,
                entered_by: None,
                entry_id: None,
                received_at: now,
            }, &mut to_write);
        }
    }
    report.counts.push(counter.named("reading"));
    if write && report.issues.is_empty() {
        for batch in to_write.chunks(BATCH) {
            reading::insert_many(db, batch).await?;
        }
        report.written = true;
    }
    Ok(report)
}

/// Checks one channel's rows, oldest first, against its stored past and each other: a moment
/// stored with the same values is unchanged, with others it is an issue; a new value gets
/// the flags a typed one would and waits in `to_write`.
fn check_channel(
    rows: &[Parsed],
    h: &mut History,
    integer_digits: u8,
    report: &mut ImportReport,
    counter: &mut Counter,
    reading: impl Fn(&Parsed, i64) -> Reading,
    to_write: &mut Vec<Reading>,
) {
    let mut first_at: HashMap<i64, (usize, [Option<Decimal>; 5])> = HashMap::new();
    for p in rows {
        if let Some((line, slots)) = first_at.get(&p.ts) {
            if *slots != p.slots {
                report.issues.push(issue(
                    p.line,
                    FIELDS[DATE].title,
                    &shown(&p.slots),
                    &format!("на это время у прибора уже есть другое показание в строке {line}"),
                ));
            }
            continue;
        }
        first_at.insert(p.ts, (p.line, p.slots));
        if let Some(stored) = h.stored.get(&p.ts) {
            if same_values(stored, &p.slots) {
                counter.unchanged += 1;
            } else {
                report.issues.push(issue(
                    p.line,
                    FIELDS[TOTAL].title,
                    &shown(&p.slots),
                    &format!("на это время уже хранится другое показание: {}", shown(stored)),
                ));
            }
            continue;
        }
        let mut flags = 0;
        for (slot, v) in p.slots.iter().enumerate() {
            if let Some(v) = v {
                flags |= checks::flags_for(*v, p.ts, integer_digits, h.past(p.ts, slot));
            }
        }
        if flags & flags::NEEDS_CONFIRMATION != 0 {
            report.to_confirm += 1;
        } else {
            h.add(p.ts, p.slots);
        }
        counter.added += 1;
        to_write.push(reading(p, flags));
    }
}

/// Two readings of one moment say the same: a value missing on one side is no difference
/// only where the other left it out too.
fn same_values(a: &[Option<Decimal>; 5], b: &[Option<Decimal>; 5]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.map(|v| v.normalize()) == y.map(|v| v.normalize()))
}

/// The company's meters, accounts, main channels and building time zones, read once.
async fn load(db: &Db, company_id: i64) -> Result<Meters, ImportError> {
    let all: Vec<meter::Meter> = meter::list_for_company(db, company_id).await?.into_iter().map(|(m, _, _)| m).collect();
    let mut by_serial: HashMap<String, Vec<i64>> = HashMap::new();
    let mut by_premise: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in &all {
        by_serial.entry(m.serial.clone()).or_default().push(m.id);
        if let Some(p) = m.premise_id {
            by_premise.entry(p).or_default().push(m.id);
        }
    }
    let ids: Vec<i64> = all.iter().map(|m| m.id).collect();
    let mut channels = HashMap::new();
    for chunk in ids.chunks(500) {
        channels.extend(channel::main_of_meters(db, chunk).await?);
    }
    let accounts = account::list_for_company(db, company_id)
        .await?
        .into_iter()
        .map(|a| (a.number, a.premise_id))
        .collect();
    let zones = object::list_with_archived(db, company_id)
        .await?
        .into_iter()
        .map(|o| (o.id, o.time_zone.parse().unwrap_or(chrono_tz::Europe::Moscow)))
        .collect();
    Ok(Meters {
        by_id: all.into_iter().map(|m| (m.id, m)).collect(),
        by_serial,
        by_premise,
        accounts,
        channels,
        zones,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_date_is_its_first_minute_in_the_building_time_zone() {
        let local = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        // Novosibirsk is UTC+7: its midnight is 17:00 UTC the day before
        assert_eq!(instant(chrono_tz::Asia::Novosibirsk, local), local.and_utc().timestamp() - 7 * 3600);
    }

    #[test]
    fn a_report_shows_values_with_a_russian_comma() {
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        assert_eq!(shown(&[d("12.500"), None, None, None, None]), "12,5");
        assert_eq!(shown(&[d("3"), d("2"), d("1"), None, None]), "3, Т1 2, Т2 1");
    }

    #[test]
    fn the_checks_see_the_reading_before_and_a_week_before_that() {
        let d = |s: &str| Some(s.parse::<Decimal>().unwrap());
        let day = 86_400;
        let h = History {
            confirmed: vec![(0, [d("100"), None, None, None, None]), (10 * day, [d("120"), None, None, None, None])],
            stored: HashMap::new(),
        };
        let past = h.past(11 * day, 0);
        assert_eq!(past.previous, Some((10 * day, "120".parse().unwrap())));
        assert_eq!(past.usual_per_day, Some(Decimal::TWO));
        assert_eq!(h.past(0, 0), Past::default());
    }
}
