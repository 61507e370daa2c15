//! The outbox's own Bot API requests: `sendMessage` and `editMessageText` with a timeout of
//! their own, and every answer read as Telegram means it. teloxide's requests are not used
//! here because on a server error they sleep ten seconds inside the request, which would hold
//! a send slot that long; here a 5xx comes back at once and is retried by the worker.

use std::time::Duration;

use serde_json::{Value, json};
use teloxide::Bot;

use crate::store::OutboxMessage;

/// What became of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Telegram took it.
    Sent,
    /// 429: nothing more to this chat for this long.
    RetryAfter(Duration),
    /// Telegram will never deliver it: the person blocked the bot, the chat is gone.
    Unreachable(String),
    /// Refused as it is (a bad request): trying again would be refused again.
    Refused(String),
    /// A server error, a timeout or a network failure: it may go through later, and it may
    /// even have arrived (a lost answer).
    Transient(String),
}

/// Sends the outbox's messages to the Bot API the bot was configured with.
#[derive(Clone)]
pub struct Telegram {
    http: reqwest::Client,
    /// `<api url>/bot<token>/`; never logged.
    base: String,
}

impl Telegram {
    pub fn new(bot: &Bot, timeout: Duration) -> Telegram {
        let api = bot.api_url().as_str().trim_end_matches('/').to_string();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .build()
            .unwrap_or_default();
        Telegram {
            http,
            base: format!("{api}/bot{}/", bot.token()),
        }
    }

    /// Sends one message (or the edit it is, or its document) and reads Telegram's answer.
    pub async fn deliver(&self, message: &OutboxMessage) -> Answer {
        let response = match &message.document {
            Some((name, content)) => {
                // A document is a file upload: multipart, with the text as its caption.
                let file = reqwest::multipart::Part::bytes(content.clone().into_bytes())
                    .file_name(name.clone());
                let form = reqwest::multipart::Form::new()
                    .text("chat_id", message.chat_id.to_string())
                    .text("caption", message.text.clone())
                    .text("parse_mode", "HTML")
                    .part("document", file);
                self.http
                    .post(format!("{}sendDocument", self.base))
                    .multipart(form)
                    .send()
                    .await
            }
            None => {
                let (method, body) = request(message);
                self.http
                    .post(format!("{}{method}", self.base))
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.to_string())
                    .send()
                    .await
            }
        };
        let response = match response {
            Ok(response) => response,
            // The error's URL holds the token: it is dropped before the error is kept.
            Err(e) => return Answer::Transient(e.without_url().to_string()),
        };
        let status = response.status().as_u16();
        match response.bytes().await {
            Ok(bytes) => judge(status, &bytes, message.edit_message_id.is_some()),
            Err(e) => Answer::Transient(e.without_url().to_string()),
        }
    }
}

/// The method and JSON body of a message.
fn request(message: &OutboxMessage) -> (&'static str, Value) {
    let mut body = json!({
        "chat_id": message.chat_id,
        "text": message.text,
        "parse_mode": "HTML",
    });
    if let Some(markup) = message
        .reply_markup
        .as_deref()
        .and_then(|m| serde_json::from_str::<Value>(m).ok())
    {
        body["reply_markup"] = markup;
    }
    match message.edit_message_id {
        Some(id) => {
            body["message_id"] = json!(id);
            ("editMessageText", body)
        }
        None => ("sendMessage", body),
    }
}

/// Reads an answer: its HTTP status and body (`{"ok": …, "error_code": …, "parameters": …}`).
pub fn judge(status: u16, body: &[u8], edit: bool) -> Answer {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if json["ok"] == Value::Bool(true) {
        return Answer::Sent;
    }
    let code = json["error_code"]
        .as_u64()
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(status);
    let description = json["description"]
        .as_str()
        .map_or_else(|| format!("HTTP {status}"), str::to_string);
    match code {
        429 => {
            let seconds = json["parameters"]["retry_after"].as_u64().unwrap_or(1);
            Answer::RetryAfter(Duration::from_secs(seconds.max(1)))
        }
        // An edit that changes nothing is refused with 400 "message is not modified": what it
        // asks for is already so.
        400 if edit && description.contains("message is not modified") => Answer::Sent,
        403 => Answer::Unreachable(description),
        400 if description.contains("chat not found") || description.contains("deactivated") => {
            Answer::Unreachable(description)
        }
        400..=499 => Answer::Refused(description),
        _ => Answer::Transient(description),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegrams_answers_are_read_as_it_means_them() {
        assert_eq!(
            judge(200, br#"{"ok":true,"result":{}}"#, false),
            Answer::Sent
        );
        assert_eq!(
            judge(
                429,
                br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#,
                false
            ),
            Answer::RetryAfter(Duration::from_secs(7))
        );
        assert!(matches!(
            judge(403, br#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#, false),
            Answer::Unreachable(_)
        ));
        assert!(matches!(
            judge(
                500,
                br#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#,
                false
            ),
            Answer::Transient(_)
        ));
        assert!(matches!(
            judge(502, b"<html>Bad Gateway</html>", false),
            Answer::Transient(_)
        ));
        assert!(matches!(
            judge(400, br#"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}"#, false),
            Answer::Refused(_)
        ));
        let not_modified = br#"{"ok":false,"error_code":400,"description":"Bad Request: message is not modified"}"#;
        assert_eq!(judge(400, not_modified, true), Answer::Sent);
        assert!(matches!(
            judge(400, not_modified, false),
            Answer::Refused(_)
        ));
    }

    #[test]
    fn an_edit_is_an_edit_message_text_with_its_buttons() {
        let message = OutboxMessage {
            id: 1,
            idempotency_key: "k".into(),
            chat_id: 5,
            text: "<b>x</b>".into(),
            reply_markup: Some(r#"{"inline_keyboard":[]}"#.into()),
            edit_message_id: Some(9),
            document: None,
            attempts: 0,
            failures: 0,
        };
        let (method, body) = request(&message);
        assert_eq!(method, "editMessageText");
        assert_eq!(body["message_id"], 9);
        assert_eq!(body["parse_mode"], "HTML");
        assert_eq!(body["reply_markup"]["inline_keyboard"], json!([]));
        let send = OutboxMessage {
            edit_message_id: None,
            reply_markup: None,
            ..message
        };
        let (method, body) = request(&send);
        assert_eq!(method, "sendMessage");
        assert!(body.get("reply_markup").is_none());
    }
}
