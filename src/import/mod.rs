//! CSV files of history into new records, pure: no database; the store checks what needs one.
//!
//! Each parser reads one kind of file and returns every row with its line number (the header is
//! line 1, as a spreadsheet shows it), or every problem of the file at once, each naming the
//! line, the column and what is wrong. A file with any problem is refused whole.
//!
//! | file | columns (optional in brackets) |
//! | --- | --- |
//! | units | `code, name, kind, parent` |
//! | items | `ref, unit, filed_at, title, category, commissioned`, [`officer, body, distribution_scope, issuing_unit, signer, responsible_person, dated, copies`] |
//! | adoptions | `item_ref, unit, title, level, form, date` |
//! | instructions | `item_ref, unit, title, level, date` |
//!
//! Every column also answers to the Chinese names of an office's own sheets (`代码, 名称, 类别,
//! 上级单位`; each file's `COLUMNS` lists them), and every kind takes an optional `note` (`备注`)
//! column, for the reader of the sheet, which is not stored. Header names are matched without
//! regard to case or surrounding space; a column no kind accepts is refused (so a misspelt
//! optional column is not silently dropped). [`encoding`] turns a file's bytes into the text
//! these parsers read.
//!
//! Text is limited where it arrives, as the chat limits it, so that no imported cell can make a
//! report or a message run to pages: titles at the rules' `filing.title_limit`, bodies at
//! `filing.body_hard_limit`, and the constants below; a longer cell is refused on its line and
//! column ([`Problem::TooLong`](crate::records::Problem::TooLong)).
//!
//! | cells | most characters |
//! | --- | --- |
//! | `ref`, `item_ref` | [`REF_LIMIT`] (64) |
//! | unit codes: `code`, `unit` | [`CODE_LIMIT`] (32) |
//! | a unit's name, `issuing_unit` | [`UNIT_LIMIT`] (100) |
//! | people: `officer`, `signer`, `responsible_person` | [`NAME_LIMIT`] (50) |
//! | `distribution_scope` | [`SCOPE_LIMIT`] (200) |

mod adoptions;
pub mod encoding;
mod instructions;
mod items;
mod table;
mod units;

pub use adoptions::{parse_adoptions, parse_adoptions_known};
pub use instructions::{parse_instructions, parse_instructions_known};
pub use items::{parse_items, parse_items_known};
pub use units::{parse_units, parse_units_known};

pub use crate::forms::item::{NAME_LIMIT, SCOPE_LIMIT, UNIT_LIMIT};
use crate::records::{ItemTarget, RowProblem};

/// Most characters of an item's reference: what `/adopt` accepts typed, so every imported
/// reference can be typed there.
pub const REF_LIMIT: usize = crate::forms::adoption::ITEM_LIMIT;
/// Most characters of a unit's code: what `/veto` accepts typed, so every code can be typed.
/// Every code cell is read by [`crate::domain::parse_unit_code`], which keeps to it.
pub const CODE_LIMIT: usize = crate::domain::UNIT_CODE_LIMIT;

/// What the store already holds, so that a file's unit codes and item references are checked
/// in the same pass as its other cells: a row with an unknown unit and an empty title reports
/// both at once, not the title first and the unit on the next try. (The store checks again
/// when it stores the rows.)
pub trait Known {
    /// Whether a unit of this code is stored (codes are one code in any case).
    fn unit(&self, code: &str) -> bool;
    /// Whether an item of this office reference is stored.
    fn item(&self, reference: &str) -> bool;
}

/// Knows every code and reference: the parsers alone, without a store.
pub struct Anything;

impl Known for Anything {
    fn unit(&self, _: &str) -> bool {
        true
    }
    fn item(&self, _: &str) -> bool {
        true
    }
}

/// The stored units' codes and items' references.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    /// Codes in lower case.
    pub units: std::collections::HashSet<String>,
    pub items: std::collections::HashSet<String>,
}

impl Known for Stored {
    fn unit(&self, code: &str) -> bool {
        self.units.contains(&code.trim().to_lowercase())
    }
    fn item(&self, reference: &str) -> bool {
        self.items.contains(reference.trim())
    }
}

/// A unit code cell, read and looked up.
fn known_unit(known: &dyn Known) -> impl Fn(&str) -> Result<String, crate::records::Problem> {
    move |text| {
        let code = crate::domain::parse_unit_code(text)?;
        if known.unit(&code) {
            Ok(code)
        } else {
            Err(crate::records::Problem::UnknownUnit {
                value: code.trim().to_string(),
            })
        }
    }
}

/// Every row as a record with its line, or every problem of the file.
pub type Parsed<T> = Result<Vec<(usize, T)>, Vec<RowProblem>>;

/// The item an adoption or instruction row is about: by `item_ref` when given, else an item
/// never filed here, known by its `unit` and `title` (§5(1)8), both then required. With a
/// reference, `unit` and `title` are only for the reader of the sheet and are not checked (nor
/// stored); without one, the title is stored and kept to `title_limit`.
fn item_target(
    cells: &mut table::Cells<'_>,
    title_limit: usize,
    known: &dyn Known,
) -> Option<ItemTarget> {
    match cells.optional_within("item_ref", REF_LIMIT)? {
        Some(reference) if !known.item(&reference) => {
            cells.refuse(
                "item_ref",
                crate::records::Problem::UnknownItem {
                    value: reference.trim().to_string(),
                },
            );
            None
        }
        Some(reference) => Some(ItemTarget::Reference(reference)),
        None => {
            let unit_code = cells.required_with("unit", known_unit(known));
            let title = cells.required_within("title", title_limit);
            Some(ItemTarget::External {
                unit_code: unit_code?,
                title: title?,
            })
        }
    }
}
