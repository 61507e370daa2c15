//! `/item N` and the inbox's "read" button: one item in full — its header fields, body and
//! what became of it — for the office and for the members of the unit that filed it.

use super::Handled;
use super::turn::Turn;
use crate::domain::ItemId;
use crate::records::ItemDetail;

/// `/item <number>`.
pub async fn show_typed(turn: &Turn, args: &str) -> Handled {
    let number = args.trim();
    let number = number.strip_prefix(['#', '＃']).unwrap_or(number);
    match number.parse::<ItemId>() {
        Ok(id) if number.bytes().all(|b| b.is_ascii_digit()) => show(turn, id).await,
        _ => {
            turn.say_key("bot.usage.item", &[]);
            Ok(())
        }
    }
}

/// Item `id`, if this person may read it; anyone else is told no item has that number, so a
/// number tells nothing about another unit's items.
pub async fn show(turn: &Turn, id: ItemId) -> Handled {
    let item = turn.desk.item_detail(id).await?;
    let own_unit = turn.person.as_ref().and_then(|p| p.unit_code.as_deref());
    let item = item.filter(|i| i.id == id && (turn.is_office() || own_unit == Some(&i.unit_code)));
    let Some(item) = item else {
        let reference = format!("#{id}");
        {
            turn.say_key("error.unknown_item", &[("reference", &reference)]);
            return Ok(());
        }
    };
    turn.say(&render(turn, &item));
    // The office opened it: it is no longer new in the inbox (committed with this input).
    if turn.is_office() {
        turn.mark_read(vec![id]);
    }
    Ok(())
}

fn render(turn: &Turn, item: &ItemDetail) -> String {
    let zone = turn.rules.zone();
    let label = |field: &str| turn.t(&format!("field.label.{field}"), &[]);
    let missing = turn.t("bot.item.missing", &[]);
    let or_missing = |v: &Option<String>| v.clone().unwrap_or_else(|| missing.clone());
    let mut lines = vec![turn.t(
        "bot.item.title",
        &[
            ("number", &item.id.to_string()),
            ("title", &item.title),
            ("unit", &item.unit_name),
        ],
    )];
    let filed = item
        .filed_at
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let mut fields = vec![
        (label("category"), turn.t(&item.category.prompt_key(), &[])),
        (
            label("distribution_scope"),
            or_missing(&item.distribution_scope),
        ),
        (label("issuing_unit"), or_missing(&item.issuing_unit)),
        (label("signer"), or_missing(&item.signer)),
        (
            label("responsible_person"),
            or_missing(&item.responsible_person),
        ),
        (
            label("dated"),
            item.dated
                .map_or_else(|| missing.clone(), |d| d.to_string()),
        ),
        (
            label("copies"),
            item.copies
                .map_or_else(|| missing.clone(), |c| c.to_string()),
        ),
        (turn.t("bot.item.filed", &[]), filed),
    ];
    if let Some(officer) = &item.officer {
        fields.push((turn.t("bot.item.officer", &[]), officer.clone()));
    }
    for (label, value) in fields {
        lines.push(turn.t("form.summary_line", &[("label", &label), ("value", &value)]));
    }
    if item.commissioned {
        lines.push(turn.t("bot.item.commissioned", &[]));
    }
    if item.retracted {
        lines.push(turn.t("bot.mine.retracted", &[]));
    }
    if let Some(reason) = &item.returned {
        lines.push(turn.t("bot.mine.returned", &[("reason", reason)]));
    }
    if let Some(declined) = &item.declined {
        lines.push(turn.t(
            "bot.item.declined",
            &[("name", &declined.by), ("at", &turn.local(declined.at))],
        ));
    }
    for a in item.adoptions.iter().filter(|a| !a.retracted) {
        let level = turn.t(&format!("adoption_level.{}", a.level.code()), &[]);
        let form = turn.t(&format!("adoption_form.{}", a.form.code()), &[]);
        lines.push(turn.t(
            "bot.mine.adopted",
            &[
                ("level", &level),
                ("form", &form),
                ("date", &a.on.to_string()),
            ],
        ));
    }
    for n in item.instructions.iter().filter(|n| !n.retracted) {
        let level = turn.t(&format!("instruction_level.{}", n.level.code()), &[]);
        lines.push(turn.t(
            "bot.mine.instructed",
            &[("level", &level), ("date", &n.on.to_string())],
        ));
    }
    lines.push(String::new());
    lines.push(item.body.clone().unwrap_or(missing));
    lines.join("\n")
}
