//! Every text a person reads, from the locale files in `prompts/`: keys, placeholders, fallback.
//!
//! A locale file is TOML whose tables make dotted keys (`[problem] empty = "…"` is the key
//! `problem.empty`) and whose values are plain text with named placeholders `{name}`. The files
//! are compiled into the program. A key missing from a locale falls back to Chinese, then to the
//! key itself, so a lookup never fails; the tests make sure that does not happen.
//!
//! The texts are plain: no HTML. For Telegram's HTML mode, [`t_html`] escapes every value.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use crate::records::{Problem, RowProblem};

/// A language the texts are written in; Chinese is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

/// A language tag that names no locale we have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a language we have: zh-CN, en")]
pub struct UnknownLocale(pub String);

impl Locale {
    /// Every locale, the default first.
    pub const ALL: &'static [Locale] = &[Locale::ZhCn, Locale::En];

    /// The tag of the locale's file, `prompts/<code>.toml`.
    pub const fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Reads a language tag as Telegram or a person gives it: `zh-CN`, `zh`, `zh-hans`, `zh_CN`,
    /// `en`, `en-US`… Any Chinese tag is our one Chinese, any English tag our English.
    pub fn parse(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let language = tag.split('-').next().unwrap_or("");
        match language {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The locale for a tag, or the default when the tag is missing or unknown.
    pub fn or_default(tag: Option<&str>) -> Locale {
        tag.and_then(Locale::parse).unwrap_or_default()
    }

    fn index(self) -> usize {
        match self {
            Locale::ZhCn => 0,
            Locale::En => 1,
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Locale {
    type Err = UnknownLocale;
    fn from_str(s: &str) -> Result<Self, UnknownLocale> {
        Locale::parse(s).ok_or_else(|| UnknownLocale(s.to_string()))
    }
}

/// A locale file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("prompts/{locale}.toml: {problem}")]
pub struct CatalogError {
    pub locale: Locale,
    pub problem: String,
}

/// The texts of every locale, by dotted key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    texts: [BTreeMap<String, String>; 2],
}

const ZH_CN_SOURCE: &str = include_str!("../prompts/zh-CN.toml");
const EN_SOURCE: &str = include_str!("../prompts/en.toml");

static EMBEDDED: LazyLock<Catalog> = LazyLock::new(|| {
    let mut catalog = Catalog::default();
    for (locale, source) in [(Locale::ZhCn, ZH_CN_SOURCE), (Locale::En, EN_SOURCE)] {
        // A broken file cannot pass the tests; should one ship anyway, its keys fall back
        // rather than the program stopping.
        if let Err(e) = catalog.load(locale, source) {
            tracing::error!("{e}");
        }
    }
    catalog
});

impl Catalog {
    /// The texts compiled into the program, parsed on first use.
    pub fn embedded() -> &'static Catalog {
        &EMBEDDED
    }

    /// A catalog from the text of each locale's file.
    pub fn from_sources(zh_cn: &str, en: &str) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        catalog.load(Locale::ZhCn, zh_cn)?;
        catalog.load(Locale::En, en)?;
        Ok(catalog)
    }

    fn load(&mut self, locale: Locale, source: &str) -> Result<(), CatalogError> {
        let error = |problem: String| CatalogError { locale, problem };
        let table: toml::Table = source.parse().map_err(|e| error(format!("{e}")))?;
        let mut texts = BTreeMap::new();
        flatten("", &table, &mut texts).map_err(error)?;
        self.texts[locale.index()] = texts;
        Ok(())
    }

    /// The template of a key in exactly this locale, without fallback.
    pub fn template(&self, locale: Locale, key: &str) -> Option<&str> {
        self.texts[locale.index()].get(key).map(String::as_str)
    }

    /// Every key of a locale, in order.
    pub fn keys(&self, locale: Locale) -> impl Iterator<Item = &str> {
        self.texts[locale.index()].keys().map(String::as_str)
    }

    /// The text of a key with its placeholders filled: the locale's, else Chinese, else the key.
    pub fn text(&self, locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
        match self
            .template(locale, key)
            .or_else(|| self.template(Locale::default(), key))
        {
            Some(template) => fill(template, args),
            None => {
                tracing::warn!(key, locale = locale.code(), "no text for the prompt key");
                key.to_string()
            }
        }
    }
}

/// Turns nested tables into dotted keys; every leaf must be a string.
fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(key, text.clone());
            }
            toml::Value::Table(inner) => flatten(&key, inner, out)?,
            _ => return Err(format!("{key}: every value must be a string")),
        }
    }
    Ok(())
}

/// The text of `key` in `locale` from the compiled-in files, `{name}` filled from `args`.
pub fn t(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    Catalog::embedded().text(locale, key, args)
}

/// Like [`t`], for Telegram's HTML mode: every value is escaped, the text itself is plain.
pub fn t_html(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let escaped: Vec<(&str, String)> = args
        .iter()
        .map(|(name, value)| (*name, escape_html(value)))
        .collect();
    let args: Vec<(&str, &str)> = escaped.iter().map(|(n, v)| (*n, v.as_str())).collect();
    t(locale, key, &args)
}

/// Escapes a value for Telegram's HTML parse mode (`&`, `<`, `>` and `"`).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Splits a template into literal text, placeholders and plural choices: `{name}` with a name
/// of ASCII letters, digits and `_`, or `{name|one|other}`, which writes `one` when the value of
/// `name` is `1` and `other` otherwise (English counts: `{count} {count|unit|units}`; Chinese
/// needs none, its measure words do not change). Any other brace is literal.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let tail = &after[name_len..];
        if name_len > 0 && tail.starts_with('}') {
            out.push(Piece::Text(&rest[..open]));
            out.push(Piece::Slot(name));
            rest = &tail[1..];
        } else if let Some((one, other, used)) = plural_forms(tail).filter(|_| name_len > 0) {
            out.push(Piece::Text(&rest[..open]));
            out.push(Piece::Plural { name, one, other });
            rest = &tail[used..];
        } else {
            out.push(Piece::Text(&rest[..=open]));
            rest = after;
        }
    }
    out.push(Piece::Text(rest));
    out
}

/// Reads `|one|other}` at the start of `text`: the two forms and the bytes they take.
fn plural_forms(text: &str) -> Option<(&str, &str, usize)> {
    let body = text.strip_prefix('|')?;
    let close = body.find(['}', '{'])?;
    if !body[close..].starts_with('}') {
        return None;
    }
    let (one, other) = body[..close].split_once('|')?;
    if other.contains('|') {
        return None;
    }
    Some((one, other, 1 + close + 1))
}

enum Piece<'a> {
    Text(&'a str),
    Slot(&'a str),
    Plural {
        name: &'a str,
        one: &'a str,
        other: &'a str,
    },
}

/// Fills a template's placeholders in one pass (a value is never read as a template); a
/// placeholder without a value stays as written, so a forgotten argument shows, not panics.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let value = |name: &str| args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Slot(name) => match value(name) {
                Some(value) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
            Piece::Plural { name, one, other } => {
                out.push_str(if value(name).map(str::trim) == Some("1") {
                    one
                } else {
                    other
                });
            }
        }
    }
    out
}

/// The placeholder names a template uses (a plural choice uses its name too).
pub fn placeholders(template: &str) -> BTreeSet<&str> {
    pieces(template)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Slot(name) | Piece::Plural { name, .. } => Some(name),
            Piece::Text(_) => None,
        })
        .collect()
}

/// The values of a problem's placeholders, named as its fields.
pub fn problem_args(problem: &Problem) -> Vec<(&'static str, String)> {
    match problem {
        Problem::Empty
        | Problem::ParentMissing
        | Problem::ParentNotAllowed
        | Problem::MissingColumn
        | Problem::DuplicateInFile
        | Problem::ControlCharacter
        | Problem::NotText { .. } => vec![],
        Problem::TooLong { limit } | Problem::TooMany { limit } => {
            vec![("limit", limit.to_string())]
        }
        Problem::NotOneOf { value, expected } => {
            vec![("value", value.clone()), ("expected", expected.clone())]
        }
        Problem::NotANumber { value, min, max } if min == max => {
            vec![("value", value.clone()), ("number", min.to_string())]
        }
        Problem::NotANumber { value, min, max } => vec![
            ("value", value.clone()),
            ("min", min.to_string()),
            ("max", max.to_string()),
        ],
        Problem::WrongFieldCount { found, expected } => vec![
            ("found", found.to_string()),
            ("expected", expected.to_string()),
        ],
        Problem::NotADate { value }
        | Problem::NotATime { value }
        | Problem::NotAnEventTime { value }
        | Problem::NegativeCount { value }
        | Problem::NotYesNo { value }
        | Problem::NoCount { value }
        | Problem::UnknownUnit { value }
        | Problem::UnknownItem { value }
        | Problem::Conflict { value }
        | Problem::ParentIsDirectPoint { value }
        | Problem::InFuture { value } => vec![("value", value.clone())],
        Problem::DeadlinePassed { value, today } => {
            vec![("value", value.clone()), ("today", today.clone())]
        }
        Problem::YearOutOfRange { value } => {
            let years = crate::domain::date::YEARS;
            vec![
                ("value", value.clone()),
                ("min", years.start().to_string()),
                ("max", years.end().to_string()),
            ]
        }
    }
}

/// What is wrong with a value, in words (the prompt `problem.<code>`).
pub fn describe_problem(locale: Locale, problem: &Problem) -> String {
    let mut args = problem_args(problem);
    if let Problem::NotOneOf { expected, .. } = problem {
        for (name, value) in &mut args {
            if *name == "expected" {
                *value = choices(locale, expected);
            }
        }
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    t(locale, problem.prompt_key(), &args)
}

/// A day as the reader writes it: 2026年3月31日 in Chinese, 2026-03-31 in English.
pub fn date_text(locale: Locale, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let (m, d) = match locale {
        Locale::ZhCn => (day.month().to_string(), day.day().to_string()),
        Locale::En => (format!("{:02}", day.month()), format!("{:02}", day.day())),
    };
    t(
        locale,
        "schedule.date",
        &[
            ("year", &day.year().to_string()),
            ("month", &m),
            ("day", &d),
        ],
    )
}

/// The choices of a closed word list, as the reader types them: in Chinese the Chinese names
/// (every one of which is read back as the word), in English the codes. A list that is not one
/// of the rules' word lists (a CSV's column names) stays as it is.
pub fn choices(locale: Locale, expected: &str) -> String {
    use crate::domain::{AdoptionForm, AdoptionLevel, InstructionLevel, Role, UnitKind, VetoKind};
    use crate::records::RecordKind;
    if locale == Locale::En {
        return expected.to_string();
    }
    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|v| code(*v)).collect()
    }
    let lists: [(&str, Vec<&str>); 7] = [
        ("unit_kind", codes(UnitKind::ALL, UnitKind::code)),
        ("role", codes(Role::ALL, Role::code)),
        (
            "adoption_level",
            codes(AdoptionLevel::ALL, AdoptionLevel::code),
        ),
        (
            "adoption_form",
            codes(AdoptionForm::ALL, AdoptionForm::code),
        ),
        (
            "instruction_level",
            codes(InstructionLevel::ALL, InstructionLevel::code),
        ),
        ("veto_kind", codes(VetoKind::ALL, VetoKind::code)),
        ("record_kind", codes(RecordKind::ALL, RecordKind::code)),
    ];
    let typed: Vec<&str> = expected.split(',').map(str::trim).collect();
    let Some((section, codes)) = lists.iter().find(|(_, codes)| *codes == typed) else {
        return expected.to_string();
    };
    let labels: Vec<String> = codes
        .iter()
        .map(|c| {
            t(
                locale,
                "common.quoted",
                &[("text", &t(locale, &format!("{section}.{c}"), &[]))],
            )
        })
        .collect();
    labels.join(&t(locale, "common.list_separator", &[]))
}

/// One refused CSV cell, in words: `import.row_problem` with its line, column and problem, or
/// `import.line_problem` for a problem of a whole line (no column).
pub fn describe_row_problem(locale: Locale, row: &RowProblem) -> String {
    let line = row.line.to_string();
    let problem = describe_problem(locale, &row.problem);
    if row.column.is_empty() {
        return t(
            locale,
            "import.line_problem",
            &[("line", &line), ("problem", &problem)],
        );
    }
    t(
        locale,
        "import.row_problem",
        &[
            ("line", &line),
            ("column", &row.column),
            ("problem", &problem),
        ],
    )
}

pub mod duration;
pub mod split;
pub mod urgent;

pub use duration::{duration_text, late_veto_reason};

#[cfg(test)]
mod reading;
#[cfg(test)]
mod tests;
