//! The demo's virtual buses: the first building of the demo company gets simulated meters on
//! simulated lines (Mercury 230 on RS-485 behind a TCP modem, M-Bus heat meters behind
//! another, the building's cold-water meter on Modbus TCP), started with the server, so a new user sees the collector poll on first start.
//! Each simulated meter starts from its last stored reading and counts on at its usual load,
//! so polled readings continue the demo's history; the demo's silent meter stays silent.

use app::models::Resource;
use app::storage::{
    self, channel, communicator, company, meter, object, reading, Db, StorageError,
};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::collect::driver::modbus::Framing;
use crate::collect::protocol::modbus::Table;
use crate::collect::protocol::mercury::journal::{Journal, Record};
use crate::collect::simulator::modbus::ModbusDevice;
use crate::collect::simulator::{self, mbus::MbusMeter, mercury::MercuryMeter, Pace, Shared};

/// Meters on one simulated bus: the common meters and the first flats, about one entrance,
/// as a real RS-485 or M-Bus segment holds.
const BUS_SIZE: usize = 70;

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("simulated bus not started: {0}")]
    Io(#[from] std::io::Error),
}

/// What was started, for the log.
#[derive(Debug, Default)]
pub struct Started {
    pub mercury: usize,
    pub mbus: usize,
    pub modbus: usize,
}

/// Starts the virtual buses of the demo company's first building and points its
/// communicators at them. Does nothing when there is no demo company.
pub async fn start(db: &Db) -> Result<Started, BusError> {
    let mut started = Started::default();
    let Some(ogni) = company::list(db)
        .await?
        .into_iter()
        .find(|c| c.name.contains("Огни"))
    else {
        return Ok(started);
    };
    let Some(building) = object::list(db, ogni.id)
        .await?
        .into_iter()
        .min_by_key(|o| o.id)
    else {
        return Ok(started);
    };
    let mut meters = meter::list_for_object(db, ogni.id, building.id).await?;
    meters.sort_by_key(|m| (m.placement != app::models::Placement::Common, m.id));
    let now = storage::now();
    let silent_after = now - 3 * 86_400;
    let tz = app::queries::readings_table::zone(&building);
    let local_today = app::consumption::calendar::local_date(tz, now);

    let mut mercury: Vec<Shared> = Vec::new();
    let mut heat: Vec<Shared> = Vec::new();
    let mut mercury_bus = None;
    let mut heat_bus_id = None;
    let mut modbus: Vec<Shared> = Vec::new();
    let mut modbus_bus_id = None;
    for m in &meters {
        if m.model.starts_with("Modbus") && m.resource == Resource::ColdWater {
            // the building's water input: volume in litres at holding 0, hours at input 100,
            // as server/maps/modbus.json reads a «Modbus-счётчик воды»
            let Some(ch) = channel::list_for_meter(db, ogni.id, m.id).await?.into_iter().next() else {
                continue;
            };
            let last = reading::latest_integral_before(db, ogni.id, ch.id, now + 1, false).await?;
            let week = reading::latest_integral_before(db, ogni.id, ch.id, now - 7 * 86_400, false).await?;
            let litres = last.as_ref().and_then(|r| r.total).map(thousandths).unwrap_or(0);
            let before = week.as_ref().and_then(|r| r.total).map(thousandths).unwrap_or(litres);
            let per_hour = litres.saturating_sub(before) / (7 * 24);
            let address = (modbus.len() + 1) as u8;
            let hours = m.installed_on.map_or(0, |d| (chrono::Utc::now().date_naive() - d).num_days().max(0) * 24);
            let device = ModbusDevice::new(address, Framing::Tcp)
                .counter(Table::Holding, 0, litres as u32, per_hour as u32, false)
                .counter(Table::Input, 100, hours as u32, 1, false);
            modbus.push(device.shared());
            hang(db, m, address, "modbus").await?;
            if modbus_bus_id.is_none() {
                modbus_bus_id = Some(gateway(db, ogni.id, building.id, MODBUS_GATEWAY, "modbus_tcp").await?.id);
            }
            meter::set_communicator(db, ogni.id, m.id, modbus_bus_id).await?;
            continue;
        }
        // Electricity hangs on the building's RS-485 gateway; heat meters, the building's
        // own included, go on the M-Bus gateway.
        let on_rs485 = m.resource == Resource::Electricity && m.communicator_id.is_some();
        if !on_rs485 && m.resource != Resource::Heat {
            continue;
        }
        let Some(ch) = channel::list_for_meter(db, ogni.id, m.id)
            .await?
            .into_iter()
            .next()
        else {
            continue;
        };
        let last = reading::latest_integral_before(db, ogni.id, ch.id, now + 1, false).await?;
        let week =
            reading::latest_integral_before(db, ogni.id, ch.id, now - 7 * 86_400, false).await?;
        let silent = last.as_ref().is_none_or(|r| r.ts < silent_after);
        match m.resource {
            Resource::Electricity if mercury.len() < BUS_SIZE => {
                mercury_bus = m.communicator_id;
                let address = (mercury.len() + 1) as u8;
                let mut wh = [0u64; 4];
                let mut load = [0u64; 4];
                for t in 0..4 {
                    let v = |r: &Option<reading::Reading>| {
                        r.as_ref().and_then(|r| {
                            r.slot_value(t + 1).or(if t == 0 { r.total } else { None })
                        })
                    };
                    wh[t] = v(&last).map(|d| thousandths(d)).unwrap_or(0);
                    let before = v(&week).map(|d| thousandths(d)).unwrap_or(wh[t]);
                    load[t] = wh[t].saturating_sub(before) / (7 * 24);
                }
                let serial = digits(&m.serial);
                let mut sim = MercuryMeter::new(address, serial, wh);
                sim.load_wh_per_hour = load;
                // its archives remember what the demo's history says, so a gap in that history
                // is filled with what the meter would really have kept
                sim.past = reading::list(db, ogni.id, ch.id, reading::Period::Day, now - 400 * 86_400, now + 1)
                    .await?
                    .iter()
                    .map(|r| {
                        let mut wh = [0u64; 4];
                        for (t, v) in wh.iter_mut().enumerate() {
                            *v = r.slot_value(t + 1).or(if t == 0 { r.total } else { None }).map(thousandths).unwrap_or(0);
                        }
                        (r.ts * 1000, wh)
                    })
                    .collect();
                sim.faults.silent = silent;
                sim.journals = journals(address, sim.zone);
                mercury.push(sim.shared());
                hang(db, m, address, "mercury").await?;
            }
            Resource::Heat if heat.len() < BUS_SIZE => {
                let address = (heat.len() + 1) as u8;
                let gcal = last.as_ref().and_then(|r| r.total).unwrap_or_default();
                let before = week.as_ref().and_then(|r| r.total).unwrap_or(gcal);
                let serial = digits(&m.serial);
                let mut sim = MbusMeter::new(address, serial, simulator::mbus::Medium::Heat);
                sim.energy_mcal = thousandths(gcal);
                // what it stored at the end of last month: the history's register at this
                // month's first midnight (or the last one before it)
                let first = app::consumption::calendar::day_start(tz, chrono::Datelike::with_day(&local_today, 1).unwrap_or(local_today));
                sim.month_end_mcal = reading::latest_integral_before(db, ogni.id, ch.id, first + 1, false)
                    .await?
                    .and_then(|r| r.total)
                    .map(thousandths);
                sim.load_mcal_per_hour = thousandths(gcal - before) / (7 * 24);
                sim.faults.silent = silent;
                // the second heat meter's battery is running out: its replies say so
                if address == 2 {
                    sim.status = simulator::mbus::POWER_LOW;
                }
                heat.push(sim.shared());
                hang(db, m, address, "mbus").await?;
                if heat_bus_id.is_none() {
                    heat_bus_id = Some(gateway(db, ogni.id, building.id, MBUS_GATEWAY, "tcp").await?.id);
                }
                meter::set_communicator(db, ogni.id, m.id, heat_bus_id).await?;
            }
            _ => {}
        }
    }
    started.mercury = mercury.len();
    if let Some(bus_id) = mercury_bus {
        // Paced like a real 9600-baud line, with a meter's usual turnaround.
        let pace = Pace::real(9600, 10, 20);
        serve(db, ogni.id, bus_id, std::mem::take(&mut mercury), pace, simulator::mercury::scan_request).await?;
    }
    started.mbus = heat.len();
    if let Some(bus_id) = heat_bus_id {
        serve(db, ogni.id, bus_id, heat, Pace::real(2400, 11, 30), simulator::mbus::scan_request).await?;
    }
    started.modbus = modbus.len();
    if let Some(bus_id) = modbus_bus_id {
        serve(db, ogni.id, bus_id, modbus, Pace::real(19200, 11, 10), simulator::modbus::scan_tcp).await?;
        // a Modbus TCP device speaks Modbus TCP framing, not a transparent line
        let mut c = communicator::get(db, ogni.id, bus_id).await?;
        c.line = "modbus_tcp".into();
        communicator::set_line(db, &c).await?;
    }
    Ok(started)
}

/// Starts a simulated bus of `devices` on a local TCP port and points the communicator at it.
async fn serve(
    db: &Db,
    company_id: i64,
    bus_id: i64,
    devices: Vec<Shared>,
    pace: Pace,
    scan: fn(&[u8]) -> simulator::RequestScan,
) -> Result<(), BusError> {
    let (addr, _) = simulator::tcp_bus("127.0.0.1:0", devices, pace, scan).await?;
    point(db, company_id, bus_id, addr.port()).await?;
    Ok(())
}

/// The serial number's digits as a number, for the simulated meter's own serial.
fn digits(serial: &str) -> u32 {
    let d: String = serial.chars().filter(|c| c.is_ascii_digit()).collect();
    d.parse().unwrap_or(0)
}

/// Puts a meter on its simulated bus: its address there and the protocol it is read by.
async fn hang(db: &Db, m: &meter::Meter, address: u8, protocol: &str) -> Result<(), StorageError> {
    meter::set_bus_address(db, m.company_id, m.id, &address.to_string()).await?;
    meter::set_protocol(db, m.company_id, m.id, protocol, "").await
}

/// Thousandths of a decimal value (Wh of kWh, Mcal of Gcal), rounded up so a simulated
/// register never starts below the stored reading.
fn thousandths(d: Decimal) -> u64 {
    (d * Decimal::from(1000)).ceil().to_u64().unwrap_or(0)
}

const MBUS_GATEWAY: &str = "Шлюз M-Bus/TCP, теплосчётчики";
const MODBUS_GATEWAY: &str = "Modbus TCP, ОДПУ холодной воды";

/// A gateway of the building by name, made on first use.
async fn gateway(
    db: &Db,
    company_id: i64,
    object_id: i64,
    name: &str,
    line: &str,
) -> Result<communicator::Communicator, StorageError> {
    if let Some(c) = communicator::list(db, company_id)
        .await?
        .into_iter()
        .find(|c| c.name == name)
    {
        return Ok(c);
    }
    communicator::create(
        db,
        &communicator::Communicator {
            company_id,
            object_id: Some(object_id),
            name: name.into(),
            line: line.into(),
            host: "127.0.0.1".into(),
            ..Default::default()
        },
    )
    .await
}

/// Points a communicator at a local simulated bus, with timing that suits a paced line.
async fn point(db: &Db, company_id: i64, id: i64, port: u16) -> Result<(), StorageError> {
    let mut c = communicator::get(db, company_id, id).await?;
    c.line = "tcp".into();
    c.host = "127.0.0.1".into();
    c.port = Some(port as i64);
    c.timeout_ms = 400;
    // A TCP modem hands a reply over in pieces; silence of 100 ms ends it.
    c.char_timeout_ms = 100;
    c.retries = 1;
    communicator::set_line(db, &c).await
}

/// What the first meters' event journals hold, so the first poll brings the meters' own
/// events: the first had its cover opened for four minutes two days ago and lost power for
/// a night five days ago; the second has had a magnet on it since last evening.
fn journals(address: u8, zone: chrono_tz::Tz) -> Vec<(Journal, Vec<Record>)> {
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let at = |days: u64, h: u32, m: u32, s: u32| (today - chrono::Days::new(days)).and_hms_opt(h, m, s).unwrap_or_default();
    match address {
        1 => vec![
            (Journal::Cover, vec![Record { began: at(2, 14, 3, 27), ended: Some(at(2, 14, 7, 5)) }]),
            (Journal::Power, vec![Record { began: at(5, 2, 10, 0), ended: Some(at(5, 4, 45, 0)) }]),
        ],
        2 => vec![(Journal::Magnet, vec![Record { began: at(1, 21, 15, 0), ended: None }])],
        _ => Vec::new(),
    }
}
