//! Moving about a form: back, edit, cancel, confirm, drafts, stale buttons, and the other
//! forms.

use super::*;

#[test]
fn back_returns_to_the_previous_field_and_keeps_the_answers_after_it() {
    let mut walk = item_walk(plain_item_form());
    walk.send(Event::Back);
    assert_eq!(walk.asking(), Some("category"));
    assert_eq!(walk.keys()[0], "form.at_first_field");
    walk.press(Action::Choose("2".into()));
    walk.text("标题");
    walk.text("正文");
    assert_eq!(walk.asking(), Some("distribution_scope"));
    walk.send(Event::Back);
    walk.send(Event::Back);
    assert_eq!(walk.asking(), Some("title"));
    assert!(walk.keys().contains(&"form.current".to_string()));
    walk.text("新标题");
    // The body is answered already: on to the first unanswered field.
    assert_eq!(walk.asking(), Some("distribution_scope"));
    assert_eq!(
        walk.state.values.get("title"),
        Some(&Value::Text("新标题".into()))
    );
    walk.press(Action::Back);
    walk.press(Action::Keep);
    assert_eq!(walk.asking(), Some("distribution_scope"));
}

#[test]
fn back_from_the_summary_goes_to_the_last_field() {
    let mut walk = item_walk(plain_item_form());
    fill_item(&mut walk);
    walk.send(Event::Back);
    assert_eq!(walk.asking(), Some("copies"));
    walk.press(Action::Keep);
    assert_eq!(walk.state.step, Step::Summary);
}

#[test]
fn an_edit_from_the_summary_returns_to_the_summary() {
    let mut walk = item_walk(plain_item_form());
    fill_item(&mut walk);
    walk.press(Action::Edit("signer".into()));
    assert_eq!(walk.state.step, Step::Editing("signer".into()));
    walk.text("王五");
    assert_eq!(walk.state.step, Step::Summary);
    assert_eq!(
        walk.state.values.get("signer"),
        Some(&Value::Text("王五".into()))
    );
    // Back while editing leaves the answer as it was.
    walk.press(Action::Edit("title".into()));
    walk.press(Action::Back);
    assert_eq!(walk.state.step, Step::Summary);
    assert_eq!(
        walk.state.values.get("title"),
        Some(&Value::Text("职工关注医保新政".into()))
    );
}

#[test]
fn cancel_stores_nothing_and_ends_the_form() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("1".into()));
    walk.text("标题");
    walk.send(Event::Cancel);
    assert_eq!(walk.state.step, Step::Cancelled);
    assert_eq!(walk.effects, vec![Effect::Discard]);
    assert_eq!(walk.keys(), vec!["form.cancelled"]);
    walk.send(Event::Confirm);
    assert_eq!(walk.keys(), vec!["form.already_cancelled"]);
    assert!(walk.stores().is_empty());
    // From the summary's button too.
    let mut walk = item_walk(plain_item_form());
    fill_item(&mut walk);
    walk.press(Action::Cancel);
    assert_eq!(walk.effects, vec![Effect::Discard]);
}

#[test]
fn confirming_twice_stores_one_copy() {
    let mut walk = item_walk(plain_item_form());
    fill_item(&mut walk);
    let summary = walk.last.clone();
    walk.press(Action::Confirm);
    // The same button again, on the same summary message, and the command.
    walk.last = summary;
    walk.press(Action::Confirm);
    assert_eq!(walk.keys(), vec!["form.already_stored"]);
    walk.send(Event::Confirm);
    walk.send(Event::Cancel);
    assert_eq!(walk.keys(), vec!["form.already_stored"]);
    assert_eq!(walk.stores().len(), 1);
    assert_eq!(walk.effects.len(), 1);
}

#[test]
fn confirm_before_the_summary_stores_nothing() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("1".into()));
    walk.send(Event::Confirm);
    assert_eq!(walk.keys()[0], "form.not_ready");
    assert_eq!(walk.asking(), Some("title"));
    assert!(walk.effects.is_empty());
}

#[test]
fn a_draft_resumes_where_it_was_after_a_restart() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("3".into()));
    walk.text("标题");
    let kept = serde_json::to_string(&walk.state).unwrap();
    let state: FormState = serde_json::from_str(&kept).unwrap();
    let outcome = step(&walk.def, state, Event::Resume, &walk.ctx);
    assert_eq!(outcome.state, walk.state);
    let keys: Vec<&str> = outcome.replies[0]
        .parts
        .iter()
        .map(|m| m.key.as_str())
        .collect();
    assert_eq!(
        keys,
        vec!["form.resumed", "form.progress", "field.ask.body"]
    );
    assert!(walk.state.is_open());
}

#[test]
fn a_button_from_an_older_message_is_refused_as_stale() {
    let mut walk = item_walk(plain_item_form());
    let first = walk.last.clone();
    walk.press(Action::Choose("1".into()));
    walk.text("标题");
    let before = walk.state.clone();
    walk.last = first;
    walk.press(Action::Choose("5".into()));
    assert_eq!(walk.keys()[0], "form.stale_button");
    assert_eq!(walk.state, before);
    // The reply asks the current question again with fresh buttons.
    assert!(walk.keys().contains(&"field.ask.body".to_string()));
    // A button of another kind of form, at the right revision, is stale too.
    let foreign = Callback {
        form: FormKind::Urgent,
        rev: walk.state.rev,
        action: Action::Confirm,
    };
    walk.send(Event::Button(foreign));
    assert_eq!(walk.keys()[0], "form.stale_button");
    assert_eq!(walk.state, before);
}

#[test]
fn a_new_form_does_not_take_the_buttons_of_the_previous_one() {
    let first = item_walk(plain_item_form());
    let mut ctx = ctx();
    ctx.now += chrono::Duration::minutes(3);
    let second = FormState::start(&plain_item_form(), Values::new(), &ctx);
    assert_ne!(first.state.rev, second.state.rev);
}

#[test]
fn only_optional_fields_can_be_skipped() {
    let topics = [
        Topic {
            id: 7,
            title: "职工就业".into(),
        },
        Topic {
            id: 9,
            title: "劳动关系".into(),
        },
    ];
    let commissions = [Commission {
        id: 41,
        title: "一季度职工思想动态".into(),
    }];
    let def = item_form(&FilingRules::default(), &topics, &commissions);
    let names: Vec<&str> = def.fields.iter().map(|f| f.name).collect();
    assert_eq!(&names[..4], ["category", "topic", "commission", "title"]);
    let mut walk = item_walk(def);
    walk.send(Event::Skip);
    assert_eq!(walk.keys()[0], "form.cannot_skip");
    walk.press(Action::Choose("6".into()));
    walk.press(Action::Skip);
    assert_eq!(walk.asking(), Some("commission"));
    walk.text("1");
    walk.text("标题");
    walk.text("正文");
    walk.text("范围");
    walk.text("张三");
    walk.text("李四");
    walk.text("2026-04-09");
    walk.text("5");
    walk.press(Action::Confirm);
    let draft = ItemDraft::from_values(walk.stores()[0]).unwrap();
    assert_eq!((draft.topic, draft.commission), (None, Some(41)));
    assert!(draft.new_item("D01", now(), None).commissioned);
}

#[test]
fn a_draft_answer_the_form_no_longer_offers_is_asked_again_on_confirming() {
    let topics = [Topic {
        id: 7,
        title: "职工就业".into(),
    }];
    let def = item_form(&FilingRules::default(), &topics, &[]);
    let mut walk = item_walk(def);
    walk.press(Action::Choose("6".into()));
    walk.press(Action::Choose("7".into()));
    walk.text("标题");
    walk.text("正文");
    walk.text("范围");
    walk.text("张三");
    walk.text("李四");
    walk.text("2026-04-09");
    walk.text("5");
    // A new quarter: the topic is withdrawn and another issued.
    let topics = [Topic {
        id: 8,
        title: "安全生产".into(),
    }];
    walk.def = item_form(&FilingRules::default(), &topics, &[]);
    walk.press(Action::Confirm);
    assert!(walk.effects.is_empty());
    assert_eq!(walk.asking(), Some("topic"));
    assert_eq!(walk.keys()[0], "form.missing_field");
    walk.press(Action::Choose("8".into()));
    assert_eq!(walk.state.step, Step::Summary);
    walk.press(Action::Confirm);
    let draft = ItemDraft::from_values(walk.stores()[0]).unwrap();
    assert_eq!(draft.topic, Some(8));
}

#[test]
fn an_urgent_report_takes_the_event_time_and_the_people_as_the_officer_writes_them() {
    let mut walk = Walk::new(facts_form(&FilingRules::default()));
    walk.text("2026-04-10");
    assert!(matches!(
        walk.problem(),
        Some(Problem::NotAnEventTime { .. })
    ));
    walk.text("10:30");
    assert!(matches!(walk.problem(), Some(Problem::InFuture { .. })));
    walk.text("9点15");
    assert_eq!(
        walk.state.values.get("event_time"),
        Some(&Value::DateTime(
            Utc.with_ymd_and_hms(2026, 4, 10, 1, 15, 0).unwrap()
        ))
    );
    walk.text("某厂门口");
    walk.text("about fifty");
    assert!(matches!(walk.problem(), Some(Problem::NoCount { .. })));
    walk.text("五十多人");
    walk.text("拖欠工资");
    walk.text("已派人到场");
    walk.text("正在处置");
    assert_eq!(walk.state.step, Step::Summary);
    walk.press(Action::Confirm);
    let stored = walk.stores()[0];
    assert_eq!(stored.text("people").unwrap(), "五十多人");
    assert_eq!(stored.text("place").unwrap(), "某厂门口");
}

#[test]
fn an_adoption_started_from_an_item_asks_only_the_rest() {
    let item = Values::new().with("item", Value::Text("#12".into()));
    let mut walk = Walk::prefilled(adoption_form(), item);
    assert_eq!(walk.asking(), Some("level"));
    walk.text("省总");
    walk.press(Action::Choose("combined".into()));
    walk.press(Action::Choose("2026-04-10".into()));
    walk.press(Action::Confirm);
    let adoption = new_adoption(walk.stores()[0]).unwrap();
    assert_eq!(adoption.item, ItemTarget::Number(12));
    assert_eq!(adoption.level, AdoptionLevel::ProvincialFederation);
    assert_eq!(adoption.form, AdoptionForm::Combined);
    assert_eq!(adoption.on, day(2026, 4, 10));
}
