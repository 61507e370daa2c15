//! The commands a person is offered, by role and unit, with their descriptions in a language:
//! what `/help` lists and what a channel shows as its menu (Telegram's `setMyCommands`).

use super::verb::Verb;
use crate::domain::Role;
use crate::i18n::{Locale, t};
use crate::records::Person;

/// Whose menu: the role and whether the person belongs to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuOf {
    pub role: Role,
    pub has_unit: bool,
}

/// One command of a menu: its name (without `/`) and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuLine {
    pub command: String,
    pub description: String,
}

impl MenuOf {
    /// An officer's menu, the one everybody not registered sees.
    pub const OFFICER: MenuOf = MenuOf {
        role: Role::Officer,
        has_unit: true,
    };

    pub fn of(person: &Person) -> MenuOf {
        MenuOf {
            role: person.role,
            has_unit: person.unit_id.is_some(),
        }
    }

    /// The commands offered, in menu order.
    pub fn verbs(self) -> Vec<Verb> {
        Verb::menu(self.role, self.has_unit)
    }

    /// The menu in a language. The office's `/score` names a unit when its member has none.
    pub fn lines(self, locale: Locale) -> Vec<MenuLine> {
        self.verbs()
            .into_iter()
            .map(|verb| {
                let key = match verb {
                    Verb::Score if !self.has_unit => "bot.command.score_of_unit".to_string(),
                    Verb::Bulletin if self.role != Role::Office => {
                        "bot.command.bulletin_latest".to_string()
                    }
                    _ => format!("bot.command.{}", verb.name()),
                };
                MenuLine {
                    command: verb.name().to_string(),
                    description: t(locale, &key, &[]),
                }
            })
            .collect()
    }
}
