//! Test databases: each test gets its own, on SQLite (a temp file) or PostgreSQL (a fresh
//! database on `UCHET_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/postgres`).
//! Public so the server crate's tests use the same fixtures.

use super::{Backend, Db};
use sqlx::Connection;

pub struct TestDb {
    pub db: Db,
    backend: Backend,
    name: String,
}

fn admin_url() -> String {
    std::env::var("UCHET_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn unique_name() -> String {
    use rand::Rng;
    format!(
        "uchet_t_{}_{:08x}",
        std::process::id(),
        rand::thread_rng().gen::<u32>()
    )
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let name = unique_name();
        let url = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.sqlite"));
                format!("sqlite://{}?mode=rwc", path.display())
            }
            Backend::Postgres => {
                let admin = admin_url();
                sqlx::any::install_default_drivers();
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .expect("PostgreSQL for tests (UCHET_TEST_POSTGRES)");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .unwrap_or(admin);
                format!("{base}/{name}")
            }
        };
        let db = Db::connect(&url).await.expect("connect test database");
        TestDb { db, backend, name }
    }

    /// Drops the database. A test that panics leaves it; the test command sweeps leftovers.
    /// Leaves the database in place (a benchmark's data to look into); says where it is.
    pub async fn keep(self) -> String {
        self.db.close().await;
        match self.backend {
            Backend::Sqlite => std::env::temp_dir()
                .join(format!("{}.sqlite", self.name))
                .display()
                .to_string(),
            Backend::Postgres => self.name,
        }
    }

    pub async fn cleanup(self) {
        self.db.close().await;
        match self.backend {
            Backend::Sqlite => {
                let base = std::env::temp_dir().join(format!("{}.sqlite", self.name));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", base.display()));
                }
            }
            Backend::Postgres => {
                if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin_url()).await {
                    let _ = sqlx::query(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        self.name
                    ))
                    .execute(&mut conn)
                    .await;
                }
            }
        }
    }
}

/// How long one async test may run before it fails as hung: a test that waits forever
/// (a stream that never ends, a lost wake-up) must fail fast with its name instead of
/// eating the CI's time. `UCHET_TEST_TIMEOUT` (seconds) overrides it.
pub fn time_limit() -> std::time::Duration {
    let seconds = std::env::var("UCHET_TEST_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    std::time::Duration::from_secs(seconds)
}

/// Runs a test's future within [`time_limit`]; past it, the test fails naming itself.
pub async fn within_limit<F: std::future::Future<Output = ()>>(name: &str, test: F) {
    let limit = time_limit();
    if tokio::time::timeout(limit, test).await.is_err() {
        panic!("{name} did not finish within {} s: it hangs", limit.as_secs());
    }
}

/// Runs one async test body on SQLite and on PostgreSQL, as two tests named
/// `<name>::sqlite` and `<name>::postgres`, each within [`time_limit`].
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                $crate::storage::testing::within_limit(concat!(module_path!(), "::sqlite"), async {
                    let t = $crate::storage::testing::TestDb::new($crate::storage::Backend::Sqlite)
                        .await;
                    {
                        let $db = t.db.clone();
                        $body
                    }
                    t.cleanup().await;
                })
                .await;
            }

            #[tokio::test]
            async fn postgres() {
                $crate::storage::testing::within_limit(concat!(module_path!(), "::postgres"), async {
                    let t =
                        $crate::storage::testing::TestDb::new($crate::storage::Backend::Postgres)
                            .await;
                    {
                        let $db = t.db.clone();
                        $body
                    }
                    t.cleanup().await;
                })
                .await;
            }
        }
    };
}

/// Small worlds for tests.
pub mod fixtures {
    use crate::models::capacity::DigitCapacity;
    use crate::models::{Placement, Resource};
    use crate::storage::*;

    pub struct Building {
        pub company_id: i64,
        pub object_id: i64,
        pub premise_id: i64,
        pub meter_id: i64,
        pub channel_id: i64,
    }

    /// A polled integral reading of a channel with only a total.
    pub fn polled(
        company_id: i64,
        channel_id: i64,
        period: reading::Period,
        ts: i64,
        total: rust_decimal::Decimal,
    ) -> reading::Reading {
        reading::Reading {
            channel_id,
            company_id,
            period,
            ts,
            kind: reading::Kind::Integral,
            total: Some(total),
            tariffs: [None; 4],
            source: reading::Source::Poll,
            flags: 0,
            entered_by: None,
            entry_id: None,
            received_at: ts,
        }
    }

    /// The main channel of a stored meter (what its resource counts, integral); its id.
    pub async fn main_channel(db: &Db, m: &meter::Meter) -> i64 {
        channel::create_main(db, m).await.unwrap().id
    }

    /// A company with one empty building on ул. Мосфильмовская; (company, object).
    pub async fn company_with_building(db: &Db, company: &str, building: &str) -> (i64, i64) {
        let c = company::create(
            db,
            &company::Company {
                name: company.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let o = object::create(
            db,
            &object::Object {
                company_id: c.id,
                name: building.into(),
                address: "ул. Мосфильмовская, д. 98 корп. 1".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        (c.id, o.id)
    }

    /// A company with `n` LoRaWAN water meters in one building, each on a device of its own
    /// (DevEUI 70b3d5… numbered from 0, model «Пульсар LoRa»); (company, DevEUIs).
    pub async fn lora_water_meters(db: &Db, n: usize) -> (i64, Vec<String>) {
        let (company_id, object_id) = company_with_building(db, "УК «Замер»", "Дом").await;
        let mut euis = Vec::new();
        for i in 0..n {
            let eui = format!("70b3d5{:010x}", i);
            let com = communicator::create(
                db,
                &communicator::Communicator {
                    company_id,
                    object_id: Some(object_id),
                    name: format!("LoRa {eui}"),
                    line: "lorawan".into(),
                    dev_eui: eui.clone(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let mut m = meter::Meter::new(
                company_id,
                object_id,
                Resource::ColdWater,
                "Пульсар LoRa",
                &format!("П-{i}"),
                DigitCapacity::new(5, 3).unwrap(),
            );
            m.placement = Placement::Common;
            m.communicator_id = Some(com.id);
            let m = meter::create(db, &m).await.unwrap();
            channel::create_main(db, &m).await.unwrap();
            euis.push(eui);
        }
        (company_id, euis)
    }

    /// A company with one building, one flat, one electricity meter with one channel.
    pub async fn building(db: &Db) -> Building {
        let c = company::create(
            db,
            &company::Company {
                name: "УК «Тест»".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        building_of(db, c.id, "1").await
    }

    /// A two-tariff electricity meter in the building's flat; its main channel's id.
    pub async fn two_tariff(db: &Db, f: &Building) -> i64 {
        let mut m = meter::Meter::new(
            f.company_id,
            f.object_id,
            Resource::Electricity,
            "Меркурий 200",
            &format!("SN-2T-{}", f.meter_id),
            DigitCapacity::new(6, 2).unwrap(),
        );
        m.premise_id = Some(f.premise_id);
        m.placement = Placement::Individual;
        m.tariffs = 2;
        let m = meter::create(db, &m).await.unwrap();
        main_channel(db, &m).await
    }

    /// A building in an existing company; `tag` keeps serials apart.
    pub async fn building_of(db: &Db, company_id: i64, tag: &str) -> Building {
        let o = object::create(
            db,
            &object::Object {
                company_id,
                name: format!("Дом {tag}"),
                address: format!("ул. Тестовая, д. {tag}"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let p = premise::create(
            db,
            &premise::Premise {
                company_id,
                object_id: o.id,
                number: "1".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let mut m = meter::Meter::new(
            company_id,
            o.id,
            Resource::Electricity,
            "Меркурий 230",
            &format!("SN-{tag}"),
            DigitCapacity::new(6, 2).unwrap(),
        );
        m.premise_id = Some(p.id);
        m.placement = Placement::Individual;
        let m = meter::create(db, &m).await.unwrap();
        let channel_id = main_channel(db, &m).await;
        Building {
            company_id,
            object_id: o.id,
            premise_id: p.id,
            meter_id: m.id,
            channel_id,
        }
    }
}
