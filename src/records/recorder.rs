//! Who recorded a record, as a reader is told it: the person by current name and number, the
//! command line with its login, an import, the scheduler. The stored address
//! (`telegram:<id>`, `terminal:<addr>`) is an internal key and is never shown.

use super::Person;
use crate::i18n::{Locale, t};

/// A stored recorder, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordedBy {
    /// A person in a chat, by the address their messages come from.
    Person(i64),
    /// The command line, under this login.
    CommandLine(String),
    /// A file imported on the command line, under this login.
    Import(String),
    /// The program's own scheduled work.
    Scheduler,
    /// Anything else stored (a test's name): shown as it is, unless it looks like an address.
    Other(String),
}

impl RecordedBy {
    pub fn parse(stored: &str) -> RecordedBy {
        let (channel, rest) = stored.split_once(':').unwrap_or((stored, ""));
        match channel {
            "telegram" | "terminal" => match rest.parse::<i64>() {
                Ok(address) => RecordedBy::Person(address),
                Err(_) => RecordedBy::Other(String::new()),
            },
            "cli" => RecordedBy::CommandLine(rest.to_string()),
            "import" => RecordedBy::Import(rest.to_string()),
            "scheduler" => RecordedBy::Scheduler,
            _ => RecordedBy::Other(stored.to_string()),
        }
    }

    /// The chat address to look the person up by, when it is one.
    pub fn address(&self) -> Option<i64> {
        match self {
            RecordedBy::Person(address) => Some(*address),
            _ => None,
        }
    }

    /// In words: `person` is who the address belongs to now (looked up by the caller), so
    /// a renamed person is shown by the new name.
    pub fn describe(&self, locale: Locale, person: Option<&Person>) -> String {
        match self {
            RecordedBy::Person(_) => match person {
                Some(p) => t(
                    locale,
                    "recorder.person",
                    &[("name", &p.name), ("number", &p.id.to_string())],
                ),
                None => t(locale, "recorder.unknown_person", &[]),
            },
            RecordedBy::CommandLine(login) => {
                t(locale, "recorder.command_line", &[("login", login)])
            }
            RecordedBy::Import(login) => t(locale, "recorder.import", &[("login", login)]),
            RecordedBy::Scheduler => t(locale, "recorder.scheduler", &[]),
            RecordedBy::Other(text) if text.is_empty() => t(locale, "recorder.unknown_person", &[]),
            RecordedBy::Other(text) => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_chat_address_is_ever_shown() {
        for stored in ["telegram:1001", "terminal:-1013", "telegram:x"] {
            let shown = RecordedBy::parse(stored).describe(Locale::ZhCn, None);
            assert!(
                !shown.contains("telegram") && !shown.contains("terminal"),
                "{shown}"
            );
            assert!(
                !shown.contains("1001") && !shown.contains("1013"),
                "{shown}"
            );
        }
    }

    #[test]
    fn the_command_line_and_an_import_say_so_with_the_login() {
        assert_eq!(
            RecordedBy::parse("cli:wang").describe(Locale::ZhCn, None),
            "命令行（wang）"
        );
        assert_eq!(
            RecordedBy::parse("import:wang").describe(Locale::ZhCn, None),
            "导入（wang）"
        );
    }
}
