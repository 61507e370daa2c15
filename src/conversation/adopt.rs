//! Recording an adoption (`/adopt`, office only): the item by its number or a word of its
//! title, then the adoption form (level and single/combined as choices, the date default
//! today); once stored, the item's officer is told.

use super::dialogue::{self, Confirmed};
use super::notices::tell_officers;
use super::standing::event_points;
use super::turn::{Choice, Turn};
use super::{DeskError, Handled};
use crate::domain::ItemId;
use crate::forms::adoption::{adoption_form, item_target, new_adoption};
use crate::forms::{FormKind, Value, Values};
use crate::i18n::{Locale, t};
use crate::points::Points;
use crate::records::{ItemSummary, ItemTarget, NewAdoption};
use crate::scoring::Source;

/// Items offered when a word matches several.
const CHOICES: usize = 8;
/// Items counted when a word matches more than are offered: enough to say how many more.
const COUNTED: i64 = 1000;

/// `/adopt <number or word>`: finds the item, then starts the form about it.
pub async fn start(turn: &Turn, args: &str) -> Handled {
    let args = args.trim();
    if args.is_empty() {
        turn.say_key("bot.adopt.usage", &[]);
        return Ok(());
    }
    if let ItemTarget::Number(id) = item_target(args) {
        return start_for(turn, id).await;
    }
    let found = turn.desk.find_items(args, COUNTED).await?;
    let found: Vec<ItemSummary> = found.into_iter().filter(|i| !i.retracted).collect();
    match found.as_slice() {
        [] => turn.say_key("bot.adopt.no_title_match", &[("word", args)]),
        [one] => return start_for(turn, one.id).await,
        many => {
            let rows = many
                .iter()
                .take(CHOICES)
                .map(|i| {
                    let label = turn.t(
                        "bot.adopt.choice",
                        &[("number", &i.id.to_string()), ("title", &i.title)],
                    );
                    vec![Choice {
                        label,
                        data: format!("ad:{}", i.id),
                    }]
                })
                .collect();
            let mut text = turn.t("bot.adopt.choose", &[("word", args)]);
            let more = many.len().saturating_sub(CHOICES);
            if more > 0 {
                text.push('\n');
                text.push_str(&turn.t(
                    "bot.adopt.more",
                    &[
                        ("count", &more.to_string()),
                        ("shown", &CHOICES.to_string()),
                    ],
                ));
            }
            turn.say_with(&text, rows);
        }
    }
    Ok(())
}

/// Starts the adoption form about item `id` (typed, or chosen from `/inbox` or a list); an
/// item the office returned is asked about first (RULES.md: a returned item keeps its filing,
/// and adopting it is asked again).
pub async fn start_for(turn: &Turn, id: ItemId) -> Handled {
    start_about(turn, id, false).await
}

/// The office confirmed that a returned item is adopted all the same.
pub async fn start_returned(turn: &Turn, id: ItemId) -> Handled {
    start_about(turn, id, true).await
}

/// The office let a returned item be.
pub fn keep_returned(turn: &Turn, id: ItemId) -> Handled {
    turn.say_key("bot.adopt.returned_kept", &[("number", &id.to_string())]);
    Ok(())
}

async fn start_about(turn: &Turn, id: ItemId, returned_confirmed: bool) -> Handled {
    let Some(item) = turn.desk.item(id).await?.filter(|i| !i.retracted) else {
        let number = format!("#{id}");
        turn.say_key("error.unknown_item", &[("reference", &number)]);
        return Ok(());
    };
    if let (Some(at), false) = (item.returned_at, returned_confirmed) {
        let on = at.with_timezone(&turn.rules.zone()).date_naive();
        let text = turn.t(
            "bot.adopt.returned_ask",
            &[
                ("number", &id.to_string()),
                ("title", &item.title),
                ("date", &crate::i18n::date_text(turn.locale, on)),
                ("reason", item.returned.as_deref().unwrap_or_default()),
            ],
        );
        let yes = Choice {
            label: turn.t("bot.adopt.returned_yes", &[]),
            data: format!("ar:{id}"),
        };
        let no = Choice {
            label: turn.t("bot.adopt.returned_no", &[]),
            data: format!("an:{id}"),
        };
        turn.say_with(&text, vec![vec![yes, no]]);
        return Ok(());
    }
    if let Some(draft) = dialogue::open(turn).await? {
        // An adoption half recorded is quick to record again; an item draft is someone's work.
        if draft.form != FormKind::Adoption {
            return dialogue::open_first(turn);
        }
    }
    let values = Values::new().with("item", Value::Text(id.to_string()));
    let about = turn.t(
        "bot.adopt.about",
        &[
            ("number", &id.to_string()),
            ("title", &item.title),
            ("unit", &item.unit_name),
        ],
    );
    dialogue::start(turn, &adoption_form(), values, &[about]);
    Ok(())
}

/// A confirmed adoption: recorded, the form closed, the officer told.
pub async fn store(turn: &Turn, confirmed: Confirmed) -> Handled {
    let Confirmed { values, done, .. } = confirmed;
    let adoption = match new_adoption(&values) {
        Ok(adoption) => adoption,
        Err(e) => return dialogue::unreadable(turn, "adoption", &e),
    };
    let person = turn.person.as_ref().map_or(0, |p| p.id);
    let key = adoption_key(turn.chat, done.rev, &adoption);
    // The finished form is committed with this input's reply (see `submit::store`).
    let recorded = turn
        .desk
        .adopt(
            &adoption,
            &key,
            turn.chat,
            person,
            &turn.recorder(),
            turn.now,
        )
        .await;
    dialogue::save(turn, &done);
    let id = match recorded {
        Ok((id, _new)) => id,
        Err(DeskError::NotFound { key, .. }) => {
            turn.clear_dialogue();
            turn.say_key("error.unknown_item", &[("reference", &key)]);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let item = match adoption.item {
        ItemTarget::Number(n) => turn.desk.item(n).await?,
        _ => None,
    };
    let points = adoption_points(turn, &adoption, id).await?;
    let title = item.as_ref().map_or_else(String::new, |i| i.title.clone());
    let level = |l: Locale| t(l, &format!("adoption_level.{}", adoption.level.code()), &[]);
    let form = |l: Locale| t(l, &format!("adoption_form.{}", adoption.form.code()), &[]);
    turn.say_key(
        "bot.adopt.done",
        &[
            ("id", &id.to_string()),
            ("title", &title),
            ("level", &level(turn.locale)),
            ("form", &form(turn.locale)),
            ("points", &points.to_string()),
        ],
    );
    if let Some(item) = item {
        let notice = |l: Locale| {
            t(
                l,
                "bot.notice.adopted",
                &[
                    ("title", &item.title),
                    ("level", &level(l)),
                    ("form", &form(l)),
                    ("points", &points.to_string()),
                ],
            )
        };
        let told = tell_officers(turn, &item, &format!("adopted:{id}"), &notice).await?;
        tracing::info!(adoption = id, told, "an adoption was recorded in chat");
    }
    Ok(())
}

/// The key that makes a confirmation delivered twice one adoption: the conversation and the
/// form's revision, then what was recorded (so two forms that happen to reach the same
/// revision, the revision being a clock's low bits, are still two adoptions).
fn adoption_key(chat: i64, rev: u32, adoption: &NewAdoption) -> String {
    let item = match &adoption.item {
        ItemTarget::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    };
    format!(
        "chat:{chat}:{rev}:{item}:{}:{}:{}",
        adoption.level.code(),
        adoption.form.code(),
        adoption.on
    )
}

/// What the adoption adds, as the scoring engine counts it (an item's lower adoption may count
/// nothing, by the rules); the rules' table value if the engine does not see it.
async fn adoption_points(
    turn: &Turn,
    adoption: &NewAdoption,
    id: i64,
) -> Result<Points, DeskError> {
    let is_it = |s: &Source| matches!(s, Source::Adoption { id: a, .. } if *a == id);
    let counted = event_points(turn, adoption.on, &is_it).await?;
    Ok(counted.unwrap_or_else(|| turn.rules.adoption_points(adoption.level, adoption.form)))
}
