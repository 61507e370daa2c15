//! `/return <n> <reason>` (退稿, office): the item goes back to its officer with the reason.

use super::command::Command;
use super::notices::tell_officers;
use super::shown::{item_number, too_long, usage};
use super::turn::Turn;
use super::{DeskError, Handled};
use crate::i18n::{Locale, t};

/// Most characters of a return's reason: it goes to the officer in one message.
pub const REMARK_LIMIT: usize = 500;

pub async fn return_item(turn: &Turn, c: &Command) -> Handled {
    let (words, reason) = c.split(1);
    let (Some(id), false) = (
        words.first().and_then(|w| item_number(w)),
        reason.is_empty(),
    ) else {
        return usage(turn, "return");
    };
    if let Some(refusal) = too_long(turn, reason, REMARK_LIMIT) {
        turn.say(&refusal);
        return Ok(());
    }
    let recorded = turn
        .desk
        .return_item(id, reason, &turn.source, &turn.recorder(), turn.now)
        .await;
    let item = match recorded {
        Ok(item) => item,
        Err(DeskError::NotFound { .. }) => {
            turn.say_key("error.unknown_item", &[("reference", &format!("#{id}"))]);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let notice = |l: Locale| {
        t(
            l,
            "bot.notice.returned",
            &[
                ("number", &id.to_string()),
                ("title", &item.title),
                ("reason", reason),
            ],
        )
    };
    // Keyed by the command, not the item: an item returned twice is told twice.
    let key = format!("returned:{}", turn.source);
    let told = tell_officers(turn, &item, &key, &notice).await?;
    turn.say_key(
        "bot.return.done",
        &[
            ("number", &id.to_string()),
            ("title", &item.title),
            ("told", &told.to_string()),
        ],
    );
    Ok(())
}
