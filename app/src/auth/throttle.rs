//! Slowing down password guessing: three free tries, then a wait that doubles with every
//! further failure, up to a minute. The server never sleeps; it refuses early attempts.
//! Times are in milliseconds so a failure at the end of one second does not expire its
//! wait at the start of the next.

pub const FREE_ATTEMPTS: i64 = 3;
pub const MAX_WAIT_SECONDS: i64 = 60;

/// Seconds (rounded up) still to wait before the next attempt is heard; 0 means go ahead.
pub fn wait_seconds(failures: i64, last_failed_at_ms: i64, now_ms: i64) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let exponent = (failures - FREE_ATTEMPTS).min(10) as u32;
    let delay_ms = 2i64.pow(exponent).min(MAX_WAIT_SECONDS) * 1000;
    let left_ms = (last_failed_at_ms + delay_ms - now_ms).max(0);
    (left_ms + 999) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_failures_are_free_then_the_wait_doubles_up_to_a_minute() {
        assert_eq!(wait_seconds(2, 100_000, 100_000), 0);
        assert_eq!(wait_seconds(3, 100_000, 100_000), 1);
        assert_eq!(wait_seconds(4, 100_000, 100_000), 2);
        assert_eq!(wait_seconds(6, 100_000, 100_000), 8);
        assert_eq!(wait_seconds(40, 100_000, 100_000), 60);
        assert_eq!(wait_seconds(6, 100_000, 105_000), 3);
        assert_eq!(wait_seconds(6, 100_000, 200_000), 0);
    }

    #[test]
    fn a_wait_is_not_cut_short_by_a_second_boundary() {
        // failed at 100.999 s, asked again at 101.001 s: most of the second is still owed
        assert_eq!(wait_seconds(3, 100_999, 101_001), 1);
        assert_eq!(wait_seconds(3, 100_999, 101_999), 0);
    }
}
