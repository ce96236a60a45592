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
pub mod journal;
pub mod line;
pub mod poll;
pub mod protocol;
pub mod schedule;
pub mod status;
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
    format!("{}:{}", host_name(), std::process::id())
}

fn host_name() -> String {
    std::env::var("HOSTNAME").unwrap_or_else(|_| "uchet".into())
}

/// Whether a claim or lease was left by a process of this host that is no longer running (a
/// server killed mid-poll): its work can be taken back at once. Processes of other hosts
/// are never judged; their claims end with their lease.
pub fn left_by_a_dead_process(holder: &str, alive: impl Fn(u32) -> bool) -> bool {
    // `host:pid`, or `host:pid/job N` for a bus lease
    let process = holder.split('/').next().unwrap_or(holder);
    let Some((host, pid)) = process.rsplit_once(':') else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    host == host_name() && pid != std::process::id() && !alive(pid)
}

/// Whether a process of this host runs under `pid`.
fn running(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Takes back the jobs and buses that a process of this host left when it died, so a poll
/// interrupted by a crash runs again now, not half an hour later; returns (jobs, leases).
pub async fn recover_abandoned(
    db: &Db,
    alive: impl Fn(u32) -> bool,
) -> Result<(u64, u64), StorageError> {
    let (mut jobs, mut leases) = (0, 0);
    for holder in app::storage::poll_job::holders(db).await? {
        if left_by_a_dead_process(&holder, &alive) {
            jobs += app::storage::poll_job::release_claims_of(db, &holder).await?;
        }
    }
    for holder in app::storage::bus_lease::holders(db).await? {
        if left_by_a_dead_process(&holder, &alive) {
            leases += app::storage::bus_lease::release_all_of(db, &holder).await?;
        }
    }
    Ok((jobs, leases))
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
    match recover_abandoned(&db, running).await {
        Ok((0, 0)) => {}
        Ok((jobs, leases)) => {
            tracing::warn!(jobs, leases, "polls left by a stopped process of this host taken back")
        }
        Err(e) => tracing::warn!(error = %e, "polls of stopped processes not taken back"),
    }
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
