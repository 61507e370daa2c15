//! Where an input goes: a message (a command, an answer to the open form, a name asked for) or
//! a chosen choice, read once into a [`Verb`] or a choice's kind and handed to its
//! conversation. Every choice is checked here against the person's role, and by its
//! conversation against the stored state: a forged or stale one changes nothing and says so.

use super::command::{Command, parse_command};
use super::turn::Turn;
use super::verb::{Audience, Verb};
use super::{
    Handled, adopt, ask, bulletin, commission, failed, forms, guidance_set, inbox, instruct,
    invite, item, join, lang, people, retract, return_item, sign_off, submit, urgent, urgent_fix,
    urgent_office, veto,
};
use crate::forms::{Event, Input};

/// What a message carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Text(String),
    /// A message without text: `photo`, `sticker`, `voice`, `document`…
    NonText(&'static str),
}

/// A message from the sender.
pub async fn message(turn: &Turn, message: Message) -> Handled {
    let text = match &message {
        Message::Text(text) => Some(text.as_str()),
        Message::NonText(_) => None,
    };
    let command = text.and_then(|t| parse_command(t, turn.bot_username.as_deref()));
    match command {
        // A deactivated person may only join again with a new invitation.
        Some(c)
            if Verb::parse(&c.name) == Some(Verb::Start)
                && (active(turn) || !c.args.is_empty()) =>
        {
            join::start(turn, &c).await
        }
        _ if turn.person.is_none() => join::unregistered(turn).await,
        _ if !active(turn) => left(turn),
        Some(c) => command_of_member(turn, &c).await,
        None => {
            // The first plain text after joining, with no form open, is the name asked for.
            if let Some(text) = text
                && super::dialogue::open(turn).await?.is_none()
                && join::maybe_name(turn, text).await?
            {
                return Ok(());
            }
            let input = match message {
                Message::Text(text) => Input::Text(text),
                Message::NonText(kind) => Input::NonText(kind),
            };
            forms::answer(turn, input).await
        }
    }
}

/// A command of a registered person: read as a [`Verb`] once, refused when the person's role
/// does not give it, then handled.
async fn command_of_member(turn: &Turn, c: &Command) -> Handled {
    let Some(verb) = Verb::parse(&c.name) else {
        turn.say_key("bot.unknown_command", &[]);
        return Ok(());
    };
    if verb.audience() == Audience::Office && !turn.is_office() {
        tracing::info!(
            user = turn.sender,
            command = verb.name(),
            "an office command was refused"
        );
        turn.say_key("bot.office_only", &[]);
        return Ok(());
    }
    match verb {
        Verb::Start => join::start(turn, c).await,
        Verb::Help => ask::help(turn).await,
        Verb::Score => ask::score(turn, &c.args).await,
        Verb::Standings => ask::standings(turn, &c.args).await,
        Verb::Mine => ask::mine(turn).await,
        Verb::Item => item::show_typed(turn, &c.args).await,
        Verb::Name => join::name(turn, c).await,
        Verb::Guidance => ask::guidance(turn).await,
        Verb::Lang => lang::ask(turn),
        Verb::Submit => submit::start(turn).await,
        Verb::Urgent => urgent::start(turn, &c.args).await,
        Verb::Followup => urgent::followup(turn, &c.args).await,
        Verb::Close => urgent::close(turn, c).await,
        Verb::UrgentShow => urgent::show(turn, &c.args).await,
        Verb::UrgentList => urgent_office::list(turn).await,
        Verb::DismissLate => urgent_office::dismiss_late(turn, c).await,
        Verb::UrgentFix => urgent_fix::fix(turn, &c.args).await,
        Verb::UrgentVoid => urgent_office::void(turn, c).await,
        Verb::UrgentPhone => urgent_office::phone(turn, c).await,
        Verb::Drafts => forms::drafts(turn).await,
        Verb::Cancel => forms::event(turn, Event::Cancel).await,
        Verb::Back => forms::event(turn, Event::Back).await,
        Verb::Skip => forms::event(turn, Event::Skip).await,
        Verb::Pending => sign_off::pending(turn).await,
        Verb::ReturnDraft => sign_off::return_draft(turn, c).await,
        Verb::Inbox if inbox::wants_all(&c.args) => inbox::undecided(turn, None).await,
        Verb::Inbox => inbox::inbox(turn, None).await,
        Verb::Adopt => adopt::start(turn, &c.args).await,
        Verb::Return => return_item::return_item(turn, c).await,
        Verb::Instruct => instruct::instruct(turn, c).await,
        Verb::Commission => commission::commission(turn, c).await,
        Verb::Veto => veto::start(turn, c).await,
        Verb::Retract => retract::retract(turn, c).await,
        Verb::Invite => invite::invite(turn, c).await,
        Verb::Rename => join::rename(turn, c).await,
        Verb::Deactivate => people::deactivate(turn, c).await,
        Verb::Move => people::move_person(turn, c).await,
        Verb::Invites => people::invites(turn).await,
        Verb::Revoke => people::revoke(turn, c).await,
        Verb::Bulletin => bulletin::command(turn, c).await,
        Verb::Failed => failed::list(turn).await,
        Verb::GuidanceSet => guidance_set::start(turn).await,
    }
}

/// A chosen choice (a pressed button, a number typed in the terminal).
pub async fn press(turn: &Turn, data: &str) -> Handled {
    if turn.person.is_none() {
        return join::unregistered(turn).await;
    }
    if !active(turn) {
        return left(turn);
    }
    let id = |text: &str| text.parse::<i64>().ok();
    match data.split_once(':') {
        Some(("f1", _)) => forms::press(turn, data).await,
        Some(("l", code)) => lang::set(turn, code).await,
        Some(("m", "submit")) => submit::start(turn).await,
        Some(("m", "drafts")) => forms::drafts(turn).await,
        Some(("m", "urgent")) => urgent::start(turn, "").await,
        Some(("uf", n)) => match id(n) {
            Some(n) => urgent::start_followup(turn, n).await,
            None => stale(turn),
        },
        Some(("ad" | "ar" | "an" | "ib" | "iu" | "na" | "ua" | "ur" | "ul" | "uv" | "bu", _))
            if !turn.is_office() =>
        {
            turn.say_key("bot.office_only", &[]);
            Ok(())
        }
        Some(("ad", n)) => match id(n) {
            Some(n) => adopt::start_for(turn, n).await,
            None => stale(turn),
        },
        Some(("ar", n)) => match id(n) {
            Some(n) => adopt::start_returned(turn, n).await,
            None => stale(turn),
        },
        Some(("an", n)) => match id(n) {
            Some(n) => adopt::keep_returned(turn, n),
            None => stale(turn),
        },
        Some(("ib", n)) => match id(n) {
            Some(n) => inbox::inbox(turn, Some(n)).await,
            None => stale(turn),
        },
        Some(("iu", n)) => match id(n) {
            Some(n) => inbox::undecided(turn, Some(n)).await,
            None => stale(turn),
        },
        Some(("na", n)) => match id(n) {
            Some(n) => inbox::decline(turn, n).await,
            None => stale(turn),
        },
        Some(("ua", n)) => match id(n) {
            Some(n) => urgent_office::acknowledge(turn, n).await,
            None => stale(turn),
        },
        Some(("ur", n)) => match id(n) {
            Some(n) => urgent_office::ask_followup(turn, n).await,
            None => stale(turn),
        },
        Some(("ul", n)) => match id(n) {
            Some(n) => urgent_office::preview_late(turn, n).await,
            None => stale(turn),
        },
        Some(("uv", n)) => match id(n) {
            Some(n) => urgent_office::confirm_late(turn, n).await,
            None => stale(turn),
        },
        Some(("bu", rest)) => bulletin::confirm(turn, rest).await,
        Some(("it", n)) => match id(n) {
            Some(n) => item::show(turn, n).await,
            None => stale(turn),
        },
        Some(("so", rest)) => sign_off::press(turn, rest).await,
        _ => {
            tracing::info!(user = turn.sender, "an unknown choice was made");
            stale(turn)
        }
    }
}

/// Whether the sender is registered and not deactivated.
fn active(turn: &Turn) -> bool {
    turn.person.as_ref().is_some_and(|p| p.active())
}

/// What a deactivated person is told, whatever they write or press.
fn left(turn: &Turn) -> Handled {
    tracing::info!(user = turn.sender, "a deactivated person wrote");
    turn.say_key("bot.left", &[]);
    Ok(())
}

/// A choice that no longer means anything (or never did).
fn stale(turn: &Turn) -> Handled {
    turn.say_key("form.stale_button", &[]);
    Ok(())
}
