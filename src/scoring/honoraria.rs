//! Honoraria (稿酬, §7): what each officer (or unit) is paid for adoptions in a half-year.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::ledger::{ItemKey, Ledger, Payee, dated_in};
use crate::domain::{AdoptionForm, AdoptionLevel, ItemId, RowId, UnitId};
use crate::period::Period;
use crate::rules::Rules;

/// One paid adoption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HonorariumLine {
    pub adoption: RowId,
    /// The item's number, when it was filed here (none for an item adopted elsewhere).
    pub item: Option<ItemId>,
    pub title: String,
    pub level: AdoptionLevel,
    pub form: AdoptionForm,
    pub on: NaiveDate,
    /// Whole yuan.
    pub amount: i64,
}

/// What one payee earns through one unit in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Honorarium {
    pub payee: Payee,
    pub unit: UnitId,
    /// Whole yuan.
    pub amount: i64,
    pub lines: Vec<HonorariumLine>,
}

/// Honoraria for the adoptions dated in `period` at levels the rules pay for, per payee and
/// unit, in a stable order (by unit, then payee). The officer is paid under the name the ledger
/// gives: the person's current name when the item was filed in chat (RULES.md §7).
pub fn honoraria(rules: &Rules, ledger: &Ledger, period: Period) -> Vec<Honorarium> {
    let mut by_payee: BTreeMap<(UnitId, Payee), Vec<HonorariumLine>> = BTreeMap::new();
    for a in dated_in(&ledger.adoptions, period) {
        let amount = rules.honorarium(a.level, a.form);
        if amount == 0 {
            continue;
        }
        let payee = match a.officer.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => Payee::Officer {
                name: name.to_string(),
            },
            _ => Payee::Unit { unit: a.unit },
        };
        by_payee
            .entry((a.unit, payee))
            .or_default()
            .push(HonorariumLine {
                adoption: a.id,
                item: match a.item {
                    ItemKey::Filed { item } => Some(item),
                    ItemKey::External { .. } => None,
                },
                title: a.title.clone(),
                level: a.level,
                form: a.form,
                on: a.on,
                amount,
            });
    }
    by_payee
        .into_iter()
        .map(|((unit, payee), lines)| Honorarium {
            amount: lines.iter().map(|l| l.amount).sum(),
            payee,
            unit,
            lines,
        })
        .collect()
}
