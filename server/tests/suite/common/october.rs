//! Company A's October 2025, a month of every kind of meter: the world the subscribers' list
//! and the reports are both checked against, so they are checked against the same figures.

use app::models::capacity::DigitCapacity;
use app::models::{MeterState, Placement, Resource};
use app::storage::reading::{self, Kind, Period, Reading, Source};
use app::storage::testing::fixtures;
use app::storage::{account, meter, premise};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Moscow midnight at the start of October 2025's day `day` (32 is 1 November).
pub fn oct(day: i64) -> i64 {
    let first = NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
    app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, first + chrono::Duration::days(day - 1))
}

pub fn daily(company_id: i64, channel_id: i64, ts: i64, total: Decimal, t: [Option<Decimal>; 2]) -> Reading {
    Reading {
        channel_id,
        company_id,
        period: Period::Day,
        ts,
        kind: Kind::Integral,
        total: Some(total),
        tariffs: [t[0], t[1], None, None],
        source: Source::Poll,
        flags: 0,
        entered_by: None,
        entry_id: None,
        received_at: ts,
    }
}

/// Company A's building: flat 1 (account 0076000101) with a two-tariff electricity meter of
/// 12,5 kWh a day (8,25 + 4,25) through October 2025, flat 2 with a cold-water meter that
/// was replaced on the 16th (old meter 0,2 m³ a day, new one 0,3), a flat with an account
/// and no meters, and a common water meter of 5 m³ a day.
pub async fn october(w: &super::World) -> (i64, i64) {
    let mut power = meter::get(&w.db, w.a.company_id, w.a.meter_id).await.unwrap();
    power.tariffs = 2;
    sqlx::query("UPDATE meters SET tariffs = 2 WHERE id = $1").bind(power.id).execute(w.db.pool()).await.unwrap();
    let readings: Vec<Reading> = (1..=32)
        .map(|day| {
            let i = Decimal::from(day - 1);
            daily(w.a.company_id, w.a.channel_id, oct(day), d("1000") + d("12.5") * i,
                [Some(d("600") + d("8.25") * i), Some(d("400") + d("4.25") * i)])
        })
        .collect();
    reading::insert_many(&w.db, &readings).await.unwrap();

    let flat2 = premise::create(&w.db, &premise::Premise {
        company_id: w.a.company_id,
        object_id: w.a.object_id,
        number: "2".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    account::create(&w.db, &account::Account {
        id: 0,
        company_id: w.a.company_id,
        premise_id: flat2.id,
        number: "0076000102".into(),
        owner_name: "Сидорова Е. В.".into(),
    })
    .await
    .unwrap();
    let water = |serial: &str| {
        let mut m = meter::Meter::new(w.a.company_id, w.a.object_id, Resource::ColdWater, "Пульсар", serial, DigitCapacity::new(5, 3).unwrap());
        m.premise_id = Some(flat2.id);
        m.placement = Placement::Individual;
        m
    };
    let mut old = water("W-OLD");
    old.state = MeterState::Retired;
    let old = meter::create(&w.db, &old).await.unwrap();
    let old_ch = fixtures::main_channel(&w.db, &old).await;
    let mut new = water("W-NEW");
    new.replaces_meter_id = Some(old.id);
    let new = meter::create(&w.db, &new).await.unwrap();
    let new_ch = fixtures::main_channel(&w.db, &new).await;
    let mut rs: Vec<Reading> = (1..=16)
        .map(|day| daily(w.a.company_id, old_ch, oct(day), d("50") + d("0.2") * Decimal::from(day - 1), [None, None]))
        .collect();
    rs.extend((16..=32).map(|day| daily(w.a.company_id, new_ch, oct(day), d("0.3") * Decimal::from(day - 16), [None, None])));
    reading::insert_many(&w.db, &rs).await.unwrap();

    let flat3 = premise::create(&w.db, &premise::Premise {
        company_id: w.a.company_id,
        object_id: w.a.object_id,
        number: "3".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    account::create(&w.db, &account::Account {
        id: 0,
        company_id: w.a.company_id,
        premise_id: flat3.id,
        number: "0076000103".into(),
        owner_name: "Ветров А. А.".into(),
    })
    .await
    .unwrap();

    let mut odpu = meter::Meter::new(w.a.company_id, w.a.object_id, Resource::ColdWater, "Пульсар", "ODPU-1", DigitCapacity::new(6, 3).unwrap());
    odpu.placement = Placement::Common;
    let odpu = meter::create(&w.db, &odpu).await.unwrap();
    let odpu_ch = fixtures::main_channel(&w.db, &odpu).await;
    let water: Vec<Reading> = (1..=32)
        .map(|day| daily(w.a.company_id, odpu_ch, oct(day), Decimal::from(5 * day), [None, None]))
        .collect();
    reading::insert_many(&w.db, &water).await.unwrap();
    (flat2.id, new.id)
}

