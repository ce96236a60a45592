//! LoRaWAN uplinks per second end to end: a ChirpStack stand-in publishes uplink events at
//! QoS 1 through a private Mosquitto, Uchet's subscriber stores them (batches, acknowledged
//! after commit), and the clock stops when the last reading is in the database. Then the
//! same events straight into `Uplinks::store`, to show what the broker leg costs.
//!
//! `cargo run --release -p server --example bench_uplinks [UPLINKS] [DEVICES]`
//! (default 100 000 uplinks from 1 000 devices, on SQLite and on PostgreSQL).

use std::time::{Duration, Instant};

use app::storage::testing::{fixtures, TestDb};
use app::storage::{Backend, Db};
use server::collect::field_map::FieldMaps;
use server::collect::simulator::broker::Broker;
use server::collect::simulator::chirpstack::{self, Publisher};
use server::collect::transport::mqtt::MqttSettings;
use server::collect::uplink::{self, Uplinks};

const APPLICATION: &str = "bench";

async fn stored(db: &Db, company_id: i64) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM readings WHERE company_id = $1")
        .bind(company_id)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let uplinks = args.first().copied().unwrap_or(100_000);
    let device_count = args.get(1).copied().unwrap_or(1_000);
    println!("LoRaWAN uplinks: {uplinks} from {device_count} devices, QoS 1 through Mosquitto (in-flight window 1000)");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let t = TestDb::new(backend).await;
        let (company_id, euis) = fixtures::lora_water_meters(&t.db, device_count).await;
        let broker = Broker::start().await.expect("mosquitto starts");
        let settings = MqttSettings::from_url(
            &format!("mqtt://127.0.0.1:{}", broker.port),
            "uchet-bench",
            &format!("application/{APPLICATION}/device/+/event/up"),
        )
        .unwrap();
        let subscriber = tokio::spawn(uplink::run(t.db.clone(), settings, FieldMaps::bundled()));
        tokio::time::sleep(Duration::from_millis(500)).await;
        let publisher = Publisher::connect("127.0.0.1", broker.port, "bench-network-server");
        let messages = chirpstack::water_stream(APPLICATION, &euis, uplinks, 0);
        let started = Instant::now();
        for m in messages {
            publisher.publish(m.topic, m.payload).await;
        }
        let published = started.elapsed().as_secs_f64();
        let acked = publisher
            .wait_acked(uplinks as u64, Duration::from_secs(300))
            .await;
        let until = Instant::now() + Duration::from_secs(300);
        let mut n = 0;
        while Instant::now() < until {
            n = stored(&t.db, company_id).await;
            if n >= uplinks as i64 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let secs = started.elapsed().as_secs_f64();
        subscriber.abort();
        println!(
            "{backend:?}: end to end {:.0} uplinks/s — {n} of {uplinks} stored, {acked} acknowledged by the broker, in {secs:.2} s (publishing took {published:.2} s)",
            n as f64 / secs
        );
        // The same kind of events straight into the store, batches of 2 000.
        let direct = chirpstack::water_stream(APPLICATION, &euis, uplinks, 1_000_000);
        let mut store = Uplinks::new(t.db.clone(), FieldMaps::bundled());
        let started = Instant::now();
        for batch in direct.chunks(2000) {
            store.store(batch).await.unwrap();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{backend:?}: store alone {:.0} uplinks/s — {} readings in {secs:.2} s",
            store.stats.readings as f64 / secs,
            store.stats.readings
        );
        drop(publisher);
        drop(broker);
        t.cleanup().await;
    }
}
