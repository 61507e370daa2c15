//! Talking to the bot through the mock Bot API, for the bot's scenario tests: a fixed clock,
//! prompts as the bot shows them, a chat that sends messages and presses buttons, and the
//! common steps (joining by invitation, filing an item through the whole form).
//!
//! The bot sends nothing while it handles an update: its replies are outbox rows committed
//! with the update. A chat reads the replies to its update from the outbox (keys `r:…`) and
//! marks them sent, as the outbox worker would; notices to other people stay queued.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use teloxide::dptree::deps;
use teloxide::types::{InlineKeyboardButtonKind, InlineKeyboardMarkup};
use teloxide_tests::mock_bot::DistributionKey;
use teloxide_tests::{
    MockBot, MockCallbackQuery, MockMessagePhoto, MockMessageText, MockPrivateChat, MockUser,
};

use unionbot::bot::{App, BotError, handler_tree};
use unionbot::domain::Role;
use unionbot::forms::{Action, parse_callback};
use unionbot::i18n::{Locale, escape_html, t};
use unionbot::records::Recorder;
use unionbot::store::Store;

/// Who sends the first update of a chat before the scenario says who speaks.
pub const STRANGER: u64 = 3001;

/// 2026-05-11 10:00 in Shanghai: the second quarter.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 11, 2, 0, 0).unwrap()
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 11).unwrap()
}

pub fn office() -> Recorder {
    Recorder("test:office".into())
}

/// A prompt as the bot sends it: rendered in the locale and escaped for HTML.
pub fn shown(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    escape_html(&t(locale, key, args))
}

pub async fn invite(store: &Store, unit: Option<&str>, role: Role) -> String {
    store
        .create_invite(unit, role, Duration::days(7), now(), &office())
        .await
        .unwrap()
        .code
}

pub fn from(user: u64) -> (teloxide::types::User, teloxide::types::Chat) {
    (
        MockUser::new()
            .id(user)
            .first_name(format!("用户{user}"))
            .build(),
        MockPrivateChat::new().id(user as i64).build(),
    )
}

/// A new message id for every message and button press, as Telegram gives: replies are keyed
/// by them, so two messages with one id would be one.
pub fn next_message_id() -> teloxide::types::MessageId {
    static NEXT: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(1);
    teloxide::types::MessageId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// A reply as the outbox holds it: the chat, the HTML text and the buttons.
#[derive(Debug, Clone)]
pub struct Sent {
    pub chat_id: i64,
    pub html: String,
    pub markup: Option<InlineKeyboardMarkup>,
}

impl Sent {
    pub fn text(&self) -> Option<&str> {
        Some(&self.html)
    }

    pub fn reply_markup(&self) -> Option<&InlineKeyboardMarkup> {
        self.markup.as_ref()
    }
}

/// One conversation with the bot: the mock API and what the bot said last.
pub struct Chat {
    pub bot: MockBot<BotError, DistributionKey>,
    pub last: Vec<Sent>,
    store: Store,
}

impl Chat {
    pub fn new(app: &App) -> Chat {
        let (user, chat) = from(STRANGER);
        let mut bot = MockBot::new(
            MockMessageText::new().text("/help").from(user).chat(chat),
            handler_tree(),
        );
        bot.dependencies(deps![app.clone()]);
        Chat {
            bot,
            last: Vec::new(),
            store: app.store.clone(),
        }
    }

    pub async fn dispatch(&mut self) -> String {
        self.bot.dispatch().await;
        let far = now() + Duration::days(3650);
        let queued = self.store.due_messages(far, 10_000).await.unwrap();
        self.last.clear();
        for message in queued
            .into_iter()
            .filter(|m| m.idempotency_key.starts_with("r:"))
        {
            self.store.mark_sent(message.id, now()).await.unwrap();
            self.last.push(Sent {
                chat_id: message.chat_id,
                html: message.text,
                markup: message
                    .reply_markup
                    .as_deref()
                    .map(|m| serde_json::from_str(m).expect("buttons as Bot API JSON")),
            });
        }
        self.text()
    }

    /// Everything the bot sent to the last update, one message a line.
    pub fn text(&self) -> String {
        self.last
            .iter()
            .filter_map(|m| m.text())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub async fn say(&mut self, user: u64, text: &str) -> String {
        let (sender, chat) = from(user);
        self.bot.update(
            MockMessageText::new()
                .id(next_message_id().0)
                .text(text)
                .from(sender)
                .chat(chat),
        );
        self.dispatch().await
    }

    pub async fn send_photo(&mut self, user: u64) -> String {
        let (sender, chat) = from(user);
        self.bot.update(
            MockMessagePhoto::new()
                .id(next_message_id().0)
                .from(sender)
                .chat(chat),
        );
        self.dispatch().await
    }

    /// Presses a button with this callback data, on a message of the chat.
    pub async fn press_data(&mut self, user: u64, data: &str) -> String {
        let (sender, chat) = from(user);
        let message = MockMessageText::new().chat(chat).build();
        let id = next_message_id().0;
        self.bot.update(
            MockCallbackQuery::new()
                .id(teloxide::types::CallbackQueryId(format!("press{id}")))
                .from(sender)
                .message(message)
                .data(data),
        );
        self.dispatch().await
    }

    /// The data of the last messages' button that does `action`.
    pub fn button(&self, action: &Action) -> String {
        self.buttons()
            .into_iter()
            .find(|d| parse_callback(d).map(|c| c.action).as_ref() == Some(action))
            .unwrap_or_else(|| panic!("no button {action:?} in {:?}", self.text()))
    }

    pub fn buttons(&self) -> Vec<String> {
        self.last
            .iter()
            .filter_map(|m| m.reply_markup())
            .flat_map(|k| k.inline_keyboard.iter().flatten())
            .filter_map(|b| match &b.kind {
                InlineKeyboardButtonKind::CallbackData(data) => Some(data.clone()),
                _ => None,
            })
            .collect()
    }

    /// The labels of the last messages' buttons.
    pub fn labels(&self) -> Vec<String> {
        self.last
            .iter()
            .filter_map(|m| m.reply_markup())
            .flat_map(|k| k.inline_keyboard.iter().flatten())
            .map(|b| b.text.clone())
            .collect()
    }

    pub async fn press(&mut self, user: u64, action: Action) -> String {
        let data = self.button(&action);
        self.press_data(user, &data).await
    }
}

pub fn assert_has(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected {expected:?} in\n{text}");
}

/// Files an item through the whole form, as an officer of a unit without commissions does.
pub async fn file_item(chat: &mut Chat, user: u64, title: &str) -> String {
    chat.say(user, "/submit").await;
    chat.press(user, Action::Choose("4".into())).await;
    for answer in [title, "正文", "市总办公室", "张三", "李四"] {
        chat.say(user, answer).await;
    }
    chat.press(user, Action::Choose(today().to_string())).await;
    chat.say(user, "30").await;
    chat.press(user, Action::Confirm).await
}

/// Joins with an invitation that names the person (as Telegram does, `用户<id>`), so the bot
/// does not ask for the name.
pub async fn join(chat: &mut Chat, store: &Store, user: u64, unit: Option<&str>, role: Role) {
    let name = format!("用户{user}");
    let code = store
        .create_named_invite(unit, role, Some(&name), Duration::days(7), now(), &office())
        .await
        .unwrap()
        .code;
    chat.say(user, &format!("/start {code}")).await;
    let person = store.person_by_telegram(user as i64).await.unwrap();
    assert_eq!(person.map(|p| p.role), Some(role), "{}", chat.text());
}
