//! `unionbot run` as a program against the fake Telegram, for the crash and delivery tests: a
//! database with a unit, its officer and the office; the program started, stopped, killed and
//! started again on it; a person who talks to it and waits for its answers.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;

use unionbot::domain::{Role, UnitKind};
use unionbot::records::{NewUnit, Recorder};
use unionbot::store::Store;

use super::double::{Delivered, FakeTelegram};

pub const TOKEN: &str = "123456:SECRET-token";
pub const OFFICER: i64 = 1001;
pub const OFFICE: i64 = 2001;

/// Units D01 and D02, an officer of D01 and an office member, all named.
pub async fn seed(store: &Store) {
    let office = Recorder("test:office".into());
    let unit = |code: &str, name: &str| NewUnit {
        code: code.into(),
        name: name.into(),
        kind: UnitKind::District,
        parent_code: None,
    };
    store
        .import_units(
            &[
                (2, unit("D01", "中山区总工会")),
                (3, unit("D02", "西岗区总工会")),
            ],
            &office,
        )
        .await
        .unwrap();
    for (user, unit, role) in [
        (OFFICER, Some("D01"), Role::Officer),
        (OFFICE, None, Role::Office),
    ] {
        register(store, user, unit, role).await;
    }
}

/// Registers a person of `unit` with `role` under the name `用户<id>`.
pub async fn register(store: &Store, user: i64, unit: Option<&str>, role: Role) {
    let office = Recorder("test:office".into());
    let name = format!("用户{user}");
    let invite = store
        .create_named_invite(
            unit,
            role,
            Some(&name),
            chrono::Duration::days(1),
            Utc::now(),
            &office,
        )
        .await
        .unwrap();
    store
        .redeem_invite(&invite.code, user, &name, Utc::now())
        .await
        .unwrap();
}

/// The program running on a database against a fake Telegram.
pub struct Program {
    child: Child,
}

impl Program {
    /// Starts `unionbot run`; `fault` names a fault point to abort at (`point` or `point:n`);
    /// `env` adds variables (pacing limits for the benchmark).
    pub fn start(
        db_url: &str,
        fake: &FakeTelegram,
        fault: Option<&str>,
        env: &[(&str, &str)],
    ) -> Program {
        let mut command = Command::new(env!("CARGO_BIN_EXE_unionbot"));
        command
            .args(["--database", db_url, "run"])
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", &fake.url)
            .env("RUST_LOG", "warn")
            .env_remove("UNIONBOT_FAULT")
            // Only what the test's own updates cause; a test of the scheduler turns it on.
            .env("UNIONBOT_SCHEDULER", "off")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(fault) = fault {
            command.env("UNIONBOT_FAULT", fault);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        Program {
            child: command.spawn().expect("the program starts"),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the program to end by itself (a fault point), at most `timeout`.
    pub async fn ended(&mut self, timeout: Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// SIGTERM, then waits for a clean stop.
    pub async fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        if !self.ended(Duration::from_secs(30)).await {
            let _ = self.child.kill();
            panic!("the program did not stop within 30 seconds of SIGTERM");
        }
    }

    /// SIGKILL: gone at once, whatever it was doing.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A person talking to the program through the fake Telegram.
pub struct Person<'a> {
    pub fake: &'a FakeTelegram,
    pub id: i64,
}

impl Person<'_> {
    /// What the bot has said to this person so far.
    pub fn said(&self) -> Vec<Delivered> {
        self.fake.messages_to(self.id)
    }

    /// Sends a text and waits until the bot has said something new; the new messages.
    pub async fn say(&self, text: &str) -> Vec<Delivered> {
        let before = self.said();
        self.fake.push_text(self.id, text);
        self.answers_after(&before).await
    }

    /// Presses the button with this label start on the latest message that has buttons.
    pub async fn press(&self, label: &str) -> Vec<Delivered> {
        let (data, message) = self.button(label);
        let before = self.said();
        self.fake.push_callback(self.id, &data, message);
        self.answers_after(&before).await
    }

    /// The callback data of a button, and its message, without pressing it.
    pub fn button(&self, label: &str) -> (String, i64) {
        let said = self.said();
        for message in said.iter().rev() {
            let Some(markup) = &message.reply_markup else {
                continue;
            };
            let buttons = markup["inline_keyboard"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for button in buttons
                .iter()
                .flat_map(|row| row.as_array().cloned().unwrap_or_default())
            {
                let text = button["text"].as_str().unwrap_or_default();
                if text.contains(label) {
                    let data = button["callback_data"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    return (data, message.message_id);
                }
            }
        }
        panic!(
            "no button {label:?} in {:#?}",
            said.iter().map(|m| &m.text).collect::<Vec<_>>()
        );
    }

    /// Waits for a message with a text not among those said `before`: a message Telegram
    /// got twice (its answer was lost, so the outbox sent it again) is not a new answer.
    async fn answers_after(&self, before: &[Delivered]) -> Vec<Delivered> {
        let id = self.id;
        let known: std::collections::HashSet<&str> =
            before.iter().map(|m| m.text.as_str()).collect();
        let arrived = self
            .fake
            .wait_for(
                |seen| {
                    seen.iter()
                        .any(|m| m.chat_id == id && !known.contains(m.text.as_str()))
                },
                Duration::from_secs(30),
            )
            .await;
        assert!(arrived, "no answer to {id}");
        // The rest of a reply in several parts comes right after.
        tokio::time::sleep(Duration::from_millis(150)).await;
        self.said().split_off(before.len())
    }
}

/// The texts of messages, one a line.
pub fn texts(messages: &[Delivered]) -> String {
    messages
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reply markup of a message as JSON, for a look at the buttons.
pub fn markup(message: &Delivered) -> Value {
    message.reply_markup.clone().unwrap_or(Value::Null)
}
