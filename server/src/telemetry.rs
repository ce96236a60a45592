//! Logs (tracing, structured) and metrics (Prometheus text at /metrics).

use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init_logging(format: &LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}

/// The process-wide metrics recorder (installed once, shared by every router).
pub fn metrics() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ])
                .expect("buckets")
                .install_recorder()
                .expect("metrics recorder")
        })
        .clone()
}

/// Memory given back to the system as soon as big blocks are freed. glibc raises its
/// threshold for serving big allocations from their own mappings each time such a block is
/// freed; past it, every password check's 19 MiB (argon2) lands in a thread's heap, where
/// freed holes stay: a flood of 1 000 sign-ins grew the server by 465 MiB that way, and by
/// 44 MiB with the threshold held at glibc's starting 128 KiB (measured with
/// `end2end/bench/flood.mjs`). Linux with glibc only; elsewhere nothing is done.
pub fn keep_big_allocations_apart() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        // SAFETY: mallopt only sets an allocator parameter; 128 KiB is glibc's own default.
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
