//! `/invite <role> [unit] [name]` (office): a one-time code to join as that role (of that
//! unit), for the person named when a name is given, with its link when the bot has a name.

use super::command::Command;
use super::shown::usage;
use super::turn::Turn;
use super::{DeskError, Handled};
use crate::domain::Role;
use crate::i18n::describe_problem;

pub async fn invite(turn: &Turn, c: &Command) -> Handled {
    let (words, _) = c.split(1);
    let Some(role) = words.first().and_then(|r| Role::parse(r).ok()) else {
        return usage(turn, "invite");
    };
    // The office needs no unit: what follows the role is the name.
    let (unit, name) = if role == Role::Office {
        (None, c.split(1).1)
    } else {
        let (words, name) = c.split(2);
        match words.get(1) {
            Some(unit) => (Some(*unit), name),
            None => return usage(turn, "invite"),
        }
    };
    let name = (!name.is_empty()).then_some(name);
    let recorder = turn.recorder();
    let created = turn
        .desk
        .create_invite(unit, role, name, turn.now, &recorder)
        .await;
    let invite = match created {
        Ok(invite) => invite,
        Err(DeskError::NotFound { .. }) => {
            turn.say_key("error.unknown_unit", &[("code", unit.unwrap_or_default())]);
            return Ok(());
        }
        Err(DeskError::Invalid { problem }) => {
            let problem = describe_problem(turn.locale, &problem);
            turn.say_key("bot.name.refused", &[("problem", &problem)]);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let role_name = turn.t(&format!("role.{}", invite.role.code()), &[]);
    let whom = match &invite.unit_code {
        Some(code) => {
            let unit = turn
                .desk
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
            ("expires", &turn.local(invite.expires_at)),
        ],
    )];
    if let Some(bot) = &turn.bot_username {
        let link = format!("https://t.me/{bot}?start={}", invite.code);
        lines.push(turn.t("bot.invite.link", &[("link", &link)]));
    }
    turn.say(&lines.join("\n"));
    Ok(())
}
