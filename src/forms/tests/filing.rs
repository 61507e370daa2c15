//! Filing an item: every field asked in turn, each answer checked as it arrives.

use super::*;

#[test]
fn a_full_filing_asks_every_field_in_turn_and_stores_once_confirmed() {
    let mut walk = item_walk(plain_item_form());
    assert_eq!(walk.asking(), Some("category"));
    assert!(walk.keys().contains(&"field.ask.category".to_string()));
    assert_eq!(walk.last[0].buttons().count(), 12);
    fill_item(&mut walk);
    assert_eq!(walk.state.step, Step::Summary);
    assert!(
        walk.stores().is_empty(),
        "nothing is stored before confirming"
    );
    walk.press(Action::Confirm);
    assert_eq!(walk.state.step, Step::Done);
    let stored = walk.stores();
    assert_eq!(stored.len(), 1);
    let draft = ItemDraft::from_values(stored[0]).unwrap();
    assert_eq!(
        draft,
        ItemDraft {
            category: Category::new(4).unwrap(),
            topic: None,
            commission: None,
            title: "职工关注医保新政".into(),
            body: "近期，我区职工普遍关注……".into(),
            distribution_scope: "市总办公室".into(),
            issuing_unit: "中山区总工会".into(),
            signer: "张三".into(),
            responsible_person: "李四".into(),
            dated: day(2026, 4, 10),
            copies: 30,
        }
    );
    let item = draft.new_item("D01", now(), None);
    assert_eq!(item.unit_code, "D01");
    assert!(!item.commissioned);
    assert_eq!(item.header.issuing_unit.as_deref(), Some("中山区总工会"));
    assert_eq!(item.header.copies, Some(30));
}

#[test]
fn the_issuing_unit_is_the_officers_unit_unless_changed_in_the_summary() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("4".into()));
    walk.text("标题");
    walk.text("正文");
    walk.text("市总办公室");
    assert_eq!(walk.asking(), Some("signer"));
    walk.send(Event::Back);
    assert_eq!(walk.asking(), Some("issuing_unit"));
    walk.press(Action::Keep);
    walk.text("张三");
    walk.text("李四");
    walk.press(Action::Choose("2026-04-10".into()));
    walk.text("30");
    walk.press(Action::Edit("issuing_unit".into()));
    walk.text("中山区总工会办公室");
    walk.press(Action::Confirm);
    let draft = ItemDraft::from_values(walk.stores()[0]).unwrap();
    assert_eq!(draft.issuing_unit, "中山区总工会办公室");
}

#[test]
fn a_category_can_be_typed_by_its_number_and_a_wrong_one_is_refused() {
    let mut walk = item_walk(plain_item_form());
    walk.text("13");
    assert_eq!(
        walk.problem(),
        Some(Problem::NotANumber {
            value: "13".into(),
            min: 1,
            max: 12
        })
    );
    assert_eq!(walk.asking(), Some("category"));
    walk.text("１２");
    assert_eq!(
        walk.state.values.get("category"),
        Some(&Value::Choice("12".into()))
    );
}

#[test]
fn refused_answers_are_asked_again_with_the_reason() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("1".into()));
    let rev = walk.state.rev;
    for (answer, problem) in [
        (Input::Text("   ".into()), Problem::Empty),
        (
            Input::Text("长".repeat(201)),
            Problem::TooLong { limit: 200 },
        ),
        (
            Input::NonText("photo"),
            Problem::NotText {
                kind: "photo".into(),
            },
        ),
        (
            Input::NonText("sticker"),
            Problem::NotText {
                kind: "sticker".into(),
            },
        ),
    ] {
        walk.send(Event::Answer(answer));
        assert_eq!(walk.problem(), Some(problem));
        assert_eq!(walk.asking(), Some("title"));
        assert_eq!(walk.keys()[0], "form.refused");
        assert!(walk.keys().contains(&"field.ask.title".to_string()));
    }
    assert_eq!(walk.state.rev, rev, "a refusal keeps the buttons valid");
    // Characters, not bytes: 200 Chinese characters are 600 bytes and fit.
    walk.text(&"长".repeat(200));
    assert_eq!(walk.asking(), Some("body"));
}

#[test]
fn copies_must_be_a_positive_whole_number() {
    let mut walk = item_walk(plain_item_form());
    fill_item(&mut walk);
    walk.press(Action::Edit("copies".into()));
    for bad in ["abc", "0", "-1", "2.5", "100001"] {
        walk.text(bad);
        assert_eq!(
            walk.problem(),
            Some(Problem::NotANumber {
                value: bad.into(),
                min: 1,
                max: 100_000
            }),
            "{bad}"
        );
        assert_eq!(walk.asking(), Some("copies"));
    }
    walk.text("１５");
    assert_eq!(walk.state.step, Step::Summary);
    assert_eq!(walk.state.values.get("copies"), Some(&Value::Int(15)));
}

#[test]
fn a_date_that_does_not_exist_or_is_still_to_come_is_refused() {
    let mut walk = item_walk(plain_item_form());
    fill_item(&mut walk);
    walk.press(Action::Edit("dated".into()));
    walk.text("2026-02-30");
    assert_eq!(
        walk.problem(),
        Some(Problem::NotADate {
            value: "2026-02-30".into()
        })
    );
    walk.text("2026-04-11");
    assert_eq!(
        walk.problem(),
        Some(Problem::InFuture {
            value: "2026-04-11".into()
        })
    );
    walk.text("2026年4月1日");
    assert_eq!(
        walk.state.values.get("dated"),
        Some(&Value::Date(day(2026, 4, 1)))
    );
}

#[test]
fn today_is_offered_as_a_button_on_the_date() {
    let mut walk = item_walk(plain_item_form());
    fill_item(&mut walk);
    walk.press(Action::Edit("dated".into()));
    let today = walk.last[0]
        .buttons()
        .find(|b| b.label.key == "form.today")
        .unwrap();
    assert_eq!(
        parse_callback(&today.data).unwrap().action,
        Action::Choose("2026-04-10".into())
    );
}

#[test]
fn a_body_over_the_soft_limit_is_taken_with_a_warning() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("1".into()));
    walk.text("标题");
    walk.text(&"字".repeat(1_501));
    assert_eq!(walk.asking(), Some("distribution_scope"));
    assert_eq!(walk.keys()[0], "form.over_soft_limit");
    assert_eq!(
        walk.last[0].parts[0],
        Message::new("form.over_soft_limit")
            .value("count", 1_501)
            .value("limit", 1_500)
    );
}

#[test]
fn a_body_over_the_hard_limit_is_refused() {
    let limits = FilingRules {
        body_soft_limit: 10,
        body_hard_limit: 20,
        ..FilingRules::default()
    };
    let mut walk = item_walk(item_form(&limits, &[], &[]));
    walk.press(Action::Choose("1".into()));
    walk.text("标题");
    walk.text(&"字".repeat(21));
    assert_eq!(walk.problem(), Some(Problem::TooLong { limit: 20 }));
    assert_eq!(walk.asking(), Some("body"));
    // With the default limits, one message of 10,001 characters is refused whole.
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("1".into()));
    walk.text("标题");
    walk.text(&"字".repeat(10_001));
    assert_eq!(walk.problem(), Some(Problem::TooLong { limit: 10_000 }));
}

#[test]
fn a_body_telegram_split_into_pieces_is_joined_until_the_officer_finishes() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("1".into()));
    walk.text("标题");
    walk.text(&"甲".repeat(4_000));
    assert!(matches!(walk.state.step, Step::Continuing { .. }));
    assert_eq!(walk.keys(), vec!["form.long_received"]);
    walk.text(&"乙".repeat(4_000));
    // A piece that would pass the hard limit is refused; what came before is kept.
    walk.text(&"丙".repeat(2_001));
    assert_eq!(walk.problem(), Some(Problem::TooLong { limit: 10_000 }));
    walk.send(Event::Answer(Input::NonText("photo")));
    assert!(matches!(walk.problem(), Some(Problem::NotText { .. })));
    walk.text("丁");
    walk.press(Action::Finish);
    assert_eq!(walk.asking(), Some("distribution_scope"));
    assert_eq!(walk.keys()[0], "form.over_soft_limit");
    let body = walk.state.values.get("body").cloned();
    let expected = format!("{}\n{}\n丁", "甲".repeat(4_000), "乙".repeat(4_000));
    assert_eq!(body, Some(Value::Text(expected)));
}

/// The number and total of the progress line of the last reply.
fn progress(walk: &Walk) -> (String, String) {
    let message = walk
        .last
        .iter()
        .flat_map(|r| &r.parts)
        .find(|m| m.key == "form.progress")
        .expect("a progress line");
    let arg = |name: &str| match message.args.iter().find(|(n, _)| *n == name) {
        Some((_, Arg::Value(v))) => v.clone(),
        other => panic!("{name}: {other:?}"),
    };
    (arg("number"), arg("total"))
}

#[test]
fn the_progress_counts_only_the_questions_asked_and_says_what_was_filled_in() {
    let mut walk = item_walk(plain_item_form());
    let asked = plain_item_form().fields.len() - 1;
    assert_eq!(progress(&walk), ("1".to_string(), asked.to_string()));
    walk.press(Action::Choose("4".into()));
    walk.text("标题");
    walk.text("正文");
    assert_eq!(walk.asking(), Some("distribution_scope"));
    assert_eq!(progress(&walk), ("4".to_string(), asked.to_string()));
    assert!(!walk.keys().contains(&"form.filled_in".to_string()));
    walk.text("市总办公室");
    // The issuing unit is not asked: the signer is question 5, and the filled-in unit is said.
    assert_eq!(walk.asking(), Some("signer"));
    assert_eq!(progress(&walk), ("5".to_string(), asked.to_string()));
    let filled = walk
        .last
        .iter()
        .flat_map(|r| &r.parts)
        .find(|m| m.key == "form.filled_in")
        .expect("the filled-in field is said");
    assert!(
        filled
            .args
            .contains(&("value", Arg::Value("中山区总工会".into())))
    );
    let keys = walk.keys();
    let at = |key: &str| keys.iter().position(|k| k == key).expect(key);
    assert!(at("form.filled_in") < at("field.ask.signer"));
}
