//! The office's commands in chat: the inbox, returns (退稿), adoptions, instructions,
//! commissions, vetoes, retractions and invitations. The router lets only office members here.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::domain::{InstructionLevel, ItemId, Listing, Role};
use crate::forms::adoption::item_target;
use crate::i18n::{Locale, describe_problem, t};
use crate::period::{Period, Quarter};
use crate::points::Points;
use crate::records::{ItemTarget, NewInstruction, Problem};
use crate::scoring::{self, Source};
use crate::store::{RecordKind, StoreError};

use super::command::Command;
use super::turn::Turn;
use super::{BotError, adopt};
use crate::conversation::Verb;

/// Items on one page of `/inbox`.
const INBOX_PAGE: i64 = 10;
/// Characters of a title shown in a list.
pub const TITLE_SHOWN: usize = 60;
/// How long an invitation code can be used.
const INVITE_DAYS: i64 = 7;

/// Runs an office command (the caller checked the role).
pub async fn command(turn: &Turn, verb: Verb, c: &Command) -> Result<(), BotError> {
    match verb {
        Verb::Inbox => inbox(turn, None).await,
        Verb::Adopt => adopt::start(turn, &c.args).await,
        Verb::Return => return_item(turn, c).await,
        Verb::Instruct => instruct(turn, c).await,
        Verb::Commission => commission(turn, c).await,
        Verb::Veto => super::veto::start(turn, c).await,
        Verb::Retract => retract(turn, c).await,
        Verb::Invite => invite(turn, c).await,
        Verb::Rename => super::join::rename(turn, c).await,
        Verb::Bulletin => super::bulletin::command(turn, c).await,
        Verb::Failed => super::failed::list(turn).await,
        Verb::GuidanceSet => super::guidance_set::start(turn).await,
        _ => turn.say_key("bot.unknown_command", &[]).await,
    }
}

/// Most characters of a return's reason: it goes to the officer in one message.
pub const REMARK_LIMIT: usize = 500;
/// Most characters of a commission's subject.
pub const SUBJECT_LIMIT: usize = 200;

/// The refusal of a text over `limit` characters, if it is.
fn too_long(turn: &Turn, text: &str, limit: usize) -> Option<String> {
    (text.chars().count() > limit)
        .then(|| describe_problem(turn.locale, &Problem::TooLong { limit }))
}

fn usage(turn: &Turn, name: &str) -> String {
    turn.t(&format!("bot.usage.{name}"), &[])
}

/// An item's number as typed: `12` or `#12`.
fn item_number(text: &str) -> Option<ItemId> {
    match item_target(text) {
        ItemTarget::Number(n) => Some(n),
        _ => None,
    }
}

/// A time as the office reads it, in the rules' zone.
fn local(turn: &Turn, at: DateTime<Utc>) -> String {
    at.with_timezone(&turn.app.rules.zone())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `/inbox`, or its "older" button (`before`): a page of the items filed since the office last
/// looked, the newest first, each with a button to read it and one to record its adoption;
/// what is shown is then marked read.
pub async fn inbox(turn: &Turn, before: Option<ItemId>) -> Result<(), BotError> {
    let store = &turn.app.store;
    let total = store.inbox_count().await?;
    let items = store.inbox(before, INBOX_PAGE).await?;
    if items.is_empty() {
        return turn.say_key("bot.inbox.empty", &[]).await;
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
                ("filed", &local(turn, item.filed_at)),
            ],
        ));
        rows.push(vec![
            InlineKeyboardButton::callback(
                turn.t("bot.inbox.read_button", &[("number", &number)]),
                format!("it:{number}"),
            ),
            InlineKeyboardButton::callback(
                turn.t("bot.inbox.adopt_button", &[("number", &number)]),
                format!("ad:{number}"),
            ),
        ]);
    }
    let shown = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let last = items.last().map(|i| i.id);
    if let (Some(last), true) = (last, total > shown) {
        rows.push(vec![InlineKeyboardButton::callback(
            turn.t("bot.inbox.older_button", &[]),
            format!("ib:{last}"),
        )]);
    }
    turn.say_with(&lines.join("\n"), InlineKeyboardMarkup::new(rows))
        .await?;
    turn.mark_read(items.iter().map(|i| i.id).collect());
    Ok(())
}

/// At most `limit` characters of a text, with an ellipsis when cut: a list stays a list
/// however long one title is.
pub fn clip(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut out: String = text.chars().take(limit.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `/return <n> <reason>` (退稿): the item goes back to its officer with the reason.
async fn return_item(turn: &Turn, c: &Command) -> Result<(), BotError> {
    let (words, reason) = c.split(1);
    let (Some(id), false) = (
        words.first().and_then(|w| item_number(w)),
        reason.is_empty(),
    ) else {
        return turn.say(&usage(turn, "return")).await;
    };
    if let Some(refusal) = too_long(turn, reason, REMARK_LIMIT) {
        return turn.say(&refusal).await;
    }
    let item = match turn
        .app
        .store
        .return_item_keyed(id, reason, Some(&turn.source), &turn.recorder(), turn.now)
        .await
    {
        Ok(item) => item,
        Err(StoreError::NotFound { .. }) => {
            return turn
                .say_key("error.unknown_item", &[("reference", &format!("#{id}"))])
                .await;
        }
        Err(e) => return Err(e.into()),
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
    let told = adopt::tell_officers(turn, &item, &key, &notice).await?;
    turn.say_key(
        "bot.return.done",
        &[
            ("number", &id.to_string()),
            ("title", &item.title),
            ("told", &told.to_string()),
        ],
    )
    .await
}

/// A level typed as its code, its Chinese name or its number in the list the usage shows.
fn instruction_level(text: &str) -> Option<InstructionLevel> {
    InstructionLevel::read(text, Listing::Numbered).ok()
}

/// `/instruct <n> <level> [date]`: a leader's instruction on an item (批示).
async fn instruct(turn: &Turn, c: &Command) -> Result<(), BotError> {
    let words = c.words();
    let parsed = match words.as_slice() {
        [n, level] => item_number(n)
            .zip(instruction_level(level))
            .map(|(n, l)| (n, l, turn.today())),
        [n, level, date] => {
            // A date typed wrong is told as such (with what to write), not as the usage.
            let on = match crate::domain::parse_date(date, turn.today()) {
                Ok(on) => on,
                Err(problem) => return turn.say(&describe_problem(turn.locale, &problem)).await,
            };
            item_number(n)
                .zip(instruction_level(level))
                .map(|(n, l)| (n, l, on))
        }
        _ => None,
    };
    let Some((id, level, on)) = parsed else {
        let levels: Vec<String> = InstructionLevel::ALL
            .iter()
            .enumerate()
            .map(|(i, l)| {
                format!(
                    "{}. {}",
                    i + 1,
                    t(turn.locale, &format!("instruction_level.{}", l.code()), &[])
                )
            })
            .collect();
        return turn
            .say(&format!(
                "{}\n{}",
                usage(turn, "instruct"),
                levels.join("\n")
            ))
            .await;
    };
    if on > turn.today() {
        let problem = Problem::InFuture {
            value: on.to_string(),
        };
        return turn.say(&describe_problem(turn.locale, &problem)).await;
    }
    let store = &turn.app.store;
    let instruction = NewInstruction {
        item: ItemTarget::Number(id),
        level,
        on,
    };
    let row = match store
        .add_instruction_keyed(&instruction, &turn.source, &turn.recorder())
        .await
    {
        Ok(row) => row,
        Err(StoreError::NotFound { .. }) => {
            return turn
                .say_key("error.unknown_item", &[("reference", &format!("#{id}"))])
                .await;
        }
        Err(e) => return Err(e.into()),
    };
    let points = event_points(
        turn,
        on,
        &|s| matches!(s, Source::Instruction { id: r, .. } if *r == row),
    )
    .await?
    .unwrap_or_else(|| {
        turn.app
            .rules
            .instruction
            .get(&level)
            .copied()
            .unwrap_or(Points::ZERO)
    });
    let item = store.item(id).await?;
    let title = item.as_ref().map_or_else(String::new, |i| i.title.clone());
    let level_name = |l: Locale| t(l, &format!("instruction_level.{}", level.code()), &[]);
    turn.say_key(
        "bot.instruct.done",
        &[
            ("id", &row.to_string()),
            ("title", &title),
            ("level", &level_name(turn.locale)),
            ("points", &points.to_string()),
        ],
    )
    .await?;
    if let Some(item) = item {
        let notice = |l: Locale| {
            t(
                l,
                "bot.notice.instructed",
                &[
                    ("title", &item.title),
                    ("level", &level_name(l)),
                    ("points", &points.to_string()),
                ],
            )
        };
        adopt::tell_officers(turn, &item, &format!("instructed:{row}"), &notice).await?;
    }
    Ok(())
}

/// What one recorded event adds in the quarter of its date, as the scoring engine counts it.
pub async fn event_points(
    turn: &Turn,
    on: NaiveDate,
    is_it: &(dyn Fn(&Source) -> bool + Sync),
) -> Result<Option<Points>, BotError> {
    let rules = &turn.app.rules;
    let period = Period::Quarter(Quarter::of(on));
    let ledger = turn.app.store.load_ledger(period, rules.zone()).await?;
    let board = scoring::score(rules, &ledger, period);
    Ok(board
        .units
        .values()
        .flat_map(|s| &s.lines)
        .find(|l| is_it(&l.source))
        .map(|l| l.points))
}

/// `/commission <unit> <date> <subject>`: asks a unit for an item; its officers are told.
async fn commission(turn: &Turn, c: &Command) -> Result<(), BotError> {
    let (words, subject) = c.split(2);
    let (Some(code), Some(due)) = (words.first(), words.get(1)) else {
        return turn.say(&usage(turn, "commission")).await;
    };
    let due = match crate::domain::parse_date(due, turn.today()) {
        Ok(due) => due,
        Err(problem) => return turn.say(&describe_problem(turn.locale, &problem)).await,
    };
    if subject.is_empty() {
        return turn.say(&usage(turn, "commission")).await;
    }
    if let Some(refusal) = too_long(turn, subject, SUBJECT_LIMIT) {
        return turn.say(&refusal).await;
    }
    let store = &turn.app.store;
    let Some(unit) = store.unit_by_code(code).await? else {
        return turn.say_key("error.unknown_unit", &[("code", code)]).await;
    };
    let id = store
        .add_commission_keyed(
            &unit.code,
            subject,
            due,
            Some(&turn.source),
            &turn.recorder(),
        )
        .await?;
    // Its deadline reminders are the scheduler's to plan.
    turn.app.plans_changed.notify_one();
    let officers = store.people_of_unit(unit.id, Some(Role::Officer)).await?;
    let mut told = 0;
    for person in officers {
        let locale = Locale::or_default(person.locale.as_deref());
        let text = t(
            locale,
            "bot.notice.commissioned",
            &[("subject", subject), ("due", &due.to_string())],
        );
        let key = format!("commissioned:{id}:{}", person.telegram_id);
        if turn.notify(&key, person.telegram_id, &text).await? {
            told += 1;
        }
    }
    turn.say_key(
        "bot.commission.done",
        &[
            ("id", &id.to_string()),
            ("unit", &unit.name),
            ("due", &due.to_string()),
            ("told", &told.to_string()),
        ],
    )
    .await
}

/// `/retract <kind> <id> <reason>`: takes a wrong record out of scoring; it stays visible.
async fn retract(turn: &Turn, c: &Command) -> Result<(), BotError> {
    let (words, reason) = c.split(2);
    let kind = words.first().and_then(|k| RecordKind::parse(k));
    let id = words.get(1).and_then(|n| item_number(n));
    let (Some(kind), Some(id), false) = (kind, id, reason.is_empty()) else {
        return turn.say(&usage(turn, "retract")).await;
    };
    let number = id.to_string();
    match turn
        .app
        .store
        .retract_keyed(kind, id, reason, Some(&turn.source), &turn.recorder())
        .await
    {
        Ok(_) => turn.say_key("retract.done", &[("id", &number)]).await,
        Err(StoreError::NotFound { .. }) => {
            turn.say_key("error.unknown_record", &[("id", &number)])
                .await
        }
        Err(StoreError::AlreadyRetracted { .. }) => {
            turn.say_key("error.already_retracted", &[("id", &number)])
                .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `/invite <role> [unit] [name]`: a one-time code to join as that role (of that unit), for the
/// person named when a name is given.
async fn invite(turn: &Turn, c: &Command) -> Result<(), BotError> {
    let (words, _) = c.split(1);
    let Some(role) = words.first().and_then(|r| Role::parse(r).ok()) else {
        return turn.say(&usage(turn, "invite")).await;
    };
    // The office needs no unit: what follows the role is the name.
    let (unit, name) = if role == Role::Office {
        (None, c.split(1).1)
    } else {
        let (words, name) = c.split(2);
        match words.get(1) {
            Some(unit) => (Some(*unit), name),
            None => return turn.say(&usage(turn, "invite")).await,
        }
    };
    let name = (!name.is_empty()).then_some(name);
    let store = &turn.app.store;
    let invite = match store
        .create_named_invite(
            unit,
            role,
            name,
            Duration::days(INVITE_DAYS),
            turn.now,
            &turn.recorder(),
        )
        .await
    {
        Ok(invite) => invite,
        Err(StoreError::NotFound { .. }) => {
            return turn
                .say_key("error.unknown_unit", &[("code", unit.unwrap_or_default())])
                .await;
        }
        Err(StoreError::Invalid { problem, .. }) => {
            let problem = describe_problem(turn.locale, &problem);
            return turn
                .say_key("bot.name.refused", &[("problem", &problem)])
                .await;
        }
        Err(e) => return Err(e.into()),
    };
    let role_name = t(turn.locale, &format!("role.{}", invite.role.code()), &[]);
    let whom = match &invite.unit_code {
        Some(code) => {
            let unit = store
                .unit_by_code(code)
                .await?
                .map_or_else(|| code.clone(), |u| u.name);
            turn.t("bot.invite.whom", &[("unit", &unit), ("role", &role_name)])
        }
        None => turn.t("bot.invite.whom_office", &[]),
    };
    let whom = match &invite.name {
        Some(name) => turn.t("bot.invite.whom_named", &[("name", name), ("whom", &whom)]),
        None => whom,
    };
    let mut lines = vec![turn.t(
        "bot.invite.done",
        &[
            ("code", &invite.code),
            ("whom", &whom),
            ("expires", &local(turn, invite.expires_at)),
        ],
    )];
    if let Some(bot) = &turn.bot_username {
        let link = format!("https://t.me/{bot}?start={}", invite.code);
        lines.push(turn.t("bot.invite.link", &[("link", &link)]));
    }
    turn.say(&lines.join("\n")).await
}
