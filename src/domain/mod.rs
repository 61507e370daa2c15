//! The words of the rules as types: unit kinds, roles, categories, levels, and parsed values.

mod category;
pub mod date;
pub mod number;
pub mod text;
mod vocabulary;

pub use category::Category;
pub use date::{parse_date, parse_event_time, parse_instant};
pub use number::parse_count;
pub use text::{check_body, check_line, half_width, parse_yes_no};
pub use vocabulary::{
    AdoptionForm, AdoptionLevel, InstructionLevel, Role, UnitKind, UnknownWord, VetoKind,
};

/// A unit's row id in the store.
pub type UnitId = i64;
/// An item's row id in the store.
pub type ItemId = i64;
/// Any other record's row id (adoption, instruction, veto, commission).
pub type RowId = i64;

#[cfg(test)]
mod tests;
