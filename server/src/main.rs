//! `server`: starts the shop, or runs one of its commands. Configuration comes from the
//! environment (see README.md).
//!
//! - `server` (or `server serve`): serve the shop;
//! - `server reindex`: rebuild the search index from the database;
//! - `server generate <N>`: add N demo products and index them;
//! - `server generate-orders <N>`: add N synthetic past orders (benchmarks);
//! - `server audit verify`: check the audit log's hash chain;
//! - `server rotate-master-key`: re-wrap every personal-data key with the current master key;
//! - `server demo-code`: the demo admin's current two-step sign-in code (demo data only).

use app::platform::config::Config;
use server::startup::{Application, shutdown_signal};
use server::telemetry::init_tracing;
use std::process::ExitCode;

const USAGE: &str = "usage: server [serve | reindex | generate <number of products> | generate-orders <number of orders> | audit verify | rotate-master-key | demo-code]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(config.log_format);
    let outcome = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => return serve(config).await,
        ["reindex"] => server::commands::reindex(&config).await,
        ["audit", "verify"] => server::commands::audit_verify(&config).await,
        ["demo-code"] => server::commands::demo_code(&config),
        ["rotate-master-key"] => server::commands::rotate_master_key(&config).await,
        ["generate", n] => match n.replace('_', "").parse::<usize>() {
            Ok(count) if (1..=10_000_000).contains(&count) => {
                server::commands::generate(&config, count).await
            }
            _ => Err(format!(
                "{n:?} is not a number of products from 1 to 10000000"
            )),
        },
        ["generate-orders", n] => match n.replace('_', "").parse::<usize>() {
            Ok(count) if (1..=10_000_000).contains(&count) => {
                server::commands::generate_orders(&config, count).await
            }
            _ => Err(format!(
                "{n:?} is not a number of orders from 1 to 10000000"
            )),
        },
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(USAGE.to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> ExitCode {
    let mut leptos_options = match leptos::config::get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(e) => {
            eprintln!("error: Leptos configuration: {e}");
            return ExitCode::from(2);
        }
    };
    leptos_options.site_addr = config.addr;

    let app = match Application::build(config, leptos_options).await {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("start-up failed: {e}");
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("listening on http://{}", app.local_addr());
    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}
