//! The closed word lists of the rules (unit kinds, roles, levels, forms, veto kinds), with the
//! English codes stored in the database and the Chinese labels the office types.

use std::fmt;

use super::text::half_width;

/// Whether the person typing a word sees its list numbered, which lets a number pick a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// A chat keyboard or a command's usage lists the words `1.`, `2.`…: `3` is the third.
    Numbered,
    /// A CSV cell or a command-line flag: no list is in sight, so `3` is no word (it would
    /// silently mean whatever the list's order is today).
    Unnumbered,
}

/// A code as compared: without case, and with a space or hyphen for the underscore, as the
/// importers compare header names (`Municipal Committee`, `municipal-committee`).
fn same_code(typed: &str, code: &str) -> bool {
    typed.len() == code.len()
        && typed
            .bytes()
            .zip(code.bytes())
            .all(|(t, c)| t.eq_ignore_ascii_case(&c) || (c == b'_' && matches!(t, b' ' | b'-')))
}

/// A value of a closed word list was not one of its words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not one of: {expected}")]
pub struct UnknownWord {
    /// The list's name, e.g. `adoption level`.
    pub list: &'static str,
    pub value: String,
    /// The accepted codes, comma-separated.
    pub expected: String,
}

/// Declares an enum whose variants have one stable code and any number of accepted aliases.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $list:literal { $($variant:ident => $code:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order of the rules.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and printed in JSON.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Accepts the code or any alias (Chinese labels), in full or half width, ignoring
            /// surrounding space and the code's case; a number is no word (see [`Listing`]).
            /// The chat, the CSV importers and the command line all read the word here.
            pub fn parse(text: &str) -> Result<Self, UnknownWord> {
                Self::read(text, Listing::Unnumbered)
            }

            /// As [`Self::parse`], and where the list is shown numbered, its number too.
            pub fn read(text: &str, listing: Listing) -> Result<Self, UnknownWord> {
                let folded = half_width(text);
                let t = folded.trim();
                if listing == Listing::Numbered {
                    if let Some(i) = super::number::list_position(t, Self::ALL.len()) {
                        return Ok(Self::ALL[i]);
                    }
                }
                $(
                    if same_code(t, $code) $(|| t == $alias)* {
                        return Ok($name::$variant);
                    }
                )+
                Err(UnknownWord {
                    list: $list,
                    value: text.to_string(),
                    expected: [$($code),+].join(", "),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, UnknownWord> {
                $name::parse(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary!(
    /// The five kinds of reporting body (单位).
    UnitKind, "unit kind" {
        District => "district" | "区市县总工会" | "区市县工会",
        PilotZone => "pilot_zone" | "先导区工会",
        Industry => "industry" | "产业工会",
        Department => "department" | "市总部门" | "市总各部门",
        DirectPoint => "direct_point" | "信息直报点" | "直报点",
    }
);

impl UnitKind {
    /// Evaluated units are ranked and awarded; direct-report points count in their parent's.
    pub fn is_evaluated(self) -> bool {
        self != UnitKind::DirectPoint
    }
}

vocabulary!(
    /// What a person does in the bot.
    Role, "role" {
        Officer => "officer" | "信息员",
        Leader => "leader" | "分管领导",
        Head => "head" | "主要领导",
        Office => "office" | "市总办公室" | "办公室",
    }
);

vocabulary!(
    /// The body that adopted an item (§5(1)1–4).
    AdoptionLevel, "adoption level" {
        CityFederation => "city_federation" | "市总" | "市总信息",
        InternalPublication => "internal_publication" | "内刊",
        MunicipalCommittee => "municipal_committee" | "市委" | "市委信息",
        ProvincialFederation => "provincial_federation" | "省总" | "省总信息",
        AcftuOrProvincialCommittee => "acftu_or_provincial_committee" | "全总" | "省委" | "全总、省委" | "全总/省委",
        CentralOffices => "central_offices" | "中办" | "国办" | "中办、国办" | "中办/国办",
    }
);

vocabulary!(
    /// Adopted as a piece of its own or merged into a combined piece (单条 / 综合).
    AdoptionForm, "adoption form" {
        Single => "single" | "单条",
        Combined => "combined" | "综合",
    }
);

vocabulary!(
    /// Whose leaders wrote an instruction on an item (§5(1)5).
    InstructionLevel, "instruction level" {
        CentralLeaders => "central_leaders" | "中央、国务院领导" | "中央领导" | "国务院领导",
        AcftuOrProvincialLeaders => "acftu_or_provincial_leaders" | "全总、省领导" | "全总领导" | "省领导",
        ProvincialFederationOrCityLeaders => "provincial_federation_or_city_leaders" | "省总、市领导" | "省总领导" | "市领导",
    }
);

vocabulary!(
    /// The breaches of §5(1)9 that veto a unit's awards.
    VetoKind, "veto kind" {
        Late => "late" | "迟报",
        Missing => "missing" | "漏报" | "不报" | "漏报、不报",
        Concealed => "concealed" | "瞒报",
        Bypass => "bypass" | "越级上报" | "越级",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_chinese_labels_parse_to_the_same_value() {
        assert_eq!(
            AdoptionLevel::parse("市委"),
            Ok(AdoptionLevel::MunicipalCommittee)
        );
        assert_eq!(
            AdoptionLevel::parse(" Municipal_Committee "),
            Ok(AdoptionLevel::MunicipalCommittee)
        );
        assert_eq!(
            AdoptionLevel::parse("国办"),
            Ok(AdoptionLevel::CentralOffices)
        );
        assert_eq!(AdoptionForm::parse("综合"), Ok(AdoptionForm::Combined));
        assert_eq!(UnitKind::parse("信息直报点"), Ok(UnitKind::DirectPoint));
        assert_eq!(
            InstructionLevel::parse("中央、国务院领导"),
            Ok(InstructionLevel::CentralLeaders)
        );
    }

    #[test]
    fn codes_are_read_in_full_width_and_with_a_space_or_hyphen_for_the_underscore() {
        for text in [
            "ＭＵＮＩＣＩＰＡＬ＿ＣＯＭＭＩＴＴＥＥ",
            "Municipal Committee",
            "municipal-committee",
            "\u{3000}市委\u{3000}",
        ] {
            assert_eq!(
                AdoptionLevel::parse(text),
                Ok(AdoptionLevel::MunicipalCommittee),
                "{text}"
            );
        }
        assert!(AdoptionLevel::parse("municipal__committee").is_err());
        assert!(AdoptionLevel::parse("municipalcommittee").is_err());
    }

    #[test]
    fn a_number_is_a_word_only_where_the_list_is_shown_numbered() {
        assert_eq!(
            InstructionLevel::read("2", Listing::Numbered),
            Ok(InstructionLevel::AcftuOrProvincialLeaders)
        );
        assert_eq!(
            InstructionLevel::read("３", Listing::Numbered),
            Ok(InstructionLevel::ProvincialFederationOrCityLeaders)
        );
        assert!(InstructionLevel::read("4", Listing::Numbered).is_err());
        assert!(InstructionLevel::parse("2").is_err());
        assert_eq!(
            InstructionLevel::read("省领导", Listing::Numbered),
            Ok(InstructionLevel::AcftuOrProvincialLeaders)
        );
    }

    #[test]
    fn an_unknown_word_names_the_list_and_the_accepted_codes() {
        let err = VetoKind::parse("sloppy").unwrap_err();
        assert_eq!(err.list, "veto kind");
        assert_eq!(err.expected, "late, missing, concealed, bypass");
    }

    #[test]
    fn the_short_chinese_names_of_veto_kinds_are_read() {
        assert_eq!(VetoKind::parse("越级"), Ok(VetoKind::Bypass));
        assert_eq!(VetoKind::parse("漏报、不报"), Ok(VetoKind::Missing));
    }

    #[test]
    fn every_code_parses_back_to_its_value() {
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.code()), Ok(*kind));
        }
        for level in AdoptionLevel::ALL {
            assert_eq!(AdoptionLevel::parse(level.code()), Ok(*level));
        }
        for level in InstructionLevel::ALL {
            assert_eq!(InstructionLevel::parse(level.code()), Ok(*level));
        }
    }

    #[test]
    fn only_direct_report_points_are_not_evaluated() {
        let evaluated: Vec<_> = UnitKind::ALL.iter().filter(|k| !k.is_evaluated()).collect();
        assert_eq!(evaluated, vec![&UnitKind::DirectPoint]);
    }
}
