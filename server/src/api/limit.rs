//! Each token's pace: a bucket of requests that refills steadily, so a script paging through a
//! month of readings runs at full speed while a runaway loop gets 429 and the others' tokens
//! are not slowed. Kept in memory: a restart forgives everyone.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Requests a token may make at once, and how many come back every second.
pub const BURST: f64 = 100.0;
pub const PER_SECOND: f64 = 50.0;

#[derive(Default)]
pub struct Limits {
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl Limits {
    /// Takes one request from the token's bucket; `Err(seconds)` to wait when it is empty.
    pub fn take(&self, token_id: i64) -> Result<(), u64> {
        self.take_at(token_id, Instant::now())
    }

    fn take_at(&self, token_id: i64, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (left, since) = buckets.entry(token_id).or_insert((BURST, now));
        let refilled = (*left + now.saturating_duration_since(*since).as_secs_f64() * PER_SECOND).min(BURST);
        *since = now;
        if refilled >= 1.0 {
            *left = refilled - 1.0;
            Ok(())
        } else {
            *left = refilled;
            Err(((1.0 - refilled) / PER_SECOND).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_token_gets_its_burst_then_waits_and_another_token_is_not_slowed() {
        let limits = Limits::default();
        let t0 = Instant::now();
        for _ in 0..BURST as usize {
            assert!(limits.take_at(1, t0).is_ok());
        }
        assert_eq!(limits.take_at(1, t0), Err(1));
        assert!(limits.take_at(2, t0).is_ok());
        // a second later the bucket has refilled by its rate
        let t1 = t0 + Duration::from_secs(1);
        for _ in 0..PER_SECOND as usize {
            assert!(limits.take_at(1, t1).is_ok());
        }
        assert!(limits.take_at(1, t1).is_err());
    }
}
