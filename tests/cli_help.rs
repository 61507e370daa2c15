//! `--help` in the user's language: every command and argument has its text in `prompts/` in
//! every locale, the language comes from `--lang` or `UNIONBOT_LANG`, and the help speaks only
//! of what the user has and the program does.

use std::collections::BTreeSet;
use std::process::Command;

use unionbot::cli::help;
use unionbot::i18n::{Catalog, Locale};

fn help_of(args: &[&str], lang_env: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_unionbot"));
    command.args(args).env_remove("UNIONBOT_LANG");
    if let Some(lang) = lang_env {
        command.env("UNIONBOT_LANG", lang);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_command_and_argument_has_a_help_text_in_every_language() {
    let keys: BTreeSet<String> = help::keys().into_iter().collect();
    assert!(keys.contains("cli.help.veto.list.about"), "{keys:?}");
    assert!(keys.contains("cli.help.item.show.arg.item"), "{keys:?}");
    let catalog = Catalog::embedded();
    let missing: Vec<String> = Locale::ALL
        .iter()
        .flat_map(|locale| {
            keys.iter()
                .filter(|key| catalog.template(*locale, key).is_none())
                .map(move |key| format!("{locale}: {key}"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no help text for:\n{}",
        missing.join("\n")
    );
}

#[test]
fn help_is_chinese_by_default_and_english_when_asked_either_way() {
    let chinese = help_of(&["--help"], None);
    for word in ["用法：", "命令", "选项", "显示帮助", "否决"] {
        assert!(chinese.contains(word), "{word} in:\n{chinese}");
    }
    for english in ["Usage:", "Print help", "Options", "Commands"] {
        assert!(!chinese.contains(english), "{english} in:\n{chinese}");
    }
    let by_flag = help_of(&["--lang", "en", "veto", "--help"], None);
    let by_equals = help_of(&["veto", "--lang=en", "--help"], None);
    let by_variable = help_of(&["veto", "--help"], Some("en"));
    assert!(by_flag.contains("Usage: unionbot veto"), "{by_flag}");
    assert_eq!(by_flag, by_equals);
    assert_eq!(by_flag, by_variable);
    let sub = help_of(&["help", "standings"], None);
    assert!(sub.contains("得分排名"), "{sub}");
}

#[test]
fn help_names_no_file_the_user_lacks_and_veto_list_exists_as_promised() {
    let catalog = Catalog::embedded();
    for locale in Locale::ALL {
        for key in help::keys() {
            let text = catalog.template(*locale, &key).unwrap_or_default();
            assert!(!text.contains("RULES.md"), "{locale} {key}: {text}");
        }
    }
    let veto = help_of(&["--lang", "en", "veto", "--help"], None);
    assert!(veto.contains("list"), "{veto}");
    let list = help_of(&["--lang", "en", "veto", "list", "--help"], None);
    assert!(list.contains("--format"), "{list}");
}
