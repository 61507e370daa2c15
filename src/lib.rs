//! unionbot: a city federation of trade unions' information work, as a library shared by the
//! Telegram bot and the office's command line.

pub mod bot;
pub mod channel;
pub mod cli;
pub mod conversation;
pub mod domain;
pub mod forms;
pub mod i18n;
pub mod import;
pub mod period;
pub mod points;
pub mod records;
pub mod reports;
pub mod rules;
pub mod schedule;
pub mod scheduler;
pub mod scoring;
pub mod store;
