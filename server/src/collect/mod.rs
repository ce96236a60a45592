//! The collector: reads meters on their buses on a schedule and on request, and stores what
//! they say. Data flows one way: transport → line → protocol → driver → ingest → storage.
//!
//! Work is claimed from the database (`poll_jobs`), and each bus is leased while it is
//! polled, so several server processes share the work without polling a bus twice.

pub mod archive;
pub mod decode;
pub mod driver;
pub mod field_map;
pub mod ingest;
pub mod line;
pub mod poll;
pub mod protocol;
pub mod schedule;
pub mod simulator;
pub mod transport;
pub mod uplink;

use std::time::Duration;

use app::storage::{poll_job, Db, StorageError};
use protocol::modbus::RegisterMaps;

/// A claim on a job older than this is taken as abandoned by a dead process.
const JOB_LEASE_SECS: i64 = 1800;

/// Who this process is in claims and leases.
pub fn holder_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "uchet".into());
    format!("{host}:{}", std::process::id())
}

/// Claims and runs the next due job, if any, with the bundled Modbus register maps; returns
/// whether there was one.
pub async fn run_next(db: &Db, holder: &str) -> Result<Option<poll::Outcome>, StorageError> {
    run_next_with(db, holder, &RegisterMaps::bundled()).await
}

/// [`run_next`] with the server's register maps.
pub async fn run_next_with(
    db: &Db,
    holder: &str,
    maps: &RegisterMaps,
) -> Result<Option<poll::Outcome>, StorageError> {
    let Some(job) = poll_job::claim(db, holder, JOB_LEASE_SECS).await? else {
        return Ok(None);
    };
    poll::run(db, holder, &job, maps).await.map(Some)
}

/// Runs the collector beside the web server: plans scheduled polls every half minute, and
/// runs up to `parallel` jobs at once (different buildings and buses in parallel).
pub async fn run(db: Db, parallel: usize, maps: RegisterMaps) {
    let maps = std::sync::Arc::new(maps);
    let holder = holder_name();
    let mut running = tokio::task::JoinSet::new();
    let mut last_plan = None::<tokio::time::Instant>;
    loop {
        if last_plan.is_none_or(|t| t.elapsed() >= Duration::from_secs(30)) {
            if let Err(e) = schedule::plan_due(&db, chrono::Utc::now()).await {
                tracing::warn!(error = %e, "poll schedule not planned");
            }
            last_plan = Some(tokio::time::Instant::now());
        }
        while running.len() < parallel {
            match poll_job::claim(&db, &holder, JOB_LEASE_SECS).await {
                Ok(Some(job)) => {
                    let (db, holder, maps) = (db.clone(), holder.clone(), maps.clone());
                    running.spawn(async move {
                        if let Err(e) = poll::run(&db, &holder, &job, &maps).await {
                            tracing::warn!(job = job.id, error = %e, "poll job failed");
                        }
                    });
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "poll job not claimed");
                    break;
                }
            }
        }
        tokio::select! {
            _ = running.join_next(), if !running.is_empty() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}
