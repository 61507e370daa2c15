//! The `unionbot` program: the office's command line (and, with `run`, the bot).

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use unionbot::cli::{Cli, UserError, run};
use unionbot::i18n::t;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let cli_locale = cli.lang.clone();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let locale = unionbot::i18n::Locale::or_default(cli_locale.as_deref());
    match runtime.block_on(run(cli, &mut stdout)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<UserError>() {
                Some(user) => eprintln!("{user}"),
                None => {
                    // The whole chain goes to the log; the office reads one line.
                    tracing::debug!("{e:?}");
                    let reason = format!("{e:#}");
                    eprintln!("{}", t(locale, "error.failed", &[("reason", &reason)]));
                }
            }
            ExitCode::FAILURE
        }
    }
}
