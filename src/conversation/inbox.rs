//! `/inbox` (office): a page of the items filed in chat since the office last looked, the
//! newest first, each with a choice to read it and one to record its adoption; what is shown
//! is then marked read.

use super::Handled;
use super::shown::{TITLE_SHOWN, clip};
use super::turn::{Choice, Turn};
use crate::domain::ItemId;

/// Items on one page of `/inbox`.
const INBOX_PAGE: i64 = 10;

/// `/inbox`, or its "older" choice (`before`).
pub async fn inbox(turn: &Turn, before: Option<ItemId>) -> Handled {
    let total = turn.desk.inbox_count().await?;
    let items = turn.desk.inbox(before, INBOX_PAGE).await?;
    if items.is_empty() {
        turn.say_key("bot.inbox.empty", &[]);
        return Ok(());
    }
    let key = if before.is_none() {
        "bot.inbox.title"
    } else {
        "bot.inbox.title_more"
    };
    let mut lines = vec![turn.t(key, &[("count", &total.to_string())])];
    let mut rows = Vec::new();
    for item in &items {
        let number = item.id.to_string();
        lines.push(turn.t(
            "bot.inbox.item",
            &[
                ("number", &number),
                ("unit", &item.unit_name),
                ("title", &clip(&item.title, TITLE_SHOWN)),
                ("filed", &turn.local(item.filed_at)),
            ],
        ));
        rows.push(vec![
            Choice {
                label: turn.t("bot.inbox.read_button", &[("number", &number)]),
                data: format!("it:{number}"),
            },
            Choice {
                label: turn.t("bot.inbox.adopt_button", &[("number", &number)]),
                data: format!("ad:{number}"),
            },
        ]);
    }
    let shown = i64::try_from(items.len()).unwrap_or(i64::MAX);
    if let (Some(last), true) = (items.last().map(|i| i.id), total > shown) {
        rows.push(vec![Choice {
            label: turn.t("bot.inbox.older_button", &[]),
            data: format!("ib:{last}"),
        }]);
    }
    turn.say_with(&lines.join("\n"), rows);
    turn.mark_read(items.iter().map(|i| i.id).collect());
    Ok(())
}
