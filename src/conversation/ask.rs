//! Questions a member asks: `/help`, `/score`, `/standings`, `/mine`, `/guidance`. Every number
//! comes from the one scoring engine over the store's ledger, as the command line's do.

use super::menu::MenuOf;
use super::shown::{TITLE_SHOWN, clip};
use super::turn::{Choice, Turn};
use super::{DeskError, Handled};
use crate::i18n::t;
use crate::period::Period;
use crate::reports::{UnitNames, describe_line};
use crate::scoring::{self, Unit};

/// Items shown by `/mine`.
const MINE_LIMIT: i64 = 10;
/// Lines of a breakdown shown by `/score`: one message, however busy the unit.
const BREAKDOWN_SHOWN: usize = 20;
/// Characters of one breakdown line or title in a list.
const LINE_SHOWN: usize = 120;

/// `/help`: what this person can do, by role, with a button to file an item.
pub async fn help(turn: &Turn) -> Handled {
    let Some(person) = &turn.person else {
        {
            turn.say_key("bot.unregistered", &[]);
            return Ok(());
        }
    };
    let role = t(turn.locale, &format!("role.{}", person.role.code()), &[]);
    let title = match &person.unit_name {
        Some(unit) => turn.t(
            "bot.help.title",
            &[("name", &person.name), ("role", &role), ("unit", unit)],
        ),
        None => turn.t("bot.help.title_office", &[("name", &person.name)]),
    };
    let mut lines = vec![title];
    for command in MenuOf::of(person).lines(turn.locale) {
        lines.push(turn.t(
            "bot.help.line",
            &[
                ("command", &command.command),
                ("description", &command.description),
            ],
        ));
    }
    if person.unit_id.is_none() {
        {
            turn.say(&lines.join("\n"));
            return Ok(());
        }
    }
    let submit = Choice {
        label: turn.t("bot.command.submit", &[]),
        data: "m:submit".into(),
    };
    // An urgent report must reach the office within the hour: its button is always at hand.
    let urgent = Choice {
        label: turn.t("bot.command.urgent", &[]),
        data: "m:urgent".into(),
    };
    turn.say_with(&lines.join("\n"), vec![vec![submit, urgent]]);
    Ok(())
}

/// The unit a question is about: the one named (office only), else the person's own.
async fn unit_asked(turn: &Turn, args: &str) -> Result<Option<Unit>, DeskError> {
    let code = match (args.trim(), &turn.person) {
        (code, _) if !code.is_empty() && turn.is_office() => code.to_string(),
        (_, Some(person)) => match &person.unit_code {
            Some(code) => code.clone(),
            // An office member of no unit names the unit: say how rather than "no unit".
            None if turn.is_office() => {
                turn.say_key("bot.usage.score", &[]);
                return Ok(None);
            }
            None => {
                turn.say_key("bot.no_unit", &[]);
                return Ok(None);
            }
        },
        (_, None) => return Ok(None),
    };
    // Codes are one code in any case: the store looks them up so.
    let unit = turn.desk.unit_by_code(&code).await?;
    if unit.is_none() {
        turn.say_key("error.unknown_unit", &[("code", &code)]);
    }
    Ok(unit)
}

/// `/score`: the unit's points this quarter with the breakdown and rank, and this year's.
pub async fn score(turn: &Turn, args: &str) -> Handled {
    let Some(unit) = unit_asked(turn, args).await? else {
        return Ok(());
    };
    let quarter = Period::Quarter(turn.quarter());
    let year = Period::Year(quarter.year());
    let mut lines = Vec::new();
    // Only the office may ask about another unit: a member who names one is told that the
    // answer is about their own, rather than silently shown it.
    let named = args.trim();
    if !named.is_empty() && !turn.is_office() && !named.eq_ignore_ascii_case(&unit.code) {
        lines.push(turn.t(
            "bot.score.own_unit_only",
            &[("code", named), ("unit", &unit.name)],
        ));
    }
    lines.extend(score_lines(turn, &unit, quarter, true).await?);
    lines.push(String::new());
    lines.extend(score_lines(turn, &unit, year, false).await?);
    turn.say(&lines.join("\n"));
    Ok(())
}

/// A unit's points for a period: the title, the breakdown (when asked) and the rank.
async fn score_lines(
    turn: &Turn,
    unit: &Unit,
    period: Period,
    breakdown: bool,
) -> Result<Vec<String>, DeskError> {
    let rules = &turn.rules;
    let ledger = turn.desk.ledger(period, rules.zone()).await?;
    let board = scoring::score(rules, &ledger, period);
    let names = UnitNames::new(&ledger.units);
    let Some(result) = board.get(unit.id) else {
        return Ok(vec![turn.t("score.nothing", &[])]);
    };
    let mut lines = vec![turn.t(
        "score.title",
        &[
            ("name", &unit.name),
            ("code", &unit.code),
            ("period", &period.label(turn.locale)),
            ("points", &result.total.to_string()),
        ],
    )];
    if breakdown {
        if result.lines.is_empty() {
            lines.push(turn.t("score.nothing", &[]));
        }
        // The newest lines matter most in chat; the command line prints them all.
        let skipped = result.lines.len().saturating_sub(BREAKDOWN_SHOWN);
        for line in &result.lines[skipped..] {
            let text = describe_line(turn.locale, line, unit.id, &names);
            lines.push(format!("  {}", clip(&text, LINE_SHOWN)));
        }
        if skipped > 0 {
            lines.push(turn.t("bot.score.more", &[("count", &skipped.to_string())]));
        }
    }
    match unit.parent {
        Some(parent) => {
            lines.push(turn.t("bot.score.direct_point", &[("parent", &names.name(parent))]))
        }
        None => {
            let table = scoring::standings_of(&ledger, &board);
            if let Some(standing) = table.iter().find(|s| s.unit == unit.id) {
                lines.push(turn.t(
                    "bot.score.rank",
                    &[
                        ("rank", &standing.rank.to_string()),
                        ("count", &table.len().to_string()),
                    ],
                ));
            }
        }
    }
    Ok(lines)
}

/// `/standings [period]`: every evaluated unit ranked, this quarter unless another period is
/// named (`2026`, `2026H1`, `2026Q1`).
pub async fn standings(turn: &Turn, args: &str) -> Handled {
    let args = args.trim();
    let period = if args.is_empty() {
        Period::Quarter(turn.quarter())
    } else {
        match args.parse::<Period>() {
            Ok(period) => period,
            Err(_) => {
                turn.say_key("error.bad_period", &[("value", args)]);
                return Ok(());
            }
        }
    };
    let rules = &turn.rules;
    let ledger = turn.desk.ledger_for_points(period, rules.zone()).await?;
    let table = scoring::standings(rules, &ledger, period);
    let mut lines = vec![turn.t("standings.title", &[("period", &period.label(turn.locale))])];
    if table.is_empty() {
        lines.push(turn.t("standings.empty", &[]));
    }
    for s in &table {
        lines.push(turn.t(
            "bot.standings.line",
            &[
                ("rank", &s.rank.to_string()),
                ("name", &s.name),
                ("code", &s.code),
                ("points", &s.points.to_string()),
            ],
        ));
    }
    turn.say(&lines.join("\n"));
    Ok(())
}

/// `/mine`: the unit's latest items and what became of them.
pub async fn mine(turn: &Turn) -> Handled {
    let Some(unit) = turn.person.as_ref().and_then(|p| p.unit_id) else {
        {
            turn.say_key("bot.no_unit", &[]);
            return Ok(());
        }
    };
    let items = turn.desk.items_of_unit(unit, MINE_LIMIT).await?;
    // What the office asked for and no item answers yet stays on top until answered.
    let commissions = turn.desk.open_commissions(unit).await?;
    let mut lines: Vec<String> = commissions
        .iter()
        .map(|c| {
            turn.t(
                "bot.mine.commission",
                &[("subject", &c.subject), ("due", &c.due_on.to_string())],
            )
        })
        .collect();
    if items.is_empty() {
        lines.push(turn.t("bot.mine.none", &[]));
        {
            turn.say(&lines.join("\n"));
            return Ok(());
        }
    }
    let zone = turn.rules.zone();
    lines.push(turn.t("bot.mine.title", &[]));
    for item in &items {
        let mut fates = Vec::new();
        if item.retracted {
            fates.push(turn.t("bot.mine.retracted", &[]));
        }
        // What happened to the item, in the order it happened: an item returned and then
        // adopted after all says so, and one adopted and then returned says that.
        let mut dated: Vec<(chrono::NaiveDate, String)> = Vec::new();
        if let (Some(reason), Some(at)) = (&item.returned, item.returned_at) {
            let on = at.with_timezone(&zone).date_naive();
            dated.push((
                on,
                turn.t(
                    "bot.mine.returned_on",
                    &[("reason", reason), ("date", &on.to_string())],
                ),
            ));
        }
        for (level, form, on) in &item.adoptions {
            dated.push((
                *on,
                turn.t(
                    "bot.mine.adopted",
                    &[
                        (
                            "level",
                            &t(
                                turn.locale,
                                &format!("adoption_level.{}", level.code()),
                                &[],
                            ),
                        ),
                        (
                            "form",
                            &t(turn.locale, &format!("adoption_form.{}", form.code()), &[]),
                        ),
                        ("date", &on.to_string()),
                    ],
                ),
            ));
        }
        for (level, on) in &item.instructions {
            dated.push((
                *on,
                turn.t(
                    "bot.mine.instructed",
                    &[
                        (
                            "level",
                            &t(
                                turn.locale,
                                &format!("instruction_level.{}", level.code()),
                                &[],
                            ),
                        ),
                        ("date", &on.to_string()),
                    ],
                ),
            ));
        }
        dated.sort_by_key(|(on, _)| *on);
        fates.extend(dated.into_iter().map(|(_, text)| text));
        if fates.is_empty() {
            fates.push(turn.t("bot.mine.filed", &[]));
        }
        lines.push(
            turn.t(
                "bot.mine.item",
                &[
                    ("number", &item.id.to_string()),
                    ("title", &clip(&item.title, TITLE_SHOWN)),
                    (
                        "filed",
                        &item
                            .filed_at
                            .with_timezone(&zone)
                            .format("%Y-%m-%d")
                            .to_string(),
                    ),
                    (
                        "fate",
                        &fates.join(turn.t("bot.mine.separator", &[]).as_str()),
                    ),
                ],
            ),
        );
    }
    turn.say(&lines.join("\n"));
    Ok(())
}

/// `/guidance`: this quarter's topics (信息需求要点).
pub async fn guidance(turn: &Turn) -> Handled {
    let quarter = turn.quarter();
    let topics = turn.desk.guidance(quarter).await?;
    let period = quarter.label(turn.locale);
    if topics.is_empty() {
        {
            turn.say_key("bot.guidance.none", &[("quarter", &period)]);
            return Ok(());
        }
    }
    let mut lines = vec![turn.t("bot.guidance.title", &[("quarter", &period)])];
    // Each topic with how many items answer it so far (§2(3): items are counted per topic).
    for (i, topic) in topics.iter().enumerate() {
        let (n, items) = ((i + 1).to_string(), topic.items.to_string());
        let args = [
            ("n", n.as_str()),
            ("title", &topic.title),
            ("items", &items),
        ];
        lines.push(turn.t("bot.guidance.line", &args));
    }
    turn.say(&lines.join("\n"));
    Ok(())
}
