//! Speed of importing a company's master data from CSV (issue 22): BUILDINGS buildings, then
//! FLATS premises spread over them, each with a personal account and an owner — checked and
//! written in one transaction — then the same files again (nothing changes), on SQLite and
//! PostgreSQL. Prints rows/s, total time and the process's peak memory.
//!
//! `cargo run --release -p server --example bench_import [BUILDINGS] [FLATS]` (default 1 000
//! buildings, 100 000 premises). PostgreSQL from `UCHET_TEST_POSTGRES`.

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
    let b_csv = buildings_csv(buildings);
    let p_csv = premises_csv(buildings, flats);
    println!(
        "import: {buildings} buildings ({} KiB), {flats} premises with accounts and owners ({} KiB)",
        b_csv.len() / 1024,
        p_csv.len() / 1024
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
