//! What every command needs: the rules, the language, who is recording, the database URL.

use crate::i18n::{Locale, UnknownLocale, t};
use crate::records::Recorder;
use crate::rules::Rules;
use crate::store::{NoConnection, Store, StoreError};

use super::Cli;

/// The settings of one run of the command line.
pub struct Context {
    pub rules: Rules,
    pub locale: Locale,
    pub database_url: String,
    /// `cli:<login>`: who recorded what this run stores.
    pub recorder: Recorder,
}

/// A refusal already put in the user's words; `main` prints it as it is.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// The language asked for, or the default when none is. A language we do not have is refused
/// in every language we have, since which one the user reads cannot be known.
fn locale_of(tag: Option<&str>) -> Result<Locale, UserError> {
    let Some(tag) = tag else {
        return Ok(Locale::default());
    };
    tag.parse().map_err(|UnknownLocale(value)| {
        let codes: Vec<&str> = Locale::ALL.iter().map(|l| l.code()).collect();
        let texts: Vec<String> = Locale::ALL
            .iter()
            .map(|&l| {
                let languages = codes.join(&t(l, "common.list_separator", &[]));
                let args = [("value", value.as_str()), ("languages", &languages)];
                t(l, "error.unknown_lang", &args)
            })
            .collect();
        UserError(texts.join("\n"))
    })
}

impl Context {
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Context> {
        let locale = locale_of(cli.lang.as_deref())?;
        let rules = match &cli.rules {
            Some(path) => Rules::load(path).map_err(|e| UserError(rules_refusal(locale, &e)))?,
            None => Rules::default(),
        };
        let login = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| "office".to_string());
        Ok(Context {
            rules,
            locale,
            database_url: cli.database.clone(),
            recorder: Recorder(format!("cli:{login}")),
        })
    }

    pub async fn open_store(&self) -> anyhow::Result<Store> {
        Store::open(&self.database_url).await.map_err(|e| match e {
            StoreError::UnsupportedUrl(url) => self.refuse("error.database_url", &[("url", &url)]),
            StoreError::Unreachable { host, port, why } => {
                let why = match why {
                    NoConnection::Refused => self.t("cli.error.no_connection.refused", &[]),
                    NoConnection::TimedOut => self.t("cli.error.no_connection.timed_out", &[]),
                    NoConnection::Failed(reason) => reason,
                };
                self.refuse(
                    "cli.error.database_unreachable",
                    &[("host", &host), ("port", &port.to_string()), ("why", &why)],
                )
            }
            StoreError::CodesDifferInCase(groups) => {
                let groups: Vec<String> = groups.iter().map(|g| g.join(" / ")).collect();
                let codes = groups.join(&self.t("common.list_separator", &[]));
                self.refuse("cli.error.codes_differ_in_case", &[("codes", &codes)])
            }
            StoreError::ReadOnlyOutdated => self.refuse("cli.error.read_only_outdated", &[]),
            other => {
                tracing::debug!("opening the database: {other:?}");
                self.refuse("error.database_open", &[("reason", &other.to_string())])
            }
        })
    }

    /// Who recorded a stored record, in words, as the chat says it (see
    /// [`crate::records::RecordedBy`]): never the stored chat address.
    pub async fn recorder_name(&self, store: &Store, stored: &str) -> anyhow::Result<String> {
        let who = crate::records::RecordedBy::parse(stored);
        let person = match who.address() {
            Some(address) => store.person_by_telegram(address).await?,
            None => None,
        };
        Ok(who.describe(self.locale, person.as_ref()))
    }

    /// What an import run records as its recorder: `import:<login>`, so that its rows say
    /// they were imported.
    pub fn import_recorder(&self) -> Recorder {
        let login = self
            .recorder
            .0
            .strip_prefix("cli:")
            .unwrap_or(&self.recorder.0);
        Recorder(format!("import:{login}"))
    }

    /// A prompt in this run's language.
    pub fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        t(self.locale, key, args)
    }

    /// A refusal in this run's language.
    pub fn refuse(&self, key: &str, args: &[(&str, &str)]) -> anyhow::Error {
        UserError(self.t(key, args)).into()
    }

    /// The refusal of an option's value: `error.invalid_value` naming the option.
    pub fn invalid(&self, option: &str, problem: &crate::records::Problem) -> anyhow::Error {
        let problem = crate::i18n::describe_problem(self.locale, problem);
        self.refuse(
            "error.invalid_value",
            &[("name", option), ("problem", &problem)],
        )
    }

    /// An option's one-line text, checked as the chat checks an answer (trimmed, not empty, no
    /// control character, at most `limit` characters), so that what the office types here
    /// cannot make a report or a notice run to pages either.
    pub fn line(&self, option: &str, text: &str, limit: usize) -> anyhow::Result<String> {
        crate::domain::text::check_line(text, limit).map_err(|p| self.invalid(option, &p))
    }
}

/// Why a rules file cannot be used, in the person's language: the key and what is wrong with
/// it. (A file TOML itself cannot read keeps TOML's own words, with its line and column.)
fn rules_refusal(locale: Locale, error: &crate::rules::RulesError) -> String {
    use crate::rules::RulesError;
    match error {
        RulesError::Invalid { key, code, .. } => {
            let problem = t(locale, &format!("rules.problem.{code}"), &[]);
            t(
                locale,
                "error.rules_value",
                &[("key", key), ("problem", &problem)],
            )
        }
        RulesError::Read { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
            t(locale, "error.file_missing", &[("path", path)])
        }
        RulesError::Read { path, source } => t(
            locale,
            "error.file",
            &[("path", path), ("reason", &source.to_string())],
        ),
        RulesError::Parse(reason) => t(locale, "error.rules", &[("reason", reason)]),
    }
}
