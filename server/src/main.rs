//! The `server` command: runs Uchet, fills a database with the demo, sets up a company for a
//! scripted install, decodes a meter's frame.

use std::io::Read;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use server::config::Config;

#[derive(Parser)]
#[command(name = "server", about = "Учёт — АСКУЭ для управляющих компаний", version)]
struct Cli {
    /// The settings file (its [package.metadata.leptos] and [uchet] sections).
    #[arg(long, global = true, default_value = "Leptos.toml")]
    config: PathBuf,
    /// The database, overriding the settings (sqlite://… or postgres://…).
    #[arg(long, global = true)]
    database: Option<String>,
    /// Loads the demo company into an empty database before serving.
    #[arg(long, global = true)]
    demo: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the web server and the collector (the default).
    Serve,
    /// Fills an empty database with the demo company.
    Demo {
        /// At least this many meters.
        #[arg(long, default_value_t = 0)]
        meters: usize,
        /// Days of readings history.
        #[arg(long, default_value_t = 366)]
        days: i64,
    },
    /// Creates a company and its administrator; run again with the same login, changes nothing.
    Setup {
        /// The company's name («ООО «УК …»»).
        #[arg(long)]
        company: String,
        /// The administrator's login.
        #[arg(long)]
        login: String,
        /// Reads the administrator's password from standard input (one line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The company's ИНН (10 or 12 digits).
        #[arg(long)]
        inn: String,
        #[arg(long, default_value = "")]
        kpp: String,
        #[arg(long, default_value = "")]
        ogrn: String,
        #[arg(long, default_value = "")]
        address: String,
        /// The administrator's full name (the login when not given).
        #[arg(long)]
        full_name: Option<String>,
    },
    /// Imports a company's file (XLSX, XLS, ODS or CSV): checks every row, prints the report,
    /// and writes it when no row has a problem (not with --check): one transaction, readings
    /// in batches of 20 000 that the same file run again finishes if it was cut short.
    Import {
        /// `buildings`, `premises` (with their accounts and owners), `meters` or `readings`.
        kind: String,
        file: PathBuf,
        /// The company's id.
        #[arg(long)]
        company: i64,
        /// The building premises and meters go to when the file has no «Адрес дома» column.
        #[arg(long)]
        object: Option<i64>,
        /// Only check and report; write nothing.
        #[arg(long)]
        check: bool,
    },
    /// Makes, lists and revokes the open API's tokens (`/api/v1`).
    ApiToken {
        #[command(subcommand)]
        action: ApiTokenAction,
    },
    /// Prints a frame's records as JSON: `decode mbus HEX` or `decode mercury REQUEST REPLY`.
    Decode {
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Subcommand)]
enum ApiTokenAction {
    /// Makes a token and prints it: it is shown this once and kept nowhere.
    Create {
        /// The company's id.
        #[arg(long)]
        company: i64,
        /// Who uses it («1С: Бухгалтерия»).
        #[arg(long)]
        name: String,
        /// `read`, or `write` to post readings too.
        #[arg(long, default_value = "read")]
        scope: String,
    },
    /// Lists a company's tokens.
    List {
        #[arg(long)]
        company: i64,
    },
    /// Stops a token for good.
    Revoke {
        #[arg(long)]
        company: i64,
        /// The token's id (see `list`).
        id: i64,
    },
}

#[tokio::main]
async fn main() {
    server::telemetry::keep_big_allocations_apart();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("ошибка: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let configure = || -> Result<Config, Box<dyn std::error::Error>> {
        let mut config = Config::load(&cli.config)?;
        if cli.demo {
            config.uchet.demo = true;
        }
        if let Some(url) = &cli.database {
            config.uchet.database_url = url.clone();
        }
        server::telemetry::init_logging(&config.uchet.log_format);
        Ok(config)
    };
    match cli.command {
        Some(Command::Decode { ref args }) => {
            let json = server::collect::decode::run(args)?;
            println!("{}", serde_json::to_string_pretty(&json)?);
            Ok(())
        }
        Some(Command::Demo { meters, days }) => {
            let db = open(&configure()?).await?;
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
        Some(Command::Setup {
            company,
            login,
            password_stdin: _,
            inn,
            kpp,
            ogrn,
            address,
            full_name,
        }) => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.lines().next().unwrap_or("").to_string();
            let db = open(&configure()?).await?;
            let form = app::models::company::CompanyForm {
                name: company.clone(),
                inn,
                kpp,
                ogrn,
                legal_address: address.clone(),
                actual_address: address,
                ..Default::default()
            };
            let name = full_name.unwrap_or_else(|| login.clone());
            match server::setup::run(&db, form, &login, &name, password).await? {
                server::setup::Outcome::Created { company_id, .. } => println!(
                    "организация «{company}» создана (id {company_id}), администратор «{login}»"
                ),
                server::setup::Outcome::AlreadyThere { company_id } => println!(
                    "уже настроено: «{login}» — администратор «{company}» (id {company_id}); ничего не изменено"
                ),
            }
            Ok(())
        }
        Some(Command::Import {
            kind,
            file,
            company,
            object,
            check,
        }) => {
            let kind = app::models::import::ImportKind::parse(&kind)
                .ok_or_else(|| format!("неизвестный вид файла «{kind}»: buildings, premises, meters или readings"))?;
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let db = open(&configure()?).await?;
            app::storage::company::get(&db, company)
                .await
                .map_err(|_| format!("организации с id {company} нет"))?;
            let started = std::time::Instant::now();
            let report = app::import::run(&db, company, kind, &bytes, object, !check).await?;
            print!("{}", server::import::text(&report));
            eprintln!("{:.1} с", started.elapsed().as_secs_f64());
            if !report.issues.is_empty() {
                return Err("файл не записан: исправьте строки выше и запустите снова".into());
            }
            Ok(())
        }
        Some(Command::ApiToken { action }) => {
            let db = open(&configure()?).await?;
            server::api::cli::run(&db, action.into()).await
        }
        Some(Command::Serve) | None => server::serve(configure()?).await,
    }
}

impl From<ApiTokenAction> for server::api::cli::Action {
    fn from(a: ApiTokenAction) -> Self {
        use server::api::cli::Action;
        match a {
            ApiTokenAction::Create { company, name, scope } => Action::Create { company, name, scope },
            ApiTokenAction::List { company } => Action::List { company },
            ApiTokenAction::Revoke { company, id } => Action::Revoke { company, id },
        }
    }
}

async fn open(config: &Config) -> Result<app::storage::Db, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.uchet.data_dir)?;
    Ok(app::storage::Db::connect(&config.database_url()).await?)
}
