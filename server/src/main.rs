//! `server [serve] [--config FILE] [--demo]` runs Uchet;
//! `server demo [--meters N] [--days N] [--database URL]` fills an empty database;
//! `server decode mbus HEX | mercury REQUEST_HEX REPLY_HEX` prints a frame's records as JSON.

use std::path::PathBuf;

use server::config::Config;

const USAGE: &str = "usage:
  server [serve] [--config Leptos.toml] [--demo]
  server demo [--config Leptos.toml] [--database URL] [--meters N] [--days N]
  server decode mbus HEX
  server decode mercury REQUEST_HEX REPLY_HEX";

#[tokio::main]
async fn main() {
    server::telemetry::keep_big_allocations_apart();
    if let Err(e) = run(std::env::args().skip(1).collect()).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
    if args.first().map(String::as_str) == Some("decode") {
        let json = server::collect::decode::run(&args[1..]).map_err(|e| format!("{e}\n{USAGE}"))?;
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    let mut command = "serve".to_string();
    let mut config_path = PathBuf::from("Leptos.toml");
    let (mut demo, mut meters, mut days, mut database) = (false, 0usize, 366i64, None::<String>);
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "serve" | "demo" => command = a,
            "--config" => config_path = PathBuf::from(value("--config")?),
            "--demo" => demo = true,
            "--meters" => meters = value("--meters")?.parse()?,
            "--days" => days = value("--days")?.parse()?,
            "--database" => database = Some(value("--database")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}").into()),
        }
    }
    let mut config = Config::load(&config_path)?;
    if demo {
        config.uchet.demo = true;
    }
    if let Some(url) = database {
        config.uchet.database_url = url;
    }
    server::telemetry::init_logging(&config.uchet.log_format);
    match command.as_str() {
        "demo" => {
            std::fs::create_dir_all(&config.uchet.data_dir)?;
            let db = app::storage::Db::connect(&config.database_url()).await?;
            let opts = server::demo::DemoOptions {
                min_meters: meters,
                days,
                ..Default::default()
            };
            let started = std::time::Instant::now();
            let r = server::demo::generate(&db, &opts, |step| eprintln!("{step}")).await?;
            println!(
                "loaded {} objects, {} premises, {} meters, {} readings in {:.1} s",
                r.objects,
                r.premises,
                r.meters,
                r.readings,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        _ => server::serve(config).await,
    }
}
