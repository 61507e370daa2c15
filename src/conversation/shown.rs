//! How much of a long text a list shows, and the small readings and refusals the office's
//! commands share (an item's number, a text over its limit, a command's usage).

use super::turn::Turn;
use crate::domain::ItemId;
use crate::forms::adoption::item_target;
use crate::i18n::describe_problem;
use crate::records::{ItemTarget, Problem};

/// Characters of a title shown in a list.
pub const TITLE_SHOWN: usize = 60;

/// At most `limit` characters of a text, with an ellipsis when cut: a list stays a list
/// however long one title is.
pub fn clip(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut out: String = text.chars().take(limit.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The refusal of a text over `limit` characters, if it is.
pub fn too_long(turn: &Turn, text: &str, limit: usize) -> Option<String> {
    (text.chars().count() > limit)
        .then(|| describe_problem(turn.locale, &Problem::TooLong { limit }))
}

/// Says how a command is written (`bot.usage.<name>`).
pub fn usage(turn: &Turn, name: &str) -> super::Handled {
    turn.say_key(&format!("bot.usage.{name}"), &[]);
    Ok(())
}

/// An item's number as typed: `12` or `#12`.
pub fn item_number(text: &str) -> Option<ItemId> {
    match item_target(text) {
        ItemTarget::Number(n) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_clipped_to_its_limit_with_an_ellipsis_and_a_short_one_kept() {
        assert_eq!(clip("短标题", 60), "短标题");
        let long = "长".repeat(80);
        let clipped = clip(&long, 60);
        assert_eq!(clipped.chars().count(), 60);
        assert!(clipped.ends_with('…'));
        assert_eq!(item_number("#12"), Some(12));
        assert_eq!(item_number("职工"), None);
    }
}
