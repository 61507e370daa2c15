//! Help in the user's language: before parsing, every about, argument help and heading of the
//! clap tree is replaced by its text from `prompts/`, so `--help` speaks as every other text does.
//!
//! The keys follow the tree: `cli.help.<subcommand path>.about` for a command and
//! `cli.help.<subcommand path>.arg.<argument id>` for its arguments (the root's path is empty:
//! `cli.help.about`, `cli.help.arg.database`); clap's own words are under `cli.chrome`.

use std::ffi::OsString;

use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use crate::i18n::{Locale, t};

use super::Cli;

/// The variable that chooses the language when `--lang` is not given.
pub const LANG_ENV: &str = "UNIONBOT_LANG";

/// The language to speak before the arguments are parsed: `--lang X` or `--lang=X` among them,
/// else `UNIONBOT_LANG`, else Chinese. A tag we do not have falls back to Chinese here; the
/// command itself says so once it runs.
pub fn locale_of_args(args: &[OsString]) -> Locale {
    let mut tag = None;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if word == "--lang" {
            tag = words.next().map(|w| w.into_owned());
        } else if let Some(value) = word.strip_prefix("--lang=") {
            tag = Some(value.to_string());
        }
    }
    let tag = tag.or_else(|| std::env::var(LANG_ENV).ok());
    Locale::or_default(tag.as_deref())
}

/// Parses the command line with help and headings in the user's language.
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let mut command = localized(locale_of_args(&args));
    let matches = command.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))
}

/// The command tree with every text in `locale`.
pub fn localized(locale: Locale) -> Command {
    let mut text = |key: &str| t(locale, key, &[]);
    let chrome = Chrome::new(&mut text);
    walk(Cli::command(), "cli.help", true, &chrome, &mut text)
}

/// Every prompt key the help uses, in tree order: the test checks each is in every locale.
pub fn keys() -> Vec<String> {
    let mut keys = Vec::new();
    let mut record = |key: &str| {
        keys.push(key.to_string());
        String::new()
    };
    let chrome = Chrome::new(&mut record);
    let _ = walk(Cli::command(), "cli.help", true, &chrome, &mut record);
    keys
}

/// Replaces the texts of `command` and of everything under it; `prefix` is its key path.
fn walk(
    command: Command,
    prefix: &str,
    root: bool,
    chrome: &Chrome,
    text: &mut dyn FnMut(&str) -> String,
) -> Command {
    // Its own arguments first, then the ones every command has (from the root), then help.
    let mut order = if root { 100 } else { 0 };
    let about = text(&format!("{prefix}.about"));
    let mut command = command
        .about(about)
        .long_about(None)
        .help_template(chrome.template.clone())
        .subcommand_help_heading(chrome.commands.clone())
        .disable_help_flag(true)
        .disable_version_flag(true)
        .mut_args(|arg| {
            let key = format!("{prefix}.arg.{}", arg.get_id());
            let heading = if arg.is_positional() {
                chrome.arguments.clone()
            } else {
                chrome.options.clone()
            };
            // The texts say the defaults, the choices and the variables in their own words.
            order += 1;
            // A flag (`--unreachable`) takes no value, and clap refuses to hide the default or
            // the possible values of an argument that has none.
            let takes_value = arg.get_action().takes_values();
            arg.help(text(&key))
                .long_help(None)
                .display_order(order)
                .help_heading(heading)
                .hide_default_value(takes_value)
                .hide_possible_values(takes_value)
                .hide_env(true)
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(chrome.help.clone())
                .help_heading(chrome.options.clone())
                .display_order(1000),
        );
    if root {
        command = command.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(chrome.version.clone())
                .help_heading(chrome.options.clone())
                .display_order(1001),
        );
    }
    command = command.mut_subcommands(|sub| {
        let path = format!("{prefix}.{}", sub.get_name());
        walk(sub, &path, false, chrome, &mut *text)
    });
    if root && command.has_subcommands() {
        // clap adds its `help` subcommand when it builds the tree; build it now to word it too.
        command.build();
        let help = chrome.help_command.clone();
        command = command.mut_subcommand("help", |h| {
            h.about(help.clone())
                .mut_subcommands(|sub| name_help_of_help(sub, &help))
        });
    }
    command
}

/// The `help` subcommand copies the tree's abouts, which are worded already, and adds a `help`
/// of its own, which is not.
fn name_help_of_help(sub: Command, help: &str) -> Command {
    if sub.get_name() == "help" {
        sub.about(help.to_string())
    } else {
        sub
    }
}

/// clap's own words: headings, the help and version flags, the help subcommand.
struct Chrome {
    template: String,
    commands: String,
    arguments: String,
    options: String,
    help: String,
    version: String,
    help_command: String,
}

impl Chrome {
    fn new(text: &mut dyn FnMut(&str) -> String) -> Chrome {
        // The usage line is a whole text with `{usage}` where clap puts the usage, and clap's
        // template is built around it, so the word order and punctuation are the locale's.
        let usage = text("cli.chrome.usage");
        Chrome {
            template: format!("{{about-with-newline}}\n{usage}\n\n{{all-args}}{{after-help}}"),
            commands: text("cli.chrome.commands"),
            arguments: text("cli.chrome.arguments"),
            options: text("cli.chrome.options"),
            help: text("cli.chrome.help"),
            version: text("cli.chrome.version"),
            help_command: text("cli.chrome.help_command"),
        }
    }
}
