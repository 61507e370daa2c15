//! Walks of the forms as an officer and the office go through them, with the state sent through
//! JSON before every step, as a restart would.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::adoption::{adoption_form, new_adoption};
use super::item::{Commission, ItemDraft, Topic, item_form};
use super::urgent::{describe_form, facts_form, followup_form};
use super::*;
use crate::domain::{AdoptionForm, AdoptionLevel, Category};
use crate::i18n::{Catalog, Locale, describe_problem, placeholders, problem_args, t};
use crate::records::{ItemTarget, Problem};
use crate::rules::FilingRules;

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

/// 2026-04-10 10:00 in Shanghai.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 10, 2, 0, 0).unwrap()
}

fn ctx() -> Ctx {
    Ctx::new(now(), SHANGHAI)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A conversation: the state as the shell keeps it and everything the engine said.
struct Walk {
    def: FormDef,
    ctx: Ctx,
    state: FormState,
    last: Vec<Reply>,
    effects: Vec<Effect>,
    /// Every reply of the walk, to check the buttons and keys.
    said: Vec<Reply>,
}

impl Walk {
    fn new(def: FormDef) -> Walk {
        Walk::prefilled(def, Values::new())
    }

    fn prefilled(def: FormDef, values: Values) -> Walk {
        let ctx = ctx();
        let start = FormState::start(&def, values, &ctx);
        Walk {
            def,
            ctx,
            state: start.state,
            said: start.replies.clone(),
            last: start.replies,
            effects: Vec::new(),
        }
    }

    /// One step, the way a restarted shell would take it: from the state read back from JSON,
    /// which must continue exactly as the state in memory.
    fn send(&mut self, event: Event) -> &Walk {
        let json = serde_json::to_string(&self.state).unwrap();
        let restored: FormState = serde_json::from_str(&json).unwrap();
        assert_eq!(restored, self.state);
        let from_memory = step(&self.def, self.state.clone(), event.clone(), &self.ctx);
        let outcome = step(&self.def, restored, event, &self.ctx);
        assert_eq!(outcome, from_memory);
        self.state = outcome.state;
        self.said.extend(outcome.replies.iter().cloned());
        self.last = outcome.replies;
        self.effects.extend(outcome.effect);
        self
    }

    fn text(&mut self, text: &str) -> &Walk {
        self.send(Event::Answer(Input::Text(text.to_string())))
    }

    /// Presses the button of the last reply that does `action`, through its callback data.
    fn press(&mut self, action: Action) -> &Walk {
        let data = self
            .last
            .iter()
            .flat_map(Reply::buttons)
            .map(|b| b.data.clone())
            .find(|d| parse_callback(d).map(|c| c.action).as_ref() == Some(&action))
            .unwrap_or_else(|| panic!("no button {action:?} in {:#?}", self.last));
        self.send(Event::Button(parse_callback(&data).unwrap()))
    }

    fn asking(&self) -> Option<&str> {
        match &self.state.step {
            Step::Asking(f) | Step::Editing(f) => Some(f),
            _ => None,
        }
    }

    /// The problem the last reply refused an answer for.
    fn problem(&self) -> Option<Problem> {
        self.last
            .iter()
            .flat_map(|r| &r.parts)
            .flat_map(|m| &m.args)
            .find_map(|(_, arg)| match arg {
                Arg::Problem(p) => Some(p.clone()),
                _ => None,
            })
    }

    /// The prompt keys of the last reply's parts.
    fn keys(&self) -> Vec<String> {
        self.last
            .iter()
            .flat_map(|r| &r.parts)
            .map(|m| m.key.clone())
            .collect()
    }

    fn stores(&self) -> Vec<&Values> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Store(v) => Some(v),
                Effect::Discard => None,
            })
            .collect()
    }
}

fn plain_item_form() -> FormDef {
    item_form(&FilingRules::default(), &[], &[])
}

/// The item form as the shell starts it: the issuing unit given as the officer's unit.
fn item_walk(def: FormDef) -> Walk {
    let unit = Values::new().with("issuing_unit", Value::Text("中山区总工会".into()));
    Walk::prefilled(def, unit)
}

/// Answers every field of the plain item form up to the summary.
fn fill_item(walk: &mut Walk) {
    walk.press(Action::Choose("4".into()));
    walk.text("  职工关注医保新政  ");
    walk.text("近期，我区职工普遍关注……");
    walk.text("市总办公室");
    walk.text("张三");
    walk.text("李四");
    walk.press(Action::Choose("2026-04-10".into()));
    walk.text("30");
}

mod filing;
mod flow;
mod texts;
