//! PostgreSQL goes down as by a crash (`pg_ctl stop -m immediate`) and comes back in the
//! middle of an uplink stream and of a field queue's drain: nothing acknowledged may be lost
//! and nothing stored twice. The database is a private PostgreSQL cluster of this run
//! (initdb in a temporary directory, a port of its own), so the machine's server is never
//! stopped. Prints what was sent, acknowledged and stored; exits non-zero on a loss or a
//! double.
//!
//! `cargo run --release -p server --example failure_postgres [UPLINKS] [ENTRIES] [DOWN_SECONDS]`
//! (default 20 000 uplinks from 200 devices, 2 000 typed readings sent 100 at a time, the
//! database away 3 s; past the pool's 30 s wait for a connection, sends fail and are resent).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::models::entry::EntryResult;
use app::storage::testing::fixtures;
use app::storage::Db;
use serde_json::json;
use server::collect::field_map::FieldMaps;
use server::collect::simulator::broker::Broker;
use server::collect::simulator::chirpstack::{self, Publisher};
use server::collect::transport::mqtt::MqttSettings;
use server::collect::uplink;
use tower::ServiceExt;

/// How long the database stays down (the third argument, in seconds; 3 by default).
static DOWN: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();

fn down() -> Duration {
    *DOWN.get().unwrap_or(&Duration::from_secs(3))
}

/// A PostgreSQL cluster of this run only.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

/// The newest installed PostgreSQL's programs (Debian keeps them out of PATH).
fn postgres_bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    versions.retain(|p| p.join("initdb").is_file());
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.pop().unwrap_or_default()
}

impl Cluster {
    fn start() -> Cluster {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let dir = std::env::temp_dir().join(format!("uchet-pg-failure-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let c = Cluster {
            bin: postgres_bin(),
            dir,
            port,
        };
        if as_root() {
            let ok = Command::new("chown").arg("postgres:postgres").arg(&c.dir).status();
            assert!(ok.is_ok_and(|s| s.success()), "chown of {}", c.dir.display());
        }
        let data = c.dir.join("data");
        c.run("initdb", &["-D", &data.to_string_lossy(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"]);
        c.pg_ctl("start");
        c
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs one of PostgreSQL's programs as the `postgres` user (it refuses root).
    fn run(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut cmd = if as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = cmd.args(args).output().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            out.status.success(),
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn pg_ctl(&self, action: &str) {
        let data = self.dir.join("data");
        let log = self.dir.join("log");
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.display());
        match action {
            "start" => self.run("pg_ctl", &["-D", &data.to_string_lossy(), "-l", &log.to_string_lossy(), "-w", "-o", &options, "start"]),
            // as by a crash: no checkpoint, the write-ahead log is replayed at the next start
            _ => self.run("pg_ctl", &["-D", &data.to_string_lossy(), "-m", "immediate", "-w", "stop"]),
        }
    }

    /// Crashes the server now (it is down when this returns) and starts it again [`down()`]
    /// later in the background; the restart's handle tells how long it was away.
    async fn crash(self: &Arc<Self>) -> tokio::task::JoinHandle<Duration> {
        let c = self.clone();
        let t = Instant::now();
        tokio::task::spawn_blocking(move || c.pg_ctl("stop")).await.unwrap();
        let c = self.clone();
        tokio::task::spawn_blocking(move || {
            std::thread::sleep(down());
            c.pg_ctl("start");
            t.elapsed()
        })
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.pg_ctl("stop");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The company's readings; an error while the database is away.
async fn count(db: &Db, company_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM readings WHERE company_id = $1")
        .bind(company_id)
        .fetch_one(db.pool())
        .await
}

/// Readings of one channel, period and time stored more than once.
async fn doubled(db: &Db, company_id: i64) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM (SELECT channel_id FROM readings WHERE company_id = $1
           GROUP BY channel_id, period, ts HAVING COUNT(*) > 1) d",
    )
    .bind(company_id)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

/// Waits until `n` readings of the company are stored (the pool reconnects on its own).
async fn wait_stored(db: &Db, company_id: i64, n: i64, limit: Duration) -> i64 {
    let until = Instant::now() + limit;
    loop {
        let stored = count(db, company_id).await.unwrap_or(0);
        if stored >= n || Instant::now() >= until {
            return stored;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// LoRaWAN uplinks through a private Mosquitto while the database crashes a third of the way.
async fn uplinks(cluster: Arc<Cluster>, db: &Db, total: usize) -> bool {
    let (company_id, euis) = fixtures::lora_water_meters(db, 200).await;
    let broker = Broker::start().await.expect("mosquitto starts");
    let application = "failure";
    let settings = MqttSettings::from_url(
        &format!("mqtt://127.0.0.1:{}", broker.port),
        "uchet-failure",
        &format!("application/{application}/device/+/event/up"),
    )
    .unwrap();
    let subscriber = tokio::spawn(uplink::run(db.clone(), settings, FieldMaps::bundled()));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let publisher = Publisher::connect("127.0.0.1", broker.port, "failure-network-server");
    let mut crash = None;
    let started = Instant::now();
    for (i, m) in chirpstack::water_stream(application, &euis, total, 0).into_iter().enumerate() {
        publisher.publish(m.topic, m.payload).await;
        if i == total / 3 {
            // the rest of the stream is published while the database is away
            crash = Some(cluster.crash().await);
        }
        if i % 100 == 99 {
            // a steady stream rather than one burst, so the crash falls inside it
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let down = crash.expect("the crash was started").await.unwrap();
    let acked = publisher.wait_acked(total as u64, Duration::from_secs(120)).await;
    let stored = wait_stored(db, company_id, total as i64, Duration::from_secs(120)).await;
    let secs = started.elapsed().as_secs_f64();
    let doubles = doubled(db, company_id).await;
    subscriber.abort();
    println!(
        "uplinks: {total} published, {acked} acknowledged by the broker, {stored} stored, {doubles} doubled; \
         the database was away {:.1} s; all in {secs:.1} s",
        down.as_secs_f64()
    );
    stored == total as i64 && doubles == 0 && acked >= total as u64
}

/// A field worker's queue of typed readings drained 100 at a time, as the phone sends it,
/// each send repeated until the server answers 2xx; the database crashes after the third.
async fn field_queue(cluster: Arc<Cluster>, db: &Db, total: usize) -> bool {
    let f = fixtures::building(db).await;
    let meters = support::water_meters(db, &f, total).await;
    let (app, cookie) = support::field_worker(db, f.company_id).await;
    let now = app::storage::now();
    let entries: Vec<serde_json::Value> = meters
        .iter()
        .enumerate()
        .map(|(i, id)| {
            json!({
                "entry_id": format!("drain-{id}"),
                "meter_id": id,
                "values": [{ "tariff": 0, "text": format!("{},5", 100 + i % 50) }],
                "typed_at": now - 600,
            })
        })
        .collect();
    let started = Instant::now();
    let mut crash = None;
    let (mut stored, mut already, mut refused, mut failed_sends) = (0usize, 0usize, 0usize, 0usize);
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut slowest = Duration::ZERO;
    for (n, send) in entries.chunks(100).enumerate() {
        loop {
            let sent_at = Instant::now();
            let resp = app.clone().oneshot(support::send(&cookie, send)).await.unwrap();
            let status = resp.status();
            let bytes = axum::body::to_bytes(resp.into_body(), 1 << 26).await.unwrap_or_default();
            slowest = slowest.max(sent_at.elapsed());
            if status.is_success() {
                let results: Vec<EntryResult> = serde_json::from_slice(&bytes).unwrap();
                stored += results.iter().filter(|r| r.stored).count();
                already += results.iter().filter(|r| r.duplicate).count();
                refused += results.iter().filter(|r| !r.stored && !r.duplicate).count();
                break;
            }
            // the phone keeps the send and tries again
            failed_sends += 1;
            *statuses.entry(status.as_u16()).or_default() += 1;
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        if n == 2 {
            // the next send goes while the database is away
            crash = Some(cluster.crash().await);
        }
    }
    let down = crash.expect("the crash was started").await.unwrap();
    let in_db = count(db, f.company_id).await.unwrap();
    let doubles = doubled(db, f.company_id).await;
    println!(
        "field queue: {total} typed readings in sends of 100; {stored} stored, {already} already there, {refused} refused; \
         {failed_sends} sends failed while the database was away {:.1} s (answers {statuses:?}) and were sent again, \
         the slowest answer took {:.1} s; {in_db} readings in the database, {doubles} doubled; all in {:.1} s",
        down.as_secs_f64(),
        slowest.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    // the fixture's own meter has no readings; every typed value is stored exactly once
    in_db == total as i64 && doubles == 0 && refused == 0 && stored + already == total
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let uplink_count = args.first().copied().unwrap_or(20_000);
    let entry_count = args.get(1).copied().unwrap_or(2_000);
    let _ = DOWN.set(Duration::from_secs(args.get(2).copied().unwrap_or(3) as u64));
    let cluster = Arc::new(Cluster::start());
    println!(
        "a private PostgreSQL ({}) on port {}, crashed for {} s in each part",
        Path::new(&cluster.bin).display(),
        cluster.port,
        down().as_secs()
    );
    let db = Db::connect(&cluster.url()).await.expect("the private cluster answers");
    let a = uplinks(cluster.clone(), &db, uplink_count).await;
    let b = field_queue(cluster.clone(), &db, entry_count).await;
    db.close().await;
    if !(a && b) {
        eprintln!("FAILED: a reading was lost or stored twice");
        std::process::exit(1);
    }
}
