//! The demo company: buildings with Russian addresses, flats with accounts, electricity
//! (1–4 tariffs), heat and water meters, common building meters, and a year of daily
//! integral readings with seasonal shapes, gaps, a counter rollover, a meter that went silent
//! and a reading that went down. `min_meters` grows the same world to benchmark size.

pub mod buses;
pub mod lora;
mod cabinet;
mod deviation;
mod people;
mod seasons;
pub mod shapes;

use app::models::capacity::DigitCapacity;
use app::models::{MeterState, Placement, Resource, Role};
use app::storage::reading::{Kind, Period, Reading, Source};
use app::storage::{
    self, account, channel, city, communicator, company, meter, norm, object, premise, reading, Db,
    StorageError,
};
use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

pub const DEMO_PASSWORD: &str = "uchet-demo";

#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// Keep adding buildings until the companies have at least this many meters.
    pub min_meters: usize,
    /// Days of daily readings, ending today.
    pub days: i64,
    /// The last day of readings. By default Moscow's today (the demo company's clock), not
    /// UTC's: from 21:00 UTC Moscow's day has begun and its midnight reading is due.
    pub today: NaiveDate,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            min_meters: 0,
            days: 366,
            today: chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive(),
            seed: 2026,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct DemoReport {
    pub objects: usize,
    pub premises: usize,
    pub meters: usize,
    pub readings: u64,
    pub logins: Vec<(String, Role, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already holds companies; the demo loads only into an empty one")]
    NotEmpty,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("consumption rollup: {0}")]
    Rollup(String),
    #[error("bad time zone {0}")]
    TimeZone(String),
}

struct BuildingSpec {
    name: String,
    address: String,
    entrances: u32,
    floors: u32,
    per_floor: u32,
    flat_heat_meters: bool,
    lat: f64,
    lon: f64,
}

/// What happens to special meters, so the monitoring has something to find.
#[derive(Clone, Copy, PartialEq)]
enum Story {
    Normal,
    /// Stops answering this many days before today.
    Silent(i64),
    /// One reading this many days before today is lower than the day before.
    WentDown(i64),
    /// Starts close enough to its capacity to roll over during the year.
    RollsOver,
    /// The register stopped turning these last days while the flat kept using the resource:
    /// the building's common meter still counts it, so its balance goes over the norm.
    Stuck(i64),
    /// Read by hand once a month on `day` (inside the billing window) by the controller, no
    /// reading in the last `missed` days: the billing period's average, then its norm.
    HandRead { day: u32, missed: i64 },
}

pub async fn generate(
    db: &Db,
    opts: &DemoOptions,
    progress: impl Fn(&str),
) -> Result<DemoReport, DemoError> {
    if company::get_count(db).await? > 0 {
        return Err(DemoError::NotEmpty);
    }
    let mut rng = SmallRng::seed_from_u64(opts.seed);
    let mut report = DemoReport::default();

    let ogni = company::create(
        db,
        &company::Company {
            name: "ООО «УК Огни»".into(),
            kind: "uk".into(),
            inn: "7729123456".into(),
            kpp: "772901001".into(),
            ogrn: "1157746123456".into(),
            legal_address: "119285, г. Москва, ул. Мосфильмовская, д. 98, корп. 1, пом. 1".into(),
            actual_address: "119285, г. Москва, ул. Мосфильмовская, д. 98, корп. 1, пом. 1".into(),
            phone: "+7 (495) 123-45-67".into(),
            email: "dispatch@uk-ogni.ru".into(),
            working_hours: "пн–пт 9:00–18:00; диспетчерская круглосуточно".into(),
            ..Default::default()
        },
    )
    .await?;
    let rassvet = company::create(
        db,
        &company::Company {
            name: "ТСЖ «Рассвет»".into(),
            kind: "tsj".into(),
            inn: "5406123456".into(),
            kpp: "540601001".into(),
            ogrn: "1105406012345".into(),
            legal_address: "630099, г. Новосибирск, ул. Ленина, д. 21".into(),
            actual_address: "630099, г. Новосибирск, ул. Ленина, д. 21".into(),
            phone: "+7 (383) 222-33-44".into(),
            email: "tsj-rassvet@mail.ru".into(),
            working_hours: "пн–пт 10:00–17:00".into(),
            ..Default::default()
        },
    )
    .await?;
    let moscow = city::get_or_create(db, "Москва", "г. Москва", "Europe/Moscow").await?;
    let novosibirsk = city::get_or_create(
        db,
        "Новосибирск",
        "Новосибирская область",
        "Asia/Novosibirsk",
    )
    .await?;
    city::attach_to_company(db, ogni.id, moscow.id).await?;
    city::attach_to_company(db, rassvet.id, novosibirsk.id).await?;
    // the allowed imbalance of the buildings' balance: the common meters above the flats'
    // sum by the losses of the pipes and cables inside
    for c in [ogni.id, rassvet.id] {
        for (resource, allowed) in [(Resource::Electricity, 8), (Resource::ColdWater, 5), (Resource::Heat, 15)] {
            norm::set(db, norm::Kind::Imbalance, c, norm::Scope::Company, resource, Some(Decimal::from(allowed))).await?;
        }
    }
    // Moscow's water norms per resident a month (flats with full amenities): what a flat
    // whose readings are missing longer than the average may stand in is charged
    for (resource, per_resident) in [(Resource::ColdWater, "6.935"), (Resource::HotWater, "4.745")] {
        let v = per_resident.parse::<Decimal>().expect("a decimal");
        norm::set(db, norm::Kind::Consumption, ogni.id, norm::Scope::Company, resource, Some(v)).await?;
    }

    let mut ogni_buildings = vec![
        BuildingSpec {
            name: "ЖК «Огни», корпус 1".into(),
            address: "г. Москва, ул. Мосфильмовская, д. 98 корп. 1".into(),
            entrances: 4,
            floors: 17,
            per_floor: 4,
            flat_heat_meters: true,
            lat: 55.7105,
            lon: 37.5047,
        },
        BuildingSpec {
            name: "ЖК «Огни», корпус 2".into(),
            address: "г. Москва, ул. Мосфильмовская, д. 98 корп. 2".into(),
            entrances: 3,
            floors: 17,
            per_floor: 4,
            flat_heat_meters: true,
            lat: 55.7112,
            lon: 37.5068,
        },
        BuildingSpec {
            name: "ул. Винницкая, д. 8".into(),
            address: "г. Москва, ул. Винницкая, д. 8".into(),
            entrances: 6,
            floors: 9,
            per_floor: 4,
            flat_heat_meters: false,
            lat: 55.6948,
            lon: 37.5006,
        },
    ];
    let rassvet_buildings = vec![BuildingSpec {
        name: "ул. Ленина, д. 21".into(),
        address: "г. Новосибирск, ул. Ленина, д. 21".into(),
        entrances: 4,
        floors: 5,
        per_floor: 3,
        flat_heat_meters: false,
        lat: 55.0302,
        lon: 82.9204,
    }];
    // Benchmark size: more Moscow buildings of about a thousand meters each.
    let per_building_estimate = 4 * 17 * 4 * 4;
    let base_meters = 2700;
    let mut n = 0;
    while base_meters + n * per_building_estimate < opts.min_meters {
        n += 1;
        let street = people::STREETS[n % people::STREETS.len()];
        ogni_buildings.push(BuildingSpec {
            name: format!("{street}, д. {}", 10 + n),
            address: format!("г. Москва, {street}, д. {}", 10 + n),
            // every tenth a larger one, about 1 370 meters (the export benchmark's building)
            entrances: if n % 10 == 1 { 5 } else { 4 },
            floors: 17,
            per_floor: 4,
            flat_heat_meters: true,
            lat: 55.60 + rng.gen_range(0.0..0.25),
            lon: 37.40 + rng.gen_range(0.0..0.35),
        });
    }

    let mut serial = 41_000_000u64;
    for (company_id, city_id, tz, buildings) in [
        (ogni.id, moscow.id, "Europe/Moscow", ogni_buildings),
        (
            rassvet.id,
            novosibirsk.id,
            "Asia/Novosibirsk",
            rassvet_buildings,
        ),
    ] {
        let tz: Tz = tz.parse().map_err(|_| DemoError::TimeZone(tz.into()))?;
        for (i, spec) in buildings.iter().enumerate() {
            progress(&format!(
                "демо: {} ({}/{})",
                spec.name,
                i + 1,
                buildings.len()
            ));
            let first_of_company = i == 0 && company_id == ogni.id;
            building(
                db,
                &mut rng,
                opts,
                company_id,
                city_id,
                tz,
                i,
                spec,
                first_of_company,
                &mut serial,
                &mut report,
            )
            .await?;
        }
    }
    people::users(db, ogni.id, rassvet.id, &mut report).await?;
    progress("heating seasons");
    seasons::generate(db, opts, &[ogni.id, rassvet.id]).await?;
    progress("residents' requests and notices");
    cabinet::generate(db, ogni.id, storage::now()).await?;
    progress("LoRaWAN devices and their packets");
    lora::generate(db, rassvet.id, storage::now()).await?;
    progress("deviation rules of a building's common meters");
    deviation::generate(db, ogni.id, storage::now()).await?;
    progress("daily consumption rollup");
    app::rollup::refresh_stale(db, None, usize::MAX)
        .await
        .map_err(|e| DemoError::Rollup(e.to_string()))?;
    storage::analyze(db).await?;
    Ok(report)
}

struct Planned {
    meter: meter::Meter,
    channel_id: i64,
    daily: Vec<Vec<i64>>,
    story: Story,
}

#[allow(clippy::too_many_arguments)]
async fn building(
    db: &Db,
    rng: &mut SmallRng,
    opts: &DemoOptions,
    company_id: i64,
    city_id: i64,
    tz: Tz,
    index: usize,
    spec: &BuildingSpec,
    has_stories: bool,
    serial: &mut u64,
    report: &mut DemoReport,
) -> Result<(), DemoError> {
    let flats = spec.entrances * spec.floors * spec.per_floor;
    let areas: Vec<f64> = (0..flats)
        .map(|_| [38.4, 42.1, 54.7, 61.3, 74.8, 92.5][rng.gen_range(0..6)])
        .collect();
    let total_area: f64 = areas.iter().sum::<f64>() * 1.18;
    let residents: Vec<i64> = (0..flats).map(|_| rng.gen_range(1..=4)).collect();
    let o = object::create(
        db,
        &object::Object {
            company_id,
            city_id: Some(city_id),
            name: spec.name.clone(),
            address: spec.address.clone(),
            fias_code: people::fias(rng),
            latitude: Some(spec.lat),
            longitude: Some(spec.lon),
            total_area: format!("{:.1}", total_area),
            residents: residents.iter().sum(),
            time_zone: tz.name().into(),
            heating_season: shapes::heating(opts.today),
            ..Default::default()
        },
    )
    .await?;
    report.objects += 1;
    let bus = communicator::create(
        db,
        &communicator::Communicator {
            company_id,
            object_id: Some(o.id),
            name: format!("Шлюз RS-485/TCP, {}", spec.name),
            line: "tcp".into(),
            host: format!("10.20.{}.10", index % 250),
            port: Some(4001),
            ..Default::default()
        },
    )
    .await?;

    let days: Vec<NaiveDate> = (0..opts.days)
        .rev()
        .map(|d| opts.today - Duration::days(d))
        .collect();
    let mut planned: Vec<Planned> = Vec::new();
    // Daily building sums by resource, in thousandths, for the common meters.
    let mut sums = std::collections::HashMap::<Resource, Vec<i64>>::new();

    let mut flat_no = 0u32;
    for entrance in 1..=spec.entrances {
        for floor in 1..=spec.floors {
            for _ in 0..spec.per_floor {
                flat_no += 1;
                let k = (flat_no - 1) as usize;
                let p = premise::create(
                    db,
                    &premise::Premise {
                        company_id,
                        object_id: o.id,
                        number: flat_no.to_string(),
                        entrance: Some(entrance as i64),
                        floor: Some(floor as i64),
                        area: format!("{:.1}", areas[k]),
                        residents: residents[k],
                        ..Default::default()
                    },
                )
                .await?;
                account::create(
                    db,
                    &account::Account {
                        id: 0,
                        company_id,
                        premise_id: p.id,
                        number: format!("{:02}{:03}{:04}", company_id, index + 1, flat_no),
                        owner_name: people::owner(rng),
                    },
                )
                .await?;
                report.premises += 1;

                let people = residents[k] as f64;
                let tariffs = match rng.gen_range(0..100) {
                    0..=39 => 1,
                    40..=84 => 2,
                    85..=94 => 3,
                    _ => 4,
                };
                let mut kinds = vec![
                    Resource::Electricity,
                    Resource::ColdWater,
                    Resource::HotWater,
                ];
                if spec.flat_heat_meters {
                    kinds.push(Resource::Heat);
                }
                for resource in kinds {
                    let story = if has_stories {
                        match (flat_no, resource) {
                            (7, Resource::Electricity) => Story::Silent(20),
                            (3, Resource::ColdWater) => Story::WentDown(40),
                            (5, Resource::ColdWater) => Story::RollsOver,
                            _ => Story::Normal,
                        }
                    } else if index == 1 && resource == Resource::ColdWater && (69..=80).contains(&flat_no) {
                        // the company's second building (only Огни has one): twelve flats of
                        // its second entrance whose cold-water meters stuck two months ago
                        Story::Stuck(60)
                    } else if index == 2 && resource == Resource::HotWater {
                        // the old building on Винницкая: hot water is read by hand, between the
                        // 15th and the 24th; flats 4, 14, 24… missed the last month, flat 8
                        // the last eight (its figures fall to the norm)
                        Story::HandRead {
                            day: 15 + flat_no % 10,
                            missed: match flat_no {
                                8 => 245,
                                n if n % 10 == 4 => 45,
                                _ => 0,
                            },
                        }
                    } else {
                        Story::Normal
                    };
                    let base = match resource {
                        Resource::Electricity => 4.0 + 2.5 * people,
                        Resource::ColdWater => 0.07 * people + 0.03,
                        Resource::HotWater => 0.045 * people + 0.02,
                        _ => areas[k],
                    };
                    let daily: Vec<Vec<i64>> = days
                        .iter()
                        .map(|&d| {
                            let q = match resource {
                                Resource::Electricity => shapes::electricity(rng, base, d),
                                Resource::ColdWater => shapes::cold_water(rng, base, d),
                                Resource::HotWater => shapes::hot_water(rng, base, d),
                                _ => shapes::heat(rng, base, d),
                            };
                            let n_tariffs = if resource == Resource::Electricity {
                                tariffs
                            } else {
                                1
                            };
                            shapes::split_tariffs(q, n_tariffs)
                        })
                        .collect();
                    let sum = sums.entry(resource).or_insert_with(|| vec![0; days.len()]);
                    for (i, parts) in daily.iter().enumerate() {
                        sum[i] += parts.iter().sum::<i64>();
                    }
                    *serial += 1;
                    let (model, capacity) = flat_model(resource);
                    let mut m = meter::Meter::new(
                        company_id,
                        o.id,
                        resource,
                        model,
                        &serial.to_string(),
                        capacity,
                    );
                    m.premise_id = Some(p.id);
                    m.placement = Placement::Individual;
                    m.tariffs = if resource == Resource::Electricity {
                        tariffs as i64
                    } else {
                        1
                    };
                    dates(rng, &mut m, opts.today);
                    if resource == Resource::Electricity {
                        // a flat's single-phase meter hangs on one line of the input, in turn
                        m.phase = format!("L{}", flat_no % 3 + 1);
                    }
                    if resource == Resource::Electricity || resource == Resource::Heat {
                        m.communicator_id = Some(bus.id);
                        m.bus_address = mercury_address(*serial);
                    }
                    planned.push(plan(db, m, daily, story).await?);
                }
            }
        }
    }

    // Common meters (ОДПУ): the building's own inputs, a little above the flats' sum.
    let electricity = sums
        .get(&Resource::Electricity)
        .cloned()
        .unwrap_or_default();
    for input in 1..=2 {
        let daily = electricity
            .iter()
            .map(|q| shapes::split_tariffs(q * 106 / 100 / 2 / 60, 2))
            .collect();
        *serial += 1;
        let mut m = meter::Meter::new(
            company_id,
            o.id,
            Resource::Electricity,
            "Меркурий 230 ART-03 PQRSIDN",
            &serial.to_string(),
            DigitCapacity::new(6, 2).unwrap(),
        );
        m.tariffs = 2;
        m.multiplier = Decimal::from(60);
        m.communicator_id = Some(bus.id);
        m.bus_address = mercury_address(*serial);
        m.barcode = format!("ВРУ-{input}");
        dates(rng, &mut m, opts.today);
        planned.push(plan(db, m, daily, Story::Normal).await?);
    }
    let heat: Vec<i64> = match sums.get(&Resource::Heat) {
        Some(h) => h.iter().map(|q| q * 112 / 100).collect(),
        None => days
            .iter()
            .map(|&d| shapes::heat(rng, total_area, d))
            .collect(),
    };
    *serial += 1;
    let mut m = meter::Meter::new(
        company_id,
        o.id,
        Resource::Heat,
        "ТВ-7",
        &serial.to_string(),
        DigitCapacity::new(7, 3).unwrap(),
    );
    dates(rng, &mut m, opts.today);
    planned.push(
        plan(
            db,
            m,
            heat.into_iter().map(|q| vec![q]).collect(),
            Story::Normal,
        )
        .await?,
    );
    let cold = sums.get(&Resource::ColdWater).cloned().unwrap_or_default();
    *serial += 1;
    let mut m = meter::Meter::new(
        company_id,
        o.id,
        Resource::ColdWater,
        // read over Modbus TCP in the demo's first building (see demo/buses.rs)
        "Modbus-счётчик воды ВСХН-50",
        &serial.to_string(),
        DigitCapacity::new(6, 3).unwrap(),
    );
    dates(rng, &mut m, opts.today);
    planned.push(
        plan(
            db,
            m,
            cold.into_iter().map(|q| vec![q * 104 / 100]).collect(),
            Story::Normal,
        )
        .await?,
    );

    tracing::debug!(object = %spec.name, meters = planned.len(), "demo meters created");
    let now = storage::now();
    let mut batch = Vec::with_capacity(planned.len() * days.len());
    for p in &planned {
        let last = readings_of(rng, p, &days, tz, company_id, now, &mut batch);
        if let Some(ts) = last {
            meter::set_last_contact(db, p.meter.id, (ts + 7 * 3600).min(now)).await?;
        }
    }
    report.meters += planned.len();
    tracing::debug!(object = %spec.name, readings = batch.len(), "demo readings generated");
    report.readings += reading::insert_many(db, &batch).await?;
    tracing::debug!(object = %spec.name, "demo readings stored");
    Ok(())
}

async fn plan(
    db: &Db,
    m: meter::Meter,
    daily: Vec<Vec<i64>>,
    story: Story,
) -> Result<Planned, DemoError> {
    let m = meter::create(db, &m).await?;
    let ch = channel::create_main(db, &m).await?;
    Ok(Planned {
        meter: m,
        channel_id: ch.id,
        daily,
        story,
    })
}

/// How many last days of hourly archive the demo's common meters carry.
const HOURLY_DAYS: i64 = 21;

/// A building's day by the hour: quiet at night, peaks in the morning and the evening.
const HOUR_WEIGHTS: [i64; 24] = [2, 2, 2, 2, 2, 3, 5, 7, 6, 5, 4, 4, 4, 4, 4, 4, 5, 6, 8, 9, 8, 6, 4, 3];
const HOUR_WEIGHT_SUM: i64 = 109;

/// Turns a meter's daily consumption into the integral readings it would show at each
/// local midnight, honouring its digit capacity. Returns the last stored device time.
fn readings_of(
    rng: &mut SmallRng,
    p: &Planned,
    days: &[NaiveDate],
    tz: Tz,
    company_id: i64,
    now: i64,
    out: &mut Vec<Reading>,
) -> Option<i64> {
    let cap = p.meter.capacity;
    // Registers count in the meter's own resolution; thousandths finer than it are dropped.
    let resolution = 10i64.pow(3u32.saturating_sub(cap.fraction() as u32));
    let modulus = 10i64.pow(cap.integer() as u32) * 1000;
    let tariffs = p.daily.first().map(|v| v.len()).unwrap_or(1);
    let start = match p.story {
        Story::RollsOver => modulus - 6_000 * resolution.max(1),
        _ => rng.gen_range(0..modulus / 20) / resolution * resolution,
    };
    let mut registers: Vec<i64> = (0..tariffs)
        .map(|t| {
            if t == 0 {
                start
            } else {
                rng.gen_range(0..modulus / 50) / resolution * resolution
            }
        })
        .collect();
    let mut total: i64 = registers.iter().sum::<i64>() % modulus;
    let gap = (rng.gen_range(0..100) < 3).then(|| {
        let from = rng.gen_range(0..days.len().saturating_sub(10).max(1));
        from..from + rng.gen_range(2..7)
    });
    let mut last = None;
    let n = days.len();
    for (i, day) in days.iter().enumerate() {
        let ago = (n - 1 - i) as i64;
        let silent = matches!(p.story, Story::Silent(d) if ago < d);
        let skipped = gap.as_ref().is_some_and(|g| g.contains(&i));
        if let Story::HandRead { day: read_on, missed } = p.story {
            // typed by the controller in the afternoon, from the register as it stood
            let ts = app::consumption::calendar::day_start(tz, *day) + (13 + read_on as i64 % 5) * 3600;
            if day.day() == read_on && ago >= missed && ts <= now {
                out.push(Reading {
                    channel_id: p.channel_id,
                    company_id,
                    period: Period::Instant,
                    ts,
                    kind: Kind::Integral,
                    total: Some(shapes::dec(total)),
                    tariffs: [None; 4],
                    source: Source::FieldStaff,
                    flags: 0,
                    entered_by: None,
                    entry_id: None,
                    received_at: ts,
                });
                last = Some(ts);
            }
        } else if !silent && !skipped {
            let ts = app::consumption::calendar::day_start(tz, *day);
            let mut values: Vec<i64> = registers.clone();
            let mut shown_total = total;
            let mut flags = 0;
            if matches!(p.story, Story::WentDown(d) if ago == d) {
                values[0] = (values[0] - 1_500).rem_euclid(modulus);
                shown_total = (shown_total - 1_500).rem_euclid(modulus);
                // as the collector's checks would have it: stored, waiting for a dispatcher
                flags = app::storage::reading::flags::DECREASED | app::storage::reading::flags::NEEDS_CONFIRMATION;
            }
            let mut tariff_values = [None; 4];
            if p.meter.resource == Resource::Electricity {
                for (t, v) in values.iter().enumerate().take(4) {
                    tariff_values[t] = Some(shapes::dec(*v));
                }
            }
            let record = |period: Period, ts: i64, total: i64, tariffs: [Option<Decimal>; 4]| Reading {
                channel_id: p.channel_id,
                company_id,
                period,
                ts,
                kind: Kind::Integral,
                total: Some(shapes::dec(total)),
                tariffs,
                source: Source::Poll,
                flags,
                entered_by: None,
                entry_id: None,
                received_at: (ts + 7 * 3600).min(now),
            };
            out.push(record(Period::Day, ts, shown_total, tariff_values));
            // the meter's monthly archive: its registers at the start of each month
            if day.day() == 1 {
                out.push(record(Period::Month, ts, shown_total, tariff_values));
            }
            // common meters (ОДПУ) keep an hourly archive; the demo stores its last weeks
            if p.meter.placement == Placement::Common && ago < HOURLY_DAYS {
                let day_total: i64 = p.daily[i].iter().map(|q| q / resolution * resolution).sum();
                out.push(record(Period::Hour, ts, shown_total, [None; 4]));
                let mut before = 0;
                for h in (1..24).take_while(|h| ts + h * 3600 <= now) {
                    before += HOUR_WEIGHTS[h as usize - 1];
                    let part = day_total * before / HOUR_WEIGHT_SUM / resolution * resolution;
                    out.push(record(Period::Hour, ts + h * 3600, (shown_total + part) % modulus, [None; 4]));
                }
            }
            last = Some(ts);
        }
        if matches!(p.story, Story::Stuck(d) if ago < d) {
            continue;
        }
        for (t, q) in p.daily[i].iter().enumerate() {
            let q = q / resolution * resolution;
            registers[t] = (registers[t] + q) % modulus;
            total = (total + q) % modulus;
        }
    }
    last
}

fn flat_model(resource: Resource) -> (&'static str, DigitCapacity) {
    match resource {
        Resource::Electricity => ("Меркурий 230 ART-01", DigitCapacity::new(6, 2).unwrap()),
        Resource::ColdWater => ("Пульсар ВСХд-15", DigitCapacity::new(5, 3).unwrap()),
        Resource::HotWater => ("Пульсар ВСГд-15", DigitCapacity::new(5, 3).unwrap()),
        _ => ("Пульсар Т Ду15", DigitCapacity::new(4, 3).unwrap()),
    }
}

/// Mercury's default bus address: the last three digits of the serial if below 240, else
/// the last two.
pub fn mercury_address(serial: u64) -> String {
    crate::collect::protocol::mercury::default_address(&serial.to_string())
        .map(|a| a.to_string())
        .unwrap_or_default()
}

fn dates(rng: &mut SmallRng, m: &mut meter::Meter, today: NaiveDate) {
    let installed = NaiveDate::from_ymd_opt(
        rng.gen_range(2017..=2024),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28),
    )
    .unwrap();
    let years = match m.resource {
        Resource::Electricity => 16,
        Resource::Heat => 4,
        _ => 6,
    };
    m.installed_on = Some(installed);
    let mut verified = installed;
    while verified
        .with_year(verified.year() + years)
        .is_some_and(|next| next <= today - Duration::days(rng.gen_range(0..200)))
    {
        verified = verified.with_year(verified.year() + years).unwrap();
    }
    m.verified_on = Some(verified);
    m.next_verification_on = verified.with_year(verified.year() + years);
    m.state = MeterState::InOperation;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercury_default_address_follows_the_serial() {
        assert_eq!(mercury_address(41_000_123), "123");
        assert_eq!(mercury_address(41_000_239), "239");
        assert_eq!(mercury_address(41_000_240), "40");
        assert_eq!(mercury_address(41_000_999), "99");
    }
}
