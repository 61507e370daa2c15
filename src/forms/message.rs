//! What the engine says, as prompt keys with named arguments: the shell turns them into text.

use crate::records::Problem;

/// Gives a prompt's text from its key and its placeholders' values (`i18n::t` in a locale).
pub type Lookup<'a> = dyn Fn(&str, &[(&str, &str)]) -> String + 'a;

/// A text to show: the prompt key and its named arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: String,
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A value as it is (a person's answer, a number, a date).
    Value(String),
    /// A text of its own, such as a category's name or a field's label.
    Message(Message),
    /// What is wrong with an answer: its text is the problem's prompt with the problem's fields.
    Problem(Problem),
}

/// An inline button: its label and its callback data (at most 64 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: Message,
    pub data: String,
}

/// One message to send: its parts, one a line, and an inline keyboard (rows of buttons).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub parts: Vec<Message>,
    pub keyboard: Vec<Vec<Button>>,
}

impl Message {
    pub fn new(key: impl Into<String>) -> Message {
        Message {
            key: key.into(),
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, arg: Arg) -> Message {
        self.args.push((name, arg));
        self
    }

    pub fn value(self, name: &'static str, value: impl ToString) -> Message {
        self.with(name, Arg::Value(value.to_string()))
    }

    /// The text, with `text(key, args)` giving a prompt's text with its placeholders filled and
    /// `problem` a problem's. Texts are plain: a shell using HTML escapes the whole result once.
    pub fn render(&self, text: &Lookup<'_>, problem: &dyn Fn(&Problem) -> String) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Value(v) => v.clone(),
                    Arg::Message(m) => m.render(text, problem),
                    Arg::Problem(p) => problem(p),
                };
                (*name, value)
            })
            .collect();
        let values: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        text(&self.key, &values)
    }

    /// Every prompt key this message uses, its own and its arguments'.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = vec![self.key.clone()];
        for (_, arg) in &self.args {
            match arg {
                Arg::Value(_) => {}
                Arg::Message(m) => keys.extend(m.keys()),
                Arg::Problem(p) => keys.push(p.prompt_key().to_string()),
            }
        }
        keys
    }
}

impl Reply {
    /// The message's text: its parts rendered (see [`Message::render`]), one a line.
    pub fn render(&self, text: &Lookup<'_>, problem: &dyn Fn(&Problem) -> String) -> String {
        let lines: Vec<String> = self.parts.iter().map(|m| m.render(text, problem)).collect();
        lines.join("\n")
    }

    /// Every button of the keyboard, row by row.
    pub fn buttons(&self) -> impl Iterator<Item = &Button> {
        self.keyboard.iter().flatten()
    }

    /// Every prompt key the reply uses, its buttons' included.
    pub fn keys(&self) -> Vec<String> {
        self.parts
            .iter()
            .chain(self.buttons().map(|b| &b.label))
            .flat_map(Message::keys)
            .collect()
    }
}
