//! Sign-in that holds under a flood. A password check (argon2, 19 MiB and tens of
//! milliseconds each) is the one slow, memory-hungry step anyone on the internet can ask
//! for, so:
//!
//! - at most as many checks run at once as the machine has cores; a request that cannot get
//!   a turn within a moment is answered «busy» (503) at once instead of queueing a thread;
//! - every attempt is counted before its check, under one lock, per client address, per
//!   login and in all, so parallel guesses cannot all read the same count;
//! - the doubling wait after failures is kept per login *and address*: a stranger guessing
//!   from elsewhere cannot keep the owner locked out, and the owner gets in once the window
//!   of their own address has passed;
//! - what is remembered is bounded (old entries go first), and nothing is written to the
//!   database for logins that do not exist.
//!
//! Activation codes typed from one address have a counter of their own here.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::throttle;
use crate::errors::AppError;

/// Attempts one address may make in a minute (sign-ins, whatever the logins).
pub const PER_ADDRESS_PER_MINUTE: u32 = 20;
/// Attempts on one login in a minute, from every address together.
pub const PER_LOGIN_PER_MINUTE: u32 = 30;
/// Attempts in a minute on the whole server: past it, the server is under a flood.
pub const GLOBAL_PER_MINUTE: u32 = 1_200;
/// Activation codes one address may try in a minute.
pub const CODES_PER_ADDRESS_PER_MINUTE: u32 = 10;
/// Entries each table remembers at most; the oldest go first.
pub const MAX_REMEMBERED: usize = 20_000;
/// How long a request waits for a turn at the password check.
pub const WAIT_FOR_TURN: Duration = Duration::from_secs(2);
/// Login and password lengths beyond these are refused before any work.
pub const MAX_LOGIN_CHARS: usize = 100;
pub const MAX_PASSWORD_CHARS: usize = 256;

const MINUTE_MS: i64 = 60_000;

/// Attempts in the current minute.
#[derive(Clone, Copy, Debug, Default)]
struct Window {
    started_ms: i64,
    count: u32,
}

impl Window {
    /// Counts one attempt; false when the minute's allowance is used up.
    fn take(&mut self, limit: u32, now_ms: i64) -> bool {
        if now_ms - self.started_ms >= MINUTE_MS {
            *self = Window { started_ms: now_ms, count: 0 };
        }
        if self.count >= limit {
            return false;
        }
        self.count += 1;
        true
    }

    fn wait_seconds(&self, now_ms: i64) -> i64 {
        ((self.started_ms + MINUTE_MS - now_ms).max(0) + 999) / 1000
    }
}

/// Failures of one login from one address: the doubling wait.
#[derive(Clone, Copy, Debug, Default)]
struct Failures {
    count: i64,
    last_ms: i64,
}

/// A table that forgets its oldest entries past [`MAX_REMEMBERED`].
#[derive(Debug, Default)]
struct Bounded<V> {
    items: HashMap<String, (i64, V)>,
}

impl<V: Default> Bounded<V> {
    fn entry(&mut self, key: &str, now_ms: i64) -> &mut V {
        if !self.items.contains_key(key) && self.items.len() >= MAX_REMEMBERED {
            // drop what was touched longest ago: at most a tenth at a time
            let mut ages: Vec<(i64, String)> =
                self.items.iter().map(|(k, (t, _))| (*t, k.clone())).collect();
            ages.sort_unstable();
            for (_, k) in ages.into_iter().take(MAX_REMEMBERED / 10) {
                self.items.remove(&k);
            }
        }
        let slot = self.items.entry(key.to_string()).or_insert_with(|| (now_ms, V::default()));
        slot.0 = now_ms;
        &mut slot.1
    }

    fn remove(&mut self, key: &str) {
        self.items.remove(key);
    }

    fn len(&self) -> usize {
        self.items.len()
    }
}

#[derive(Debug, Default)]
struct Counts {
    by_address: Bounded<Window>,
    by_login: Bounded<Window>,
    failures: Bounded<Failures>,
    codes_by_address: Bounded<Window>,
    all: Window,
}

/// The server's one gate in front of password checks (in every request's context).
///
/// Of the turns at the password check one is kept for logins that exist: a flood of
/// made-up logins waits for the others, so a real person can still sign in during it.
pub struct SignInGate {
    turns: Semaphore,
    /// Only for logins that exist.
    kept: Semaphore,
    /// Requests waiting for a turn; past [`MAX_WAITING`] a request is «busy» at once.
    waiting: std::sync::atomic::AtomicUsize,
    counts: Mutex<Counts>,
    /// The threads the checks run on: as many as there are turns, always the same ones, so
    /// the 19 MiB each argon2 check takes is reused, not left behind in the memory arenas
    /// of ever new blocking threads (a flood grew the server by hundreds of MiB that way).
    workers: Mutex<std::sync::mpsc::Sender<Job>>,
}

type Job = Box<dyn FnOnce() + Send>;

impl std::fmt::Debug for SignInGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInGate").finish_non_exhaustive()
    }
}

/// Starts `n` threads that run password checks one after another.
fn start_workers(n: usize) -> std::sync::mpsc::Sender<Job> {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = std::sync::Arc::new(Mutex::new(rx));
    for i in 0..n {
        let rx = rx.clone();
        let _ = std::thread::Builder::new()
            .name(format!("password-check-{i}"))
            .spawn(move || loop {
                let job = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return, // the gate is gone
                }
            });
    }
    tx
}

/// Requests that may wait for a turn at once: a flood beyond it is answered at once.
pub const MAX_WAITING: usize = 64;

impl Default for SignInGate {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        SignInGate::new(cores)
    }
}

/// Why an attempt is refused before its check.
fn too_many(wait_seconds: i64) -> AppError {
    AppError::TooManyAttempts {
        wait_seconds: wait_seconds.max(1),
    }
}

impl SignInGate {
    /// A gate letting `at_once` password checks run together (one of them kept for logins
    /// that exist).
    pub fn new(at_once: usize) -> SignInGate {
        let at_once = at_once.max(2);
        SignInGate {
            turns: Semaphore::new(at_once - 1),
            kept: Semaphore::new(1),
            waiting: Default::default(),
            counts: Mutex::new(Counts::default()),
            workers: Mutex::new(start_workers(at_once)),
        }
    }

    /// Counts a sign-in attempt of `login` from `address`, before its check: refused when
    /// the address, the login or the server has used up its minute, or while this login's
    /// failures from this address still make it wait. The attempt counts as a failure
    /// until [`SignInGate::succeeded`] says otherwise.
    pub fn admit(&self, address: &str, login: &str, now_ms: i64) -> Result<(), AppError> {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let key = format!("{login}\u{0}{address}");
        let f = *c.failures.entry(&key, now_ms);
        let wait = throttle::wait_seconds(f.count, f.last_ms, now_ms);
        if wait > 0 {
            return Err(too_many(wait));
        }
        if !c.all.take(GLOBAL_PER_MINUTE, now_ms) {
            return Err(too_many(c.all.wait_seconds(now_ms)));
        }
        let by_address = c.by_address.entry(address, now_ms);
        if !by_address.take(PER_ADDRESS_PER_MINUTE, now_ms) {
            let wait = by_address.wait_seconds(now_ms);
            return Err(too_many(wait));
        }
        let by_login = c.by_login.entry(login, now_ms);
        if !by_login.take(PER_LOGIN_PER_MINUTE, now_ms) {
            let wait = by_login.wait_seconds(now_ms);
            return Err(too_many(wait));
        }
        let f = c.failures.entry(&key, now_ms);
        f.count += 1;
        f.last_ms = now_ms;
        Ok(())
    }

    /// The password was right: the attempt is given back to the address, the login and
    /// the server (an office signing in at nine behind one address is not a flood), and this
    /// login's failures from this address are forgotten.
    pub fn succeeded(&self, address: &str, login: &str) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.failures.remove(&format!("{login}\u{0}{address}"));
        if let Some((_, w)) = c.by_address.items.get_mut(address) {
            w.count = w.count.saturating_sub(1);
        }
        if let Some((_, w)) = c.by_login.items.get_mut(login) {
            w.count = w.count.saturating_sub(1);
        }
        c.all.count = c.all.count.saturating_sub(1);
    }

    /// How many failures this login has from this address (the audit log writes one line
    /// per burst, at its first failure).
    pub fn failures(&self, address: &str, login: &str) -> i64 {
        let c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.failures
            .items
            .get(&format!("{login}\u{0}{address}"))
            .map(|(_, f)| f.count)
            .unwrap_or(0)
    }

    /// Attempts counted for `address` in its current minute.
    pub fn address_attempts(&self, address: &str) -> u32 {
        let c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.by_address.items.get(address).map(|(_, w)| w.count).unwrap_or(0)
    }

    /// Counts an activation code typed from `address` before it is looked up, as a miss
    /// until [`SignInGate::code_found`]: three free misses, then the doubling wait, and at
    /// most a minute's allowance of attempts.
    pub fn admit_code(&self, address: &str, now_ms: i64) -> Result<(), AppError> {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let key = format!("code\u{0}{address}");
        let f = *c.failures.entry(&key, now_ms);
        let wait = throttle::wait_seconds(f.count, f.last_ms, now_ms);
        if wait > 0 {
            return Err(too_many(wait));
        }
        let w = c.codes_by_address.entry(address, now_ms);
        if !w.take(CODES_PER_ADDRESS_PER_MINUTE, now_ms) {
            let wait = w.wait_seconds(now_ms);
            return Err(too_many(wait));
        }
        let f = c.failures.entry(&key, now_ms);
        f.count += 1;
        f.last_ms = now_ms;
        Ok(())
    }

    /// The code was valid: the address's misses are forgotten.
    pub fn code_found(&self, address: &str) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.failures.remove(&format!("code\u{0}{address}"));
    }

    /// Runs `work` (a password check) when a turn is free — for a login that exists
    /// (`known`) also the kept one; «busy» at once when too many made-up logins wait, or if
    /// no turn comes within [`WAIT_FOR_TURN`]. A login that exists is never turned away for
    /// the crowd: it waits for the kept turn (its own allowance bounds how many come).
    pub async fn check<T: Send + 'static>(
        &self,
        known: bool,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        use std::sync::atomic::Ordering;
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING && !known {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::Busy);
        }
        let turn = async {
            if known {
                tokio::select! {
                    t = self.kept.acquire() => t,
                    t = self.turns.acquire() => t,
                }
            } else {
                self.turns.acquire().await
            }
        };
        let turn = tokio::time::timeout(WAIT_FOR_TURN, turn).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let _turn = match turn {
            Ok(Ok(turn)) => turn,
            _ => return Err(AppError::Busy),
        };
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        let sent = self
            .workers
            .lock()
            .map_err(|_| AppError::Internal)?
            .send(job);
        if sent.is_err() {
            tracing::error!("password check threads are gone");
            return Err(AppError::Internal);
        }
        result.await.map_err(|_| AppError::Internal)
    }

    /// Entries remembered (for tests and `/metrics`).
    pub fn remembered(&self) -> usize {
        let c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.by_address.len() + c.by_login.len() + c.failures.len() + c.codes_by_address.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_stopped_after_its_minute_of_attempts_whatever_the_logins() {
        let g = SignInGate::new(2);
        for i in 0..PER_ADDRESS_PER_MINUTE {
            g.admit("10.0.0.1", &format!("random-{i}"), 1_000).unwrap();
        }
        assert!(matches!(
            g.admit("10.0.0.1", "another", 1_000),
            Err(AppError::TooManyAttempts { .. })
        ));
        assert!(g.admit("10.0.0.2", "another", 1_000).is_ok(), "other addresses go on");
        assert!(g.admit("10.0.0.1", "another", 61_000).is_ok(), "a minute later");
    }

    #[test]
    fn sign_ins_that_succeed_do_not_use_up_the_address() {
        let g = SignInGate::new(2);
        for i in 0..(PER_ADDRESS_PER_MINUTE * 3) {
            let login = format!("staff-{i}");
            g.admit("10.0.0.1", &login, 1_000).unwrap();
            g.succeeded("10.0.0.1", &login);
        }
        assert!(g.admit("10.0.0.1", "one-more", 1_000).is_ok());
    }

    #[test]
    fn parallel_guesses_are_each_counted_before_their_check() {
        // three free tries, then a wait: the fourth guess in the same instant is refused
        // even though none of the first three has failed yet
        let g = SignInGate::new(2);
        for _ in 0..throttle::FREE_ATTEMPTS {
            g.admit("10.0.0.1", "petrov", 5_000).unwrap();
        }
        assert!(matches!(
            g.admit("10.0.0.1", "petrov", 5_000),
            Err(AppError::TooManyAttempts { .. })
        ));
    }

    #[test]
    fn a_stranger_cannot_keep_the_owner_locked_out() {
        let g = SignInGate::new(2);
        // a guess a minute from elsewhere, for an hour
        for minute in 0..60 {
            let _ = g.admit("203.0.113.9", "ivanova", minute * 60_000);
        }
        assert!(g.admit("198.51.100.7", "ivanova", 60 * 60_000).is_ok(), "the owner's own address");
        g.succeeded("198.51.100.7", "ivanova");
        assert_eq!(g.failures("198.51.100.7", "ivanova"), 0);
    }

    #[test]
    fn the_whole_server_has_an_allowance_too() {
        let g = SignInGate::new(2);
        let mut refused = 0;
        for i in 0..(GLOBAL_PER_MINUTE + 50) {
            if g.admit(&format!("10.1.{}.{}", i / 250, i % 250), &format!("u{i}"), 1_000).is_err() {
                refused += 1;
            }
        }
        assert_eq!(refused, 50);
    }

    #[test]
    fn what_is_remembered_stays_bounded() {
        let g = SignInGate::new(2);
        for i in 0..(MAX_REMEMBERED as i64 * 2) {
            let _ = g.admit(&format!("a{i}"), &format!("l{i}"), i * 61_000);
        }
        assert!(g.remembered() <= 3 * MAX_REMEMBERED, "{}", g.remembered());
    }

    #[test]
    fn activation_codes_have_a_counter_of_their_own() {
        let g = SignInGate::new(2);
        for _ in 0..throttle::FREE_ATTEMPTS {
            g.admit_code("10.0.0.1", 0).unwrap();
        }
        assert!(g.admit_code("10.0.0.1", 0).is_err(), "three misses, then a wait");
        assert!(g.admit("10.0.0.1", "ivanova", 0).is_ok(), "sign-in is counted apart");
        // codes that are found cost nothing
        for _ in 0..CODES_PER_ADDRESS_PER_MINUTE {
            g.admit_code("10.0.0.2", 0).unwrap();
            g.code_found("10.0.0.2");
        }
        assert!(g.admit_code("10.0.0.2", 0).is_err(), "but a minute's attempts are capped");
    }

    #[tokio::test]
    async fn a_check_that_gets_no_turn_in_time_is_busy() {
        let g = SignInGate::new(2);
        let held = g.turns.acquire().await.unwrap();
        let started = std::time::Instant::now();
        assert_eq!(g.check(false, || 1).await, Err(AppError::Busy));
        assert!(started.elapsed() < WAIT_FOR_TURN + Duration::from_secs(1));
        drop(held);
        assert_eq!(g.check(false, || 2).await, Ok(2));
    }

    #[tokio::test]
    async fn a_login_that_exists_gets_the_kept_turn_while_made_up_ones_flood() {
        let g = SignInGate::new(2);
        // the flood holds every open turn
        let flood = g.turns.acquire().await.unwrap();
        let started = std::time::Instant::now();
        assert_eq!(g.check(true, || "in").await, Ok("in"));
        assert!(started.elapsed() < Duration::from_millis(500), "no wait behind the flood");
        drop(flood);
    }

    #[tokio::test]
    async fn too_many_waiting_are_answered_at_once() {
        let g = std::sync::Arc::new(SignInGate::new(2));
        let held = g.turns.acquire().await.unwrap();
        let waiters: Vec<_> = (0..MAX_WAITING)
            .map(|_| {
                let g = g.clone();
                tokio::spawn(async move { g.check(false, || ()).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = std::time::Instant::now();
        assert_eq!(g.check(false, || ()).await, Err(AppError::Busy));
        assert!(started.elapsed() < Duration::from_millis(100), "answered without waiting");
        // a login that exists still waits for the kept turn
        assert_eq!(g.check(true, || "in").await, Ok("in"));
        drop(held);
        for w in waiters {
            let _ = w.await;
        }
    }
}
