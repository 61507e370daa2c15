//! The `unionbot` program: the office's command line (and, with `run`, the bot).

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use unionbot::cli::{Cli, UserError, run};

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    match runtime.block_on(run(cli, &mut stdout)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<UserError>() {
                Some(user) => eprintln!("{user}"),
                None => {
                    tracing::error!("{e:?}");
                    eprintln!("{e:#}");
                }
            }
            ExitCode::FAILURE
        }
    }
}
