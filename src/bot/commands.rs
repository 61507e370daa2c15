//! The command menus Telegram shows: one list for every member and a longer one for the office,
//! registered per language (Chinese by default, English for English clients) and, for office
//! members, per chat.

use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

use crate::domain::Role;
use crate::i18n::{Locale, t};
use crate::store::Store;

use super::BotError;
use super::office::OFFICE_COMMANDS;
use super::sign_off::LEADER_COMMANDS;
use super::turn::Turn;

/// What every registered member can do, in menu order.
pub const MEMBER_COMMANDS: &[&str] = &[
    "submit",
    "drafts",
    "score",
    "standings",
    "mine",
    "guidance",
    "lang",
    "help",
    "cancel",
];

/// The menu of a member (`office`: with the office's commands), described in `locale`.
pub fn command_list(locale: Locale, office: bool) -> Vec<BotCommand> {
    let extra: &[&str] = if office { OFFICE_COMMANDS } else { &[] };
    MEMBER_COMMANDS
        .iter()
        .chain(extra)
        .map(|name| BotCommand::new(*name, t(locale, &format!("bot.command.{name}"), &[])))
        .collect()
}

/// The commands a leader in charge has besides a member's (sign-off), described in `locale`.
pub fn leader_commands(locale: Locale) -> Vec<BotCommand> {
    LEADER_COMMANDS
        .iter()
        .map(|name| BotCommand::new(*name, t(locale, &format!("bot.command.{name}"), &[])))
        .collect()
}

/// Registers the menus: the member's for every private chat in Chinese and in English, the
/// office's for each office member's chat in their language.
pub async fn register_commands(bot: &Bot, store: &Store) -> Result<(), BotError> {
    for scope in [BotCommandScope::Default, BotCommandScope::AllPrivateChats] {
        bot.set_my_commands(command_list(Locale::ZhCn, false))
            .scope(scope.clone())
            .await?;
        bot.set_my_commands(command_list(Locale::En, false))
            .scope(scope)
            .language_code(Locale::En.code())
            .await?;
    }
    for person in store.office_people().await? {
        let locale = Locale::or_default(person.locale.as_deref());
        set_for_chat(bot, person.telegram_id, locale, true).await?;
    }
    Ok(())
}

async fn set_for_chat(bot: &Bot, chat: i64, locale: Locale, office: bool) -> Result<(), BotError> {
    bot.set_my_commands(command_list(locale, office))
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(chat)),
        })
        .await?;
    Ok(())
}

/// Gives an office member who just joined (or changed language) the office's menu; a failure
/// is logged, the menu is a convenience.
pub async fn register_for_chat(turn: &Turn) {
    let Some(person) = &turn.person else { return };
    if person.role != Role::Office {
        return;
    }
    if let Err(e) = set_for_chat(&turn.bot, turn.chat.0, turn.locale, true).await {
        tracing::warn!(error = %e, "the office's command menu could not be set");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_valid_name_and_a_description_in_every_language() {
        for locale in Locale::ALL {
            for office in [false, true] {
                for command in command_list(*locale, office) {
                    assert!(
                        (1..=32).contains(&command.command.len())
                            && command
                                .command
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                        "{}",
                        command.command
                    );
                    let description = command.description.chars().count();
                    assert!((1..=256).contains(&description), "{}", command.command);
                    assert_ne!(
                        command.description,
                        format!("bot.command.{}", command.command)
                    );
                }
            }
        }
        for locale in Locale::ALL {
            for command in leader_commands(*locale) {
                assert_ne!(
                    command.description,
                    format!("bot.command.{}", command.command)
                );
            }
        }
        assert!(command_list(Locale::ZhCn, true).len() > command_list(Locale::ZhCn, false).len());
    }
}
