//! `/inbox` (office): a page of the items filed in chat that nobody in the office has opened or
//! decided, the newest first, each with a choice to read it (which opens it), to record its
//! adoption, or to record 不采用 (seen, not adopted). Listing changes nothing: an item stays
//! new until it is opened or decided. `/inbox all`: every item of this quarter not decided yet,
//! opened or not, however it came in.

use super::shown::{TITLE_SHOWN, clip};
use super::turn::{Choice, Turn};
use super::{DeskError, Handled};
use crate::domain::ItemId;
use crate::records::{DeclineOutcome, ItemSummary};

/// Items on one page of `/inbox`.
const INBOX_PAGE: i64 = 10;

/// Whether `/inbox`'s argument asks for every undecided item.
pub fn wants_all(args: &str) -> bool {
    matches!(
        args.trim().to_lowercase().as_str(),
        "all" | "全部" | "所有" | "未处理"
    )
}

/// `/inbox`, or its "older" choice (`before`).
pub async fn inbox(turn: &Turn, before: Option<ItemId>) -> Handled {
    let total = turn.desk.inbox_count().await?;
    // One more than a page tells whether older ones remain.
    let mut items = turn.desk.inbox(before, INBOX_PAGE + 1).await?;
    if items.is_empty() {
        turn.say_key("bot.inbox.empty", &[]);
        return Ok(());
    }
    let key = if before.is_none() {
        "bot.inbox.title"
    } else {
        "bot.inbox.title_more"
    };
    let title = turn.t(key, &[("count", &total.to_string())]);
    let more = trim_page(&mut items);
    page(turn, title, &items, more, "ib");
    Ok(())
}

/// `/inbox all`, or its "older" choice (`before`): this quarter's items not decided yet.
pub async fn undecided(turn: &Turn, before: Option<ItemId>) -> Handled {
    let quarter = turn.quarter();
    let (from, to) = crate::period::Period::Quarter(quarter).instants(turn.rules.zone());
    let (mut items, total) = turn
        .desk
        .undecided(from, to, before, INBOX_PAGE + 1)
        .await?;
    let label = quarter.label(turn.locale);
    if items.is_empty() {
        turn.say_key("bot.inbox.undecided_empty", &[("quarter", &label)]);
        return Ok(());
    }
    let title = turn.t(
        "bot.inbox.undecided_title",
        &[("quarter", &label), ("count", &total.to_string())],
    );
    let more = trim_page(&mut items);
    page(turn, title, &items, more, "iu");
    Ok(())
}

/// Keeps a page of the items fetched; whether older ones remain.
fn trim_page(items: &mut Vec<ItemSummary>) -> bool {
    let page = usize::try_from(INBOX_PAGE).unwrap_or(usize::MAX);
    let more = items.len() > page;
    items.truncate(page);
    more
}

/// A page of items with their choices, and an "older" choice (`older`) when more remain.
fn page(turn: &Turn, title: String, items: &[ItemSummary], more: bool, older: &str) {
    let mut lines = vec![title];
    let mut rows = Vec::new();
    for item in items {
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
            Choice {
                label: turn.t("bot.inbox.decline_button", &[("number", &number)]),
                data: format!("na:{number}"),
            },
        ]);
    }
    if let (Some(last), true) = (items.last().map(|i| i.id), more) {
        rows.push(vec![Choice {
            label: turn.t("bot.inbox.older_button", &[]),
            data: format!("{older}:{last}"),
        }]);
    }
    turn.say_with(&lines.join("\n"), rows);
}

/// The "不采用" choice: records that the office saw item `id` and does not adopt it. It moves
/// no points; pressed again, it says who decided and when.
pub async fn decline(turn: &Turn, id: ItemId) -> Handled {
    let Some(person) = turn.person.as_ref().map(|p| p.id) else {
        return Ok(());
    };
    let outcome = turn
        .desk
        .decline_item(id, person, &turn.source, &turn.recorder(), turn.now)
        .await;
    let number = id.to_string();
    match outcome {
        Ok(DeclineOutcome::Declined(item, _, true)) => turn.say_key(
            "bot.inbox.declined",
            &[("number", &number), ("title", &item.title)],
        ),
        Ok(DeclineOutcome::Declined(item, declined, false)) => turn.say_key(
            "bot.inbox.declined_before",
            &[
                ("number", &number),
                ("title", &item.title),
                ("name", &declined.by),
                ("at", &turn.local(declined.at)),
            ],
        ),
        Ok(DeclineOutcome::Adopted(item)) => turn.say_key(
            "bot.inbox.decline_adopted",
            &[("number", &number), ("title", &item.title)],
        ),
        Err(DeskError::NotFound { .. }) => {
            turn.say_key("error.unknown_item", &[("reference", &format!("#{id}"))])
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
