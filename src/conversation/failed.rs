//! `/failed` in the office's chat: the messages the bot gave up on, the latest first, with whom
//! each was for and why, and how to send them again.

use super::Handled;
use super::turn::Turn;
use crate::records::FailedMessage;

/// Messages listed in chat; the command line lists them all.
const SHOWN: i64 = 20;
/// Characters of an error shown: Telegram's descriptions are short, a network error's is not.
const ERROR_SHOWN: usize = 80;

/// `/failed`.
pub async fn list(turn: &Turn) -> Handled {
    let mut failed = turn.desk.failed_messages(SHOWN + 1).await?;
    if failed.is_empty() {
        {
            turn.say_key("bot.failed.empty", &[]);
            return Ok(());
        }
    }
    let more = failed.len() > SHOWN as usize;
    failed.truncate(SHOWN as usize);
    let mut lines = vec![turn.t("bot.failed.title", &[])];
    lines.extend(failed.iter().map(|m| line(turn, m)));
    if more {
        lines.push(turn.t("bot.failed.more", &[("shown", &SHOWN.to_string())]));
    }
    lines.push(turn.t("bot.failed.retry_hint", &[]));
    turn.say(&lines.join("\n"));
    Ok(())
}

fn line(turn: &Turn, m: &FailedMessage) -> String {
    let whom = match &m.person_name {
        Some(name) => {
            let unit = m
                .unit_name
                .clone()
                .unwrap_or_else(|| turn.t("role.office", &[]));
            turn.t("bot.failed.person", &[("name", name), ("unit", &unit)])
        }
        None => turn.t("bot.failed.chat", &[("chat", &m.chat_id.to_string())]),
    };
    let whom = if m.unreachable {
        turn.t("bot.failed.unreachable", &[("whom", &whom)])
    } else {
        whom
    };
    let error: String = m
        .last_error
        .as_deref()
        .unwrap_or_default()
        .chars()
        .take(ERROR_SHOWN)
        .collect();
    let at = m
        .failed_at
        .with_timezone(&turn.rules.zone())
        .format("%m-%d %H:%M")
        .to_string();
    turn.t(
        "bot.failed.line",
        &[
            ("number", &m.id.to_string()),
            ("whom", &whom),
            ("attempts", &m.attempts.to_string()),
            ("at", &at),
            ("error", &error),
        ],
    )
}
