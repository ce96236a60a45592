//! The Uchet server: configuration, the web side, the collector, demo data. `main.rs` wires
//! them.

pub mod api;
pub mod collect;
pub mod config;
pub mod demo;
pub mod import;
pub mod mail;
pub mod setup;
pub mod telemetry;
pub mod web;
pub mod webhook;


use app::auth::AuthConfig;
use app::storage::Db;

use crate::config::Config;

/// Opens the database, loads the demo when asked and the database is empty, and serves
/// until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.uchet.data_dir)?;
    let url = config.database_url();
    let db = Db::connect(&url).await?;
    tracing::info!(backend = ?db.backend(), "database ready");
    if config.uchet.demo && app::storage::company::get_count(&db).await? == 0 {
        let started = std::time::Instant::now();
        let report = demo::generate(&db, &demo::DemoOptions::default(), |step| {
            tracing::info!("{step}")
        })
        .await?;
        tracing::info!(
            objects = report.objects,
            premises = report.premises,
            meters = report.meters,
            readings = report.readings,
            seconds = started.elapsed().as_secs(),
            "demo company loaded"
        );
    }
    if config.uchet.demo {
        print_demo_logins();
    }
    let mail_config = app::mail::MailConfig {
        enabled: !config.uchet.smtp_url.trim().is_empty(),
        public_url: config.uchet.public_url.clone(),
        wake: Default::default(),
    };
    if mail_config.enabled {
        let settings = mail::SmtpSettings::from_url(&config.uchet.smtp_url, &config.uchet.smtp_from)?;
        tracing::info!(relay = %settings.host, port = settings.port, "mail through SMTP");
        tokio::spawn(mail::run(db.clone(), settings, mail_config.wake.clone()));
    }
    let state = web::AppState {
        leptos_options: config.leptos.clone(),
        db: db.clone(),
        auth: AuthConfig {
            session_hours: config.uchet.session_hours,
            secure_cookies: config.uchet.https(),
        },
        mail: mail_config,
        metrics: telemetry::metrics(),
        metrics_token: Some(config.uchet.metrics_token.trim().to_string()).filter(|t| !t.is_empty()),
        proxies: web::peer::TrustedProxies::parse(&config.uchet.trusted_proxies)?,
        map: app::monitoring::map::MapConfig { tiles: config.uchet.map_tiles.clone() },
    };
    tokio::spawn(sweep(db.clone()));
    tokio::spawn(keep_rollup(db.clone()));
    tokio::spawn(monitor(db.clone(), config.uchet.monitor_seconds));
    tokio::spawn(billing_schedule(db.clone()));
    // letters' links need a whole address: the public one, or where this server listens
    let public_url = Some(config.uchet.public_url.trim().to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| format!("http://{}", config.leptos.site_addr));
    tokio::spawn(alerts(db.clone(), state.mail.clone(), public_url, config.uchet.alerts_seconds));
    if config.uchet.collector_jobs > 0 {
        if config.uchet.demo {
            match demo::buses::start(&db).await {
                Ok(s) => tracing::info!(mercury = s.mercury, mbus = s.mbus, modbus = s.modbus, "demo buses simulated"),
                Err(e) => tracing::warn!(error = %e, "demo buses not started"),
            }
        }
        let maps = collect::protocol::modbus::RegisterMaps::load(&config.uchet.data_dir)?;
        tokio::spawn(collect::run(db.clone(), config.uchet.collector_jobs, maps));
    }
    if !config.uchet.mqtt_url.trim().is_empty() {
        let mut settings = collect::transport::mqtt::MqttSettings::from_url(
            &config.uchet.mqtt_url,
            &config.uchet.mqtt_client_id(),
            &config.uchet.mqtt_topic,
        )?;
        if !config.uchet.mqtt_ca.trim().is_empty() {
            settings.ca_file = Some(config.uchet.mqtt_ca.trim().into());
        }
        // a CA file that cannot be read stops the start with its name, not later in a log
        settings.transport()?;
        let maps = collect::field_map::FieldMaps::load(&config.uchet.data_dir)?;
        tracing::info!(broker = %settings.host, port = settings.port, tls = settings.tls, topic = %settings.topic, "LoRaWAN uplinks over MQTT");
        tokio::spawn(collect::uplink::run(db.clone(), settings, maps));
    }
    let pkg = std::path::Path::new(config.leptos.site_root.as_ref())
        .join(config.leptos.site_pkg_dir.as_ref());
    tokio::task::spawn_blocking(move || match web::assets::precompress(&pkg) {
        Ok(files) if !files.is_empty() => {
            tracing::info!(files = files.len(), "bundle compressed (brotli 11)")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, dir = %pkg.display(), "bundle not precompressed"),
    });
    let app = web::router(state);
    let addr = config.leptos.site_addr;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "Uchet is listening: http://{addr}");
    web::listen::serve(listener, app, shutdown()).await?;
    db.close().await;
    Ok(())
}

/// Expired sessions are refused on sight; this only keeps the table small. Uploads never sent
/// with anything (a form abandoned after its photo went up) go after a day.
async fn sweep(db: Db) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        let now = app::storage::now();
        match app::storage::session::delete_expired(&db, now).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "expired sessions not removed"),
        }
        let before = now - app::attachments::KEEP_UNSENT_SECONDS;
        match app::storage::attachment::delete_unattached_before(&db, before).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "uploads never sent removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "uploads never sent not removed"),
        }
    }
}

/// Drains the consumption rollup's stale marks that ingest leaves, so dashboards read
/// ready days; readers drain their own company's leftovers before reading.
async fn keep_rollup(db: Db) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        match app::rollup::refresh_stale(&db, None, 5_000).await {
            Ok(n) if n > 0 => tracing::info!(meters = n, "consumption rollup refreshed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "consumption rollup not refreshed"),
        }
    }
}

/// Keeps monitoring's events current (issue 23): at start, so the first look at
/// «Нештатные ситуации» finds them, and then every `seconds` (two minutes by default).
async fn monitor(db: Db, seconds: u64) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(seconds));
    loop {
        tick.tick().await;
        match app::monitoring::sweep_all(&db, app::storage::now()).await {
            Ok(s) if s.opened + s.ended > 0 => tracing::info!(opened = s.opened, ended = s.ended, "monitoring events"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "monitoring events not swept"),
        }
    }
}

/// Runs the companies' automatic billing exports on their days (looked at every ten minutes).
async fn billing_schedule(db: Db) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        match app::queries::billing::run_due(&db, app::storage::now()).await {
            Ok(runs) => {
                for r in runs {
                    tracing::info!(company = r.company_id, run = r.id, period = %r.period, status = r.status.as_str(), "automatic billing export");
                }
            }
            Err(e) => tracing::warn!(error = %e, "automatic billing exports not run"),
        }
    }
}

/// Tells the subscribers of the events that opened (every `seconds`, a minute by default):
/// letters go to the mailer, webhook POSTs leave from here.
async fn alerts(db: Db, mail: app::mail::MailConfig, public_url: String, seconds: u64) {
    let delivery = app::monitoring::alerts::Delivery { public_url, mail_enabled: mail.enabled };
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(seconds));
    loop {
        tick.tick().await;
        match app::monitoring::alerts::dispatch(&db, &delivery, app::storage::now()).await {
            Ok(d) if d.letters + d.webhooks > 0 => {
                tracing::info!(letters = d.letters, webhooks = d.webhooks, "alerts queued");
                mail.wake.notify_one();
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "alerts not dispatched"),
        }
        if let Err(e) = webhook::send_due(&db, app::storage::now()).await {
            tracing::warn!(error = %e, "webhook outbox not read");
        }
    }
}

fn print_demo_logins() {
    println!(
        "\nУчёт — демо-входы (пароль для всех: {}):",
        demo::DEMO_PASSWORD
    );
    for (login, role) in [
        ("admin", "администратор"),
        ("dispatcher", "диспетчер, две организации"),
        ("engineer", "сервисный инженер"),
        ("reader", "только просмотр"),
        ("controller", "контролёр (обход)"),
        ("resident", "житель, кв. 12"),
        ("rassvet", "диспетчер ТСЖ «Рассвет»"),
    ] {
        println!("  {login:<11} {role}");
    }
    println!();
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
