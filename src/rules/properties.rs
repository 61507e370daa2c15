//! Property test of the merge: restating any part of the defaults changes nothing.

use proptest::prelude::*;
use toml::{Table, Value};

use super::*;
use crate::scoring::{properties::any_ledger, standings};

/// Every leaf of the defaults' tree, as a dotted path and its value.
fn default_leaves() -> Vec<(Vec<String>, Value)> {
    fn walk(table: &Table, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
        for (name, value) in table {
            path.push(name.clone());
            match value {
                Value::Table(inner) => walk(inner, path, out),
                leaf => out.push((path.clone(), leaf.clone())),
            }
            path.pop();
        }
    }
    let tree = Table::try_from(Rules::default()).unwrap();
    let mut out = Vec::new();
    walk(&tree, &mut Vec::new(), &mut out);
    out
}

/// A rules file holding exactly the chosen leaves of the defaults.
fn restating(chosen: &[bool]) -> String {
    let mut file = Table::new();
    for ((path, value), keep) in default_leaves().into_iter().zip(chosen) {
        if !keep {
            continue;
        }
        let mut table = &mut file;
        for name in &path[..path.len() - 1] {
            table = table
                .entry(name.clone())
                .or_insert_with(|| Value::Table(Table::new()))
                .as_table_mut()
                .unwrap();
        }
        table.insert(path[path.len() - 1].clone(), value);
    }
    toml::to_string(&file).unwrap()
}

proptest! {
    #[test]
    fn a_file_restating_any_part_of_the_defaults_gives_the_defaults_and_their_standings(
        chosen in prop::collection::vec(any::<bool>(), default_leaves().len()),
        ledger in any_ledger(),
        quarter in 1u8..=4,
    ) {
        let text = restating(&chosen);
        let rules = Rules::from_toml(&text).unwrap();
        let defaults = Rules::default();
        prop_assert_eq!(&rules, &defaults, "{}", text);
        let period = crate::period::Period::Quarter(crate::period::Quarter::new(2026, quarter).unwrap());
        prop_assert_eq!(
            standings(&rules, &ledger, period),
            standings(&defaults, &ledger, period)
        );
    }
}
