//! Urgent reports (紧急信息, §2(2)), the officer's side: `/urgent` asks for the event in one
//! message, which is stored at once as the report with every office member alerted, facts still
//! missing marked 待补充; the facts drawn out of it are shown and only the missing ones asked,
//! each correctable at the summary. `/followup` adds a numbered follow-up (续报一…, 终报),
//! `/close` closes an event, `/urgent_show N` shows one. Only the filing unit's members and the
//! office see an event: to anyone else a number is no event at all.

use super::command::Command;
use super::dialogue::{self, Confirmed};
use super::turn::{Choice, Notice, Turn};
use super::urgent_text::{
    Alerted, alert, alert_choices, delay_minutes, facts_lines, followup_name,
};
use super::{DeskError, Handled};
use crate::forms::extract::{Facts, TimeFact, extract};
use crate::forms::urgent::{EVENT, describe_form, facts_form, followup_form};
use crate::forms::{FormDef, FormKind, FormState, Value, Values};
use crate::i18n::urgent::late_state;
use crate::i18n::{Locale, duration_text};
use crate::records::urgent::{
    FollowUpOutcome, LateFlag, NewFollowUp, NewUrgentReport, PeopleInvolved, ReportedUrgent,
    UrgentDetail, UrgentEvent, UrgentFacts,
};

/// The value under which a follow-up form keeps the event it follows.
const FOLLOWS: &str = "follows";

/// The form an urgent dialogue is at: the description until the report is stored, then the
/// facts; a follow-up's own form.
pub fn definition(turn: &Turn, state: &FormState) -> FormDef {
    let limits = &turn.rules.filing;
    if state.values.get(FOLLOWS).is_some() {
        followup_form(limits)
    } else if state.values.get(EVENT).is_some() {
        facts_form(limits)
    } else {
        describe_form(limits)
    }
}

/// Whether the state is a follow-up's form.
pub fn is_followup(state: &FormState) -> bool {
    state.values.get(FOLLOWS).is_some()
}

/// Whether the state waits for the first message: the one that is the report.
pub fn awaits_report(state: &FormState) -> bool {
    state.form == FormKind::Urgent
        && state.values.get(EVENT).is_none()
        && state.values.get(FOLLOWS).is_none()
}

/// `/urgent` (or its choice): asks for the event in one message; `/urgent 工厂起火了` is the
/// report itself.
pub async fn start(turn: &Turn, args: &str) -> Handled {
    if turn.person.as_ref().and_then(|p| p.unit_id).is_none() {
        turn.say_key("bot.no_unit", &[]);
        return Ok(());
    }
    // Text after the command is the report itself: stored at once, whatever else is open.
    if !args.trim().is_empty() {
        return report(turn, args).await;
    }
    // An item begun as a sudden event (nothing but its category chosen) gives way to the
    // report it should be; an item with more written is someone's work, finished first.
    // An urgent form half answered (another event's facts, a follow-up) is finished first, so
    // no answer given is lost; one still waiting for its first message is simply asked again.
    if let Some(draft) = dialogue::open(turn).await? {
        let item_written = draft.form == FormKind::Item
            && draft
                .values
                .fields()
                .any(|f| f != "category" && f != "issuing_unit");
        let urgent_begun = draft.form == FormKind::Urgent && !awaits_report(&draft);
        if item_written || urgent_begun {
            return dialogue::open_first(turn);
        }
    }
    let limit = i64::from(turn.rules.urgent.report_within_minutes);
    let limit = duration_text(turn.locale, limit);
    let intro = turn.t("urgent.intro", &[("limit", &limit)]);
    dialogue::start(
        turn,
        &describe_form(&turn.rules.filing),
        Values::new(),
        &[intro],
    );
    Ok(())
}

/// The facts drawn out of a description, as the records keep them; a time that is unclear is
/// not a fact yet.
pub fn facts_of(found: &Facts) -> UrgentFacts {
    UrgentFacts {
        event_at: match found.event_time.as_ref().map(|f| f.value) {
            Some(TimeFact::At(at)) => Some(at),
            _ => None,
        },
        place: found.place.as_ref().map(|f| f.value.clone()),
        people: found.people.as_ref().map(|f| PeopleInvolved {
            count: f.value.count,
            upper: f.value.upper,
            qualifier: f.value.qualifier,
            words: f.words.clone(),
        }),
        cause: found.cause.as_ref().map(|f| f.value.clone()),
        measures: found.measures.as_ref().map(|f| f.value.clone()),
        status: found.status.as_ref().map(|f| f.value.clone()),
    }
}

/// The facts as the facts form's answers, so it asks only what is missing.
pub fn values_of(facts: &UrgentFacts, event: i64) -> Values {
    let mut values = Values::new().with(EVENT, Value::Int(event as u32));
    if let Some(at) = facts.event_at {
        values = values.with("event_time", Value::DateTime(at));
    }
    for (field, value) in [
        ("place", &facts.place),
        ("cause", &facts.cause),
        ("measures", &facts.measures),
        ("status", &facts.status),
    ] {
        if let Some(value) = value {
            values = values.with(field, Value::Text(value.clone()));
        }
    }
    if let Some(people) = &facts.people {
        values = values.with("people", Value::Text(people.words.clone()));
    }
    values
}

/// The alerts for the office, each in its member's language.
async fn office_alerts(
    turn: &Turn,
    key: &str,
    alerted: &(dyn Fn(Locale) -> (String, Vec<Vec<Choice>>) + Sync),
) -> Result<Vec<Notice>, DeskError> {
    let office = turn.desk.office_people().await?;
    Ok(office
        .iter()
        .map(|person| {
            let (text, choices) = alerted(Locale::or_default(person.locale.as_deref()));
            Notice {
                key: format!("{key}:{}", person.telegram_id),
                to: person.telegram_id,
                text,
                choices,
            }
        })
        .collect())
}

/// The description: stored at once as the report, every office member alerted in the same
/// transaction; then the facts understood are shown and the missing ones asked.
pub async fn report(turn: &Turn, text: &str) -> Handled {
    let Some(person) = turn.person.clone() else {
        return Ok(());
    };
    let (Some(unit), Some(unit_name)) = (person.unit_id, person.unit_name.clone()) else {
        turn.say_key("bot.no_unit", &[]);
        return Ok(());
    };
    // The first message is never refused: what cannot be stored as sent is cleaned or cut,
    // and the officer told so.
    let (clean, removed) = crate::domain::strip_controls(text);
    if clean.trim().is_empty() {
        // Nothing readable is left: the question stands, nothing is stored.
        turn.say_key("urgent.empty", &[]);
        return Ok(());
    }
    // A form of other work left open (an item's draft) is kept: the report is stored all the
    // same, and its facts are asked once that form is done (`/urgent_fix`).
    let other_form = dialogue::open(turn).await?.filter(|d| !awaits_report(d));
    let limit_chars = turn.rules.filing.body_hard_limit;
    let cut = clean.chars().count() > limit_chars;
    let text: String = clean.chars().take(limit_chars).collect();
    let zone = turn.rules.zone();
    let found = extract(&text, turn.sent_at, zone);
    let facts = facts_of(&found);
    let report = NewUrgentReport {
        key: turn.source.clone(),
        unit,
        reported_by: Some(person.id),
        text: text.trim().to_string(),
        reported_at: turn.sent_at,
        facts: facts.clone(),
        by_phone: false,
        recorded_by: None,
    };
    let (reported, told) = file_report(turn, &report, &unit_name, &person.name).await?;
    let number = reported.id.to_string();
    let mut lines = vec![turn.t(
        "urgent.stored",
        &[("number", &number), ("told", &told.to_string())],
    )];
    if removed {
        lines.push(turn.t("urgent.controls_removed", &[]));
    }
    if cut {
        lines.push(turn.t(
            "urgent.cut",
            &[("limit", &limit_chars.to_string()), ("number", &number)],
        ));
    }
    if told == 0 {
        // Nobody to alert in the bot: the officer must reach the office another way.
        lines.push(turn.t("urgent.no_office", &[]));
    }
    lines.extend(understood(turn, &facts));
    if matches!(
        found.event_time.as_ref().map(|f| f.value),
        Some(TimeFact::Unclear)
    ) {
        lines.push(turn.t("urgent.time_unclear", &[]));
    }
    lines.push(clock(turn, &facts));
    if other_form.is_some() {
        lines.push(turn.t("urgent.fix_later", &[("number", &number)]));
        turn.say(&lines.join("\n"));
        return Ok(());
    }
    if facts.missing().is_empty() {
        // Nothing to ask: the form that waited for the report ends with it.
        turn.clear_dialogue();
        lines.push(turn.t("urgent.all_facts", &[("number", &number)]));
        turn.say(&lines.join("\n"));
        return Ok(());
    }
    let def = facts_form(&turn.rules.filing);
    dialogue::start(turn, &def, values_of(&facts, reported.id), &lines);
    Ok(())
}

/// Stores a first report at once, with every office member's alert in the same transaction;
/// the report and how many office members were alerted.
pub async fn file_report(
    turn: &Turn,
    report: &NewUrgentReport,
    unit_name: &str,
    officer: &str,
) -> Result<(ReportedUrgent, usize), DeskError> {
    let zone = turn.rules.zone();
    let office = turn.desk.office_people().await?;
    let limit = turn.rules.urgent.report_within_minutes;
    let alerts = |reported: &ReportedUrgent| -> Vec<Notice> {
        office
            .iter()
            .map(|member| {
                let locale = Locale::or_default(member.locale.as_deref());
                let text = alert(
                    locale,
                    zone,
                    &Alerted {
                        number: reported.id,
                        unit: unit_name,
                        officer,
                        reported_at: report.reported_at,
                        delay: delay_minutes(&report.facts, report.reported_at),
                        facts: &report.facts,
                        late: reported.late,
                        limit_minutes: limit,
                        text: &report.text,
                        heading: "urgent.alert.title",
                        followup: "",
                    },
                );
                Notice {
                    key: format!("urgent:{}:alert:{}", reported.id, member.telegram_id),
                    to: member.telegram_id,
                    text,
                    choices: alert_choices(locale, reported.id, reported.late, true),
                }
            })
            .collect()
    };
    let reported = turn.desk.report_urgent(report, &alerts, turn.now).await?;
    tracing::info!(
        event = reported.id,
        told = office.len(),
        "an urgent report was stored"
    );
    Ok((reported, office.len()))
}

/// Every fact understood, at once and in the rule's order, before the first question.
pub fn understood(turn: &Turn, facts: &UrgentFacts) -> Vec<String> {
    let zone = turn.rules.zone();
    let all = facts_lines(turn.locale, zone, facts);
    let given: Vec<String> = crate::records::urgent_change::FactName::ALL
        .iter()
        .zip(all)
        .filter(|(f, _)| !facts.missing().contains(&f.code()))
        .map(|(_, line)| line)
        .collect();
    if given.is_empty() {
        return Vec::new();
    }
    std::iter::once(turn.t("urgent.understood", &[]))
        .chain(given)
        .collect()
}

/// The minutes left of the limit since the event, or that the hour counts from the event's
/// time, still to be given.
fn clock(turn: &Turn, facts: &UrgentFacts) -> String {
    let limit = i64::from(turn.rules.urgent.report_within_minutes);
    let said = |minutes: i64| duration_text(turn.locale, minutes);
    match delay_minutes(facts, turn.sent_at) {
        Some(delay) if delay <= limit => {
            turn.t("urgent.clock.left", &[("left", &said(limit - delay))])
        }
        Some(delay) => turn.t(
            "urgent.clock.over",
            &[("delay", &said(delay)), ("limit", &said(limit))],
        ),
        None => turn.t("urgent.clock.unknown", &[("limit", &said(limit))]),
    }
}

/// A confirmed urgent form: a follow-up (the facts form stores each answer as it is given,
/// in `urgent_facts`).
pub async fn store(turn: &Turn, confirmed: Confirmed) -> Handled {
    match confirmed.values.get(FOLLOWS) {
        Some(Value::Int(event)) => store_followup(turn, i64::from(*event), confirmed).await,
        _ => dialogue::unreadable(turn, "urgent", &"a confirmed form that is no follow-up"),
    }
}

/// The event if this person may see it: the office, or a member of the unit that filed it;
/// anyone else is told there is no such event.
pub async fn visible(turn: &Turn, event: i64) -> Result<Option<UrgentEvent>, DeskError> {
    Ok(visible_detail(turn, event).await?.map(|d| d.event))
}

/// The event with everything recorded about it, if this person may see it (see [`visible`]).
async fn visible_detail(turn: &Turn, event: i64) -> Result<Option<UrgentDetail>, DeskError> {
    let found = turn.desk.urgent_event(event).await?;
    // The person's unit now, and only while they are registered: one who left or moved sees
    // the old unit's events no more.
    let unit = turn
        .person
        .as_ref()
        .filter(|p| p.active())
        .and_then(|p| p.unit_id);
    match found {
        Some(d) if turn.is_office() || Some(d.event.unit) == unit => Ok(Some(d)),
        _ => {
            tracing::info!(
                user = turn.sender,
                event,
                "an urgent event not this person's was asked for"
            );
            turn.say_key("urgent.unknown", &[("number", &event.to_string())]);
            Ok(None)
        }
    }
}

/// An event's number as typed: `3` or `#3`.
pub fn event_number(text: &str) -> Option<i64> {
    let text = text.trim();
    text.strip_prefix(['#', '＃'])
        .unwrap_or(text)
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

/// `/followup [N]`: the unit's open events to choose from, or the follow-up form for N.
pub async fn followup(turn: &Turn, args: &str) -> Handled {
    let Some(unit) = turn.person.as_ref().and_then(|p| p.unit_id) else {
        turn.say_key("bot.no_unit", &[]);
        return Ok(());
    };
    if let Some(event) = event_number(args) {
        return start_followup(turn, event).await;
    }
    let open = turn.desk.open_urgent(Some(unit)).await?;
    if open.is_empty() {
        turn.say_key("urgent.followup.none", &[]);
        return Ok(());
    }
    let rows = open
        .iter()
        .map(|e| {
            vec![Choice {
                label: turn.t(
                    "urgent.followup.choice",
                    &[
                        ("number", &e.id.to_string()),
                        ("at", &turn.local(e.reported_at)),
                        ("count", &e.followups.to_string()),
                    ],
                ),
                data: format!("uf:{}", e.id),
            }]
        })
        .collect();
    turn.say_with(&turn.t("urgent.followup.choose", &[]), rows);
    Ok(())
}

/// The follow-up form for an open event of the person's unit.
pub async fn start_followup(turn: &Turn, event: i64) -> Handled {
    let Some(shown) = visible(turn, event).await? else {
        return Ok(());
    };
    if turn.is_office() && turn.person.as_ref().and_then(|p| p.unit_id) != Some(shown.unit) {
        turn.say_key("urgent.followup.unit_only", &[]);
        return Ok(());
    }
    if !shown.is_open() {
        turn.say_key("urgent.closed_already", &[("number", &event.to_string())]);
        return Ok(());
    }
    if let Some(draft) = dialogue::open(turn).await? {
        if draft.form == FormKind::Item {
            return dialogue::open_first(turn);
        }
        // A facts form it replaces has told the office what it stored.
        super::urgent_facts::flush(turn, &draft).await?;
    }
    let name = followup_name(turn.locale, shown.followups + 1, false);
    let intro = turn.t(
        "urgent.followup.intro",
        &[("number", &event.to_string()), ("name", &name)],
    );
    let values = Values::new().with(FOLLOWS, Value::Int(event as u32));
    dialogue::start(turn, &followup_form(&turn.rules.filing), values, &[intro]);
    Ok(())
}

/// A confirmed follow-up: linked and numbered, what changed drawn out of it, the office alerted.
async fn store_followup(turn: &Turn, event: i64, confirmed: Confirmed) -> Handled {
    let Some(person) = turn.person.clone() else {
        return Ok(());
    };
    let (Ok(text), Ok(final_report)) = (
        confirmed.values.text("followup"),
        confirmed.values.bool("final_report"),
    ) else {
        return dialogue::unreadable(turn, "followup", &"no text or no final answer");
    };
    let Some(shown) = visible(turn, event).await? else {
        return Ok(());
    };
    let changed = facts_of(&extract(&text, turn.sent_at, turn.rules.zone()));
    let followup = NewFollowUp {
        key: format!("{}:{}", turn.source, confirmed.rev),
        event,
        reported_by: Some(person.id),
        text: text.clone(),
        reported_at: turn.sent_at,
        final_report,
        people: changed.people.clone(),
        measures: changed.measures.clone(),
        // A final report says how the event ended: without a status clause of its own, its
        // words are the status, so the record never reads as before the end.
        status: changed
            .status
            .clone()
            .or_else(|| final_report.then(|| text.trim().to_string())),
        event_at: changed.event_at,
        place: changed.place.clone(),
        cause: changed.cause.clone(),
    };
    let stored = turn.desk.add_followup(&followup, &turn.recorder()).await?;
    dialogue::save(turn, &confirmed.done);
    let FollowUpOutcome::Stored {
        number,
        closed,
        raised_flag,
        other_time,
        ..
    } = stored
    else {
        turn.say_key("urgent.closed_already", &[("number", &event.to_string())]);
        return Ok(());
    };
    let zone = turn.rules.zone();
    let current = turn.desk.urgent_event(event).await?.map(|d| d.event);
    let facts = current
        .as_ref()
        .map_or(shown.facts.clone(), |e| e.facts.clone());
    let (open, late) = current
        .as_ref()
        .map_or((shown.is_open(), shown.late), |e| (e.is_open(), e.late));
    // An event time first given by this follow-up is judged now: a late one is said in the
    // alert with its delay, as it would have been in the first report's.
    let (delay, late_now) = if raised_flag {
        (delay_minutes(&facts, shown.reported_at), LateFlag::Flagged)
    } else {
        (None, LateFlag::None)
    };
    let limit = turn.rules.urgent.report_within_minutes;
    // A time in the follow-up other than the event's is said to both sides, never dropped.
    let other = |locale: Locale| {
        other_time.zip(facts.event_at).map(|(at, known)| {
            let local = |t: chrono::DateTime<chrono::Utc>| {
                t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
            };
            crate::i18n::t(
                locale,
                "urgent.followup.other_time",
                &[
                    ("at", &local(at)),
                    ("known", &local(known)),
                    ("number", &event.to_string()),
                ],
            )
        })
    };
    let made = |locale: Locale| {
        let name = followup_name(locale, number, final_report);
        let mut text = alert(
            locale,
            zone,
            &Alerted {
                number: event,
                unit: &shown.unit_name,
                officer: &person.name,
                reported_at: followup.reported_at,
                // A follow-up is not late or in time: the delay is the first report's alone.
                delay,
                facts: &facts,
                late: late_now,
                limit_minutes: limit,
                text: &followup.text,
                heading: "urgent.alert.followup",
                followup: &name,
            },
        );
        if let Some(line) = other(locale) {
            text = format!("{text}\n{line}");
        }
        (text, alert_choices(locale, event, late, open))
    };
    let alerts = office_alerts(turn, &format!("urgent:{event}:followup:{number}"), &made).await?;
    let told = alerts.len();
    alerts.into_iter().for_each(|a| turn.notify_with(a));
    let name = followup_name(turn.locale, number, final_report);
    turn.say_key(
        if closed {
            "urgent.followup.stored_final"
        } else {
            "urgent.followup.stored"
        },
        &[
            ("number", &event.to_string()),
            ("name", &name),
            ("told", &told.to_string()),
        ],
    );
    if let Some(line) = other(turn.locale) {
        turn.say(&line);
    }
    Ok(())
}

/// `/close N`: the event is closed (its reminders stop); by the unit's members or the office.
pub async fn close(turn: &Turn, c: &Command) -> Handled {
    let Some(event) = event_number(&c.args) else {
        turn.say_key("bot.usage.close", &[]);
        return Ok(());
    };
    let Some(shown) = visible(turn, event).await? else {
        return Ok(());
    };
    let closed = turn
        .desk
        .close_urgent(event, &turn.recorder(), turn.now)
        .await?;
    let number = event.to_string();
    if !closed {
        turn.say_key("urgent.closed_already", &[("number", &number)]);
        return Ok(());
    }
    // The other side is told: the office when the unit closes it, the unit when the office.
    let who = turn.person.as_ref().map_or("", |p| p.name.as_str());
    let text = |l: Locale| {
        crate::i18n::t(
            l,
            "urgent.notice.closed",
            &[
                ("number", &number),
                ("unit", &shown.unit_name),
                ("who", who),
            ],
        )
    };
    let key = format!("urgent:{event}:closed");
    if turn.is_office() {
        let roles = [crate::domain::Role::Officer];
        super::notices::tell_unit(turn, shown.unit, &roles, &key, &text).await?;
    } else {
        let office = turn.desk.office_people().await?;
        super::notices::tell(turn, &office, &key, &text);
    }
    turn.say_key("urgent.closed", &[("number", &number)]);
    Ok(())
}

/// `/urgent_show N`: everything recorded about an event, for the office and its unit.
pub async fn show(turn: &Turn, args: &str) -> Handled {
    let Some(event) = event_number(args) else {
        turn.say_key("bot.usage.urgent_show", &[]);
        return Ok(());
    };
    let Some(detail) = visible_detail(turn, event).await? else {
        return Ok(());
    };
    let e = &detail.event;
    let zone = turn.rules.zone();
    let officer = e.reporter_name.clone().unwrap_or_default();
    let mut lines = vec![
        turn.t(
            "urgent.alert.title",
            &[
                ("number", &event.to_string()),
                ("unit", &e.unit_name),
                ("followup", ""),
            ],
        ),
        turn.t(
            "urgent.alert.reported",
            &[("at", &turn.local(e.reported_at)), ("officer", &officer)],
        ),
    ];
    if e.by_phone {
        lines.push(turn.t("urgent.show.by_phone", &[]));
    }
    lines.extend(facts_lines(turn.locale, zone, &e.facts));
    lines.extend(crate::i18n::urgent::measures_lines(
        turn.locale,
        zone,
        &detail,
    ));
    lines.push(late_state(turn.locale, e));
    if let Some(reason) = &e.late_reason {
        lines.push(turn.t("urgent.show.dismissed_because", &[("reason", reason)]));
    }
    lines.push(turn.t("urgent.alert.text", &[("text", &e.text)]));
    for f in &detail.followups {
        let name = followup_name(turn.locale, f.number, f.final_report);
        lines.push(turn.t(
            "urgent.show.followup",
            &[
                ("name", &name),
                ("at", &turn.local(f.reported_at)),
                ("text", &f.text),
            ],
        ));
    }
    let names = |acts: &[crate::records::urgent::OfficeAct]| {
        acts.iter()
            .map(|a| a.name.clone().unwrap_or_else(|| format!("#{}", a.person)))
            .collect::<Vec<_>>()
            .join(turn.t("bot.mine.separator", &[]).as_str())
    };
    if !detail.acks.is_empty() {
        lines.push(turn.t("urgent.show.acks", &[("names", &names(&detail.acks))]));
    }
    lines.extend(crate::i18n::urgent::history_lines(
        turn.locale,
        zone,
        &detail,
    ));
    if let (Some(at), Some(reason)) = (e.voided_at, &e.void_reason) {
        lines.push(turn.t(
            "urgent.show.voided",
            &[("at", &turn.local(at)), ("reason", reason)],
        ));
    }
    match (e.closed_at, e.voided_at) {
        (Some(at), _) => lines.push(turn.t("urgent.show.closed", &[("at", &turn.local(at))])),
        (None, None) => lines.push(turn.t("urgent.show.open", &[])),
        // The voided line above says its state.
        (None, Some(_)) => {}
    }
    turn.say(&lines.join("\n"));
    Ok(())
}

/// When the event is shown in a list: its number, unit, when reported, the delay and flags.
pub fn list_line(turn: &Turn, e: &UrgentEvent) -> String {
    // Without the event's time there is no delay and no judging it late yet: said so.
    let (key, delay, late) = match e.delay_minutes() {
        Some(d) => (
            "urgent.list.line",
            crate::i18n::duration_text(turn.locale, d),
            turn.t(&format!("urgent.late.{}", e.late.code()), &[]),
        ),
        None => (
            "urgent.list.line_no_time",
            String::new(),
            late_state(turn.locale, e),
        ),
    };
    turn.t(
        key,
        &[
            ("number", &e.id.to_string()),
            ("unit", &e.unit_name),
            ("at", &turn.local(e.reported_at)),
            ("delay", &delay),
            ("late", &late),
            ("missing", &e.facts.missing().len().to_string()),
            ("followups", &e.followups.to_string()),
        ],
    )
}
