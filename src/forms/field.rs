//! A form as data: its kind and its fields, each with a type, its limits and whether it is
//! required.

use serde::{Deserialize, Serialize};

use super::message::Message;

/// Which form a conversation fills; stored with its state and written in its buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    Item,
    Urgent,
    Adoption,
    Veto,
    Guidance,
    Instruction,
    Commission,
}

impl FormKind {
    pub const ALL: &'static [FormKind] = &[
        FormKind::Item,
        FormKind::Urgent,
        FormKind::Adoption,
        FormKind::Veto,
        FormKind::Guidance,
        FormKind::Instruction,
        FormKind::Commission,
    ];

    /// The stable code kept in the database.
    pub const fn code(self) -> &'static str {
        match self {
            FormKind::Item => "item",
            FormKind::Urgent => "urgent",
            FormKind::Adoption => "adoption",
            FormKind::Veto => "veto",
            FormKind::Guidance => "guidance",
            FormKind::Instruction => "instruction",
            FormKind::Commission => "commission",
        }
    }

    /// The one letter written in callback data.
    pub const fn letter(self) -> &'static str {
        match self {
            FormKind::Item => "i",
            FormKind::Urgent => "u",
            FormKind::Adoption => "a",
            FormKind::Veto => "v",
            FormKind::Guidance => "g",
            FormKind::Instruction => "n",
            FormKind::Commission => "c",
        }
    }

    pub fn from_letter(letter: &str) -> Option<FormKind> {
        FormKind::ALL.iter().copied().find(|k| k.letter() == letter)
    }
}

/// One option of a choice: the value kept and sent in the button, and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    /// Short (it goes into callback data) and without `:`.
    pub value: String,
    pub label: Message,
}

/// What a field accepts.
#[derive(Debug, Clone)]
pub enum FieldKind {
    /// One line of text, at most `max` characters.
    Text {
        max: usize,
    },
    /// A body: over `soft` characters the officer is warned, over `hard` refused. Telegram
    /// splits a long text into several messages, so a long answer may come in pieces.
    LongText {
        soft: usize,
        hard: usize,
    },
    /// One of `options`, by button or by typing its number or its value; `typed` reads other
    /// words a person may type (such as a level's Chinese name) into an option's value.
    Choice {
        options: Vec<ChoiceOption>,
        /// Buttons per keyboard row.
        columns: usize,
        typed: Option<fn(&str) -> Option<String>>,
    },
    /// A calendar day; `default_today` offers today as a button.
    Date {
        default_today: bool,
        allow_future: bool,
    },
    /// A deadline: a calendar day, today or later.
    Deadline,
    /// A moment that has already happened, such as an event's time.
    DateTime,
    /// A whole number from 1 to `max`.
    PositiveInt {
        max: u32,
    },
    YesNo,
    /// How many people are involved, in the officer's words (`约200人`, `三四十人`, `200`):
    /// kept as typed, at most `max` characters, once a count can be read from it.
    People {
        max: usize,
    },
    /// A list, one line a message (guidance topics): each line at most `max_each` characters,
    /// at most `max_lines` lines; the person presses "done" after the last.
    Lines {
        max_each: usize,
        max_lines: usize,
    },
}

/// One field: its name (also the end of its prompt keys), what it accepts, whether it may be
/// skipped.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

impl FieldSpec {
    pub fn required(name: &'static str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            name,
            kind,
            required: true,
        }
    }

    pub fn optional(name: &'static str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            name,
            kind,
            required: false,
        }
    }

    /// The question: `field.ask.<name>`, with the field's limits as arguments.
    pub fn question(&self) -> Message {
        let message = Message::new(format!("field.ask.{}", self.name));
        match &self.kind {
            FieldKind::Text { max } => message.value("max", max),
            FieldKind::LongText { soft, hard } => message.value("soft", soft).value("hard", hard),
            FieldKind::PositiveInt { max } => message.value("max", max),
            FieldKind::People { max } => message.value("max", max),
            FieldKind::Choice { options, .. } => message.value("count", options.len()),
            FieldKind::Lines {
                max_each,
                max_lines,
            } => message.value("max", max_each).value("count", max_lines),
            FieldKind::Date { .. }
            | FieldKind::Deadline
            | FieldKind::DateTime
            | FieldKind::YesNo => message,
        }
    }

    /// The short name shown in the summary and on edit buttons: `field.label.<name>`.
    pub fn label(&self) -> Message {
        Message::new(format!("field.label.{}", self.name))
    }
}

/// A form: its kind and its fields, asked in this order.
#[derive(Debug, Clone)]
pub struct FormDef {
    pub kind: FormKind,
    /// Each answer is stored the moment it is given (an urgent report's facts), so the summary
    /// says what is stored and ends the asking, and nothing is "not saved" on cancelling.
    pub each_answer_stored: bool,
    pub fields: Vec<FieldSpec>,
}

impl FormDef {
    pub fn index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}
