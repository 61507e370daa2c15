//! The command line's manners as a Unix program: quiet on a closed pipe, no colour codes in a
//! log that is not a terminal, one line on `run`'s start, a missing PostgreSQL server named
//! within seconds, and reports on a database that cannot be written.

#![cfg(unix)]

mod common;
#[path = "common/bot_double.rs"]
mod double;

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::cli::{binary, path_str, unionbot, write_file};
use serde_json::json;
use unionbot::i18n::{Locale, t};

const UNITS: &str = "code,name,kind,parent\nd1,District One,district,\n";

/// A migrated SQLite file holding one unit, closed again; its folder and URL.
async fn city() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unionbot.db");
    let url = format!("sqlite://{}", path.display());
    let units = write_file(dir.path(), "units.csv", UNITS);
    unionbot(&url, &["unit", "import", path_str(&units)])
        .await
        .unwrap();
    (dir, path, url)
}

#[tokio::test]
async fn a_reader_that_stops_early_ends_the_output_quietly() {
    let (_dir, _path, url) = city().await;
    let mut child = binary()
        .args(["--database", &url, "standings", "--period", "2026"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the program writes, as `| head -0` would.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(stderr, "", "nothing is said about the closed pipe");
    assert_eq!(
        status.code(),
        Some(141),
        "the status of a program stopped by SIGPIPE"
    );
}

#[tokio::test]
async fn the_log_has_no_colour_codes_when_stderr_is_not_a_terminal() {
    let (_dir, _path, url) = city().await;
    let output = binary()
        .args(["--database", &url, "unit", "list"])
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{log}");
    assert!(!log.is_empty(), "the debug log says something");
    assert!(!log.contains('\u{1b}'), "no escape codes:\n{log}");
}

#[tokio::test]
async fn run_says_which_bot_on_which_database_when_it_starts() {
    let (_dir, path, url) = city().await;
    let api = double::BotApi::start(Arc::new(|method, body| match method {
        "GetMe" => double::ok(json!({"id": 42, "is_bot": true, "first_name": "Union",
            "username": "union_test_bot", "can_join_groups": false,
            "can_read_all_group_messages": false, "supports_inline_queries": false,
            "has_main_web_app": false})),
        "GetUpdates" => {
            std::thread::sleep(Duration::from_millis(100));
            double::ok(json!([]))
        }
        "SendMessage" => double::sent(body),
        _ => double::ok(json!(true)),
    }))
    .await;
    let mut child = binary()
        .args(["--database", &url, "run"])
        .env("TELOXIDE_TOKEN", "123456:SECRET-token")
        .env("TELOXIDE_API_URL", &api.url)
        .env_remove("UNIONBOT_LANG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).is_ok_and(|n| n == 1) && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        String::from_utf8(line).unwrap()
    });
    let mut line = None;
    for _ in 0..300 {
        if reader.is_finished() {
            line = Some(reader.join().unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let line = line.expect("a line within 30 seconds of starting");
    let expected = t(
        Locale::ZhCn,
        "cli.run.started",
        &[
            ("bot", "union_test_bot"),
            ("database", &url),
            ("mode", &t(Locale::ZhCn, "cli.run.long_polling", &[])),
        ],
    );
    assert_eq!(line, expected);
    assert!(line.contains(path.to_str().unwrap()), "{line}");
    assert!(!line.contains("SECRET"), "{line}");
}

#[tokio::test]
async fn a_postgres_server_that_is_not_there_is_named_within_seconds() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://office:secret@127.0.0.1:{port}/unionbot");
    let started = Instant::now();
    let err = unionbot(&url, &["standings", "--period", "2026"])
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(err.contains("refused"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}

#[tokio::test]
async fn reports_work_on_a_database_opened_read_only_and_writes_are_refused() {
    let (dir, _path, url) = city().await;
    let read_only = format!("{url}?mode=ro");
    let units = unionbot(&read_only, &["unit", "list"]).await.unwrap();
    assert!(units.contains("District One"), "{units}");
    unionbot(&read_only, &["standings", "--period", "2026"])
        .await
        .unwrap();
    let file = write_file(
        dir.path(),
        "more.csv",
        "code,name,kind,parent\nd2,District Two,district,\n",
    );
    let refusal = t(Locale::En, "cli.error.read_only", &[]);
    for args in [
        vec!["unit", "import", file.to_str().unwrap()],
        vec![
            "veto",
            "add",
            "--unit",
            "d1",
            "--kind",
            "late",
            "--date",
            "2026-03-01",
            "--reason",
            "x",
        ],
        vec!["migrate"],
    ] {
        let err = unionbot(&read_only, &args).await.unwrap_err();
        assert_eq!(err, refusal, "{args:?}");
    }
    let units = unionbot(&url, &["unit", "list", "--format", "json"])
        .await
        .unwrap();
    let units: serde_json::Value = serde_json::from_str(&units).unwrap();
    assert_eq!(units.as_array().unwrap().len(), 1, "nothing was written");
}

#[tokio::test]
async fn a_database_file_without_write_permission_is_read_and_never_written() {
    let (_dir, path, url) = city().await;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let standings = unionbot(&url, &["standings", "--period", "2026"]).await;
    assert!(standings.is_ok(), "{standings:?}");
    // Root may write to any file; the program still leaves one the office made read-only alone.
    let err = unionbot(
        &url,
        &[
            "veto",
            "add",
            "--unit",
            "d1",
            "--kind",
            "late",
            "--date",
            "2026-03-01",
            "--reason",
            "x",
        ],
    )
    .await
    .unwrap_err();
    assert_eq!(err, t(Locale::En, "cli.error.read_only", &[]));
    let vetoes = unionbot(&url, &["veto", "list", "--format", "json"])
        .await
        .unwrap();
    assert_eq!(vetoes.trim(), "[]", "nothing was written");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444, "the file is left as the office set it");
}
