//! The `unionbot` program: the office's command line (and, with `run`, the bot).

use std::io::IsTerminal;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

use unionbot::cli::{UserError, help, run};
use unionbot::i18n::t;

/// What a program killed by SIGPIPE reports to its shell (128 + 13): a reader that stopped
/// early (`| head`) ends the output, and the output ends quietly, as other Unix tools do.
const CLOSED_PIPE_STATUS: u8 = 141;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in a log file or a pipe.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = match help::parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
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
        Err(e) if is_closed_pipe(&e) => ExitCode::from(CLOSED_PIPE_STATUS),
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

/// Whether the command failed only because the reader of its output went away.
fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        let kind = if let Some(io) = e.downcast_ref::<std::io::Error>() {
            Some(io.kind())
        } else if let Some(json) = e.downcast_ref::<serde_json::Error>() {
            json.io_error_kind()
        } else if let Some(csv) = e.downcast_ref::<csv::Error>() {
            match csv.kind() {
                csv::ErrorKind::Io(io) => Some(io.kind()),
                _ => None,
            }
        } else {
            None
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
