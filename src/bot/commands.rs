//! The command menus Telegram shows, one per role and unit: an officer's by default, per
//! language (Chinese by default, English for English clients), and a chat's own for everyone
//! else, so each person is offered only what they can use.

use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

use super::BotError;
use crate::conversation::MenuOf;
use crate::i18n::Locale;
use crate::store::Store;

/// The menu of a person as Telegram takes it, described in `locale`.
pub fn command_list(locale: Locale, menu: MenuOf) -> Vec<BotCommand> {
    menu.lines(locale)
        .into_iter()
        .map(|line| BotCommand::new(line.command, line.description))
        .collect()
}

/// Registers the menus: the member's for every private chat in Chinese and in English, the
/// office's for each office member's chat in their language.
pub async fn register_commands(bot: &Bot, store: &Store) -> Result<(), BotError> {
    for scope in [BotCommandScope::Default, BotCommandScope::AllPrivateChats] {
        bot.set_my_commands(command_list(Locale::ZhCn, MenuOf::OFFICER))
            .scope(scope.clone())
            .await?;
        bot.set_my_commands(command_list(Locale::En, MenuOf::OFFICER))
            .scope(scope)
            .language_code(Locale::En.code())
            .await?;
    }
    // Everyone whose menu is not the officer's gets one of their own; officers, by far the
    // most, keep the default and cost no request at start.
    for person in store.people_with_own_menu().await? {
        let locale = Locale::or_default(person.locale.as_deref());
        set_for_chat(bot, person.telegram_id, locale, MenuOf::of(&person)).await?;
    }
    Ok(())
}

async fn set_for_chat(bot: &Bot, chat: i64, locale: Locale, menu: MenuOf) -> Result<(), BotError> {
    bot.set_my_commands(command_list(locale, menu))
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(chat)),
        })
        .await?;
    Ok(())
}

/// Sets the chat's own menu for the person at `sender` as they are now (they joined, or chose
/// a language); a failure is logged, as the menu is a convenience.
pub async fn register_for_chat(bot: &Bot, store: &Store, sender: i64, chat: i64) {
    let person = match store.person_by_telegram(sender).await {
        Ok(Some(person)) => person,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %e, "a person's command menu could not be set");
            return;
        }
    };
    let locale = Locale::or_default(person.locale.as_deref());
    if let Err(e) = set_for_chat(bot, chat, locale, MenuOf::of(&person)).await {
        tracing::warn!(error = %e, "a person's command menu could not be set");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::Verb;
    use crate::domain::Role;
    use crate::i18n::t;

    fn every_menu() -> Vec<MenuOf> {
        Role::ALL
            .iter()
            .flat_map(|role| {
                [true, false].map(|has_unit| MenuOf {
                    role: *role,
                    has_unit,
                })
            })
            .collect()
    }

    #[test]
    fn every_command_has_a_valid_name_and_a_description_in_every_language() {
        for locale in Locale::ALL {
            for menu in every_menu() {
                for command in command_list(*locale, menu) {
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
                    assert!(!command.description.starts_with("bot.command."));
                }
            }
        }
    }

    #[test]
    fn a_person_without_a_unit_is_not_offered_what_needs_one() {
        let office = MenuOf {
            role: Role::Office,
            has_unit: false,
        };
        let names = office.verbs();
        for verb in [Verb::Submit, Verb::Drafts, Verb::Mine] {
            assert!(!names.contains(&verb), "{verb:?}");
        }
        assert!(names.contains(&Verb::Inbox) && names.contains(&Verb::Score));
        let score = command_list(Locale::ZhCn, office)
            .into_iter()
            .find(|c| c.command == "score")
            .expect("the office has /score");
        assert_eq!(
            score.description,
            t(Locale::ZhCn, "bot.command.score_of_unit", &[])
        );
    }

    #[test]
    fn each_role_is_offered_its_own_commands_only() {
        let officer = MenuOf::OFFICER.verbs();
        assert!(officer.contains(&Verb::Submit) && officer.contains(&Verb::Mine));
        assert!(!officer.contains(&Verb::Inbox) && !officer.contains(&Verb::Pending));
        let leader = MenuOf {
            role: Role::Leader,
            has_unit: true,
        }
        .verbs();
        assert!(leader.contains(&Verb::Pending) && !leader.contains(&Verb::Veto));
        let office = MenuOf {
            role: Role::Office,
            has_unit: true,
        }
        .verbs();
        assert!(office.contains(&Verb::Veto) && office.contains(&Verb::Submit));
    }
}
