//! The words of the rules as types: unit kinds, roles, categories, levels, and parsed values.

mod category;
mod channel;
pub mod date;
pub mod number;
pub mod text;
mod vocabulary;

pub use category::Category;
pub use channel::{Channel, TERMINAL_BASE};
pub use date::{parse_date, parse_day, parse_event_time, parse_full_date, parse_instant};
pub use number::{list_position, parse_count, parse_digits};
pub use text::{
    UNIT_CODE_LIMIT, check_body, check_line, half_width, has_controls, is_hidden_control,
    parse_unit_code, parse_yes_no, strip_controls,
};
pub use vocabulary::{
    AdoptionForm, AdoptionLevel, InstructionLevel, Listing, Role, UnitKind, UnknownWord, VetoKind,
};

/// A unit's row id in the store.
pub type UnitId = i64;
/// An item's row id in the store.
pub type ItemId = i64;
/// Any other record's row id (adoption, instruction, veto, commission).
pub type RowId = i64;

#[cfg(test)]
mod tests;
