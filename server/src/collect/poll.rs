//! Running one poll job: the job's meters grouped by bus; buses in parallel, the meters of a
//! bus one after another; every meter's outcome logged, its readings stored in one write.

use std::collections::BTreeMap;
use std::time::Instant;

use app::storage::communicator::Communicator;
use app::storage::poll_job::PollJob;
use app::storage::poll_result::PollResult;
use app::storage::poll_target::PollTarget;
use app::storage::reading::Source;
use app::storage::{
    self, bus_lease, channel, meter, poll_job, poll_result, poll_target, reading, Db, StorageError,
};
use futures::future::join_all;

use super::driver::modbus::Framing;
use super::driver::{self, DriverError, Readout};
use super::line::{Frame, Line, LineStats};
use super::protocol::mercury::{self, Level};
use super::protocol::modbus::RegisterMaps;
use super::{ingest, transport};

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
    let runs = buses
        .into_iter()
        .zip(by_bus.into_values())
        .map(|(bus, targets)| poll_bus(db, &lessee, job.id, bus, targets, maps));
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
            let before = line.stats.clone();
            let started = Instant::now();
            let read = read_meter(&mut line, t).await;
            let ms = started.elapsed().as_millis() as i64;
            let stats = delta(&line.stats, &before);
            let trace = line.take_trace();
            record(db, job_id, bus.id, t, read, ms, &stats, &trace, &mut outcome).await?;
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
        record(db, job_id, bus.id, t, read, ms, &stats, &trace, outcome).await?;
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
    ms: i64,
    stats: &LineStats,
    trace: &[Frame],
    outcome: &mut Outcome,
) -> Result<(), StorageError> {
    match read {
        Ok(readout) => {
            let (stored, note) = store(db, t, &readout).await?;
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

async fn read_meter<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    line: &mut Line<S>,
    t: &PollTarget,
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
            };
            driver::mercury::read(line, &target).await
        }
        "mbus" => driver::mbus::read(line, address).await,
        other => Err(DriverError::Unsupported(other.to_string())),
    }
}

/// Stores a meter's readings; returns how many and a note on what found no channel.
async fn store(db: &Db, t: &PollTarget, readout: &Readout) -> Result<(i64, String), StorageError> {
    let channels = channel::list_for_meter(db, t.company_id, t.meter_id).await?;
    let at = storage::now();
    let (readings, skipped) = ingest::readings(t.resource, &channels, &readout.measurements, at, Source::Poll);
    let stored = reading::insert_many(db, &readings).await? as i64;
    meter::set_last_contact(db, t.meter_id, at).await?;
    let mut note = skipped.join("; ");
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
