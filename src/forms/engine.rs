//! The form engine: one pure transition from a state and an event to the next state, the
//! replies to send and what to store.

use super::callback::{Action, Callback};
use super::field::{FieldKind, FieldSpec, FormDef};
use super::message::{Arg, Message, Reply};
use super::state::{FormState, Step};
use super::validator::{Ctx, Input, soft_limit_warning, validate};
use super::value::{Value, Values};
use super::view;
use crate::records::Problem;

/// A long answer at least this long may be the first of several pieces: Telegram splits a
/// message over 4,096 characters, so the engine waits for the rest until the officer finishes.
pub const PIECE_HINT: usize = 3_500;

/// What happened: a typed answer, a command, or a pressed button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Answer(Input),
    /// `/back`: the previous field; from the summary, the last field.
    Back,
    /// Skips an optional field.
    Skip,
    /// Keeps the current field's answer and goes on.
    Keep,
    /// Ends a long text sent in pieces.
    Finish,
    Edit(String),
    Confirm,
    /// `/cancel`: ends the form without storing it.
    Cancel,
    /// The officer comes back to a draft (`/drafts`) or the bot restarted: ask again.
    Resume,
    /// A pressed button, checked against the state's form and revision.
    Button(Callback),
}

impl From<Action> for Event {
    /// What a button does, as the event of the same name.
    fn from(action: Action) -> Event {
        match action {
            Action::Choose(value) => Event::Answer(Input::Button(value)),
            Action::Keep => Event::Keep,
            Action::Skip => Event::Skip,
            Action::Back => Event::Back,
            Action::Finish => Event::Finish,
            Action::Edit(field) => Event::Edit(field),
            Action::Confirm => Event::Confirm,
            Action::Cancel => Event::Cancel,
        }
    }
}

/// What the shell must do besides replying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Store the confirmed answers (in the same transaction as the new state).
    Store(Values),
    /// The form was cancelled: delete the draft.
    Discard,
}

/// The result of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub state: FormState,
    pub replies: Vec<Reply>,
    pub effect: Option<Effect>,
}

impl FormState {
    /// Starts a form with `values` already given (e.g. the item an adoption is about) and asks
    /// its first unanswered field. The first revision comes from the time, so buttons of an
    /// earlier form of the same kind in the same chat do not match.
    pub fn start(def: &FormDef, values: Values, ctx: &Ctx) -> Outcome {
        let mut state = FormState {
            form: def.kind,
            rev: ctx.now.timestamp_millis() as u32,
            step: Step::Summary,
            given: def
                .fields
                .iter()
                .filter(|f| values.is_answered(f.name))
                .map(|f| f.name.to_string())
                .collect(),
            values,
        };
        state.step = next_unanswered(def, &state.values);
        let replies = vec![view::current(def, &state, ctx)];
        Outcome {
            state,
            replies,
            effect: None,
        }
    }

    /// Whether the form is still being filled (a draft).
    pub fn is_open(&self) -> bool {
        !matches!(self.step, Step::Done | Step::Cancelled)
    }
}

/// The one transition: the next state, the replies and the effect of `event` on `state`.
pub fn step(def: &FormDef, state: FormState, event: Event, ctx: &Ctx) -> Outcome {
    let mut machine = Machine {
        def,
        ctx,
        st: state,
        replies: Vec::new(),
        effect: None,
    };
    machine.handle(event);
    Outcome {
        state: machine.st,
        replies: machine.replies,
        effect: machine.effect,
    }
}

struct Machine<'a> {
    def: &'a FormDef,
    ctx: &'a Ctx,
    st: FormState,
    replies: Vec<Reply>,
    effect: Option<Effect>,
}

fn note(key: &str) -> Message {
    Message::new(key)
}

fn refused(problem: Problem) -> Message {
    Message::new("form.refused").with("problem", Arg::Problem(problem))
}

/// The first field without an answer, or the summary when every field has one.
fn next_unanswered(def: &FormDef, values: &Values) -> Step {
    def.fields
        .iter()
        .find(|f| !values.is_answered(f.name))
        .map_or(Step::Summary, |f| Step::Asking(f.name.to_string()))
}

/// Whether a kept answer still fits its field (the form may have changed since, e.g. a
/// guidance topic withdrawn).
fn fits(kind: &FieldKind, value: &Value) -> bool {
    match (kind, value) {
        (FieldKind::Text { max }, Value::Text(t)) => t.chars().count() <= *max,
        (
            FieldKind::Lines {
                max_each,
                max_lines,
            },
            Value::Text(t),
        ) => super::validator::check_lines(t, *max_each, *max_lines).is_ok(),
        (FieldKind::LongText { hard, .. }, Value::Text(t)) => t.chars().count() <= *hard,
        (FieldKind::People { max }, Value::Text(t)) => {
            super::validator::check_people(t, *max).is_ok()
        }
        (FieldKind::Choice { options, .. }, Value::Choice(c)) => {
            options.iter().any(|o| &o.value == c)
        }
        (FieldKind::Date { .. } | FieldKind::Deadline, Value::Date(_))
        | (FieldKind::DateTime, Value::DateTime(_))
        | (FieldKind::YesNo, Value::Bool(_)) => true,
        (FieldKind::PositiveInt { max }, Value::Int(n)) => (1..=*max).contains(n),
        _ => false,
    }
}

impl Machine<'_> {
    fn handle(&mut self, event: Event) {
        match self.st.step {
            Step::Done => return self.say("form.already_stored"),
            Step::Cancelled => return self.say("form.already_cancelled"),
            _ => {}
        }
        if self.st.form != self.def.kind {
            // The shell paired the state with another form's definition: change nothing.
            return self.say("form.stale_button");
        }
        self.resolve();
        let event = match event {
            Event::Button(callback) => {
                if callback.form != self.st.form || callback.rev != self.st.rev {
                    return self.show(vec![note("form.stale_button")]);
                }
                Event::from(callback.action)
            }
            other => other,
        };
        match event {
            Event::Answer(input) => self.answer(input),
            Event::Back => self.back(),
            Event::Skip => self.skip(),
            Event::Keep => self.keep(),
            Event::Finish => self.finish(),
            Event::Edit(field) => self.edit(&field),
            Event::Confirm => self.confirm(),
            Event::Cancel => {
                self.go(Step::Cancelled);
                self.effect = Some(Effect::Discard);
                self.say("form.cancelled");
            }
            Event::Resume => self.show(vec![note("form.resumed")]),
            // Read above: an action is never a button.
            Event::Button(_) => {}
        }
    }

    /// A state kept from an older definition may name a field the form no longer has: ask the
    /// next unanswered field instead.
    fn resolve(&mut self) {
        let field = match &self.st.step {
            Step::Asking(f) | Step::Editing(f) | Step::Continuing { field: f, .. } => f,
            _ => return,
        };
        if self.def.index(field).is_none() {
            self.go(next_unanswered(self.def, &self.st.values));
        }
    }

    fn say(&mut self, key: &str) {
        self.replies.push(Reply {
            parts: vec![note(key)],
            keyboard: Vec::new(),
        });
    }

    /// Sends the current view, after `notes`.
    fn show(&mut self, notes: Vec<Message>) {
        let mut reply = view::current(self.def, &self.st, self.ctx);
        reply.parts.splice(0..0, notes);
        self.replies.push(reply);
    }

    fn go(&mut self, step: Step) {
        self.st.step = step;
        self.st.rev = self.st.rev.wrapping_add(1);
    }

    /// After an answer: back to the summary when editing, else the next unanswered field.
    fn advance(&mut self, editing: bool, notes: Vec<Message>) {
        let next = if editing {
            Step::Summary
        } else {
            next_unanswered(self.def, &self.st.values)
        };
        self.go(next);
        self.show(notes);
    }

    /// The field being asked and whether it is being edited from the summary.
    fn asked(&self) -> Option<(&FieldSpec, bool)> {
        match &self.st.step {
            Step::Asking(f) => self.def.field(f).map(|s| (s, false)),
            Step::Editing(f) => self.def.field(f).map(|s| (s, true)),
            _ => None,
        }
    }

    fn answer(&mut self, input: Input) {
        if let Some((spec, editing)) = self.asked() {
            match validate(spec, &input, self.ctx) {
                Err(problem) => self.show(vec![refused(problem)]),
                Ok(accepted) => match (&spec.kind, accepted.value) {
                    // A list takes one entry a message until the person says it is done.
                    (FieldKind::Lines { .. }, Value::Text(text)) => {
                        let field = spec.name.to_string();
                        self.go(Step::Continuing {
                            field,
                            editing,
                            text,
                        });
                        self.show(Vec::new());
                    }
                    (FieldKind::LongText { .. }, Value::Text(text))
                        if text.chars().count() >= PIECE_HINT =>
                    {
                        let field = spec.name.to_string();
                        self.go(Step::Continuing {
                            field,
                            editing,
                            text,
                        });
                        self.show(Vec::new());
                    }
                    (_, value) => {
                        self.st.values.set(spec.name, Some(value));
                        self.advance(editing, accepted.warning.into_iter().collect());
                    }
                },
            }
            return;
        }
        match (&self.st.step, input) {
            (Step::Continuing { field, text, .. }, Input::Text(piece))
                if matches!(
                    self.def.field(field).map(|s| &s.kind),
                    Some(FieldKind::Lines { .. })
                ) =>
            {
                let Some(FieldKind::Lines {
                    max_each,
                    max_lines,
                }) = self.def.field(field).map(|s| s.kind.clone())
                else {
                    return;
                };
                let joined = format!("{text}\n{piece}");
                match super::validator::check_lines(&joined, max_each, max_lines) {
                    Err(problem) => self.show(vec![refused(problem)]),
                    Ok(list) => {
                        if let Step::Continuing { text, .. } = &mut self.st.step {
                            *text = list;
                        }
                        self.show(Vec::new());
                    }
                }
            }
            (Step::Continuing { field, text, .. }, Input::Text(piece)) => {
                let hard = match self.def.field(field).map(|s| &s.kind) {
                    Some(FieldKind::LongText { hard, .. }) => *hard,
                    _ => usize::MAX,
                };
                let piece = piece.trim();
                if piece.is_empty() {
                    return self.show(Vec::new());
                }
                let joined = format!("{text}\n{piece}");
                if joined.chars().count() > hard {
                    return self.show(vec![refused(Problem::TooLong { limit: hard })]);
                }
                // The same step with more text: the buttons already sent stay valid.
                if let Step::Continuing { text, .. } = &mut self.st.step {
                    *text = joined;
                }
                self.show(Vec::new());
            }
            (Step::Continuing { .. }, Input::NonText(kind)) => {
                self.show(vec![refused(Problem::NotText {
                    kind: kind.to_string(),
                })])
            }
            _ => self.show(vec![note("form.use_buttons")]),
        }
    }

    fn finish(&mut self) {
        let Step::Continuing {
            field,
            editing,
            text,
        } = self.st.step.clone()
        else {
            return self.show(vec![note("form.not_now")]);
        };
        let warning = match self.def.field(&field).map(|s| &s.kind) {
            Some(FieldKind::LongText { soft, .. }) => soft_limit_warning(&text, *soft),
            _ => None,
        };
        self.st.values.set(&field, Some(Value::Text(text)));
        self.advance(editing, warning.into_iter().collect());
    }

    fn back(&mut self) {
        match self.st.step.clone() {
            Step::Asking(field) => match self.def.index(&field) {
                Some(i) if i > 0 => {
                    self.go(Step::Asking(self.def.fields[i - 1].name.to_string()));
                    self.show(Vec::new());
                }
                _ => self.show(vec![note("form.at_first_field")]),
            },
            Step::Editing(_) => {
                self.go(Step::Summary);
                self.show(Vec::new());
            }
            Step::Continuing { field, editing, .. } => {
                self.go(if editing {
                    Step::Editing(field)
                } else {
                    Step::Asking(field)
                });
                self.show(Vec::new());
            }
            Step::Summary => {
                if let Some(last) = self.def.fields.last() {
                    self.go(Step::Asking(last.name.to_string()));
                }
                self.show(Vec::new());
            }
            Step::Done | Step::Cancelled => {}
        }
    }

    fn skip(&mut self) {
        match self.asked() {
            Some((spec, editing)) if !spec.required => {
                self.st.values.set(spec.name, None);
                self.advance(editing, Vec::new());
            }
            Some(_) => self.show(vec![note("form.cannot_skip")]),
            None => self.show(vec![note("form.not_now")]),
        }
    }

    fn keep(&mut self) {
        match self.asked() {
            Some((spec, editing)) if self.st.values.is_answered(spec.name) => {
                self.advance(editing, Vec::new())
            }
            _ => self.show(vec![note("form.not_now")]),
        }
    }

    fn edit(&mut self, field: &str) {
        if self.st.step != Step::Summary {
            return self.show(vec![note("form.not_now")]);
        }
        match self.def.field(field) {
            Some(spec) => {
                self.go(Step::Editing(spec.name.to_string()));
                self.show(Vec::new());
            }
            None => self.show(vec![note("form.stale_button")]),
        }
    }

    fn confirm(&mut self) {
        if self.st.step != Step::Summary {
            return self.show(vec![note("form.not_ready")]);
        }
        // The definition may have changed since the answers were given (a draft kept over a
        // quarter's end): every required field must still have an answer that fits.
        let gap = self.def.fields.iter().find(|spec| {
            match (
                self.st.values.is_answered(spec.name),
                self.st.values.get(spec.name),
            ) {
                (false, _) => true,
                (true, None) => spec.required,
                (true, Some(value)) => !fits(&spec.kind, value),
            }
        });
        match gap {
            Some(spec) => {
                self.st.values.remove(spec.name);
                self.go(Step::Asking(spec.name.to_string()));
                let missing = note("form.missing_field").with("field", Arg::Message(spec.label()));
                self.show(vec![missing]);
            }
            None => {
                self.go(Step::Done);
                self.effect = Some(Effect::Store(self.st.values.clone()));
            }
        }
    }
}
