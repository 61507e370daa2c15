//! The terminal channel (`unionbot chat`): the same conversations over stdin and stdout, on the
//! same database. Each line typed is one input, handled by the pure core and committed by the
//! same applier as a Telegram update; what the outbox holds for this conversation is then
//! printed and marked delivered, choices as numbered lines (typing `1`, `2`, … chooses).
//!
//! A person is reached in the terminal at an address of their own (see [`Channel`]): a person
//! of the bot chats there as themselves without using anything up; an invitation redeemed here
//! makes a person reached only in the terminal.

use std::io::{BufRead, Write};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::apply::{self, Origin, choices_of};
use super::{StoreDesk, handle};
use crate::conversation::{self, Choice, Turn};
use crate::domain::{Channel, TERMINAL_BASE};
use crate::forms::{Action, parse_callback};
use crate::i18n::{Locale, t};
use crate::records::{InviteRefusal, Person};
use crate::rules::Rules;
use crate::store::{Store, StoreError};

/// Addresses of people made in the terminal from an invitation: apart from the terminal
/// addresses of people of the bot (the invitation's row id added to this).
const INVITED_BASE: i64 = TERMINAL_BASE + (1 << 50);

/// What is printed when the bot waits for the next line.
pub const PROMPT: &str = "> ";

/// Who chats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// A person of the bot, by their number.
    Person(i64),
    /// Whoever redeems this invitation code.
    Invitation(String),
}

impl Who {
    /// `--as`: a number is a person's, anything else an invitation code.
    pub fn parse(text: &str) -> Who {
        let text = text.trim();
        let digits = text.strip_prefix('#').unwrap_or(text);
        // An invitation code is 16 characters or more, so a long run of digits is one.
        match digits.parse::<i64>() {
            Ok(n) if n > 0 && digits.len() < 16 => Who::Person(n),
            _ => Who::Invitation(text.to_string()),
        }
    }
}

/// Why a chat could not start.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("no person has the number {0}")]
    NoSuchPerson(i64),
    /// An invitation the terminal cannot redeem: unknown, used (a used code is no login:
    /// its person chats by number) or expired.
    #[error("the invitation cannot be redeemed: {0:?}")]
    Invitation(InviteRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// One terminal conversation.
pub struct Session {
    pub store: Store,
    pub rules: Arc<Rules>,
    /// The language of someone not registered yet.
    pub locale: Locale,
    pub clock: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

impl Session {
    /// Chats as `who` until the input ends: every line an input, every reply printed.
    pub async fn run(
        &self,
        who: &Who,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<(), ChatError> {
        let (address, person) = self.address_of(who).await?;
        writeln!(
            out,
            "{}",
            t(self.locale_of(address, person).await?, "chat.intro", &[])
        )?;
        if let Who::Invitation(code) = who {
            let start = format!("/start {code}");
            self.input(address, person, Line::Text(start), 0).await?;
        }
        let mut choices = self.resume(address, out).await?;
        let mut bytes = Vec::new();
        let mut n: u64 = 1;
        loop {
            bytes.clear();
            if input.read_until(b'\n', &mut bytes)? == 0 {
                return Ok(());
            }
            // A line not in UTF-8 (a terminal set to GB18030) is read as far as it is, its bad
            // bytes shown as such, rather than ending the chat.
            let line = String::from_utf8_lossy(&bytes);
            let typed = line.trim_end_matches(['\n', '\r']);
            if typed.trim().is_empty() {
                write!(out, "{PROMPT}")?;
                out.flush()?;
                continue;
            }
            let read = read_line(typed, &choices);
            self.input(address, person, read, n).await?;
            n += 1;
            choices = self.deliver(address, out, choices).await?;
        }
    }

    /// The conversation's address, and the person's number when chatting as one.
    async fn address_of(&self, who: &Who) -> Result<(i64, Option<i64>), ChatError> {
        match who {
            Who::Person(id) => {
                let person = self
                    .store
                    .person_by_id(*id)
                    .await?
                    .ok_or(ChatError::NoSuchPerson(*id))?;
                // A person made in the terminal is reached at the address they joined with.
                let address = match Channel::of(person.telegram_id) {
                    Channel::Terminal => person.telegram_id,
                    Channel::Telegram => Channel::terminal_address(person.id),
                };
                Ok((address, Some(person.id)))
            }
            Who::Invitation(code) => match self.store.invite_number(code, (self.clock)()).await? {
                Some((invite, None)) => Ok((-(INVITED_BASE.saturating_add(invite)), None)),
                Some((_, Some(refusal))) => Err(ChatError::Invitation(refusal)),
                None => Err(ChatError::Invitation(InviteRefusal::Unknown)),
            },
        }
    }

    async fn locale_of(&self, address: i64, person: Option<i64>) -> Result<Locale, ChatError> {
        Ok(match self.person(address, person).await? {
            Some(p) => Locale::or_default(p.locale.as_deref()),
            None => self.locale,
        })
    }

    /// The person as they are now (their role or language may have changed since the last
    /// line): by number when chatting as one, else whoever holds the address.
    async fn person(&self, address: i64, person: Option<i64>) -> Result<Option<Person>, ChatError> {
        Ok(match person {
            Some(id) => self.store.person_by_id(id).await?,
            None => self.store.person_by_telegram(address).await?,
        })
    }

    /// Handles one input and commits what it left.
    async fn input(
        &self,
        address: i64,
        person: Option<i64>,
        line: Line,
        n: u64,
    ) -> Result<(), ChatError> {
        let now = (self.clock)();
        let person = self.person(address, person).await?;
        let name = person
            .as_ref()
            .map_or_else(|| t(self.locale, "chat.nameless", &[]), |p| p.name.clone());
        // Unique for ever: the address, the moment the session read the line, and its number.
        let source = format!("t:{address}:{}:{n}", now.timestamp_micros());
        let desk = StoreDesk {
            store: self.store.clone(),
            rules: self.rules.clone(),
        };
        let turn = Turn::new(
            Arc::new(desk),
            self.rules.clone(),
            Channel::Terminal,
            address,
            address,
            name,
            person,
            self.locale,
            now,
            source,
        );
        handle(&turn, move |turn| async move {
            match line {
                Line::Text(text) => {
                    conversation::message(&turn, conversation::Message::Text(text)).await
                }
                Line::Choice(data) => conversation::press(&turn, &data).await,
            }
        })
        .await;
        let origin = Origin {
            chat: address,
            person: turn.person.as_ref().map(|p| p.id),
            source: turn.source.clone(),
            update_id: None,
        };
        apply::commit(&self.store, &self.rules, &origin, turn.take_outcome(), now).await?;
        Ok(())
    }

    /// A chat taken up again: the last message that offered choices, shown again with them
    /// open (the question the person stopped at), then what arrived meanwhile.
    async fn resume(&self, address: i64, out: &mut dyn Write) -> Result<Vec<Choice>, ChatError> {
        let rows = self.store.outbox_rows_for(address).await?;
        let pending = self
            .store
            .pending_in_chat(Channel::Terminal.code(), address)
            .await?;
        let last = rows
            .iter()
            .rev()
            .filter(|m| !pending.iter().any(|p| p.id == m.id))
            .find(|m| m.reply_markup.is_some());
        let mut choices = Vec::new();
        if let Some(message) = last {
            choices = print(out, &message.text, message.reply_markup.as_deref())?;
        }
        self.deliver(address, out, choices).await
    }

    /// Prints what the outbox holds for this conversation and marks it delivered; the choices
    /// now open (those of the last message that had any, else the ones before).
    async fn deliver(
        &self,
        address: i64,
        out: &mut dyn Write,
        mut choices: Vec<Choice>,
    ) -> Result<Vec<Choice>, ChatError> {
        for message in self
            .store
            .pending_in_chat(Channel::Terminal.code(), address)
            .await?
        {
            let offered = print(out, &message.text, message.reply_markup.as_deref())?;
            if let Some((name, content)) = &message.document {
                writeln!(out, "— {name} —\n{content}\n")?;
            }
            if !offered.is_empty() {
                choices = offered;
            }
            self.store.mark_sent(message.id, (self.clock)()).await?;
        }
        // The prompt says the bot has answered and waits for the next line.
        write!(out, "{PROMPT}")?;
        out.flush()?;
        Ok(choices)
    }
}

/// Prints one message and its choices, numbered; the choices.
fn print(out: &mut dyn Write, html: &str, markup: Option<&str>) -> Result<Vec<Choice>, ChatError> {
    writeln!(out, "{}", unescape_html(html))?;
    let offered: Vec<Choice> = choices_of(markup).into_iter().flatten().collect();
    let mark = if typed_answer(&offered) { "#" } else { "" };
    for (i, choice) in offered.iter().enumerate() {
        // A label numbered already (the categories are "4. 职工思想动态") keeps its own
        // number when it is the one to type.
        let n = format!("{}. ", i + 1);
        if mark.is_empty() && choice.label.starts_with(&n) {
            writeln!(out, "  {}", choice.label)?;
        } else {
            writeln!(out, "  {mark}{n}{}", choice.label)?;
        }
    }
    writeln!(out)?;
    Ok(offered)
}

/// One line as the conversation takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Text(String),
    Choice(String),
}

/// Whether the choices open go with a question answered by typing (a number, a name): they
/// only step around the form (back, skip, keep, finish), so a number typed is the answer and
/// they are chosen as `#1`, `#2`.
fn typed_answer(choices: &[Choice]) -> bool {
    choices.iter().all(|c| {
        parse_callback(&c.data).is_some_and(|cb| {
            matches!(
                cb.action,
                Action::Back | Action::Skip | Action::Keep | Action::Finish
            )
        })
    })
}

/// `#n` chooses the n-th choice open; so does a bare number, unless the question is answered
/// by typing; `=` before a number sends the number itself; anything else is text.
fn read_line(typed: &str, choices: &[Choice]) -> Line {
    let trimmed = typed.trim();
    if let Some(text) = trimmed.strip_prefix('=') {
        return Line::Text(text.trim().to_string());
    }
    let (number, marked) = match trimmed.strip_prefix('#') {
        Some(n) => (n, true),
        None => (trimmed, false),
    };
    match number.parse::<usize>() {
        Ok(n) if (1..=choices.len()).contains(&n) && (marked || !typed_answer(choices)) => {
            Line::Choice(choices[n - 1].data.clone())
        }
        _ => Line::Text(typed.to_string()),
    }
}

/// The text as written, from the HTML the outbox holds (only escapes are in it).
fn unescape_html(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(data: &str) -> Choice {
        Choice {
            label: data.to_uppercase(),
            data: data.into(),
        }
    }

    #[test]
    fn a_number_of_an_open_choice_chooses_it_and_anything_else_is_text() {
        let open = [choice("a"), choice("b")];
        assert_eq!(read_line("2", &open), Line::Choice("b".into()));
        assert_eq!(read_line(" 1 ", &open), Line::Choice("a".into()));
        assert_eq!(read_line("3", &open), Line::Text("3".into()));
        assert_eq!(read_line("=2", &open), Line::Text("2".into()));
        assert_eq!(read_line("0", &open), Line::Text("0".into()));
        assert_eq!(read_line("1", &[]), Line::Text("1".into()));
        assert_eq!(read_line("/score", &open), Line::Text("/score".into()));
    }

    #[test]
    fn a_number_answers_a_typed_question_and_hash_chooses_its_steps() {
        let back = Choice {
            label: "上一步".into(),
            data: "f1:i:7:b".into(),
        };
        let steps = [back.clone()];
        assert!(typed_answer(&steps));
        assert_eq!(read_line("1", &steps), Line::Text("1".into()));
        assert_eq!(read_line("30", &steps), Line::Text("30".into()));
        assert_eq!(read_line("#1", &steps), Line::Choice(back.data.clone()));
        let pick = [choice("l:en"), back.clone()];
        assert!(!typed_answer(&pick));
        assert_eq!(read_line("1", &pick), Line::Choice("l:en".into()));
    }

    #[test]
    fn who_is_a_person_by_number_else_an_invitation() {
        assert_eq!(Who::parse("12"), Who::Person(12));
        assert_eq!(Who::parse("#3"), Who::Person(3));
        assert_eq!(
            Who::parse("k3J9xQ2mP8vL4nR7"),
            Who::Invitation("k3J9xQ2mP8vL4nR7".into())
        );
        assert_eq!(Who::parse("0"), Who::Invitation("0".into()));
        assert_eq!(
            Who::parse("1234567890123456"),
            Who::Invitation("1234567890123456".into())
        );
    }

    #[test]
    fn escapes_come_back_as_written() {
        let text = "a < b & \"c\" > d &amp;";
        assert_eq!(unescape_html(&crate::i18n::escape_html(text)), text);
    }

    #[test]
    fn an_invited_address_is_the_terminals_and_apart_from_peoples() {
        let invited = -(INVITED_BASE + 5);
        assert_eq!(Channel::of(invited), Channel::Terminal);
        assert_ne!(invited, Channel::terminal_address(5));
    }
}
