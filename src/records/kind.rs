//! The kinds of record a retraction can hide, with the codes they are written and read as.

use std::fmt;

/// The kinds of record a retraction can hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Item,
    Adoption,
    Instruction,
    Commission,
    Veto,
}

impl RecordKind {
    pub const ALL: &'static [RecordKind] = &[
        RecordKind::Item,
        RecordKind::Adoption,
        RecordKind::Instruction,
        RecordKind::Commission,
        RecordKind::Veto,
    ];

    /// The code stored in `retractions.record_kind`.
    pub const fn code(self) -> &'static str {
        match self {
            RecordKind::Item => "item",
            RecordKind::Adoption => "adoption",
            RecordKind::Instruction => "instruction",
            RecordKind::Commission => "commission",
            RecordKind::Veto => "veto",
        }
    }

    /// The Chinese name the office types (`否决`), as the usage lists it.
    pub const fn chinese(self) -> &'static str {
        match self {
            RecordKind::Item => "信息",
            RecordKind::Adoption => "采用",
            RecordKind::Instruction => "批示",
            RecordKind::Commission => "约稿",
            RecordKind::Veto => "否决",
        }
    }

    /// The code in any case, or the Chinese name, in full or half width.
    pub fn parse(text: &str) -> Option<RecordKind> {
        let folded = crate::domain::text::half_width(text);
        let t = folded.trim();
        RecordKind::ALL
            .iter()
            .copied()
            .find(|k| k.code().eq_ignore_ascii_case(t) || k.chinese() == t)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
