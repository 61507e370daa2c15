//! The shape DESIGN.md asks for, checked on the source: the pure core imports no I/O crate, and
//! the files of a pure module import each other in no circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The pure core: no database, no network, no runtime.
const PURE: &[&str] = &[
    "src/conversation",
    "src/forms",
    "src/scoring",
    "src/domain",
    "src/schedule",
    "src/rules",
    "src/period.rs",
    "src/points.rs",
    "src/records.rs",
    "src/records",
];

/// Crates that do I/O.
const IO_CRATES: &[&str] = &["teloxide", "sqlx", "tokio", "reqwest"];

/// The crate's own shells: the database, the bot, the command line and the scheduler's runner.
const SHELL_MODULES: &[&str] = &["store", "bot", "cli", "scheduler"];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_path_buf());
        }
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        rust_files(&entry, out);
    }
}

/// The code of a file without its comments and without its test module (tests may use what
/// they like).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == "tests.rs" || n == "properties.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
}

#[test]
fn nothing_in_the_pure_core_imports_teloxide_sqlx_tokio_or_reqwest() {
    let mut files = Vec::new();
    for dir in PURE {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 30, "the pure core was found: {}", files.len());
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !is_test_file(f)) {
        let code = code(file);
        for krate in IO_CRATES {
            let used = code.contains(&format!("{krate}::"))
                || code.contains(&format!("use {krate}"))
                || code.contains(&format!("extern crate {krate}"));
            if used {
                found.push(format!("{} uses {krate}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// Whether `code` names the crate's module `module` by path: `crate::store`,
/// `unionbot::store`, or `store` in a `use crate::{…}` list.
fn names_module(code: &str, module: &str) -> bool {
    let ends_word = |rest: &str| {
        !rest
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    };
    for prefix in ["crate::", "unionbot::"] {
        let path = format!("{prefix}{module}");
        if code
            .match_indices(&path)
            .any(|(i, _)| ends_word(&code[i + path.len()..]))
        {
            return true;
        }
        let list = format!("{prefix}{{");
        for (i, _) in code.match_indices(&list) {
            let inside = code[i + list.len()..].split('}').next().unwrap_or("");
            if inside
                .split(',')
                .any(|part| part.trim().split("::").next().unwrap_or("").trim() == module)
            {
                return true;
            }
        }
    }
    false
}

#[test]
fn nothing_in_the_pure_core_imports_the_store_the_bot_the_cli_or_the_scheduler() {
    let mut files = Vec::new();
    for dir in PURE {
        rust_files(&root().join(dir), &mut files);
    }
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !is_test_file(f)) {
        let code = code(file);
        for module in SHELL_MODULES {
            if names_module(&code, module) {
                found.push(format!("{} uses crate::{module}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_shell_check_sees_a_path_and_a_list_but_not_a_longer_name() {
    assert!(names_module("use crate::store::Person;", "store"));
    assert!(names_module("let s: crate::store::Store;", "store"));
    assert!(names_module("use crate::{domain, store::Person};", "store"));
    assert!(names_module(
        "use crate::{\n    bot,\n    domain,\n};",
        "bot"
    ));
    assert!(!names_module("use crate::scheduling::X;", "scheduler"));
    assert!(!names_module("use crate::storey::X;", "store"));
    assert!(!names_module("use crate::schedule::Job;", "scheduler"));
    assert!(!names_module("use crate::records::Person;", "store"));
}

/// `src/forms/engine.rs` → `forms::engine`; `src/forms/mod.rs` → `forms`.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(root().join("src")).unwrap();
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The sibling modules a file names through `super::x` (its parent's other children).
fn sibling_uses(file: &Path, siblings: &BTreeSet<String>) -> BTreeSet<String> {
    let code = code(file);
    let mut used = BTreeSet::new();
    for (i, _) in code.match_indices("super::") {
        let rest = &code[i + "super::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if siblings.contains(&name) {
            used.insert(name);
        }
    }
    // `use super::{a, b::C}` names several.
    for (i, _) in code.match_indices("use super::{") {
        let rest = &code[i + "use super::{".len()..];
        let list = rest.split('}').next().unwrap_or("");
        for part in list.split(',') {
            let name = part.trim().split("::").next().unwrap_or("").trim();
            if siblings.contains(name) {
                used.insert(name.to_string());
            }
        }
    }
    used
}

/// A circle in a graph, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(found) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(found);
        }
    }
    None
}

#[test]
fn the_files_of_each_pure_module_import_each_other_in_no_circle() {
    let mut checked = 0;
    for dir in PURE.iter().map(|d| root().join(d)).filter(|d| d.is_dir()) {
        let mut files = Vec::new();
        rust_files(&dir, &mut files);
        // Siblings: the files directly in one folder (and the folders beside them).
        let mut folders: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
        for file in files.iter().filter(|f| !is_test_file(f)) {
            let folder = file.parent().unwrap().to_path_buf();
            folders.entry(folder).or_default().push(file.clone());
        }
        for (folder, files) in folders {
            let names: BTreeSet<String> = files
                .iter()
                .filter(|f| !f.ends_with("mod.rs"))
                .map(|f| module_of(f).rsplit("::").next().unwrap().to_string())
                .collect();
            let mut graph = BTreeMap::new();
            for file in files.iter().filter(|f| !f.ends_with("mod.rs")) {
                let me = module_of(file).rsplit("::").next().unwrap().to_string();
                let mut uses = sibling_uses(file, &names);
                uses.remove(&me);
                graph.insert(me, uses);
            }
            checked += graph.len();
            assert_eq!(circle(&graph), None, "in {}", folder.display());
        }
    }
    assert!(checked > 20, "the files were read: {checked}");
}

#[test]
fn the_circle_check_finds_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("engine", vec!["view", "field"]),
        ("view", vec!["engine"]),
        ("field", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
    .collect();
    assert_eq!(
        circle(&graph),
        Some(vec!["engine".into(), "view".into(), "engine".into()])
    );
}

#[test]
fn the_scan_sees_the_form_engine_use_its_view_and_state() {
    let forms = root().join("src/forms");
    let names: BTreeSet<String> = ["view", "state", "field", "engine"]
        .map(str::to_string)
        .into();
    let used = sibling_uses(&forms.join("engine.rs"), &names);
    assert!(used.contains("view") && used.contains("state"), "{used:?}");
    assert!(
        !sibling_uses(&forms.join("view.rs"), &names).contains("engine"),
        "the view does not import the engine"
    );
}

#[test]
fn the_scan_sees_the_conversations_router_and_forms_import_the_conversations() {
    let conversation = root().join("src/conversation");
    let names: BTreeSet<String> = ["router", "forms", "submit", "sign_off", "dialogue", "adopt"]
        .map(str::to_string)
        .into();
    let routed = sibling_uses(&conversation.join("router.rs"), &names);
    assert!(
        routed.contains("submit") && routed.contains("forms") && routed.contains("adopt"),
        "{routed:?}"
    );
    let submit = sibling_uses(&conversation.join("submit.rs"), &names);
    assert!(
        submit.contains("sign_off") && submit.contains("dialogue"),
        "{submit:?}"
    );
    // The helpers below the conversations know none of them.
    let dialogue = sibling_uses(&conversation.join("dialogue.rs"), &names);
    assert!(dialogue.is_empty(), "{dialogue:?}");
}
