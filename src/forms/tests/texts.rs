//! What the forms send: buttons within Telegram's limits, prompt keys that exist, texts that
//! render, and the state as JSON.

use super::*;

/// Walks every form to its summary and through every edit, so that every button is made.
fn every_reply() -> Vec<Reply> {
    let topics: Vec<Topic> = (0..20)
        .map(|i| Topic {
            id: i64::MAX - i,
            title: "一个很长的指导要点标题".repeat(5),
        })
        .collect();
    let commissions = [Commission {
        id: i64::MAX,
        title: "特约".into(),
    }];
    let mut replies = Vec::new();
    for def in [
        item_form(&FilingRules::default(), &topics, &commissions),
        describe_form(&FilingRules::default()),
        facts_form(&FilingRules::default()),
        followup_form(&FilingRules::default()),
        adoption_form(),
        crate::forms::instruction::instruction_form(),
        crate::forms::commission::commission_form(),
        crate::forms::guidance::guidance_form(crate::period::Quarter::new(2026, 4).unwrap(), 200),
    ] {
        let mut walk = Walk::new(def);
        // The longest revision there is.
        walk.state.rev = u32::MAX - 100;
        while let Some(field) = walk.asking().map(str::to_string) {
            let spec = walk.def.field(&field).unwrap().clone();
            let answer = match &spec.kind {
                FieldKind::Choice { .. } => "1",
                FieldKind::Date { .. } => "2026-04-01",
                FieldKind::Deadline => "2099-12-31",
                FieldKind::DateTime => "2026-04-10 09:00",
                FieldKind::PositiveInt { .. } => "3",
                FieldKind::People { .. } => "约200人",
                FieldKind::YesNo => "是",
                FieldKind::Text { .. } | FieldKind::LongText { .. } | FieldKind::Lines { .. } => {
                    "文字"
                }
            };
            walk.text(answer);
            if matches!(spec.kind, FieldKind::Lines { .. }) {
                walk.send(Event::Finish);
            }
        }
        for spec in walk.def.fields.clone() {
            walk.send(Event::Edit(spec.name.to_string()));
            if matches!(spec.kind, FieldKind::LongText { .. }) {
                walk.text(&"长".repeat(PIECE_HINT));
                assert!(matches!(walk.state.step, Step::Continuing { .. }));
                walk.send(Event::Back);
            }
            walk.send(Event::Back);
        }
        walk.send(Event::Answer(Input::NonText("voice")));
        walk.send(Event::Resume);
        replies.append(&mut walk.said);
    }
    replies
}

#[test]
fn every_button_fits_telegrams_64_bytes_and_reads_back() {
    let replies = every_reply();
    let mut count = 0;
    for button in replies.iter().flat_map(Reply::buttons) {
        assert!(button.data.len() < CALLBACK_LIMIT, "{}", button.data);
        assert!(parse_callback(&button.data).is_some(), "{}", button.data);
        count += 1;
    }
    assert!(count > 100);
}

#[test]
fn every_prompt_key_the_forms_use_exists_in_every_locale() {
    let mut used: Vec<String> = every_reply().iter().flat_map(Reply::keys).collect();
    for key in [
        "form.stored",
        "form.already_stored",
        "form.already_cancelled",
        "form.cancelled",
        "form.not_now",
        "form.use_buttons",
        "problem.not_text",
        "problem.in_future",
        "problem.too_long",
    ] {
        used.push(key.to_string());
    }
    for def in [
        item_form(&FilingRules::default(), &[], &[]),
        adoption_form(),
    ] {
        for spec in &def.fields {
            used.extend([spec.question().key, spec.label().key]);
        }
    }
    let catalog = Catalog::embedded();
    for locale in Locale::ALL {
        for key in &used {
            assert!(
                catalog.template(*locale, key).is_some(),
                "{locale}: {key} is missing"
            );
        }
    }
}

#[test]
fn the_problems_of_chat_answers_have_texts_with_exactly_their_fields() {
    for problem in [
        Problem::NotText {
            kind: "photo".into(),
        },
        Problem::InFuture {
            value: "2026-04-11".into(),
        },
    ] {
        let args = problem_args(&problem);
        let names: std::collections::BTreeSet<&str> = args.iter().map(|(n, _)| *n).collect();
        for locale in Locale::ALL {
            let template = Catalog::embedded()
                .template(*locale, problem.prompt_key())
                .unwrap();
            assert_eq!(placeholders(template), names, "{locale}: {problem:?}");
        }
    }
}

#[test]
fn a_reply_renders_its_parts_nested_messages_and_problems() {
    let reply = Reply {
        parts: vec![
            Message::new("form.refused").with("problem", Arg::Problem(Problem::Empty)),
            Message::new("form.summary_line")
                .with("label", Arg::Message(Message::new("field.label.title")))
                .value("value", "<b>"),
        ],
        keyboard: Vec::new(),
    };
    let text = |key: &str, args: &[(&str, &str)]| {
        let args: Vec<String> = args.iter().map(|(n, v)| format!("{n}={v}")).collect();
        format!("{key}({})", args.join(","))
    };
    let problem = |p: &Problem| p.prompt_key().to_string();
    assert_eq!(
        reply.render(&text, &problem),
        "form.refused(problem=problem.empty)\n\
         form.summary_line(label=field.label.title(),value=<b>)"
    );
}

#[test]
fn a_refusal_reads_as_the_reason_then_the_question_again() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("4".into()));
    walk.text(" ");
    let text = |locale: Locale| {
        walk.last[0].render(&|key, args| t(locale, key, args), &|p| {
            describe_problem(locale, p)
        })
    };
    assert_eq!(
        text(Locale::ZhCn),
        "未能接受：不能为空。请重新填写。\n（第 2 项，共 8 项）\n请输入标题（不超过 200 字）："
    );
    assert_eq!(
        text(Locale::En),
        "Not accepted: must not be empty. Please answer again.\n(question 2 of 8)\n\
         Title (at most 200 characters):"
    );
}

#[test]
fn the_state_is_kept_as_readable_json() {
    let mut walk = item_walk(plain_item_form());
    walk.press(Action::Choose("4".into()));
    let json = serde_json::to_value(&walk.state).unwrap();
    assert_eq!(json["form"], "item");
    assert_eq!(json["step"], serde_json::json!({"asking": "title"}));
    assert_eq!(
        json["values"]["category"],
        serde_json::json!({"type": "choice", "value": "4"})
    );
}
