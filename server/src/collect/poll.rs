//! Running one poll job: the job's meters grouped by bus; buses in parallel, the meters of a
//! bus one after another; every meter's outcome logged, its readings stored in one write.

use std::collections::BTreeMap;
use std::time::Instant;

use app::models::monitoring::EventSource;
use app::storage::communicator::Communicator;
use app::storage::poll_job::PollJob;
use app::storage::poll_result::PollResult;
use app::storage::poll_target::PollTarget;
use app::storage::reading::Source;
use app::storage::{
    self, bus_lease, channel, meter, object, poll_job, poll_result, poll_target, reading, Db,
    StorageError,
};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use futures::future::join_all;

use super::driver::modbus::Framing;
use super::driver::{self, DriverError, Readout};
use super::line::{Frame, Line, LineStats};
use super::protocol::mercury::{self, Level};
use super::protocol::Measurement;
use super::protocol::modbus::RegisterMaps;
use super::archive::{self, Start};
use super::{ingest, journal, status, transport};

/// How long a bus lease lasts before it must be renewed; a dead process frees the bus after
/// this.
const BUS_LEASE_SECS: i64 = 300;

/// What a job did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub meters: i64,
    pub ok: i64,
    pub readings: i64,
}

/// Runs a claimed job to the end and records it.
pub async fn run(
    db: &Db,
    holder: &str,
    job: &PollJob,
    maps: &RegisterMaps,
) -> Result<Outcome, StorageError> {
    let targets = poll_target::list(db, job).await?;
    let mut by_bus: BTreeMap<i64, Vec<PollTarget>> = BTreeMap::new();
    for t in targets {
        by_bus.entry(t.communicator_id).or_default().push(t);
    }
    let ids: Vec<i64> = by_bus.keys().copied().collect();
    // The lease names the job, not only the process: two jobs of one process must not share
    // a bus either.
    let lessee = format!("{holder}/job {}", job.id);
    let buses = poll_target::buses(db, job.company_id, &ids).await?;
    let zone = app::queries::readings_table::zone(&object::get(db, job.company_id, job.object_id).await?);
    let runs = buses
        .into_iter()
        .zip(by_bus.into_values())
        .map(|(bus, targets)| poll_bus(db, &lessee, job.id, bus, targets, maps, zone));
    let mut outcome = Outcome::default();
    let mut error = String::new();
    for r in join_all(runs).await {
        match r {
            Ok(o) => {
                outcome.meters += o.meters;
                outcome.ok += o.ok;
                outcome.readings += o.readings;
            }
            Err(e) => error = e.to_string(),
        }
    }
    poll_job::finish(
        db,
        job.id,
        outcome.meters,
        outcome.ok,
        outcome.readings,
        &error,
    )
    .await?;
    tracing::info!(
        job = job.id,
        object = job.object_id,
        meters = outcome.meters,
        ok = outcome.ok,
        readings = outcome.readings,
        "poll finished"
    );
    Ok(outcome)
}

/// Polls the meters of one bus in turn, holding the bus's lease.
async fn poll_bus(
    db: &Db,
    holder: &str,
    job_id: i64,
    bus: Communicator,
    targets: Vec<PollTarget>,
    maps: &RegisterMaps,
    zone: Tz,
) -> Result<Outcome, StorageError> {
    let mut outcome = Outcome {
        meters: targets.len() as i64,
        ..Default::default()
    };
    // Another job (or process) on this bus finishes first; its lease bounds the wait.
    let mut leased = false;
    for _ in 0..BUS_LEASE_SECS {
        if bus_lease::acquire(db, bus.id, holder, BUS_LEASE_SECS).await? {
            leased = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    if !leased {
        not_polled(db, job_id, &targets, "шина занята другим опросом").await?;
        return Ok(outcome);
    }
    let result = async {
        let stream = match transport::open(&bus).await {
            Ok(s) => s,
            Err(e) => {
                not_polled(db, job_id, &targets, &e.to_string()).await?;
                return Ok(());
            }
        };
        // Modbus devices talk through tokio-modbus, which takes the whole line: they need a
        // line of their own.
        let (modbus, targets): (Vec<PollTarget>, Vec<PollTarget>) =
            targets.iter().cloned().partition(|t| t.protocol == "modbus");
        if !modbus.is_empty() && !targets.is_empty() {
            let note = "Modbus-приборы опрашиваются на своей линии, без приборов других протоколов";
            not_polled(db, job_id, &modbus, note).await?;
        } else if !modbus.is_empty() {
            let framing = if bus.line == "modbus_tcp" { Framing::Tcp } else { Framing::Rtu };
            return poll_modbus(db, job_id, &bus, stream, framing, &modbus, maps, &mut outcome).await;
        }
        let mut line = Line::new(stream, transport::settings(&bus));
        for t in &targets {
            let plan = plan(db, t, zone).await?;
            let before = line.stats.clone();
            let started = Instant::now();
            let read = read_meter(&mut line, t, &plan).await;
            let ms = started.elapsed().as_millis() as i64;
            let stats = delta(&line.stats, &before);
            let trace = line.take_trace();
            record(db, job_id, bus.id, t, read, &plan, ms, &stats, &trace, &mut outcome).await?;
            let _ = bus_lease::acquire(db, bus.id, holder, BUS_LEASE_SECS).await;
        }
        Ok::<_, StorageError>(())
    }
    .await;
    bus_lease::release(db, bus.id, holder).await?;
    result?;
    Ok(outcome)
}

/// Polls the Modbus devices of a line, one after another, through one tokio-modbus client.
#[allow(clippy::too_many_arguments)]
async fn poll_modbus(
    db: &Db,
    job_id: i64,
    bus: &Communicator,
    stream: Box<dyn transport::Stream>,
    framing: Framing,
    targets: &[PollTarget],
    maps: &RegisterMaps,
    outcome: &mut Outcome,
) -> Result<(), StorageError> {
    let settings = transport::settings(bus);
    let (mut ctx, tap) = driver::modbus::attach(stream, framing);
    for t in targets {
        let started = Instant::now();
        let mut stats = LineStats::default();
        let read = async {
            let map = maps.find(&t.model)?;
            let address = driver::bus_address(&t.bus_address)?;
            driver::modbus::read(&mut ctx, address, map, &settings, &mut stats).await
        }
        .await;
        let ms = started.elapsed().as_millis() as i64;
        let trace = {
            let mut log = tap.lock().expect("tap log");
            stats.bytes_out = std::mem::take(&mut log.bytes_out);
            stats.bytes_in = std::mem::take(&mut log.bytes_in);
            std::mem::take(&mut log.frames)
        };
        record(db, job_id, bus.id, t, read, &Plan::default(), ms, &stats, &trace, outcome).await?;
        tokio::time::sleep(settings.frame_gap).await;
    }
    Ok(())
}

/// Stores and logs one meter's outcome, counting it in the job's.
#[allow(clippy::too_many_arguments)]
async fn record(
    db: &Db,
    job_id: i64,
    bus_id: i64,
    t: &PollTarget,
    read: Result<Readout, DriverError>,
    plan: &Plan,
    ms: i64,
    stats: &LineStats,
    trace: &[Frame],
    outcome: &mut Outcome,
) -> Result<(), StorageError> {
    match read {
        Ok(readout) => {
            let (stored, note) = store(db, t, &readout, plan).await?;
            outcome.ok += 1;
            outcome.readings += stored;
            log(db, job_id, t, true, note, stored, ms, stats, trace).await
        }
        Err(e) => {
            tracing::warn!(meter = t.meter_id, bus = bus_id, error = %e, "meter not read");
            log(db, job_id, t, false, message(&e), 0, ms, stats, trace).await
        }
    }
}

/// Logs meters that were not asked at all, with the reason.
async fn not_polled(db: &Db, job_id: i64, targets: &[PollTarget], why: &str) -> Result<(), StorageError> {
    for t in targets {
        log(db, job_id, t, false, why.to_string(), 0, 0, &LineStats::default(), &[]).await?;
    }
    Ok(())
}

/// What a poll knows of a meter's records before it asks: the building's time now, what the
/// records hold, and (for a Mercury) the period starts they lack.
#[derive(Clone, Debug, Default)]
struct Plan {
    now: Option<NaiveDateTime>,
    known: archive::Known,
    starts: Vec<Start>,
    zone: Option<Tz>,
}

async fn plan(db: &Db, t: &PollTarget, zone: Tz) -> Result<Plan, StorageError> {
    let Some(main) = channel::list_for_meter(db, t.company_id, t.meter_id).await?.into_iter().next() else {
        return Ok(Plan { zone: Some(zone), ..Plan::default() });
    };
    let local = |ts: i64| -> Option<NaiveDateTime> {
        chrono::DateTime::from_timestamp(ts, 0).map(|u| u.with_timezone(&zone).naive_local())
    };
    let now = local(storage::now()).unwrap_or_default();
    let year_ago = storage::now() - 400 * 86_400;
    let dates = |rs: Vec<reading::Reading>| -> Vec<NaiveDate> {
        rs.iter().filter_map(|r| local(r.ts)).map(|l| l.date()).collect()
    };
    let m = meter::get(db, t.company_id, t.meter_id).await?;
    let known = archive::Known {
        first: reading::first_ts(db, t.company_id, main.id).await?.and_then(local),
        installed_on: m.installed_on,
        days: dates(reading::list(db, t.company_id, main.id, reading::Period::Day, storage::now() - 3 * 86_400, i64::MAX).await?),
        months: dates(reading::list(db, t.company_id, main.id, reading::Period::Month, year_ago, i64::MAX).await?),
    };
    Ok(Plan {
        now: Some(now),
        starts: if t.protocol == "mercury" { archive::missing(now, &known) } else { Vec::new() },
        known,
        zone: Some(zone),
    })
}

async fn read_meter<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    line: &mut Line<S>,
    t: &PollTarget,
    plan: &Plan,
) -> Result<Readout, DriverError> {
    let address = driver::bus_address(&t.bus_address)?;
    match t.protocol.as_str() {
        "mercury" => {
            let password = if t.bus_password.is_empty() {
                "111111"
            } else {
                &t.bus_password
            };
            let target = driver::mercury::Target {
                address,
                level: Level::User,
                password: mercury::password_bytes(password, false)
                    .or_else(|| mercury::password_bytes(password, true))
                    .unwrap_or([1; 6]),
                tariffs: t.tariffs.clamp(1, 4) as u8,
                arrays: plan.now.map(|n| archive::arrays(n.date(), &plan.starts)).unwrap_or_default(),
                journals: journal::due(t.journals_read_at, storage::now()),
            };
            driver::mercury::read(line, &target).await
        }
        "mbus" => driver::mbus::read(line, address).await,
        other => Err(DriverError::Unsupported(other.to_string())),
    }
}

/// Stores a meter's readings, and the records at period starts its archives rebuilt; returns
/// how many and a note on what found no channel and what was rebuilt.
async fn store(
    db: &Db,
    t: &PollTarget,
    readout: &Readout,
    plan: &Plan,
) -> Result<(i64, String), StorageError> {
    let channels = channel::list_for_meter(db, t.company_id, t.meter_id).await?;
    let at = storage::now();
    let (mut readings, skipped) = ingest::readings(t.resource, &channels, &readout.measurements, at, Source::Poll);
    let mut notes = skipped;
    let rebuilt = rebuilt(t, &channels, readout, plan);
    if !rebuilt.is_empty() {
        let mut dates: Vec<NaiveDate> = rebuilt.iter().map(|(d, _)| *d).collect();
        dates.sort_unstable();
        dates.dedup();
        let dates: Vec<String> = dates.iter().map(|d| d.format("%d.%m.%Y").to_string()).collect();
        notes.push(format!("из архива счётчика восстановлены показания на {}", dates.join(", ")));
        readings.extend(rebuilt.into_iter().map(|(_, r)| r));
    }
    if let Some(e) = &readout.arrays_error {
        notes.push(format!("архив счётчика не прочитан: {e}"));
    }
    if let Some(records) = &readout.journal {
        let (events, ended) = journal::events(t, plan.zone.unwrap_or(chrono_tz::Europe::Moscow), records);
        let new = app::storage::event::record_from_meter(db, &events, &ended, at).await?;
        meter::set_journals_read(db, t.meter_id, at).await?;
        if new > 0 {
            notes.push(format!("журналы событий счётчика: новых событий {new}"));
        }
    }
    if let Some(e) = &readout.journal_error {
        notes.push(format!("журналы событий счётчика не прочитаны: {e}"));
    }
    if let Some(byte) = readout.status {
        let (open, ended) = status::events(t, byte, at);
        app::storage::event::open_many(db, &open, at).await?;
        app::storage::event::end_of_meter(db, t.company_id, t.meter_id, EventSource::Meter.as_str(), &ended, at).await?;
        if !open.is_empty() {
            notes.push(status::describe(byte));
        }
    }
    // checked as typed readings are: a lowered or jumping value waits for a dispatcher
    app::ingest::validate::flag(db, &mut readings).await?;
    let stored = reading::insert_many(db, &readings).await? as i64;
    meter::set_last_contact(db, t.meter_id, at).await?;
    let mut note = notes.join("; ");
    if let Some(serial) = &readout.serial {
        if !serial.trim_start_matches('0').is_empty()
            && !t.serial.ends_with(serial.trim_start_matches('0'))
        {
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str(&format!(
                "счётчик сообщил заводской номер {serial}, в карточке {}",
                t.serial
            ));
        }
    }
    Ok((stored, note))
}

/// Readings at the past times the meter's archives give: a Mercury's registers at the period
/// starts its records lacked, an M-Bus meter's dated stored values that fall after its first
/// reading. A value at a local midnight is that day's record, and on a month's first also the
/// month's; at any other time it is an instant.
fn rebuilt(
    t: &PollTarget,
    channels: &[channel::Channel],
    readout: &Readout,
    plan: &Plan,
) -> Vec<(NaiveDate, reading::Reading)> {
    let (Some(now), Some(zone)) = (plan.now, plan.zone) else {
        return Vec::new();
    };
    let mut values: Vec<(NaiveDateTime, Vec<Measurement>)> =
        archive::registers(now.date(), &readout.measurements, &readout.arrays, &plan.starts)
            .into_iter()
            .map(|(start, ms)| (start.date().and_time(NaiveTime::MIN), ms))
            .collect();
    values.extend(
        readout
            .stored
            .iter()
            .filter(|(at, _)| plan.known.may_fill(*at) && *at < now && !plan.known.holds(*at))
            .cloned(),
    );
    let mut out = Vec::new();
    for (at, ms) in values {
        let Some(ts) = zone.from_local_datetime(&at).earliest().map(|d| d.timestamp()) else {
            continue;
        };
        let periods: &[reading::Period] = match (at.time() == NaiveTime::MIN, at.day() == 1) {
            (true, true) => &[reading::Period::Month, reading::Period::Day],
            (true, false) => &[reading::Period::Day],
            (false, _) => &[reading::Period::Instant],
        };
        let (readings, _) = ingest::readings(t.resource, channels, &ms, ts, Source::Poll);
        for period in periods {
            out.extend(readings.iter().cloned().map(|r| (at.date(), reading::Reading { period: *period, ..r })));
        }
    }
    out
}

/// The Russian line for the poll log.
fn message(e: &DriverError) -> String {
    use super::line::LineError;
    match e {
        DriverError::Line(LineError::NoAnswer) => "нет ответа".into(),
        DriverError::Line(LineError::Damaged) => "ответы повреждены (ошибка CRC)".into(),
        DriverError::Line(LineError::Io(m)) => format!("обрыв линии: {m}"),
        DriverError::Mercury(e) => format!("ошибка обмена с «Меркурием»: {e}"),
        DriverError::Mbus(e) => format!("ошибка обмена M-Bus: {e}"),
        DriverError::Address(a) => format!("неверный сетевой адрес {a:?}: нужен номер от 1 до 250"),
        DriverError::Unsupported(p) => format!("протокол {p:?} не поддерживается"),
        DriverError::Modbus(e) => format!("ошибка обмена Modbus: {e}"),
    }
}

fn delta(now: &LineStats, before: &LineStats) -> LineStats {
    LineStats {
        requests: now.requests - before.requests,
        replies: now.replies - before.replies,
        timeouts: now.timeouts - before.timeouts,
        crc_errors: now.crc_errors - before.crc_errors,
        garbage_bytes: now.garbage_bytes - before.garbage_bytes,
        retries: now.retries - before.retries,
        bytes_out: now.bytes_out - before.bytes_out,
        bytes_in: now.bytes_in - before.bytes_in,
    }
}

#[allow(clippy::too_many_arguments)]
async fn log(
    db: &Db,
    job_id: i64,
    t: &PollTarget,
    ok: bool,
    message: String,
    readings: i64,
    duration_ms: i64,
    s: &LineStats,
    trace: &[Frame],
) -> Result<(), StorageError> {
    poll_result::create(
        db,
        &PollResult {
            job_id,
            meter_id: t.meter_id,
            company_id: t.company_id,
            at: storage::now(),
            ok,
            message,
            readings,
            duration_ms,
            requests: s.requests as i64,
            timeouts: s.timeouts as i64,
            crc_errors: s.crc_errors as i64,
            garbage_bytes: s.garbage_bytes as i64,
            exchange: serde_json::to_string(trace).unwrap_or_default(),
        },
    )
    .await
}
