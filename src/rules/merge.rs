//! Laying a rules file over the defaults key by key, and remembering which keys the file set.
//!
//! RULES.md ("Calendar and the rules file"): a table given in part keeps the defaults of the
//! keys it leaves out; a list given replaces the default list whole. So the defaults are turned
//! into a TOML tree, the file's tree is laid over it (tables merge recursively, anything else
//! replaces), and the result is read as [`Rules`] with the usual checks.

use std::collections::BTreeSet;

use toml::{Table, Value};

use crate::domain::{AdoptionLevel, InstructionLevel, UnitKind, UnknownWord, VetoKind};

/// The dotted keys of every value the rules file set (`honoraria.rates.central_offices.single`,
/// `awards.tiers`); every other value is a default.
///
/// Where a value came from does not change what the rules are, so any two provenances are
/// equal: a file that restates the defaults gives rules equal to the defaults.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    set_by_file: BTreeSet<String>,
}

impl PartialEq for Provenance {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Provenance {
    /// Whether the rules file set this dotted key (a leaf: a number, a text, a whole list).
    pub fn is_set(&self, key: &str) -> bool {
        self.set_by_file.contains(key)
    }

    /// Every key the file set, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.set_by_file.iter().map(String::as_str)
    }
}

/// The tables whose keys are words of a closed list: a key may be written as any alias
/// (`[adoption.points.市委]`) and is stored under its code so it merges with the default.
/// Reads a word of one list as its code.
type ToCode = fn(&str) -> Result<&'static str, UnknownWord>;

const WORD_KEYED: &[(&str, ToCode)] = &[
    ("adoption.points", |k| {
        AdoptionLevel::parse(k).map(|v| v.code())
    }),
    ("honoraria.rates", |k| {
        AdoptionLevel::parse(k).map(|v| v.code())
    }),
    ("instruction", |k| {
        InstructionLevel::parse(k).map(|v| v.code())
    }),
    ("veto.deduction", |k| VetoKind::parse(k).map(|v| v.code())),
    ("quota.monthly", |k| UnitKind::parse(k).map(|v| v.code())),
];

/// Writes every word key of the file's tree as its code; an unknown word stays as written, for
/// the reader to refuse by name. Two spellings of one word are refused: which would win?
pub fn canonical_keys(table: &mut Table, prefix: &str) -> Result<(), String> {
    let names: Vec<String> = table.keys().cloned().collect();
    let word = WORD_KEYED
        .iter()
        .find(|(path, _)| *path == prefix)
        .map(|(_, parse)| parse);
    if let Some(parse) = word {
        for name in names {
            let Ok(code) = parse(&name) else { continue };
            if code == name {
                continue;
            }
            if table.contains_key(code) {
                return Err(format!(
                    "{prefix}.{name}: the same as {prefix}.{code}, given twice"
                ));
            }
            if let Some(value) = table.remove(&name) {
                table.insert(code.to_string(), value);
            }
        }
    }
    for (name, value) in table.iter_mut() {
        if let Value::Table(inner) = value {
            canonical_keys(inner, &join(prefix, name))?;
        }
    }
    Ok(())
}

/// Lays `file` over `base`: tables merge key by key, any other value (a list too) replaces.
pub fn merge(base: &mut Table, file: Table) {
    for (name, value) in file {
        match (base.get_mut(&name), value) {
            (Some(Value::Table(into)), Value::Table(from)) => merge(into, from),
            (_, value) => {
                base.insert(name, value);
            }
        }
    }
}

/// The dotted keys of the leaves of a tree: a list is one leaf, as it replaces whole.
pub fn leaf_keys(table: &Table, prefix: &str) -> Provenance {
    let mut out = Provenance::default();
    collect(table, prefix, &mut out.set_by_file);
    out
}

fn collect(table: &Table, prefix: &str, out: &mut BTreeSet<String>) {
    for (name, value) in table {
        let key = join(prefix, name);
        match value {
            Value::Table(inner) => collect(inner, &key, out),
            _ => {
                out.insert(key);
            }
        }
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}
