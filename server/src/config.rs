//! Configuration: the `Leptos.toml` file (its `[package.metadata.leptos]` part is read by
//! Leptos, its `[uchet]` part here), then environment variables over it.
//!
//! | variable | key | default |
//! | --- | --- | --- |
//! | `LEPTOS_SITE_ADDR` | site-addr | 127.0.0.1:3000 |
//! | `UCHET_DATA_DIR` | data-dir | data |
//! | `DATABASE_URL` | database-url | sqlite file in the data dir |
//! | `UCHET_SESSION_HOURS` | session-hours | 12 (at most 24) |
//! | `UCHET_DEMO` | demo | false |
//! | `UCHET_LOG_FORMAT` | log-format | pretty |
//! | `UCHET_SECURE_COOKIES` | secure-cookies | false |
//! | `UCHET_COLLECTOR_JOBS` | collector-jobs | 4 (0 turns the collector off) |
//! | `UCHET_MQTT_URL` | mqtt-url | none: no LoRaWAN uplinks (`mqtt://[user:password@]host[:port]`, `mqtts://…` for TLS) |
//! | `UCHET_MQTT_TOPIC` | mqtt-topic | application/+/device/+/event/up |
//! | `UCHET_MQTT_CLIENT_ID` | mqtt-client-id | uchet-{HOSTNAME} |
//! | `UCHET_MQTT_CA` | mqtt-ca | none: `mqtts://` trusts the Mozilla roots (a PEM file of the broker's CA) |
//! | `UCHET_SMTP_URL` | smtp-url | none: no invites by mail (`smtp://[user:password@]host[:port][?tls=starttls]`, `smtps://…`) |
//! | `UCHET_SMTP_FROM` | smtp-from | Учёт <noreply@localhost> |
//! | `UCHET_PUBLIC_URL` | public-url | the address a request came to (links in letters); https turns on Secure cookies and HSTS |
//! | `UCHET_TRUSTED_PROXIES` | trusted-proxies | none: `X-Forwarded-For` is never believed (`10.0.0.1, 192.168.0.0/16`) |
//! | `UCHET_METRICS_TOKEN` | metrics-token | none: `/metrics` answers loopback only |
//! | `UCHET_MAP_TILES` | map-tiles | OpenStreetMap (`https://tile.openstreetmap.org/{z}/{x}/{y}.png`); a company's own tile server on a closed network |
//! | `UCHET_MONITOR_SECONDS` | monitor-seconds | 120: how often monitoring's events are brought up to date |
//! | `UCHET_ALERTS_SECONDS` | alerts-seconds | 60: how often the alert subscribers are told of what opened |

use std::path::{Path, PathBuf};

use leptos::config::LeptosOptions;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("bad configuration file {0}: {1}")]
    Parse(PathBuf, String),
    #[error("leptos configuration: {0}")]
    Leptos(String),
    #[error("variable {0}: {1}")]
    Env(&'static str, String),
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The `[uchet]` section. Its `Debug` hides the passwords in the broker and relay addresses
/// and the metrics token.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct UchetSection {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub session_hours: i64,
    pub demo: bool,
    pub log_format: LogFormat,
    pub secure_cookies: bool,
    /// Poll jobs (buildings) this process runs at once; 0 leaves polling to other servers.
    pub collector_jobs: usize,
    /// The broker ChirpStack publishes uplinks to; empty turns LoRaWAN intake off.
    pub mqtt_url: String,
    /// With several servers, a shared subscription (`$share/uchet/application/+/device/+/event/up`)
    /// gives each uplink to one of them.
    pub mqtt_topic: String,
    /// Empty: `uchet-{HOSTNAME}`. Must not change between restarts (the broker keeps the
    /// session under it) and must differ between servers.
    pub mqtt_client_id: String,
    /// A PEM file of the CA that signed the broker's certificate (`mqtts://`); empty: the
    /// Mozilla roots.
    pub mqtt_ca: String,
    pub smtp_url: String,
    pub smtp_from: String,
    pub public_url: String,
    /// Reverse proxies whose `X-Forwarded-For` names the client; none by default.
    pub trusted_proxies: String,
    /// A bearer token that opens `/metrics` from elsewhere than the machine itself.
    pub metrics_token: String,
    /// The tile server of «Карта приборов»: a URL template with `{z}`, `{x}`, `{y}`.
    pub map_tiles: String,
    /// Seconds between monitoring's sweeps (events opened and ended).
    pub monitor_seconds: u64,
    /// Seconds between the alerts' passes (subscribers told of the events that opened).
    pub alerts_seconds: u64,
}

impl UchetSection {
    /// Served to browsers over https (the public address says so): cookies are `Secure`
    /// with a `__Host-` name, and HSTS is sent.
    pub fn https(&self) -> bool {
        self.secure_cookies || self.public_url.trim().to_ascii_lowercase().starts_with("https://")
    }

    pub fn mqtt_client_id(&self) -> String {
        if self.mqtt_client_id.trim().is_empty() {
            let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "server".into());
            format!("uchet-{host}")
        } else {
            self.mqtt_client_id.trim().to_string()
        }
    }
}

impl Default for UchetSection {
    fn default() -> Self {
        UchetSection {
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            session_hours: 12,
            demo: false,
            log_format: LogFormat::Pretty,
            secure_cookies: false,
            collector_jobs: 4,
            mqtt_url: String::new(),
            mqtt_topic: "application/+/device/+/event/up".into(),
            mqtt_client_id: String::new(),
            mqtt_ca: String::new(),
            smtp_url: String::new(),
            smtp_from: "Учёт <noreply@localhost>".into(),
            public_url: String::new(),
            trusted_proxies: String::new(),
            metrics_token: String::new(),
            map_tiles: app::monitoring::map::OSM_TILES.into(),
            monitor_seconds: 120,
            alerts_seconds: 60,
        }
    }
}

impl std::fmt::Debug for UchetSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::collect::transport::mqtt::without_password;
        f.debug_struct("UchetSection")
            .field("data_dir", &self.data_dir)
            .field("database_url", &without_password(&self.database_url))
            .field("session_hours", &self.session_hours)
            .field("demo", &self.demo)
            .field("log_format", &self.log_format)
            .field("secure_cookies", &self.secure_cookies)
            .field("collector_jobs", &self.collector_jobs)
            .field("monitor_seconds", &self.monitor_seconds)
            .field("alerts_seconds", &self.alerts_seconds)
            .field("mqtt_url", &without_password(&self.mqtt_url))
            .field("mqtt_topic", &self.mqtt_topic)
            .field("mqtt_client_id", &self.mqtt_client_id)
            .field("mqtt_ca", &self.mqtt_ca)
            .field("smtp_url", &without_password(&self.smtp_url))
            .field("smtp_from", &self.smtp_from)
            .field("public_url", &self.public_url)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &if self.metrics_token.is_empty() { "" } else { "***" })
            .field("map_tiles", &self.map_tiles)
            .finish()
    }
}

#[derive(Deserialize, Default)]
struct FileConfig {
    #[serde(default)]
    uchet: UchetSection,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub leptos: LeptosOptions,
    pub uchet: UchetSection,
}

impl Config {
    /// Reads the file if it exists (a deployed binary may run on environment alone).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let exists = path.exists();
        let file: FileConfig = if exists {
            let text =
                std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.into(), e))?;
            toml::from_str(&text).map_err(|e| ConfigError::Parse(path.into(), e.to_string()))?
        } else {
            FileConfig::default()
        };
        let path_str = path.to_string_lossy().to_string();
        let leptos = leptos::config::get_configuration(exists.then_some(path_str.as_str()))
            .map_err(|e| ConfigError::Leptos(e.to_string()))?
            .leptos_options;
        let mut uchet = file.uchet;
        apply_env(&mut uchet, |k| std::env::var(k).ok())?;
        Ok(Config { leptos, uchet })
    }

    /// The database to open: the configured URL, or a SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        if self.uchet.database_url.trim().is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.uchet.data_dir.join("uchet.sqlite").display()
            )
        } else {
            self.uchet.database_url.trim().to_string()
        }
    }
}

fn parse_bool(name: &'static str, v: &str) -> Result<bool, ConfigError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(ConfigError::Env(
            name,
            format!("expected true or false, got {other:?}"),
        )),
    }
}

/// Environment over file; `get` is the environment (a function so tests need not touch the
/// process environment).
pub fn apply_env(
    u: &mut UchetSection,
    get: impl Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    if let Some(v) = get("UCHET_DATA_DIR") {
        u.data_dir = PathBuf::from(v);
    }
    if let Some(v) = get("DATABASE_URL") {
        u.database_url = v;
    }
    if let Some(v) = get("UCHET_SESSION_HOURS") {
        u.session_hours = v
            .trim()
            .parse()
            .map_err(|_| ConfigError::Env("UCHET_SESSION_HOURS", format!("not a number: {v:?}")))?;
    }
    if let Some(v) = get("UCHET_DEMO") {
        u.demo = parse_bool("UCHET_DEMO", &v)?;
    }
    if let Some(v) = get("UCHET_SECURE_COOKIES") {
        u.secure_cookies = parse_bool("UCHET_SECURE_COOKIES", &v)?;
    }
    if let Some(v) = get("UCHET_COLLECTOR_JOBS") {
        u.collector_jobs = v
            .trim()
            .parse()
            .map_err(|_| ConfigError::Env("UCHET_COLLECTOR_JOBS", format!("not a number: {v:?}")))?;
    }
    for (name, field) in [("UCHET_MONITOR_SECONDS", &mut u.monitor_seconds), ("UCHET_ALERTS_SECONDS", &mut u.alerts_seconds)] {
        if let Some(v) = get(name) {
            *field = v
                .trim()
                .parse()
                .ok()
                .filter(|s| (1..=86_400).contains(s))
                .ok_or_else(|| ConfigError::Env(name, format!("expected seconds from 1 to 86400, got {v:?}")))?;
        }
    }
    if let Some(v) = get("UCHET_MQTT_URL") {
        u.mqtt_url = v;
    }
    if let Some(v) = get("UCHET_MQTT_TOPIC") {
        u.mqtt_topic = v;
    }
    if let Some(v) = get("UCHET_MQTT_CLIENT_ID") {
        u.mqtt_client_id = v;
    }
    if let Some(v) = get("UCHET_MQTT_CA") {
        u.mqtt_ca = v;
    }
    if let Some(v) = get("UCHET_SMTP_URL") {
        u.smtp_url = v;
    }
    if let Some(v) = get("UCHET_SMTP_FROM") {
        u.smtp_from = v;
    }
    if let Some(v) = get("UCHET_PUBLIC_URL") {
        u.public_url = v;
    }
    if let Some(v) = get("UCHET_TRUSTED_PROXIES") {
        u.trusted_proxies = v;
    }
    if let Some(v) = get("UCHET_METRICS_TOKEN") {
        u.metrics_token = v;
    }
    if let Some(v) = get("UCHET_MAP_TILES") {
        u.map_tiles = v.trim().to_string();
    }
    if !app::monitoring::map::MapConfig::valid(&u.map_tiles) {
        return Err(ConfigError::Env(
            "UCHET_MAP_TILES",
            format!("expected an http(s) address with {{z}}, {{x}} and {{y}}, got {:?}", u.map_tiles),
        ));
    }
    crate::web::peer::TrustedProxies::parse(&u.trusted_proxies)
        .map_err(|e| ConfigError::Env("UCHET_TRUSTED_PROXIES", e))?;
    if let Some(v) = get("UCHET_LOG_FORMAT") {
        u.log_format = match v.trim() {
            "json" => LogFormat::Json,
            "pretty" => LogFormat::Pretty,
            other => {
                return Err(ConfigError::Env(
                    "UCHET_LOG_FORMAT",
                    format!("expected pretty or json, got {other:?}"),
                ))
            }
        };
    }
    if !(1..=24).contains(&u.session_hours) {
        return Err(ConfigError::Env(
            "UCHET_SESSION_HOURS",
            format!("{} is outside 1..=24", u.session_hours),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let v: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| v.iter().find(|(kk, _)| kk == k).map(|(_, vv)| vv.clone())
    }

    #[test]
    fn environment_overrides_the_file() {
        let mut u = UchetSection::default();
        apply_env(
            &mut u,
            env(&[
                ("UCHET_DATA_DIR", "/var/lib/uchet"),
                ("UCHET_DEMO", "yes"),
                ("UCHET_LOG_FORMAT", "json"),
            ]),
        )
        .unwrap();
        assert_eq!(u.data_dir, PathBuf::from("/var/lib/uchet"));
        assert!(u.demo);
        assert_eq!(u.log_format, LogFormat::Json);
    }

    #[test]
    fn an_https_public_address_makes_cookies_secure_and_proxies_are_checked() {
        let mut u = UchetSection::default();
        assert!(!u.https());
        apply_env(&mut u, env(&[("UCHET_PUBLIC_URL", "https://uchet.example.ru")])).unwrap();
        assert!(u.https());
        assert!(apply_env(&mut UchetSection::default(), env(&[("UCHET_TRUSTED_PROXIES", "proxy")])).is_err());
        let mut p = UchetSection::default();
        apply_env(&mut p, env(&[("UCHET_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")])).unwrap();
        assert_eq!(p.trusted_proxies, "127.0.0.1, 10.0.0.0/8");
    }

    #[test]
    fn the_map_takes_its_tiles_from_a_company_server_and_refuses_a_bad_template() {
        let mut u = UchetSection::default();
        assert_eq!(u.map_tiles, "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
        apply_env(&mut u, env(&[("UCHET_MAP_TILES", " http://10.0.0.5/osm/{z}/{x}/{y}.png ")])).unwrap();
        assert_eq!(u.map_tiles, "http://10.0.0.5/osm/{z}/{x}/{y}.png");
        let bad = apply_env(&mut UchetSection::default(), env(&[("UCHET_MAP_TILES", "http://10.0.0.5/osm.png")]));
        assert!(matches!(bad, Err(ConfigError::Env("UCHET_MAP_TILES", _))));
    }

    #[test]
    fn a_session_longer_than_a_day_is_refused() {
        let mut u = UchetSection::default();
        assert!(apply_env(&mut u, env(&[("UCHET_SESSION_HOURS", "48")])).is_err());
        assert!(apply_env(
            &mut UchetSection::default(),
            env(&[("UCHET_DEMO", "maybe")])
        )
        .is_err());
    }

    #[test]
    fn monitoring_and_alerts_run_as_often_as_told_and_never_in_a_busy_loop() {
        let mut u = UchetSection::default();
        assert_eq!((u.monitor_seconds, u.alerts_seconds), (120, 60));
        apply_env(&mut u, env(&[("UCHET_MONITOR_SECONDS", "5"), ("UCHET_ALERTS_SECONDS", " 2 ")])).unwrap();
        assert_eq!((u.monitor_seconds, u.alerts_seconds), (5, 2));
        for bad in ["0", "-1", "раз в минуту", "86401"] {
            let e = apply_env(&mut UchetSection::default(), env(&[("UCHET_ALERTS_SECONDS", bad)])).unwrap_err();
            assert!(e.to_string().contains("UCHET_ALERTS_SECONDS"), "{e}");
        }
    }
}
