//! What the benchmarks share: running a call many times for its p50 and p95, and the
//! dispatcher whose pages they time.

use std::time::Instant;

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// p50 and p95 of `runs` calls, in milliseconds.
pub async fn timed<F, Fut, T>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut ms = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f(i).await);
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    (percentile(&ms, 0.5), percentile(&ms, 0.95))
}

/// A dispatcher of the company, as the pages' queries see a signed-in one.
#[allow(dead_code)]
pub fn dispatcher(company_id: i64) -> app::auth::caller::Caller {
    app::auth::caller::Caller {
        user_id: 0,
        login: "bench".into(),
        full_name: "bench".into(),
        company_id,
        role: app::models::Role::Dispatcher,
        token_hash: String::new(),
        ip: String::new(),
        must_change_password: false,
    }
}
