//! One update being handled: who wrote, in which chat and language, and how to answer.
//!
//! Nothing a turn says is sent from here: every reply and notice, and the dialogue's new state,
//! are kept in the turn's [`Outcome`] and committed with the update's handled mark in one
//! transaction when the handling ends (see `route`), then sent by the outbox worker.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, User};

use super::text::{MESSAGE_LIMIT, render_reply, split_message};
use super::{App, BotError};
use crate::domain::Role;
use crate::forms::{Ctx, Reply};
use crate::i18n::{Locale, escape_html, t};
use crate::period::Quarter;
use crate::records::Recorder;
use crate::store::{DialogueChange, NewMessage, Person, UpdateOutcome};

/// The handling of one update.
#[derive(Clone)]
pub struct Turn {
    pub bot: Bot,
    pub app: App,
    pub chat: ChatId,
    /// The sender's Telegram id.
    pub telegram_id: i64,
    /// The sender's name as Telegram gives it.
    pub name: String,
    /// The registered person, if the sender joined.
    pub person: Option<Person>,
    pub locale: Locale,
    pub now: DateTime<Utc>,
    /// The bot's own username, for `/cmd@bot` and invite links.
    pub bot_username: Option<String>,
    /// What Telegram made this update from, for keys that last: `m:<chat>:<message id>` or
    /// `c:<callback query id>` (update ids restart after a quiet week; these do not).
    pub source: String,
    /// What the handling leaves to commit; shared by the clones of the turn.
    outcome: Arc<Mutex<UpdateOutcome>>,
}

impl Turn {
    /// A turn for `user` in `chat`; the person is looked up by [`Turn::identify`].
    pub fn new(
        bot: Bot,
        app: App,
        chat: ChatId,
        user: &User,
        bot_username: Option<String>,
        source: String,
    ) -> Turn {
        let now = app.now();
        Turn {
            source,
            outcome: Arc::default(),
            bot,
            app,
            chat,
            telegram_id: i64::try_from(user.id.0).unwrap_or(i64::MAX),
            name: user.full_name(),
            person: None,
            // Until the person is known: Telegram's language if it is English, else Chinese.
            locale: telegram_locale(user.language_code.as_deref()),
            now,
            bot_username,
        }
    }

    /// Looks the sender up; a registered person speaks their chosen language (Chinese unless
    /// they chose English).
    pub async fn identify(&mut self) -> Result<(), BotError> {
        self.person = self.app.store.person_by_telegram(self.telegram_id).await?;
        if let Some(person) = &self.person {
            self.locale = Locale::or_default(person.locale.as_deref());
        }
        Ok(())
    }

    /// The same turn (the same outcome to commit) for a person just registered.
    pub fn with_person(&self, person: Person) -> Turn {
        Turn {
            person: Some(person),
            ..self.clone()
        }
    }

    pub fn is_office(&self) -> bool {
        self.person.as_ref().is_some_and(|p| p.role == Role::Office)
    }

    /// Who records what this turn stores.
    pub fn recorder(&self) -> Recorder {
        Recorder(format!("telegram:{}", self.telegram_id))
    }

    /// The form engine's view of now.
    pub fn ctx(&self) -> Ctx {
        Ctx::new(self.now, self.app.rules.zone())
    }

    pub fn today(&self) -> NaiveDate {
        self.ctx().today()
    }

    pub fn quarter(&self) -> Quarter {
        Quarter::of_instant(self.now, self.app.rules.zone())
    }

    /// A prompt in the turn's language, plain (not escaped yet).
    pub fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        t(self.locale, key, args)
    }

    /// Says a plain text, escaped for HTML, split when long.
    pub async fn say(&self, plain: &str) -> Result<(), BotError> {
        self.reply_html(&escape_html(plain), None);
        Ok(())
    }

    /// Says one prompt.
    pub async fn say_key(&self, key: &str, args: &[(&str, &str)]) -> Result<(), BotError> {
        self.say(&self.t(key, args)).await
    }

    /// Says a plain text with buttons under its last part.
    pub async fn say_with(
        &self,
        plain: &str,
        keyboard: InlineKeyboardMarkup,
    ) -> Result<(), BotError> {
        self.reply_html(&escape_html(plain), Some(keyboard));
        Ok(())
    }

    /// Says a form's reply, with `before` (plain lines) above its own text.
    pub async fn form_reply(&self, before: &[String], reply: &Reply) -> Result<(), BotError> {
        let (html, keyboard) = render_reply(self.locale, reply);
        let mut text: Vec<String> = before.iter().map(|l| escape_html(l)).collect();
        text.push(html);
        self.reply_html(&text.join("\n"), keyboard);
        Ok(())
    }

    /// Queues a notice (plain text) for another person's chat, split into parts Telegram takes;
    /// `key` makes it once only (the parts after the first are keyed `key#2`, `key#3`…). It is
    /// committed with the update, so it is queued exactly when the update's outcome is; the
    /// answer is whether it will be (always, unless it is empty).
    pub async fn notify(&self, key: &str, chat: i64, plain: &str) -> Result<bool, BotError> {
        let parts = split_message(&escape_html(plain), MESSAGE_LIMIT);
        let mut outcome = self.outcome();
        for (i, part) in parts.into_iter().enumerate() {
            let key = match i {
                0 => key.to_string(),
                n => format!("{key}#{}", n + 1),
            };
            outcome.messages.push(NewMessage::text(key, chat, part));
        }
        Ok(!plain.is_empty())
    }

    /// Keeps the chat's form state (JSON) as this person left it, to commit with the update.
    /// Queues messages made elsewhere (the guidance a newcomer is owed), committed with the
    /// update like every other.
    pub fn queue(&self, messages: Vec<NewMessage>) {
        self.outcome().messages.extend(messages);
    }

    pub fn save_dialogue(&self, state: String) {
        let person_id = self.person.as_ref().map_or(0, |p| p.id);
        self.outcome().dialogue = Some(DialogueChange::Save {
            chat_id: self.chat.0,
            person_id,
            state,
        });
    }

    /// Marks inbox items read by this office member when the update is committed, so a page
    /// never delivered leaves them new.
    pub fn mark_read(&self, items: Vec<crate::domain::ItemId>) {
        let person = self.person.as_ref().map_or(0, |p| p.id);
        self.outcome().read = Some((person, items));
    }

    /// Drops the chat's form when the update is committed.
    pub fn clear_dialogue(&self) {
        self.outcome().dialogue = Some(DialogueChange::Clear {
            chat_id: self.chat.0,
        });
    }

    /// The dialogue change this turn has made so far, if any: what a later step of the same
    /// update reads instead of the store.
    pub fn pending_dialogue(&self) -> Option<DialogueChange> {
        self.outcome().dialogue.clone()
    }

    /// Takes what is to commit, leaving the turn with nothing.
    pub fn take_outcome(&self) -> UpdateOutcome {
        std::mem::take(&mut *self.outcome())
    }

    /// Forgets the replies, notices and dialogue change said so far (the handling failed).
    pub fn discard(&self) {
        *self.outcome() = UpdateOutcome::default();
    }

    fn outcome(&self) -> std::sync::MutexGuard<'_, UpdateOutcome> {
        // A panic while holding the lock leaves plain data, still usable.
        self.outcome.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a reply to this chat: its parts under the turn's source key, so that handling the
    /// update again can never queue it twice.
    fn reply_html(&self, html: &str, keyboard: Option<InlineKeyboardMarkup>) {
        let parts = split_message(html, MESSAGE_LIMIT);
        let last = parts.len().saturating_sub(1);
        let markup = keyboard
            .as_ref()
            .and_then(|k| serde_json::to_string(k).ok());
        let mut outcome = self.outcome();
        for (i, part) in parts.into_iter().enumerate() {
            let n = outcome.messages.len();
            outcome.messages.push(NewMessage {
                key: format!("r:{}:{n}", self.source),
                chat_id: self.chat.0,
                text: part,
                reply_markup: if i == last { markup.clone() } else { None },
                ..NewMessage::default()
            });
        }
    }
}

/// The language of someone not registered: English if Telegram says so, else Chinese.
pub fn telegram_locale(language_code: Option<&str>) -> Locale {
    match language_code.and_then(Locale::parse) {
        Some(Locale::En) => Locale::En,
        _ => Locale::ZhCn,
    }
}
