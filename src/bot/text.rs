//! Long messages split under Telegram's limit (the splitting itself is `i18n::split`'s, the
//! applier's when it queues them); the cases Telegram's counting makes hard.

pub use crate::i18n::split::{MESSAGE_LIMIT, split_message};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::split::utf16_len;

    #[test]
    fn a_short_text_is_one_message() {
        assert_eq!(
            split_message("你好", MESSAGE_LIMIT),
            vec!["你好".to_string()]
        );
        assert_eq!(split_message("", MESSAGE_LIMIT), vec![String::new()]);
    }

    #[test]
    fn a_long_text_is_cut_at_line_breaks_under_the_limit() {
        let line = "字".repeat(99);
        let text = vec![line.as_str(); 100].join("\n");
        let parts = split_message(&text, MESSAGE_LIMIT);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(utf16_len(part) <= MESSAGE_LIMIT);
            assert!(part.split('\n').all(|l| l == line), "lines stay whole");
        }
        assert_eq!(parts.join("\n"), text, "nothing is lost");
    }

    #[test]
    fn a_text_without_breaks_is_cut_hard_but_never_inside_an_escape() {
        let text = format!("{}&amp;{}", "a".repeat(4093), "b".repeat(10));
        let parts = split_message(&text, MESSAGE_LIMIT);
        assert_eq!(parts[0], "a".repeat(4093));
        assert!(parts[1].starts_with("&amp;"));
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn characters_outside_the_basic_plane_count_twice() {
        let text = "😀".repeat(3000);
        let parts = split_message(&text, MESSAGE_LIMIT);
        assert_eq!(parts.len(), 2);
        assert_eq!(utf16_len(&parts[0]), 4096);
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn every_part_of_any_text_fits() {
        let text = "第一行\n".repeat(700) + &" 词".repeat(3000) + &"x".repeat(9000);
        for limit in [10, 100, MESSAGE_LIMIT] {
            for part in split_message(&text, limit) {
                assert!(utf16_len(&part) <= limit, "{limit}: {}", utf16_len(&part));
                assert!(!part.is_empty());
            }
        }
    }
}
