//! Storage: one file per entity, each with the same verbs (`create`, `get`, `list`,
//! `get_count`, and `update`/`delete` where the domain allows them).
//!
//! One SQL dialect runs on both backends through sqlx's `Any` driver: `$n` parameters,
//! integers as 64-bit, timestamps as unix seconds, exact readings as integer millionths.
//! SQLite is the embedded default; PostgreSQL is chosen by a `postgres://` URL.

pub mod account;
pub mod alert_subscription;
pub mod api_token;
pub mod activation_code;
pub mod attachment;
pub mod audit;
pub mod balance_group;
pub(crate) mod bulk;
pub mod billing_export;
pub mod billing_schedule;
pub mod billing_window;
pub mod bus_lease;
pub mod channel;
pub mod city;
pub mod consumption_day;
pub mod communicator;
pub mod current;
pub mod company;
pub mod decimal;
pub mod deviation_rule;
pub mod event;
pub mod first_start;
pub mod heating_season;
pub mod inventory;
pub mod lora_packet;
pub mod mail;
pub mod membership;
pub mod meter;
pub mod meter_contact;
pub mod meter_line;
pub mod norm;
pub mod notice;
pub mod password_reset;
pub mod object;
pub mod object_generation;
pub mod owner;
pub mod poll_job;
pub mod poll_result;
pub mod poll_target;
pub mod preference;
pub mod premise;
pub mod reading;
pub mod request_limit;
pub mod resident;
pub mod service_request;
pub mod session;
pub mod sign_in_failure;
pub mod silent_meter;
pub mod stale;
pub mod testing;
pub mod user;
pub mod verification;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::Executor;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    AlreadyExists,
    #[error("value {0} has more than six fraction digits")]
    TooPrecise(rust_decimal::Decimal),
    #[error("value {0} is out of range")]
    OutOfRange(rust_decimal::Decimal),
    #[error("bad stored value in {0}")]
    BadValue(&'static str),
    #[error("database: {0}")]
    Db(sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StorageError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => StorageError::AlreadyExists,
            _ => StorageError::Db(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// The shared connection pool. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// PostgreSQL only: a few native connections for what `Any` cannot say, the `COPY` of
    /// bulk readings. Each has its own staging table (see [`reading::STAGING`]).
    copy: Option<sqlx::PgPool>,
    /// Tells this database from another one of the same process (tests open many), for
    /// what is kept in memory by ids.
    instance: u64,
}

impl Db {
    /// This database among the ones the process opened.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// Connects and brings the schema up to date. For SQLite the file is created if absent.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url);
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers go on while the collector writes.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        // 32 MiB of pages (2 by default): a poll of many meters writes
                        // into as many places of the readings table; with the pages at hand
                        // it goes 1.6 times as fast.
                        conn.execute("PRAGMA cache_size = -32768").await?;
                    } else {
                        // Uchet's statements are many short index walks; PostgreSQL's JIT
                        // took 0,2 s to compile each one whose estimate looked big (a batch
                        // of 500 meters' last readings ran in 10 ms and waited 215 ms for it).
                        conn.execute("SET jit = off").await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(url).await?;
        let copy = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(reading::STAGING).await?;
                            Ok(())
                        })
                    })
                    .connect_lazy(url)?,
            ),
        };
        static OPENED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let db = Db {
            pool,
            backend,
            copy,
            instance: OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("../migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The native PostgreSQL pool for `COPY`; `None` on SQLite.
    pub(crate) fn copy_pool(&self) -> Option<&sqlx::PgPool> {
        self.copy.as_ref()
    }

    pub async fn close(&self) {
        if let Some(copy) = &self.copy {
            copy.close().await;
        }
        self.pool.close().await
    }
}

/// Now, as stored: UTC unix seconds.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub(crate) fn parse_date(
    field: &'static str,
    s: Option<String>,
) -> Result<Option<chrono::NaiveDate>> {
    s.map(|s| {
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| StorageError::BadValue(field))
    })
    .transpose()
}

pub(crate) fn date_text(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// An `IN (…)` list of ids for SQL. Only integers are formatted into statements this way,
/// never text from a request; a list of hundreds stays one statement on both backends.
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Refreshes PostgreSQL's planner statistics after a bulk load. Until autovacuum comes
/// round, a freshly loaded table is planned as if it were nearly empty: the readings table's
/// newest-reading lookup became a bitmap scan of each channel's whole year (43 ms a page
/// instead of 10 ms at the demo's size). SQLite plans from its indexes alone and is left as is.
pub async fn analyze(db: &Db) -> Result<()> {
    if db.backend() == Backend::Postgres {
        sqlx::query("ANALYZE").execute(db.pool()).await?;
    }
    Ok(())
}
