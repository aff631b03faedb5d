//! `server`: starts the shop. Configuration comes from the environment (see README.md).

use app::platform::config::Config;
use server::startup::{Application, shutdown_signal};
use server::telemetry::init_tracing;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(config.log_format);

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
