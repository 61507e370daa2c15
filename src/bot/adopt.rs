//! Recording an adoption in chat (`/adopt`, office only): the item by its number or a word of its
//! title, then the adoption form (level and single/combined by buttons, the date default today);
//! once stored, the item's officer is told through the outbox.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::domain::{ItemId, Role};
use crate::forms::adoption::{adoption_form, item_target, new_adoption};
use crate::forms::{FormKind, FormState, Value, Values};
use crate::i18n::{Locale, t};
use crate::points::Points;
use crate::records::{ItemTarget, NewAdoption};
use crate::scoring::Source;
use crate::store::{ItemSummary, StoreError};

use super::BotError;
use super::dialogue;
use super::turn::Turn;

/// Items offered when a word matches several.
const CHOICES: i64 = 8;

/// `/adopt <number or word>`: finds the item, then starts the form about it.
pub async fn start(turn: &Turn, args: &str) -> Result<(), BotError> {
    let args = args.trim();
    if args.is_empty() {
        return turn.say_key("bot.adopt.usage", &[]).await;
    }
    match item_target(args) {
        ItemTarget::Number(id) => start_for(turn, id).await,
        _ => {
            let found = turn.app.store.find_items(args, CHOICES).await?;
            let found: Vec<ItemSummary> = found.into_iter().filter(|i| !i.retracted).collect();
            match found.as_slice() {
                [] => {
                    turn.say_key("error.unknown_item", &[("reference", args)])
                        .await
                }
                [one] => start_for(turn, one.id).await,
                many => {
                    let rows = many
                        .iter()
                        .map(|i| {
                            let label = turn.t(
                                "bot.adopt.choice",
                                &[("number", &i.id.to_string()), ("title", &i.title)],
                            );
                            vec![InlineKeyboardButton::callback(
                                label,
                                format!("ad:{}", i.id),
                            )]
                        })
                        .collect::<Vec<_>>();
                    let text = turn.t("bot.adopt.choose", &[("word", args)]);
                    turn.say_with(&text, InlineKeyboardMarkup::new(rows)).await
                }
            }
        }
    }
}

/// Starts the adoption form about item `id` (typed, or a button of `/inbox` or of a choice).
pub async fn start_for(turn: &Turn, id: ItemId) -> Result<(), BotError> {
    let Some(item) = turn.app.store.item(id).await?.filter(|i| !i.retracted) else {
        let number = format!("#{id}");
        return turn
            .say_key("error.unknown_item", &[("reference", &number)])
            .await;
    };
    if let Some(draft) = dialogue::open(turn).await? {
        // An adoption half recorded is quick to record again; an item draft is someone's work.
        if draft.form != FormKind::Adoption {
            return turn.say_key("bot.form.open_first", &[]).await;
        }
    }
    let def = adoption_form();
    let values = Values::new().with("item", Value::Text(id.to_string()));
    let outcome = FormState::start(&def, values, &turn.ctx());
    dialogue::save(turn, &outcome.state).await?;
    let about = vec![turn.t(
        "bot.adopt.about",
        &[
            ("number", &id.to_string()),
            ("title", &item.title),
            ("unit", &item.unit_name),
        ],
    )];
    for (i, reply) in outcome.replies.iter().enumerate() {
        turn.form_reply(if i == 0 { &about } else { &[] }, reply)
            .await?;
    }
    Ok(())
}

/// A confirmed adoption: recorded, the form closed, the officer told.
pub async fn store(turn: &Turn, done: &FormState, values: &Values) -> Result<(), BotError> {
    if !turn.is_office() {
        return turn.say_key("bot.office_only", &[]).await;
    }
    let adoption = match new_adoption(values) {
        Ok(adoption) => adoption,
        Err(e) => {
            tracing::error!(chat = turn.chat.0, error = %e, "a confirmed adoption form lacks an answer");
            return turn.say_key("error.internal", &[]).await;
        }
    };
    let store = &turn.app.store;
    let person = turn.person.as_ref().map_or(0, |p| p.id);
    let key = adoption_key(turn.chat.0, done.rev, &adoption);
    // The finished form is committed with this update's reply (see `submit::store`).
    let recorded = store
        .adopt_from_chat(
            &adoption,
            &key,
            turn.chat.0,
            person,
            None,
            &turn.recorder(),
            turn.now,
        )
        .await;
    dialogue::save(turn, done).await?;
    let id = match recorded {
        Ok((id, _new)) => id,
        Err(StoreError::NotFound { key, .. }) => {
            turn.clear_dialogue();
            return turn
                .say_key("error.unknown_item", &[("reference", &key)])
                .await;
        }
        Err(e) => return Err(e.into()),
    };
    let item = match adoption.item {
        ItemTarget::Number(n) => store.item(n).await?,
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
    )
    .await?;
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

/// The key that makes a confirmation delivered twice one adoption: the chat and the form's
/// revision, then what was recorded (so two forms that happen to reach the same revision, the
/// revision being a clock's low bits, are still two adoptions).
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
async fn adoption_points(turn: &Turn, adoption: &NewAdoption, id: i64) -> Result<Points, BotError> {
    let is_it = |s: &Source| matches!(s, Source::Adoption { id: a, .. } if *a == id);
    let counted = super::office::event_points(turn, adoption.on, &is_it).await?;
    Ok(counted.unwrap_or_else(|| {
        turn.app
            .rules
            .adoption_points(adoption.level, adoption.form)
    }))
}

/// Queues a notice about `item` for the officer who filed it, or else for the unit's officers,
/// each in their language; `key` plus the chat makes each notice once only. Returns how many.
pub async fn tell_officers(
    turn: &Turn,
    item: &ItemSummary,
    key: &str,
    text: &(dyn Fn(Locale) -> String + Sync),
) -> Result<usize, BotError> {
    let store = &turn.app.store;
    let mut people = Vec::new();
    if let Some(filer) = item.filed_by_telegram {
        people.extend(store.person_by_telegram(filer).await?);
    }
    if people.is_empty() {
        if let Some(unit) = store.unit_by_code(&item.unit_code).await? {
            people = store.people_of_unit(unit.id, Some(Role::Officer)).await?;
        }
    }
    let mut told = 0;
    for person in people {
        let locale = Locale::or_default(person.locale.as_deref());
        let key = format!("{key}:{}", person.telegram_id);
        if turn.notify(&key, person.telegram_id, &text(locale)).await? {
            told += 1;
        }
    }
    Ok(told)
}
