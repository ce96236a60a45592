//! Poll time of 100 simulated Mercury 230 meters on one paced 9600-baud bus (a
//! pseudo-terminal) with 30 ms meter turnaround, against the lower bound of the wire: the
//! bytes sent and received at 10 bits a byte, plus one turnaround per reply. Then the same
//! bus with 5 silent meters; the same bus after an outage, each meter also asked the arrays
//! that rebuild the records it missed (a day: today and yesterday; three months: today,
//! yesterday and three months); and a whole poll job through the database (SQLite).
//!
//! `cargo run --release -p server --example bench_poll`

use std::time::{Duration, Instant};

use app::models::capacity::DigitCapacity;
use app::models::{Placement, Resource};
use app::storage::{channel, communicator, company, meter, object, poll_job, Backend};
use server::collect::driver::mercury::{read, Target};
use server::collect::line::{Line, LineSettings};
use server::collect::protocol::mercury::{EnergyArray, Level};
use server::collect::simulator::{self, mercury::MercuryMeter, Pace, Shared};

const METERS: u8 = 100;
const BAUD: u32 = 9600;
const TURNAROUND_MS: u64 = 30;

fn bus(silent: u8) -> Vec<Shared> {
    (1..=METERS)
        .map(|a| {
            let mut m = MercuryMeter::new(a, 41_234_000 + a as u32, [1_234_560, 654_320, 0, 0]);
            m.faults.silent = a <= silent;
            m.shared()
        })
        .collect()
}

fn settings() -> LineSettings {
    LineSettings {
        timeout: Duration::from_millis(400),
        char_timeout: Duration::from_millis(20),
        frame_gap: Duration::from_millis(5),
        retries: 1,
    }
}

async fn direct(silent: u8, arrays: &[EnergyArray]) {
    let (path, _task) = simulator::pty_bus(
        bus(silent),
        Pace::real(BAUD, 10, TURNAROUND_MS),
        simulator::mercury::scan_request,
    )
    .unwrap();
    let port = tokio_serial::SerialStream::open(&tokio_serial::new(&path, BAUD)).unwrap();
    let mut line = Line::new(port, settings());
    let started = Instant::now();
    let mut ok = 0;
    for a in 1..=METERS {
        let t = Target {
            address: a,
            level: Level::User,
            password: [1; 6],
            tariffs: 2,
            arrays: arrays.to_vec(),
            // the daily journal read is not part of a poll's usual cost
            journals: false,
        };
        if read(&mut line, &t).await.is_ok() {
            ok += 1;
        }
    }
    let took = started.elapsed().as_secs_f64();
    let s = &line.stats;
    let wire = (s.bytes_out + s.bytes_in) as f64 * 10.0 / BAUD as f64;
    let bound = wire + s.replies as f64 * TURNAROUND_MS as f64 / 1000.0;
    println!(
        "{METERS} Mercury meters, {silent} silent, {} archive arrays each, 9600 baud, {TURNAROUND_MS} ms turnaround: {took:.2} s, {ok} read; \
         {} requests, {} replies, {} B out, {} B in; wire {wire:.2} s, wire + turnarounds {bound:.2} s; \
         {:.2}× the bound",
        arrays.len(), s.requests, s.replies, s.bytes_out, s.bytes_in, took / bound
    );
    if silent > 0 {
        let waited = s.timeouts as f64 * settings().timeout.as_secs_f64();
        println!(
            "  of which waiting for silent meters: {} timeouts × {} ms = {waited:.2} s; without it {:.2}× the bound",
            s.timeouts,
            settings().timeout.as_millis(),
            (took - waited) / bound
        );
    }
}

async fn through_the_database() {
    let t = app::storage::testing::TestDb::new(Backend::Sqlite).await;
    let db = t.db.clone();
    let (path, _task) = simulator::pty_bus(
        bus(0),
        Pace::real(BAUD, 10, TURNAROUND_MS),
        simulator::mercury::scan_request,
    )
    .unwrap();
    let c = company::create(
        &db,
        &company::Company {
            name: "bench".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let o = object::create(
        &db,
        &object::Object {
            company_id: c.id,
            name: "bench".into(),
            address: "bench".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut b = communicator::create(
        &db,
        &communicator::Communicator {
            company_id: c.id,
            name: "bus".into(),
            line: "rs485".into(),
            serial_port: path,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    b.timeout_ms = 150;
    b.char_timeout_ms = 20;
    b.retries = 1;
    communicator::set_line(&db, &b).await.unwrap();
    for a in 1..=METERS {
        let mut m = meter::Meter::new(
            c.id,
            o.id,
            Resource::Electricity,
            "Меркурий 230",
            &(41_234_000 + a as u32).to_string(),
            DigitCapacity::new(6, 2).unwrap(),
        );
        m.placement = Placement::Common;
        m.tariffs = 2;
        m.communicator_id = Some(b.id);
        m.bus_address = a.to_string();
        let m = meter::create(&db, &m).await.unwrap();
        meter::set_protocol(&db, c.id, m.id, "mercury", "")
            .await
            .unwrap();
        channel::create_main(&db, &m).await.unwrap();
    }
    poll_job::create_manual(
        &db,
        &poll_job::Manual {
            company_id: c.id,
            object_id: o.id,
            meter_id: None,
            resource: None,
            meters: vec![],
            requested_by: None,
        },
    )
    .await
    .unwrap();
    let started = Instant::now();
    let outcome = server::collect::run_next(&db, "bench")
        .await
        .unwrap()
        .unwrap();
    println!(
        "a poll job of the same bus through SQLite (claim, poll, ingest, log): {:.2} s, {} of {} meters, {} readings",
        started.elapsed().as_secs_f64(),
        outcome.ok,
        outcome.meters,
        outcome.readings
    );
    t.cleanup().await;
}

#[tokio::main]
async fn main() {
    direct(0, &[]).await;
    direct(5, &[]).await;
    direct(0, &[EnergyArray::Today, EnergyArray::Yesterday]).await;
    let months = [EnergyArray::Today, EnergyArray::Yesterday, EnergyArray::Month(12), EnergyArray::Month(11), EnergyArray::Month(10)];
    direct(0, &months).await;
    through_the_database().await;
}
