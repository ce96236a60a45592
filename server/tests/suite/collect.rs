//! The collector against simulated meters over real pseudo-terminals and TCP: scheduled and
//! manual polls fill readings exactly, a silent meter lands in «Не опрошены», damaged replies
//! and noise are counted while the poll goes on, and a bus is polled by one process at a time.

use app::db_test;
use app::models::capacity::DigitCapacity;
use app::models::polling::Category;
use app::models::{MeterState, Placement, Resource};
use app::storage::{
    bus_lease, channel, communicator, company, meter, object, poll_job, poll_result, reading, Db,
};
use rust_decimal::Decimal;
use server::collect::simulator::{self, mbus::MbusMeter, mercury::MercuryMeter, Pace, Shared};
use server::collect::{run_next, schedule};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

struct Site {
    company_id: i64,
    object_id: i64,
    bus_id: i64,
}

/// A company with one building polled at 00:00 (so it is always due) and one bus.
async fn site(db: &Db, line: &str, host: &str, port: Option<i64>, serial_port: &str) -> Site {
    let c = company::create(
        db,
        &company::Company {
            name: "УК «Опрос»".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let o = object::create(
        db,
        &object::Object {
            company_id: c.id,
            name: "Дом с шиной".into(),
            address: "ул. Мосфильмовская, д. 98 корп. 1".into(),
            poll_time: "00:00".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut bus = communicator::create(
        db,
        &communicator::Communicator {
            company_id: c.id,
            object_id: Some(o.id),
            name: "Шина 1".into(),
            line: line.into(),
            host: host.into(),
            port,
            serial_port: serial_port.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // A quick line: the simulators answer within milliseconds.
    bus.timeout_ms = 300;
    bus.retries = 1;
    communicator::set_line(db, &bus).await.unwrap();
    Site {
        company_id: c.id,
        object_id: o.id,
        bus_id: bus.id,
    }
}

/// A meter on the site's bus, read by `protocol` at `address`; its main channel id.
async fn bus_meter(
    db: &Db,
    s: &Site,
    resource: Resource,
    serial: &str,
    protocol: &str,
    address: &str,
    tariffs: i64,
) -> (i64, i64) {
    let mut m = meter::Meter::new(
        s.company_id,
        s.object_id,
        resource,
        "Меркурий 230 ART",
        serial,
        DigitCapacity::new(6, 2).unwrap(),
    );
    m.placement = Placement::Common;
    m.tariffs = tariffs;
    m.communicator_id = Some(s.bus_id);
    m.bus_address = address.into();
    let m = meter::create(db, &m).await.unwrap();
    meter::set_protocol(db, s.company_id, m.id, protocol, "")
        .await
        .unwrap();
    let ch = channel::create_main(db, &m).await.unwrap();
    (m.id, ch.id)
}

/// A site whose bus is a pseudo-terminal with these simulated Mercury meters on it.
async fn pty_site(db: &Db, devices: Vec<Shared>, pace: Pace) -> Site {
    let (path, _bus) = simulator::pty_bus(devices, pace, simulator::mercury::scan_request).unwrap();
    site(db, "rs485", "", None, &path).await
}

/// A Mercury on the site's bus at `address`, serial 4123400<address>.
async fn electricity(db: &Db, s: &Site, address: u8, tariffs: i64) -> (i64, i64) {
    let serial = format!("4123400{address}");
    bus_meter(
        db,
        s,
        Resource::Electricity,
        &serial,
        "mercury",
        &address.to_string(),
        tariffs,
    )
    .await
}

/// A site whose bus is a TCP modem with this M-Bus heat meter behind it at address 5; the
/// meter's id and its heat energy channel.
async fn heat_site(db: &Db, heat: MbusMeter) -> (Site, i64, i64) {
    let (addr, _bus) = simulator::tcp_bus(
        "127.0.0.1:0",
        vec![heat.shared()],
        Pace::default(),
        simulator::mbus::scan_request,
    )
    .await
    .unwrap();
    let s = site(db, "tcp", "127.0.0.1", Some(addr.port() as i64), "").await;
    let (meter_id, energy) = bus_meter(db, &s, Resource::Heat, "77001234", "mbus", "5", 1).await;
    (s, meter_id, energy)
}

/// Queues a poll by hand, as the console does.
async fn manual(
    db: &Db,
    s: &Site,
    meter_id: Option<i64>,
    resource: Option<Resource>,
) -> poll_job::PollJob {
    poll_job::create_manual(
        db,
        &poll_job::Manual {
            company_id: s.company_id,
            object_id: s.object_id,
            meter_id,
            resource,
            meters: vec![],
            requested_by: None,
        },
    )
    .await
    .unwrap()
}

async fn latest(db: &Db, company_id: i64, channel_id: i64) -> reading::Reading {
    reading::latest(
        db,
        company_id,
        channel_id,
        reading::Period::Instant,
        i64::MAX,
    )
    .await
    .unwrap()
    .expect("a polled reading")
}

fn mercury(
    address: u8,
    serial: u32,
    wh: [u64; 4],
) -> (Shared, std::sync::Arc<std::sync::Mutex<MercuryMeter>>) {
    let m = std::sync::Arc::new(std::sync::Mutex::new(MercuryMeter::new(
        address, serial, wh,
    )));
    (m.clone(), m)
}

db_test!(
    scheduled_poll_reads_a_mercury_over_a_paced_pseudo_terminal,
    |db| {
        let (dev, _) = mercury(1, 41_234_001, [200_250, 100_250, 0, 0]);
        let s = pty_site(&db, vec![dev], Pace::real(9600, 10, 15)).await;
        let (meter_id, ch) = electricity(&db, &s, 1, 2).await;

        assert_eq!(
            schedule::plan_due(&db, chrono::Utc::now()).await.unwrap(),
            1
        );
        assert_eq!(
            schedule::plan_due(&db, chrono::Utc::now()).await.unwrap(),
            0,
            "one scheduled poll a day"
        );
        let outcome = run_next(&db, "test").await.unwrap().expect("a due job");
        assert_eq!((outcome.meters, outcome.ok, outcome.readings), (1, 1, 1));
        assert!(run_next(&db, "test").await.unwrap().is_none());

        let r = latest(&db, s.company_id, ch).await;
        assert_eq!(r.total, Some(dec("300.5")));
        assert_eq!(
            r.tariffs,
            [Some(dec("200.25")), Some(dec("100.25")), None, None]
        );
        assert_eq!(r.source, reading::Source::Poll);
        let m = meter::get(&db, s.company_id, meter_id).await.unwrap();
        assert!(m.last_contact_at.is_some());
        let jobs = poll_job::list(&db, s.company_id, 10).await.unwrap();
        assert_eq!(jobs[0].reason, "schedule");
        assert!(jobs[0].finished_at.is_some());
        let results = poll_result::list_for_job(&db, s.company_id, jobs[0].id)
            .await
            .unwrap();
        assert!(results[0].ok, "{:?}", results[0]);
        assert_eq!(results[0].message, "", "serial number matches the card");
    }
);

db_test!(
    manual_poll_reads_an_mbus_heat_meter_over_tcp_in_gcal,
    |db| {
        let mut heat = MbusMeter::new(5, 77_001_234, simulator::mbus::Medium::Heat);
        heat.energy_mcal = 12_345;
        heat.volume_l = 456_789;
        let (s, meter_id, energy) = heat_site(&db, heat).await;
        let volume = channel::create(
            &db,
            &channel::Channel {
                company_id: s.company_id,
                meter_id,
                resource: "heat".into(),
                resource_number: 1,
                parameter: "volume".into(),
                unit: "m3".into(),
                kind: "integral".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

        manual(&db, &s, Some(meter_id), None).await;
        let outcome = run_next(&db, "test").await.unwrap().unwrap();
        assert_eq!((outcome.ok, outcome.readings), (1, 2));
        assert_eq!(
            latest(&db, s.company_id, energy).await.total,
            Some(dec("12.345"))
        );
        assert_eq!(
            latest(&db, s.company_id, volume.id).await.total,
            Some(dec("456.789"))
        );
    }
);

db_test!(
    a_silent_meter_lands_in_not_polled_and_the_others_are_read,
    |db| {
        let (first, _) = mercury(1, 41_234_001, [1_000, 0, 0, 0]);
        let (second, second_ctl) = mercury(2, 41_234_002, [2_000, 0, 0, 0]);
        second_ctl.lock().unwrap().faults.silent = true;
        let s = pty_site(&db, vec![first, second], Pace::default()).await;
        let (_, ch1) = electricity(&db, &s, 1, 1).await;
        let (silent, _) = electricity(&db, &s, 2, 1).await;

        manual(&db, &s, None, Some(Resource::Electricity)).await;
        let outcome = run_next(&db, "test").await.unwrap().unwrap();
        assert_eq!((outcome.meters, outcome.ok), (2, 1));
        assert_eq!(latest(&db, s.company_id, ch1).await.total, Some(dec("1")));
        let missing = poll_result::not_polled(&db, s.company_id, s.object_id, 0)
            .await
            .unwrap();
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].0, silent);
        let last = missing[0].1.as_ref().expect("its failed poll is logged");
        assert_eq!(last.message, "нет ответа");
        assert!(last.timeouts >= 2, "the request was retried: {last:?}");

        // The console of the building says the same.
        let caller = app::auth::caller::Caller {
            user_id: 0,
            login: "dispatcher".into(),
            full_name: String::new(),
            company_id: s.company_id,
            role: app::models::Role::Dispatcher,
            token_hash: String::new(),
            ip: String::new(),
            must_change_password: false,
        };
        let c = app::queries::console::console(
            &db,
            &caller,
            Some(s.object_id),
            None,
            Category::ElectricityCommon,
        )
        .await
        .unwrap();
        assert_eq!((c.total, c.polled, c.not_polled), (2, 1, 1));
        assert!(c.can_poll);
        assert!(c.next_poll.is_some());
        let job = c.job.expect("the manual poll");
        assert_eq!((job.running, job.done, job.total, job.ok), (false, 2, 2, 1));
        assert_eq!(c.rows.len(), 2);
        let row = c.rows.iter().find(|r| r.meter_id == silent).unwrap();
        assert_eq!((row.ok, row.message.as_str()), (Some(false), "нет ответа"));
        let read = c.rows.iter().find(|r| r.meter_id != silent).unwrap();
        assert_eq!(read.values[0], Some(dec("1")));
        assert!(read.polled.is_some() && read.changed.is_some());

        // «Не опрашиваются» lists it with the reason, for the building and company-wide.
        for object in [Some(s.object_id), None] {
            let list = app::queries::not_polled::list(&db, &caller, object, 3).await.unwrap();
            assert_eq!(list.rows.len(), 1, "{list:?}");
            let row = &list.rows[0];
            assert_eq!(row.meter_id, silent);
            assert_eq!(row.silence, app::models::not_polled::Silence::NoAnswer);
            assert_eq!(row.message, "нет ответа");
            assert_eq!((row.last_contact.as_deref(), row.days), (None, None));
            assert!(row.polled.is_some());
        }
        // A meter heard from long ago is listed as quiet, the one read today is not.
        meter::set_last_contact(&db, silent, app::storage::now() - 10 * 86_400)
            .await
            .unwrap();
        let quiet = app::storage::silent_meter::list(&db, s.company_id, None, app::storage::now() - 3 * 86_400)
            .await
            .unwrap();
        assert_eq!(quiet.iter().map(|m| m.meter_id).collect::<Vec<_>>(), vec![silent]);
        assert_eq!(quiet[0].poll_ok, Some(false));
        assert!(app::queries::not_polled::list(&db, &caller, None, 0).await.is_err());
    }
);

db_test!(
    damaged_replies_and_noise_are_counted_and_the_poll_goes_on,
    |db| {
        let (dev, ctl) = mercury(1, 41_234_001, [123_456, 0, 0, 0]);
        {
            let mut m = ctl.lock().unwrap();
            m.faults.damage_every = 2;
            m.faults.noise_before = 3;
        }
        let (path, _bus) =
            simulator::pty_bus(vec![dev], Pace::default(), simulator::mercury::scan_request)
                .unwrap();
        let s = site(&db, "rs485", "", None, &path).await;
        let mut bus = communicator::get(&db, s.company_id, s.bus_id)
            .await
            .unwrap();
        bus.retries = 3;
        communicator::set_line(&db, &bus).await.unwrap();
        let (meter_id, ch) = electricity(&db, &s, 1, 1).await;

        let job = manual(&db, &s, Some(meter_id), None).await;
        let outcome = run_next(&db, "test").await.unwrap().unwrap();
        assert_eq!(outcome.ok, 1);
        assert_eq!(
            latest(&db, s.company_id, ch).await.total,
            Some(dec("123.456"))
        );
        let r = &poll_result::list_for_job(&db, s.company_id, job.id)
            .await
            .unwrap()[0];
        assert!(r.ok);
        assert!(r.crc_errors >= 1, "damaged replies counted: {r:?}");
        assert!(r.garbage_bytes >= 3, "noise counted: {r:?}");
    }
);

db_test!(meters_out_of_operation_are_not_polled, |db| {
    let (dev, _) = mercury(1, 41_234_001, [1_000, 0, 0, 0]);
    let (path, _bus) =
        simulator::pty_bus(vec![dev], Pace::default(), simulator::mercury::scan_request).unwrap();
    let s = site(&db, "rs485", "", None, &path).await;
    let (meter_id, ch) = electricity(&db, &s, 1, 1).await;
    meter::set_state(&db, s.company_id, meter_id, MeterState::Verification)
        .await
        .unwrap();
    assert_eq!(
        schedule::plan_due(&db, chrono::Utc::now()).await.unwrap(),
        0,
        "nothing to poll in the building"
    );
    manual(&db, &s, None, None).await;
    let outcome = run_next(&db, "test").await.unwrap().unwrap();
    assert_eq!(outcome.meters, 0);
    assert!(
        reading::latest(&db, s.company_id, ch, reading::Period::Instant, i64::MAX)
            .await
            .unwrap()
            .is_none()
    );
});

db_test!(a_bus_and_a_job_go_to_one_process_at_a_time, |db| {
    let s = site(&db, "tcp", "127.0.0.1", Some(9), "").await;
    assert!(bus_lease::acquire(&db, s.bus_id, "a", 60).await.unwrap());
    assert!(
        bus_lease::acquire(&db, s.bus_id, "a", 60).await.unwrap(),
        "the holder renews"
    );
    assert!(!bus_lease::acquire(&db, s.bus_id, "b", 60).await.unwrap());
    bus_lease::release(&db, s.bus_id, "a").await.unwrap();
    assert!(bus_lease::acquire(&db, s.bus_id, "b", 60).await.unwrap());

    manual(&db, &s, None, None).await;
    manual(&db, &s, None, None).await;
    let a = poll_job::claim(&db, "a", 600).await.unwrap().unwrap();
    let b = poll_job::claim(&db, "b", 600).await.unwrap().unwrap();
    assert_ne!(a.id, b.id);
    assert!(poll_job::claim(&db, "c", 600).await.unwrap().is_none());
    // A claim older than the lease is taken over.
    assert!(poll_job::claim(&db, "c", -1).await.unwrap().is_some());
});

db_test!(a_poll_left_by_a_killed_process_of_this_host_is_taken_back_at_start, |db| {
    let s = site(&db, "tcp", "127.0.0.1", Some(9), "").await;
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "uchet".into());
    let dead = format!("{host}:4000000");
    let living = format!("{host}:1");
    let elsewhere = "other-host:4000001";
    for holder in [dead.as_str(), living.as_str(), elsewhere] {
        manual(&db, &s, None, None).await;
        assert!(poll_job::claim(&db, holder, 1800).await.unwrap().is_some());
    }
    // a bus lease names the job too, as poll::run takes it
    assert!(bus_lease::acquire(&db, s.bus_id, &format!("{dead}/job 1"), 1800).await.unwrap());
    // pid 1 runs; 4 000 000 does not
    let alive = |pid: u32| pid == 1;
    let (jobs, leases) = server::collect::recover_abandoned(&db, alive).await.unwrap();
    assert_eq!((jobs, leases), (1, 1), "only the dead process's claim and lease");
    let again = poll_job::claim(&db, "restarted", 1800).await.unwrap().expect("claimable at once");
    assert!(poll_job::claim(&db, "restarted", 1800).await.unwrap().is_none(), "the others stay claimed");
    assert!(bus_lease::acquire(&db, s.bus_id, "restarted", 60).await.unwrap());
    assert!(again.finished_at.is_none());
    assert_eq!(server::collect::recover_abandoned(&db, alive).await.unwrap(), (0, 0));
});

db_test!(two_jobs_on_one_bus_take_turns, |db| {
    let devices = (1..=3u8)
        .map(|a| mercury(a, 41_234_000 + a as u32, [a as u64 * 1_000, 0, 0, 0]).0)
        .collect();
    let s = pty_site(&db, devices, Pace::real(9600, 10, 5)).await;
    for a in 1..=3 {
        electricity(&db, &s, a, 1).await;
    }
    manual(&db, &s, None, None).await;
    manual(&db, &s, None, None).await;
    // One process, two jobs at once, as the collector runs them: the second waits for the
    // bus instead of talking over the first.
    let (a, b) = tokio::join!(run_next(&db, "one"), run_next(&db, "one"));
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_eq!((a.meters, a.ok), (3, 3));
    assert_eq!((b.meters, b.ok), (3, 3));
});

/// `Wh` as the kWh a reading keeps.
fn kwh(wh: u64) -> Decimal {
    Decimal::new(wh as i64, 3)
}

db_test!(
    a_poll_after_an_outage_rebuilds_the_missed_midnights_from_the_meters_archives,
    |db| {
        use chrono::{Datelike, NaiveTime, TimeZone};
        let zone = chrono_tz::Europe::Moscow;
        let (dev, ctl) = mercury(1, 41_234_001, [900_000, 450_000, 0, 0]);
        ctl.lock().unwrap().daily_wh = [10_250, 5_125, 0, 0];
        let s = pty_site(&db, vec![dev], Pace::default()).await;
        let (meter_id, ch) = electricity(&db, &s, 1, 2).await;
        // last read 70 days ago; the line has been down since
        let now = chrono::Utc::now();
        let first = now.timestamp() - 70 * 86_400;
        let then = ctl.lock().unwrap().registers_at(first * 1000);
        let mut old = app::storage::testing::fixtures::polled(s.company_id, ch, reading::Period::Instant, first, kwh(then[0] + then[1]));
        old.tariffs = [Some(kwh(then[0])), Some(kwh(then[1])), None, None];
        reading::insert_many(&db, &[old]).await.unwrap();

        let job = manual(&db, &s, Some(meter_id), None).await;
        let outcome = run_next(&db, "test").await.unwrap().unwrap();
        assert_eq!(outcome.ok, 1);
        let result = &poll_result::list_for_job(&db, s.company_id, job.id).await.unwrap()[0];

        let local = now.with_timezone(&zone);
        let minutes = local.time().signed_duration_since(NaiveTime::MIN).num_minutes();
        if !(10..24 * 60 - 10).contains(&minutes) {
            // the meter's clock and ours may name different days: nothing is rebuilt now
            assert_eq!(outcome.readings, 1, "{result:?}");
            return;
        }
        // the midnights the outage missed: today's, yesterday's and every month's first since
        let today = local.date_naive();
        let mut months = Vec::new();
        let mut d = today.with_day(1).unwrap();
        while zone.from_local_datetime(&d.and_time(NaiveTime::MIN)).unwrap().timestamp() > first {
            months.push(d);
            d = d.pred_opt().unwrap().with_day(1).unwrap();
        }
        let mut days: Vec<_> = months.clone();
        days.extend([today.pred_opt().unwrap(), today]);
        days.sort();
        days.dedup();
        assert!(result.message.contains("восстановлены"), "{result:?}");
        assert_eq!(
            outcome.readings as usize,
            1 + days.len() + months.len(),
            "the instant, a day record per midnight and a month record per month: {result:?}"
        );
        let sim = ctl.lock().unwrap();
        for (period, dates) in [(reading::Period::Day, &days), (reading::Period::Month, &months)] {
            for date in dates {
                let ts = zone.from_local_datetime(&date.and_time(NaiveTime::MIN)).unwrap().timestamp();
                let got = reading::list(&db, s.company_id, ch, period, ts, ts + 1).await.unwrap();
                assert_eq!(got.len(), 1, "{period:?} at {date}");
                let want = sim.registers_on(*date);
                assert_eq!(got[0].total, Some(kwh(want[0] + want[1])), "{period:?} at {date}");
                assert_eq!(got[0].tariffs[..2], [Some(kwh(want[0])), Some(kwh(want[1]))], "{period:?} at {date}");
                assert_eq!(got[0].source, reading::Source::Poll);
            }
        }
        drop(sim);

        // the next poll finds nothing missing and asks the registers only
        let again = manual(&db, &s, Some(meter_id), None).await;
        run_next(&db, "test").await.unwrap().unwrap();
        let plain = &poll_result::list_for_job(&db, s.company_id, again.id).await.unwrap()[0];
        assert!(plain.ok, "{plain:?}");
        assert!(!plain.message.contains("восстановлены"), "{plain:?}");
        // open, serial, sum, T1, T2, close
        assert_eq!(plain.requests, 6, "{plain:?}");
        assert!(result.requests > plain.requests, "{result:?}");
    }
);

db_test!(
    a_meter_without_archives_is_still_read_and_the_log_says_why,
    |db| {
        use chrono::NaiveTime;
        let (dev, ctl) = mercury(1, 41_234_001, [5_000, 0, 0, 0]);
        // a meter that answers "bad command" to every period but since reset
        ctl.lock().unwrap().archives = false;
        let s = pty_site(&db, vec![dev], Pace::default()).await;
        let (meter_id, ch) = electricity(&db, &s, 1, 1).await;
        let first = chrono::Utc::now().timestamp() - 3 * 86_400;
        let old = app::storage::testing::fixtures::polled(s.company_id, ch, reading::Period::Instant, first, dec("4"));
        reading::insert_many(&db, &[old]).await.unwrap();

        let job = manual(&db, &s, Some(meter_id), None).await;
        let outcome = run_next(&db, "test").await.unwrap().unwrap();
        assert_eq!((outcome.ok, outcome.readings), (1, 1));
        assert_eq!(latest(&db, s.company_id, ch).await.total, Some(dec("5")));
        let minutes = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Moscow)
            .time()
            .signed_duration_since(NaiveTime::MIN)
            .num_minutes();
        if (10..24 * 60 - 10).contains(&minutes) {
            let r = &poll_result::list_for_job(&db, s.company_id, job.id).await.unwrap()[0];
            assert!(r.ok);
            assert!(r.message.contains("архив счётчика не прочитан"), "{r:?}");
        }
    }
);

db_test!(
    an_mbus_heat_meters_stored_month_end_becomes_the_months_first_record,
    |db| {
        use chrono::{Datelike, NaiveTime, TimeZone};
        let zone = chrono_tz::Europe::Moscow;
        let mut heat = MbusMeter::new(5, 77_001_234, simulator::mbus::Medium::Heat);
        heat.energy_mcal = 12_345;
        heat.month_end_mcal = Some(11_002);
        let (s, meter_id, energy) = heat_site(&db, heat).await;
        let first = chrono::Utc::now().timestamp() - 70 * 86_400;
        let old = app::storage::testing::fixtures::polled(s.company_id, energy, reading::Period::Instant, first, dec("9"));
        reading::insert_many(&db, &[old]).await.unwrap();

        let job = manual(&db, &s, Some(meter_id), None).await;
        let outcome = run_next(&db, "test").await.unwrap().unwrap();
        // the value now, and the month's end as the month's record and as its first day's
        assert_eq!((outcome.ok, outcome.readings), (1, 3));
        assert_eq!(latest(&db, s.company_id, energy).await.total, Some(dec("12.345")));
        let first_of_month = chrono::Utc::now().with_timezone(&zone).date_naive().with_day(1).unwrap();
        let ts = zone.from_local_datetime(&first_of_month.and_time(NaiveTime::MIN)).unwrap().timestamp();
        for period in [reading::Period::Month, reading::Period::Day] {
            let got = reading::list(&db, s.company_id, energy, period, ts, ts + 1).await.unwrap();
            assert_eq!(got.len(), 1, "{period:?}");
            assert_eq!(got[0].total, Some(dec("11.002")), "{period:?}");
        }
        let r = &poll_result::list_for_job(&db, s.company_id, job.id).await.unwrap()[0];
        assert!(r.message.contains("восстановлены"), "{r:?}");

        // polled again, the stored value is already there
        let second = manual(&db, &s, Some(meter_id), None).await;
        let again = run_next(&db, "test").await.unwrap().unwrap();
        assert!(again.readings <= 1, "{again:?}");
        let r = &poll_result::list_for_job(&db, s.company_id, second.id).await.unwrap()[0];
        assert!(!r.message.contains("восстановлены"), "{r:?}");
    }
);

db_test!(
    a_mercurys_journals_become_events_once_a_day_and_a_lasting_one_ends_when_the_meter_says_so,
    |db| {
        use app::storage::event;
        use server::collect::protocol::mercury::journal::{Journal, Record};
        let zone = chrono_tz::Europe::Moscow;
        let local = |days: i64, h: u32, m: u32, s: u32| {
            (chrono::Utc::now().with_timezone(&zone).date_naive() - chrono::Duration::days(days)).and_hms_opt(h, m, s).unwrap()
        };
        let utc = |t: chrono::NaiveDateTime| t.and_local_timezone(zone).unwrap().timestamp();
        let (opened, closed, magnet) = (local(2, 14, 3, 27), local(2, 14, 7, 5), local(1, 9, 0, 0));
        let (dev, ctl) = mercury(1, 41_234_001, [5_000, 0, 0, 0]);
        // the power journal is not kept by this model: a bad command, passed over
        ctl.lock().unwrap().journals = vec![
            (Journal::Cover, vec![Record { began: opened, ended: Some(closed) }]),
            (Journal::Magnet, vec![Record { began: magnet, ended: None }]),
        ];
        let s = pty_site(&db, vec![dev], Pace::default()).await;
        let (meter_id, _) = electricity(&db, &s, 1, 1).await;

        let job = manual(&db, &s, Some(meter_id), None).await;
        let outcome = run_next(&db, "test").await.unwrap().unwrap();
        assert_eq!((outcome.ok, outcome.readings), (1, 1));
        let result = &poll_result::list_for_job(&db, s.company_id, job.id).await.unwrap()[0];
        assert!(result.message.contains("новых событий 2"), "{result:?}");
        let all = |db: Db| async move {
            event::list(&db, s.company_id, &event::Filter { meter_id: Some(meter_id), limit: 100, ..Default::default() }).await.unwrap()
        };
        let events = all(db.clone()).await;
        assert_eq!(events.len(), 2, "{events:?}");
        let magnet_event = &events[0];
        assert_eq!((magnet_event.kind.as_str(), magnet_event.severity.as_str(), magnet_event.source.as_str()), ("magnet", "alarm", "meter"));
        assert_eq!((magnet_event.started_at, magnet_event.ended_at), (utc(magnet), None));
        let cover = &events[1];
        assert_eq!(cover.kind, "cover_opened");
        assert_eq!((cover.started_at, cover.ended_at), (utc(opened), Some(utc(closed))));
        assert!(cover.details.contains(&opened.format("%d.%m.%Y %H:%M:%S").to_string()), "{}", cover.details);

        // the next poll the same day does not ask the journals: the registers only
        let again = manual(&db, &s, Some(meter_id), None).await;
        run_next(&db, "test").await.unwrap().unwrap();
        let plain = &poll_result::list_for_job(&db, s.company_id, again.id).await.unwrap()[0];
        // open, serial, sum, T1, close
        assert_eq!(plain.requests, 5, "{plain:?}");

        // a day later the magnet is gone by the meter's journal: the same event ends, nothing
        // is added
        let ended = local(1, 18, 0, 0);
        ctl.lock().unwrap().journals[1].1[0].ended = Some(ended);
        sqlx::query("UPDATE meters SET journals_read_at = journals_read_at - 86400 WHERE id = $1")
            .bind(meter_id)
            .execute(db.pool())
            .await
            .unwrap();
        manual(&db, &s, Some(meter_id), None).await;
        run_next(&db, "test").await.unwrap().unwrap();
        let events = all(db.clone()).await;
        assert_eq!(events.len(), 2, "kept once: {events:?}");
        assert_eq!(events[0].ended_at, Some(utc(ended)));
        assert_eq!(events[1].ended_at, Some(utc(closed)));
    }
);

db_test!(
    an_mbus_meters_low_battery_opens_one_event_until_its_status_byte_clears,
    |db| {
        use app::storage::event;
        let mut heat = MbusMeter::new(5, 77_001_234, simulator::mbus::Medium::Heat);
        heat.energy_mcal = 12_345;
        heat.status = 0x04;
        let heat = std::sync::Arc::new(std::sync::Mutex::new(heat));
        let (addr, _bus) = simulator::tcp_bus("127.0.0.1:0", vec![heat.clone() as Shared], Pace::default(), simulator::mbus::scan_request)
            .await
            .unwrap();
        let s = site(&db, "tcp", "127.0.0.1", Some(addr.port() as i64), "").await;
        let (meter_id, _) = bus_meter(&db, &s, Resource::Heat, "77001234", "mbus", "5", 1).await;
        let events = |db: Db| async move {
            event::list(&db, s.company_id, &event::Filter { meter_id: Some(meter_id), limit: 100, ..Default::default() }).await.unwrap()
        };

        // two polls while the battery is low: one event, its words in the poll log
        for _ in 0..2 {
            let job = manual(&db, &s, Some(meter_id), None).await;
            assert_eq!(run_next(&db, "test").await.unwrap().unwrap().ok, 1);
            let result = &poll_result::list_for_job(&db, s.company_id, job.id).await.unwrap()[0];
            assert!(result.message.contains("слово состояния 0x04: низкое питание"), "{result:?}");
        }
        let got = events(db.clone()).await;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].kind.as_str(), got[0].severity.as_str(), got[0].source.as_str(), got[0].ended_at), ("battery_low", "warning", "meter", None));

        // the battery replaced, and now a passing error: the first ends, the second opens
        heat.lock().unwrap().status = 0x10;
        manual(&db, &s, Some(meter_id), None).await;
        run_next(&db, "test").await.unwrap().unwrap();
        let got = events(db.clone()).await;
        let kinds: Vec<(&str, bool)> = got.iter().map(|e| (e.kind.as_str(), e.ended_at.is_some())).collect();
        assert_eq!(kinds, vec![("meter_error", false), ("battery_low", true)]);
        assert!(got[0].details.contains("временная ошибка"), "{}", got[0].details);
        heat.lock().unwrap().status = 0;
        manual(&db, &s, Some(meter_id), None).await;
        run_next(&db, "test").await.unwrap().unwrap();
        assert!(events(db.clone()).await.iter().all(|e| e.ended_at.is_some()), "a clear status ends them all");
    }
);
