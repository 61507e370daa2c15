//! The words of the rules as types: unit kinds, roles, categories, levels, and parsed values.

mod category;
mod vocabulary;

pub use category::Category;
pub use vocabulary::{
    AdoptionForm, AdoptionLevel, InstructionLevel, Role, UnitKind, UnknownWord, VetoKind,
};

/// A unit's row id in the store.
pub type UnitId = i64;
/// An item's row id in the store.
pub type ItemId = i64;
/// Any other record's row id (adoption, instruction, veto, commission).
pub type RowId = i64;
