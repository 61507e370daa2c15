//! Checks that the texts read as a native speaker of each language writes: English counts of
//! one with a singular noun and verb, Chinese with full-width punctuation and no space inside
//! a run of Chinese.

use super::*;

/// Chinese sentences take full-width punctuation; ASCII is left only between ASCII (a time
/// such as 14:30, a URL, an offset such as +08:00, Excel's own menu label).
#[test]
fn chinese_texts_use_full_width_punctuation_next_to_chinese() {
    let catalog = Catalog::embedded();
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    // A URL pattern and the label Chinese Excel itself shows are written as they are typed.
    let verbatim = regex::Regex::new(r"\S*://\S*|“CSV UTF-8\(逗号分隔\)\(\*\.csv\)”")
        .expect("a valid pattern");
    let mut wrong = Vec::new();
    for key in catalog.keys(Locale::ZhCn) {
        let text = catalog.template(Locale::ZhCn, key).unwrap_or_default();
        let chars: Vec<char> = verbatim.replace_all(text, " ").chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if !matches!(c, ',' | ';' | ':' | '(' | ')' | '!' | '?') {
                continue;
            }
            let before = i.checked_sub(1).map(|j| chars[j]);
            // A space after ASCII punctuation is how English is written, so it counts too.
            let after = chars.get(i + 1).copied();
            if before.is_some_and(han) || after.is_some_and(han) {
                wrong.push(format!("{key}: {text}"));
                break;
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A Chinese period label (`2026年第一季度`) or name runs straight into the Chinese that
/// follows: a space between two Chinese words reads as a typo.
#[test]
fn no_chinese_text_puts_a_space_between_a_chinese_placeholder_and_chinese() {
    let catalog = Catalog::embedded();
    // Placeholders whose Chinese values end or start with a Chinese character (`name` is
    // left out: it is also an option's name, `--reason`, which a space sets apart).
    let chinese_values = ["period", "quarter", "unit", "level", "kind", "role"];
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut wrong = Vec::new();
    for key in catalog.keys(Locale::ZhCn) {
        let text = catalog.template(Locale::ZhCn, key).unwrap_or_default();
        for name in chinese_values {
            let slot = format!("{{{name}}}");
            let spaced_after = text
                .match_indices(&format!("{slot} "))
                .any(|(i, m)| text[i + m.len()..].chars().next().is_some_and(han));
            let spaced_before = text
                .match_indices(&format!(" {slot}"))
                .any(|(i, _)| text[..i].chars().next_back().is_some_and(han));
            if spaced_after || spaced_before {
                wrong.push(format!("{key}: {text}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// English nouns that a count of one must not be followed by in the plural.
const PLURAL_NOUNS: &[&str] = &[
    "items",
    "units",
    "points",
    "vetoes",
    "adoptions",
    "instructions",
    "problems",
    "people",
    "characters",
    "officers",
    "records",
    "rows",
    "copies",
    "filings",
    "messages",
    "topics",
    "persons",
    "members",
    "days",
    "minutes",
    "hours",
];

#[test]
fn an_english_count_of_one_is_followed_by_a_singular_noun() {
    let catalog = Catalog::embedded();
    let plural = regex::Regex::new(&format!(r"\b1 ({})\b", PLURAL_NOUNS.join("|")))
        .expect("a valid pattern");
    let mut wrong = Vec::new();
    for key in catalog.keys(Locale::En) {
        let template = catalog.template(Locale::En, key).unwrap_or_default();
        let names = placeholders(template);
        let args: Vec<(&str, &str)> = names.iter().map(|n| (*n, "1")).collect();
        let text = fill(template, &args);
        if let Some(found) = plural.find(&text) {
            wrong.push(format!("{key}: {}", found.as_str()));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn an_english_count_of_one_is_followed_by_a_singular_verb() {
    let catalog = Catalog::embedded();
    let plural_verb =
        regex::Regex::new(r"\b1 (\w+ ){0,2}(were|are|have|await)\b").expect("a valid pattern");
    let mut wrong = Vec::new();
    for key in catalog.keys(Locale::En) {
        let template = catalog.template(Locale::En, key).unwrap_or_default();
        let names = placeholders(template);
        let args: Vec<(&str, &str)> = names.iter().map(|n| (*n, "1")).collect();
        let text = fill(template, &args);
        if let Some(found) = plural_verb.find(&text) {
            wrong.push(format!("{key}: {}", found.as_str()));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
