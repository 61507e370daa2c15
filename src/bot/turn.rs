//! One update being handled: who wrote, in which chat and language, and how to answer.

use chrono::{DateTime, NaiveDate, Utc};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, ParseMode, User};

use super::text::{MESSAGE_LIMIT, render_reply, split_message};
use super::{App, BotError};
use crate::domain::Role;
use crate::forms::{Ctx, Reply};
use crate::i18n::{Locale, escape_html, t};
use crate::period::Quarter;
use crate::records::Recorder;
use crate::store::Person;

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
}

impl Turn {
    /// A turn for `user` in `chat`; the person is looked up by [`Turn::identify`].
    pub fn new(
        bot: Bot,
        app: App,
        chat: ChatId,
        user: &User,
        bot_username: Option<String>,
    ) -> Turn {
        let now = app.now();
        Turn {
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

    /// Sends a plain text, escaped for HTML, split when long.
    pub async fn say(&self, plain: &str) -> Result<(), BotError> {
        self.send_html(&escape_html(plain), None).await
    }

    /// Sends one prompt.
    pub async fn say_key(&self, key: &str, args: &[(&str, &str)]) -> Result<(), BotError> {
        self.say(&self.t(key, args)).await
    }

    /// Sends a plain text with buttons under its last part.
    pub async fn say_with(
        &self,
        plain: &str,
        keyboard: InlineKeyboardMarkup,
    ) -> Result<(), BotError> {
        self.send_html(&escape_html(plain), Some(keyboard)).await
    }

    /// Sends a form's reply, with `before` (plain lines) above its own text.
    pub async fn form_reply(&self, before: &[String], reply: &Reply) -> Result<(), BotError> {
        let (html, keyboard) = render_reply(self.locale, reply);
        let mut text: Vec<String> = before.iter().map(|l| escape_html(l)).collect();
        text.push(html);
        self.send_html(&text.join("\n"), keyboard).await
    }

    async fn send_html(
        &self,
        html: &str,
        keyboard: Option<InlineKeyboardMarkup>,
    ) -> Result<(), BotError> {
        let parts = split_message(html, MESSAGE_LIMIT);
        let last = parts.len().saturating_sub(1);
        for (i, part) in parts.into_iter().enumerate() {
            let request = self
                .bot
                .send_message(self.chat, part)
                .parse_mode(ParseMode::Html);
            match (&keyboard, i == last) {
                (Some(k), true) => request.reply_markup(k.clone()).await?,
                _ => request.await?,
            };
        }
        Ok(())
    }
}

/// The language of someone not registered: English if Telegram says so, else Chinese.
pub fn telegram_locale(language_code: Option<&str>) -> Locale {
    match language_code.and_then(Locale::parse) {
        Some(Locale::En) => Locale::En,
        _ => Locale::ZhCn,
    }
}
