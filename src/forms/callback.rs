//! The callback data of the forms' inline buttons: short, versioned, and tied to one step of one
//! form so that a button pressed on an old message is recognised as stale.
//!
//! The format is `f1:<form letter>:<revision>:<action>[:<argument>]`, e.g. `f1:i:7:v:3` (choose
//! option `3` at revision 7 of an item form) or `f1:i:12:e:title` (edit the title).

use super::field::FormKind;

/// Telegram's limit on callback data, in bytes.
pub const CALLBACK_LIMIT: usize = 64;

/// The prefix and version of the format; a future format takes another.
const PREFIX: &str = "f1";

/// What a button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Answers the question with an option's value (or the offered date).
    Choose(String),
    /// Keeps the answer the field already has.
    Keep,
    /// Skips an optional field.
    Skip,
    Back,
    /// Ends a long text that came in several messages.
    Finish,
    /// Changes one field from the summary.
    Edit(String),
    Confirm,
    Cancel,
}

/// A pressed button: which form, at which revision of its state, doing what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub form: FormKind,
    pub rev: u32,
    pub action: Action,
}

impl Callback {
    pub fn encode(&self) -> String {
        let head = format!("{PREFIX}:{}:{}", self.form.letter(), self.rev);
        match &self.action {
            Action::Choose(value) => format!("{head}:v:{value}"),
            Action::Edit(field) => format!("{head}:e:{field}"),
            Action::Keep => format!("{head}:k"),
            Action::Skip => format!("{head}:s"),
            Action::Back => format!("{head}:b"),
            Action::Finish => format!("{head}:d"),
            Action::Confirm => format!("{head}:c"),
            Action::Cancel => format!("{head}:x"),
        }
    }
}

/// Reads callback data written by [`Callback::encode`]; anything else (another format, a forged
/// or garbled button, data over 64 bytes) is none.
pub fn parse_callback(data: &str) -> Option<Callback> {
    if data.len() > CALLBACK_LIMIT {
        return None;
    }
    let mut parts = data.splitn(5, ':');
    if parts.next()? != PREFIX {
        return None;
    }
    let form = FormKind::from_letter(parts.next()?)?;
    let rev = parts.next()?;
    if !rev.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rev = rev.parse().ok()?;
    let code = parts.next()?;
    let argument = parts.next();
    let action = match (code, argument) {
        ("v", Some(value)) if !value.is_empty() => Action::Choose(value.to_string()),
        ("e", Some(field)) if !field.is_empty() => Action::Edit(field.to_string()),
        ("k", None) => Action::Keep,
        ("s", None) => Action::Skip,
        ("b", None) => Action::Back,
        ("d", None) => Action::Finish,
        ("c", None) => Action::Confirm,
        ("x", None) => Action::Cancel,
        _ => return None,
    };
    let callback = Callback { form, rev, action };
    // One spelling per button: `007` or a stray space is not ours.
    (callback.encode() == data).then_some(callback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_as_written() {
        for action in [
            Action::Choose("12".into()),
            Action::Choose("2026-04-01".into()),
            Action::Edit("responsible_person".into()),
            Action::Keep,
            Action::Skip,
            Action::Back,
            Action::Finish,
            Action::Confirm,
            Action::Cancel,
        ] {
            for form in FormKind::ALL {
                let callback = Callback {
                    form: *form,
                    rev: u32::MAX,
                    action: action.clone(),
                };
                let data = callback.encode();
                assert!(data.len() <= CALLBACK_LIMIT, "{data}");
                assert_eq!(parse_callback(&data), Some(callback));
            }
        }
    }

    #[test]
    fn forged_or_foreign_data_is_refused() {
        for data in [
            "",
            "f1",
            "f1:i:3",
            "f1:i:3:z",
            "f1:i:3:c:extra",
            "f1:i:3:v",
            "f1:i:3:v:",
            "f1:i:3:e:",
            "f1:q:3:c",
            "f1:i:-3:c",
            "f1:i:+3:c",
            "f1:i:03:c",
            "f1:i: 3:c",
            "f1:i:99999999999:c",
            "f2:i:3:c",
            "F1:i:3:c",
            "menu:score",
        ] {
            assert_eq!(parse_callback(data), None, "{data:?}");
        }
        let long = format!("f1:i:3:v:{}", "x".repeat(60));
        assert_eq!(parse_callback(&long), None);
    }
}
