//! What the officer sees at each step: the question with its buttons, the summary, the prompt
//! to go on with a long text.

use super::callback::{Action, Callback};
use super::field::{FieldKind, FieldSpec, FormDef};
use super::message::{Arg, Button, Message, Reply};
use super::state::{FormState, Step};
use super::validator::Ctx;
use super::value::Value;

/// Characters of a long text shown in the summary.
const PREVIEW_CHARS: usize = 60;

/// The view of the state as it is: what to send on resuming, after a refusal, and so on.
pub(super) fn current(def: &FormDef, st: &FormState, ctx: &Ctx) -> Reply {
    let reply = |key: &str| Reply {
        parts: vec![Message::new(key)],
        keyboard: Vec::new(),
    };
    match &st.step {
        Step::Asking(field) | Step::Editing(field) => match def.index(field) {
            Some(i) => question(def, st, i, matches!(st.step, Step::Editing(_)), ctx),
            None => summary(def, st, ctx),
        },
        Step::Continuing { field, text, .. } => match def.field(field) {
            Some(spec) => continuing(st, spec, text),
            None => summary(def, st, ctx),
        },
        Step::Summary => summary(def, st, ctx),
        Step::Done => reply("form.already_stored"),
        Step::Cancelled => reply("form.already_cancelled"),
    }
}

fn button(st: &FormState, label: Message, action: Action) -> Button {
    let data = Callback {
        form: st.form,
        rev: st.rev,
        action,
    }
    .encode();
    Button { label, data }
}

fn question(def: &FormDef, st: &FormState, index: usize, editing: bool, ctx: &Ctx) -> Reply {
    let spec = &def.fields[index];
    let mut parts = Vec::new();
    let given = |f: &FieldSpec| st.given.iter().any(|g| g == f.name);
    // A field filled in for the person and gone back to is asked like an edit, uncounted.
    // A form stored as answered said everything it was given at once, before its questions.
    if !editing && !given(spec) && !def.each_answer_stored {
        // Only the questions asked are counted: a field filled in for the person is not one.
        let asked_before = def.fields[..index].iter().filter(|f| !given(f)).count();
        let total = def.fields.iter().filter(|f| !given(f)).count();
        // What was filled in just before this question is said here, where the person would
        // otherwise expect to be asked it, so no answer is typed for the wrong question.
        for spec in def.fields[..index].iter().rev().take_while(|f| given(f)) {
            parts.push(
                Message::new("form.filled_in")
                    .with("label", Arg::Message(spec.label()))
                    .with("value", display(spec, st.values.get(spec.name), ctx)),
            );
        }
        parts.push(
            Message::new("form.progress")
                .value("number", asked_before + 1)
                .value("total", total),
        );
    }
    parts.push(spec.question());
    let answered = st.values.is_answered(spec.name);
    if answered {
        parts.push(
            Message::new("form.current")
                .with("value", display(spec, st.values.get(spec.name), ctx)),
        );
    }
    let mut keyboard: Vec<Vec<Button>> = Vec::new();
    match &spec.kind {
        FieldKind::Choice {
            options, columns, ..
        } => {
            let buttons: Vec<Button> = options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let label = Message::new("form.numbered_option")
                        .value("number", i + 1)
                        .with("label", Arg::Message(o.label.clone()));
                    button(st, label, Action::Choose(o.value.clone()))
                })
                .collect();
            keyboard.extend(buttons.chunks((*columns).max(1)).map(<[Button]>::to_vec));
        }
        FieldKind::YesNo => keyboard.push(vec![
            button(st, Message::new("common.yes"), Action::Choose("yes".into())),
            button(st, Message::new("common.no"), Action::Choose("no".into())),
        ]),
        FieldKind::Date {
            default_today: true,
            ..
        } => {
            let today = ctx.today().to_string();
            let label = Message::new("form.today").value("date", &today);
            keyboard.push(vec![button(st, label, Action::Choose(today))]);
        }
        _ => {}
    }
    let mut nav = Vec::new();
    if answered {
        nav.push(button(st, Message::new("form.button.keep"), Action::Keep));
    }
    if !spec.required {
        nav.push(button(st, Message::new("form.button.skip"), Action::Skip));
    }
    if editing {
        let label = Message::new("form.button.back_to_summary");
        nav.push(button(st, label, Action::Back));
    } else if index > 0 {
        nav.push(button(st, Message::new("form.button.back"), Action::Back));
    }
    if !nav.is_empty() {
        keyboard.push(nav);
    }
    Reply { parts, keyboard }
}

fn continuing(st: &FormState, spec: &FieldSpec, text: &str) -> Reply {
    if let FieldKind::Lines { max_lines, .. } = spec.kind {
        let count = text.lines().count();
        let last = text.lines().last().unwrap_or_default().to_string();
        return Reply {
            parts: vec![
                Message::new("form.line_received")
                    .value("count", count)
                    .value("limit", max_lines)
                    .value("line", last),
            ],
            keyboard: vec![
                vec![button(
                    st,
                    Message::new("form.button.done_list"),
                    Action::Finish,
                )],
                vec![button(st, Message::new("form.button.back"), Action::Back)],
            ],
        };
    }
    let hard = match spec.kind {
        FieldKind::LongText { hard, .. } => hard,
        _ => 0,
    };
    Reply {
        parts: vec![
            Message::new("form.long_received")
                .value("count", text.chars().count())
                .value("limit", hard),
        ],
        keyboard: vec![
            vec![button(
                st,
                Message::new("form.button.finish"),
                Action::Finish,
            )],
            vec![button(st, Message::new("form.button.back"), Action::Back)],
        ],
    }
}

fn summary(def: &FormDef, st: &FormState, ctx: &Ctx) -> Reply {
    // A form stored as answered has nothing left to confirm: its summary says what is stored,
    // and its one button ends the asking.
    let (heading, hint, confirm) = if def.each_answer_stored {
        (
            "form.summary_stored",
            "form.summary_hint_stored",
            "form.button.done",
        )
    } else {
        ("form.summary", "form.summary_hint", "form.button.confirm")
    };
    let mut parts = vec![Message::new(heading)];
    for spec in &def.fields {
        parts.push(
            Message::new("form.summary_line")
                .with("label", Arg::Message(spec.label()))
                .with("value", display(spec, st.values.get(spec.name), ctx)),
        );
    }
    parts.push(Message::new(hint));
    let mut keyboard = vec![vec![button(st, Message::new(confirm), Action::Confirm)]];
    let edits: Vec<Button> = def
        .fields
        .iter()
        .map(|spec| {
            let label = Message::new("form.button.edit").with("field", Arg::Message(spec.label()));
            button(st, label, Action::Edit(spec.name.to_string()))
        })
        .collect();
    keyboard.extend(edits.chunks(2).map(<[Button]>::to_vec));
    if !def.each_answer_stored {
        keyboard.push(vec![button(
            st,
            Message::new("form.button.cancel"),
            Action::Cancel,
        )]);
    }
    Reply { parts, keyboard }
}

/// An answer as the officer reads it; a skipped field reads as none.
pub(super) fn display(spec: &FieldSpec, value: Option<&Value>, ctx: &Ctx) -> Arg {
    let Some(value) = value else {
        return Arg::Message(Message::new("common.none"));
    };
    match value {
        Value::Text(text) => {
            let count = text.chars().count();
            if matches!(spec.kind, FieldKind::LongText { .. }) && count > PREVIEW_CHARS {
                let start: String = text.chars().take(PREVIEW_CHARS).collect();
                Arg::Message(
                    Message::new("form.long_preview")
                        .value("start", start)
                        .value("count", count),
                )
            } else {
                Arg::Value(text.clone())
            }
        }
        Value::Date(date) => Arg::Value(date.to_string()),
        Value::DateTime(at) => Arg::Value(
            at.with_timezone(&ctx.zone)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        ),
        Value::Int(n) => Arg::Value(n.to_string()),
        Value::Bool(b) => Arg::Message(Message::new(if *b { "common.yes" } else { "common.no" })),
        Value::Choice(chosen) => match &spec.kind {
            FieldKind::Choice { options, .. } => {
                options.iter().find(|o| &o.value == chosen).map_or_else(
                    || Arg::Value(chosen.clone()),
                    |o| Arg::Message(o.label.clone()),
                )
            }
            _ => Arg::Value(chosen.clone()),
        },
    }
}
