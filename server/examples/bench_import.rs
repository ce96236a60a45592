//! Speed of importing a company's data from CSV (issue 22): BUILDINGS buildings, then FLATS
//! premises spread over them, each with a personal account and an owner, then a water meter
//! in each premise — each file checked and written in one transaction — then DAYS days of
//! daily readings of every meter, then the same files again (nothing changes), on SQLite and
//! PostgreSQL. Prints rows/s, total time and the process's peak memory.
//!
//! `cargo run --release -p server --example bench_import [BUILDINGS] [FLATS] [DAYS]` (default
//! 1 000 buildings, 100 000 premises and meters, 10 days: a million readings). PostgreSQL
//! from `UCHET_TEST_POSTGRES`.

use std::time::Instant;

use app::models::import::ImportKind;
use app::storage::testing::TestDb;
use app::storage::{company, Backend};

fn buildings_csv(n: usize) -> String {
    let mut s = String::from("Адрес;Код ФИАС;Общая площадь;Этажей;Подъездов\n");
    for b in 0..n {
        s.push_str(&format!(
            "г. Москва, ул. Стендовая, д. {b};{:08x}-0000-4000-8000-{:012x};{},5;12;4\n",
            b, b, 5_000 + b
        ));
    }
    s
}

fn premises_csv(buildings: usize, flats: usize) -> String {
    let mut s = String::from("Адрес дома;Помещение;Площадь;Подъезд;Этаж;Лицевой счёт;Собственник;Телефон;Доля\n");
    for i in 0..flats {
        let b = i % buildings;
        let n = i / buildings + 1;
        s.push_str(&format!(
            "г. Москва, ул. Стендовая, д. {b};{n};{},{};{};{};{:010};Собственник {i};+7 900 {:07};1\n",
            30 + i % 70,
            i % 10,
            n % 4 + 1,
            n % 12 + 1,
            i + 1,
            i
        ));
    }
    s
}

fn meters_csv(buildings: usize, flats: usize) -> String {
    let mut s = String::from("Адрес дома;Помещение;Ресурс;Модель;Заводской номер;Разрядность;Дата поверки;МПИ\n");
    for i in 0..flats {
        let b = i % buildings;
        let n = i / buildings + 1;
        s.push_str(&format!(
            "г. Москва, ул. Стендовая, д. {b};{n};ХВС;ВСКМ 90-15;W{i:07};5,3;{:02}.03.2024;6\n",
            i % 28 + 1
        ));
    }
    s
}

/// `days` daily readings of every meter up to yesterday, each meter 0,150–0,350 m³ a day.
fn readings_csv(flats: usize, days: usize) -> String {
    let today = chrono::Utc::now().date_naive();
    let mut s = String::with_capacity(flats * days * 32);
    s.push_str("Заводской номер;Дата;Показание\n");
    for d in 0..days {
        let day = today - chrono::Days::new((days - d) as u64);
        let date = day.format("%d.%m.%Y").to_string();
        for i in 0..flats {
            let milli = 100_000 + (d as u64) * (150 + (i as u64 % 201));
            s.push_str(&format!("W{i:07};{date};{},{:03}\n", milli / 1000, milli % 1000));
        }
    }
    s
}

/// The process's peak resident memory (VmHWM), in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let buildings: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let flats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let days: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let b_csv = buildings_csv(buildings);
    let p_csv = premises_csv(buildings, flats);
    let m_csv = meters_csv(buildings, flats);
    let r_csv = readings_csv(flats, days);
    println!(
        "import: {buildings} buildings ({} KiB), {flats} premises with accounts and owners ({} KiB), \
         {flats} meters ({} KiB), {} readings ({} MiB)",
        b_csv.len() / 1024,
        p_csv.len() / 1024,
        m_csv.len() / 1024,
        flats * days,
        r_csv.len() / 1024 / 1024
    );
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let t = TestDb::new(backend).await;
        let c = company::create(&t.db, &company::Company { name: "Стенд".into(), ..Default::default() })
            .await
            .unwrap();
        for (label, kind, csv) in [
            ("buildings", ImportKind::Buildings, &b_csv),
            ("premises", ImportKind::Premises, &p_csv),
            ("premises again", ImportKind::Premises, &p_csv),
            ("meters", ImportKind::Meters, &m_csv),
            ("meters again", ImportKind::Meters, &m_csv),
            ("readings", ImportKind::Readings, &r_csv),
            ("readings again", ImportKind::Readings, &r_csv),
        ] {
            let started = Instant::now();
            let r = app::import::run(&t.db, c.id, kind, csv.as_bytes(), None, true).await.unwrap();
            let s = started.elapsed().as_secs_f64();
            assert!(r.issues.is_empty(), "{:?}", &r.issues[..r.issues.len().min(5)]);
            println!(
                "{backend:?} {label:>15}: {:>7} rows in {s:>6.2} s = {:>8.0} rows/s, {} changed; peak memory {:.0} MiB",
                r.rows,
                r.rows as f64 / s,
                r.changes(),
                peak_mib()
            );
        }
        t.cleanup().await;
    }
}
