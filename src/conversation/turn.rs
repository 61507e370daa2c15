//! One input being handled, on any channel: who wrote, in which conversation and language, what
//! the time is, and what the handling leaves to commit — replies, notices for other people, the
//! dialogue's new state — as channel-neutral values the channel's shell turns into outbox rows.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};

use super::desk::Desk;
pub use super::said::{Choice, DialogueChange, Notice, Outcome, Said};
use crate::domain::{Channel, ItemId, Role};
use crate::forms::{CALLBACK_LIMIT, Ctx, Reply};
use crate::i18n::{Locale, describe_problem, t};
use crate::period::Quarter;
use crate::records::{Person, Recorder};
use crate::rules::Rules;

/// The handling of one input.
#[derive(Clone)]
pub struct Turn {
    pub desk: Arc<dyn Desk>,
    pub rules: Arc<Rules>,
    pub channel: Channel,
    /// This conversation's address: where replies go, and what its form is kept under.
    pub chat: i64,
    /// The address of the one who wrote (in a private chat, the chat's own).
    pub sender: i64,
    /// The sender's name as the channel gives it.
    pub name: String,
    /// The registered person, if the sender joined.
    pub person: Option<Person>,
    pub locale: Locale,
    pub now: DateTime<Utc>,
    /// When the input was sent, as the channel says (Telegram's message date): what an urgent
    /// report's hour is measured to. The handling's own time until a channel says otherwise.
    pub sent_at: DateTime<Utc>,
    /// The bot's username, for invitation links.
    pub bot_username: Option<String>,
    /// What the input was made from, unique for ever (`m:<chat>:<message id>`,
    /// `c:<callback id>`, `t:<address>:<n>`): the key of its replies and of what it stores.
    pub source: String,
    /// Shared by the clones of the turn.
    outcome: Arc<Mutex<Outcome>>,
}

impl Turn {
    /// A turn from `sender` in `chat`, already identified (`person`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        desk: Arc<dyn Desk>,
        rules: Arc<Rules>,
        channel: Channel,
        chat: i64,
        sender: i64,
        name: String,
        person: Option<Person>,
        locale: Locale,
        now: DateTime<Utc>,
        source: String,
    ) -> Turn {
        // A registered person speaks the language they chose.
        // (Chinese unless they chose English); until then, what the channel says of them.
        let locale = match &person {
            Some(p) => Locale::or_default(p.locale.as_deref()),
            None => locale,
        };
        Turn {
            desk,
            rules,
            channel,
            chat,
            sender,
            name,
            person,
            locale,
            now,
            sent_at: now,
            bot_username: None,
            source,
            outcome: Arc::default(),
        }
    }

    /// The same turn (the same outcome to commit) for a person just registered.
    pub fn with_person(&self, person: Person) -> Turn {
        Turn {
            person: Some(person),
            ..self.clone()
        }
    }

    /// The same turn speaking another language.
    pub fn with_locale(&self, locale: Locale) -> Turn {
        Turn {
            locale,
            ..self.clone()
        }
    }

    pub fn is_office(&self) -> bool {
        self.person.as_ref().is_some_and(|p| p.role == Role::Office)
    }

    /// Who records what this turn stores: `telegram:<user id>`, `terminal:<address>`.
    pub fn recorder(&self) -> Recorder {
        Recorder(format!("{}:{}", self.channel.code(), self.sender))
    }

    /// Who recorded a stored record, in words: the person by current name and number (the
    /// stored chat address is looked up, never shown), the command line, an import.
    pub async fn recorder_name(&self, stored: &str) -> Result<String, super::DeskError> {
        let who = crate::records::RecordedBy::parse(stored);
        let person = match who.address() {
            Some(address) => self.desk.person_at(address).await?,
            None => None,
        };
        Ok(who.describe(self.locale, person.as_ref()))
    }

    /// The form engine's view of now.
    pub fn ctx(&self) -> Ctx {
        Ctx::new(self.now, self.rules.zone())
    }

    pub fn today(&self) -> NaiveDate {
        self.ctx().today()
    }

    pub fn quarter(&self) -> Quarter {
        Quarter::of_instant(self.now, self.rules.zone())
    }

    /// A prompt in the turn's language.
    pub fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        t(self.locale, key, args)
    }

    /// A time as people here read it, in the rules' zone.
    pub fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.rules.zone())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// Says a text.
    pub fn say(&self, text: &str) {
        self.say_with(text, Vec::new());
    }

    /// Says one prompt.
    pub fn say_key(&self, key: &str, args: &[(&str, &str)]) {
        self.say(&self.t(key, args));
    }

    /// Says a text with choices under it.
    pub fn say_with(&self, text: &str, choices: Vec<Vec<Choice>>) {
        self.outcome().replies.push(Said {
            text: text.to_string(),
            choices,
        });
    }

    /// Says a form's reply, with `before` (lines) above its own text.
    pub fn form_reply(&self, before: &[String], reply: &Reply) {
        let said = said_of(self.locale, reply);
        let mut text = before.to_vec();
        text.push(said.text);
        self.say_with(&text.join("\n"), said.choices);
    }

    /// Queues a notice for another person, committed with this input; whether it will go
    /// (always, unless it is empty).
    pub fn notify(&self, key: &str, to: i64, text: &str) -> bool {
        if text.is_empty() {
            return false;
        }
        self.outcome().notices.push(Notice {
            key: key.to_string(),
            to,
            text: text.to_string(),
            choices: Vec::new(),
        });
        true
    }

    /// Queues a notice made whole elsewhere (with its choices), committed with this input.
    pub fn notify_with(&self, notice: Notice) {
        self.outcome().notices.push(notice);
    }

    /// Keeps the conversation's form state (JSON), to commit with the input.
    pub fn save_dialogue(&self, state: String) {
        self.outcome().dialogue = Some(DialogueChange::Save(state));
    }

    /// Drops the conversation's form when the input is committed.
    pub fn clear_dialogue(&self) {
        self.outcome().dialogue = Some(DialogueChange::Clear);
    }

    /// The dialogue change made so far, if any: what a later step of the same input reads
    /// instead of the stored state.
    pub fn pending_dialogue(&self) -> Option<DialogueChange> {
        self.outcome().dialogue.clone()
    }

    /// Marks inbox items read by this office member once committed, so a page never
    /// delivered leaves them new.
    pub fn mark_read(&self, items: Vec<ItemId>) {
        self.outcome().read = items;
    }

    /// The person just joined and is owed the guidance sent before.
    pub fn owe_guidance(&self, person: i64) {
        self.outcome().owed_guidance = Some(person);
    }

    pub fn menu_changed(&self) {
        self.outcome().menu_changed = true;
    }

    pub fn plans_changed(&self) {
        self.outcome().plans_changed = true;
    }

    /// Takes what is to commit, leaving the turn with nothing.
    pub fn take_outcome(&self) -> Outcome {
        std::mem::take(&mut *self.outcome())
    }

    /// Forgets everything said and changed so far (the handling failed).
    pub fn discard(&self) {
        *self.outcome() = Outcome::default();
    }

    fn outcome(&self) -> MutexGuard<'_, Outcome> {
        // A panic while holding the lock leaves plain data, still usable.
        self.outcome.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A form reply in a locale: its text and its choices (a choice whose data would not fit a
/// Telegram button is left out on every channel, so all channels offer the same).
pub fn said_of(locale: Locale, reply: &Reply) -> Said {
    let text = |key: &str, args: &[(&str, &str)]| t(locale, key, args);
    let problem = |p: &crate::records::Problem| describe_problem(locale, p);
    let choices = reply
        .keyboard
        .iter()
        .map(|row| {
            row.iter()
                .filter(|b| b.data.len() <= CALLBACK_LIMIT)
                .map(|b| Choice {
                    label: b.label.render(&text, &problem),
                    data: b.data.clone(),
                })
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect();
    Said {
        text: reply.render(&text, &problem),
        choices,
    }
}
