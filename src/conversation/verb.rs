//! The commands a person can give, as one type: each with its name as typed, who may use it
//! and where it stands in the menu. The router, the menus (per role and language) and `/help`
//! all come from this list, so a command is added in one place.

use crate::domain::Role;

/// Who a command is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Everyone registered.
    Member,
    /// Everyone registered who belongs to a unit (filing needs one).
    MemberOfUnit,
    /// The office only.
    Office,
    /// Leaders in charge (sign-off).
    Leader,
    /// Units' heads and the office (the bulletin: the office issues it, a head reads it).
    HeadOrOffice,
    /// Anyone, never in a menu (`/start`, and the form's own `/back` and `/skip`, offered as
    /// buttons or in the form's prompts).
    Unlisted,
}

macro_rules! verbs {
    ($($verb:ident => $name:literal, $audience:ident;)*) => {
        /// A command, by what it does.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Verb {
            $($verb,)*
        }

        impl Verb {
            /// Every command, in menu order.
            pub const ALL: &'static [Verb] = &[$(Verb::$verb,)*];

            /// The name typed after `/`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Verb::$verb => $name,)*
                }
            }

            pub const fn audience(self) -> Audience {
                match self {
                    $(Verb::$verb => Audience::$audience,)*
                }
            }
        }
    };
}

verbs! {
    Submit => "submit", MemberOfUnit;
    Urgent => "urgent", MemberOfUnit;
    Followup => "followup", MemberOfUnit;
    Drafts => "drafts", MemberOfUnit;
    Score => "score", Member;
    Standings => "standings", Member;
    Mine => "mine", MemberOfUnit;
    Item => "item", Member;
    Guidance => "guidance", Member;
    Name => "name", Member;
    Lang => "lang", Member;
    Help => "help", Member;
    Cancel => "cancel", Member;
    UrgentShow => "urgent_show", Member;
    UrgentFix => "urgent_fix", Member;
    Close => "close", Member;
    Inbox => "inbox", Office;
    UrgentList => "urgent_list", Office;
    DismissLate => "dismiss_late", Office;
    UrgentVoid => "urgent_void", Office;
    UrgentPhone => "urgent_phone", Office;
    Adopt => "adopt", Office;
    Return => "return", Office;
    Instruct => "instruct", Office;
    Commission => "commission", Office;
    Veto => "veto", Office;
    Retract => "retract", Office;
    Invite => "invite", Office;
    Rename => "rename", Office;
    Deactivate => "deactivate", Office;
    Move => "move", Office;
    Invites => "invites", Office;
    Revoke => "revoke", Office;
    Bulletin => "bulletin", HeadOrOffice;
    Failed => "failed", Office;
    GuidanceSet => "guidance_set", Office;
    Pending => "pending", Leader;
    ReturnDraft => "return_draft", Leader;
    Start => "start", Unlisted;
    Back => "back", Unlisted;
    Skip => "skip", Unlisted;
}

impl Verb {
    /// The command a typed name (lower case, without `/`) names; `/menu` is `/help`.
    pub fn parse(name: &str) -> Option<Verb> {
        if name == "menu" {
            return Some(Verb::Help);
        }
        Verb::ALL.iter().copied().find(|v| v.name() == name)
    }

    /// Whether a person of `role`, with or without a unit, may use it.
    pub fn allowed(self, role: Role, has_unit: bool) -> bool {
        match self.audience() {
            Audience::Member | Audience::Unlisted => true,
            Audience::MemberOfUnit => has_unit,
            Audience::Office => role == Role::Office,
            Audience::Leader => role == Role::Leader,
            Audience::HeadOrOffice => role == Role::Office || (role == Role::Head && has_unit),
        }
    }

    /// The commands in the menu of a person of `role`, with or without a unit, in order.
    pub fn menu(role: Role, has_unit: bool) -> Vec<Verb> {
        Verb::ALL
            .iter()
            .copied()
            .filter(|v| v.audience() != Audience::Unlisted && v.allowed(role, has_unit))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_command_and_names_are_unique() {
        for verb in Verb::ALL {
            assert_eq!(Verb::parse(verb.name()), Some(*verb));
        }
        let mut names: Vec<&str> = Verb::ALL.iter().map(|v| v.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Verb::ALL.len());
        assert_eq!(Verb::parse("menu"), Some(Verb::Help));
        assert_eq!(Verb::parse("nonsense"), None);
    }

    #[test]
    fn a_menu_holds_what_the_person_may_use_and_nothing_unlisted() {
        let officer = Verb::menu(Role::Officer, true);
        assert!(officer.contains(&Verb::Submit) && !officer.contains(&Verb::Inbox));
        assert!(!officer.contains(&Verb::Start) && !officer.contains(&Verb::Back));
        let office = Verb::menu(Role::Office, false);
        assert!(office.contains(&Verb::GuidanceSet) && !office.contains(&Verb::Submit));
        let leader = Verb::menu(Role::Leader, true);
        assert!(leader.contains(&Verb::Pending) && !leader.contains(&Verb::Veto));
        assert!(Verb::Veto.allowed(Role::Office, true));
        assert!(!Verb::Veto.allowed(Role::Head, true));
    }
}
