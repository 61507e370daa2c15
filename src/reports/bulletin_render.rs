//! The bulletin in words: the whole text (the command line and the attached document), the
//! short message a unit's head gets, and the office's. Plain text from `prompts/`; the bot
//! escapes it for Telegram.

use crate::domain::UnitId;
use crate::i18n::{Locale, duration_text, t};

use super::bulletin::{Bulletin, BulletinLine, Criticism, KindGroup};

/// Units named under "the top of the table" in a short message.
const TOP: u32 = 3;
/// Lines of the top shown at most, however many share the third place.
const TOP_LINES: usize = 5;

/// `2026年第1期` / `No. 1 of 2026`.
pub fn number_label(locale: Locale, year: i32, number: u32) -> String {
    t(
        locale,
        "bulletin.number",
        &[("year", &year.to_string()), ("number", &number.to_string())],
    )
}

/// The document's file name: ASCII, so that every client shows it as it is.
pub fn document_name(bulletin: &Bulletin) -> String {
    format!(
        "bulletin-{}-{:02}-{}.txt",
        bulletin.year, bulletin.number, bulletin.quarter
    )
}

/// The bulletin's title: `2026年第一季度信息工作通报`.
fn title(b: &Bulletin, locale: Locale) -> String {
    t(
        locale,
        "bulletin.title",
        &[("quarter", &b.quarter.label(locale))],
    )
}

/// The title with its number, or with the note that it is a preview.
fn heading(b: &Bulletin, locale: Locale) -> Vec<String> {
    let mut lines = vec![title(b, locale)];
    if b.number == 0 {
        lines.push(t(locale, "bulletin.preview", &[]));
    } else {
        lines.push(number_label(locale, b.year, b.number));
    }
    lines.push(t(
        locale,
        "bulletin.as_of",
        &[("date", &b.as_of.to_string())],
    ));
    lines
}

fn kind_name(locale: Locale, line: &BulletinLine) -> String {
    t(locale, &format!("unit_kind.{}", line.kind.code()), &[])
}

fn group_name(locale: Locale, group: KindGroup) -> String {
    t(locale, &format!("bulletin.group.{}", group.code()), &[])
}

/// A line's counts: filings, adoptions by level, instructions.
fn detail(locale: Locale, line: &BulletinLine) -> String {
    let adoptions: Vec<String> = line
        .adoptions
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(level, n)| {
            t(
                locale,
                "bulletin.adoption",
                &[
                    (
                        "level",
                        &t(locale, &format!("adoption_level.{}", level.code()), &[]),
                    ),
                    ("count", &n.to_string()),
                ],
            )
        })
        .collect();
    let adoptions = if adoptions.is_empty() {
        t(locale, "common.none", &[])
    } else {
        adoptions.join(&t(locale, "common.list_separator", &[]))
    };
    t(
        locale,
        "bulletin.detail",
        &[
            ("filed", &line.filed.to_string()),
            ("commissioned", &line.commissioned.to_string()),
            ("adoptions", &adoptions),
            ("instructions", &line.instructions.to_string()),
        ],
    )
}

/// A unit's criticism: for a late report kept with its times, how long after the event it was
/// reported and the limit (事件发生8小时24分钟后才报送（时限1小时）); for a late veto recorded by
/// hand, the delay its reason gave; otherwise the kind alone.
fn criticism(locale: Locale, c: &Criticism) -> String {
    let said = |minutes: u32| duration_text(locale, i64::from(minutes));
    match (c.delay_minutes, c.limit_minutes) {
        (Some(delay), Some(limit)) => t(
            locale,
            "bulletin.criticism.late_after",
            &[
                ("name", &c.name),
                ("delay", &said(delay)),
                ("limit", &said(limit)),
            ],
        ),
        (Some(delay), None) => t(
            locale,
            "bulletin.criticism.late_by",
            &[("name", &c.name), ("delay", &said(delay))],
        ),
        (None, _) => t(
            locale,
            &format!("bulletin.criticism.{}", c.kind.code()),
            &[("name", &c.name)],
        ),
    }
}

/// The whole bulletin as plain text.
pub fn render_text(b: &Bulletin, locale: Locale) -> String {
    let mut out = heading(b, locale);
    let section = |out: &mut Vec<String>, key: &str, args: &[(&str, &str)]| {
        out.push(String::new());
        out.push(t(locale, &format!("bulletin.section.{key}"), args));
    };

    section(&mut out, "table", &[]);
    if b.lines.is_empty() {
        out.push(t(locale, "bulletin.empty", &[]));
    }
    for line in &b.lines {
        out.push(t(
            locale,
            "bulletin.line",
            &[
                ("rank", &line.rank.to_string()),
                ("name", &line.name),
                ("kind", &kind_name(locale, line)),
                ("points", &line.points.to_string()),
                ("year_points", &line.year_points.to_string()),
                ("year_rank", &line.year_rank.to_string()),
            ],
        ));
        out.push(format!("    {}", detail(locale, line)));
    }

    section(&mut out, "groups", &[]);
    let groups = KindGroup::ALL.map(|g| (g, b.group_lines(g)));
    let groups = groups.iter().filter(|(_, lines)| !lines.is_empty());
    for (i, (group, lines)) in groups.enumerate() {
        let index = t(locale, &format!("bulletin.ordinal.{}", i + 1), &[]);
        out.push(t(
            locale,
            "bulletin.group_heading",
            &[("index", &index), ("group", &group_name(locale, *group))],
        ));
        for line in lines {
            out.push(t(
                locale,
                "bulletin.group_line",
                &[
                    ("rank", &line.group_rank.to_string()),
                    ("name", &line.name),
                    ("points", &line.points.to_string()),
                    ("year_points", &line.year_points.to_string()),
                    ("year_rank", &line.year_group_rank.to_string()),
                ],
            ));
        }
    }

    section(&mut out, "silent", &[]);
    if b.silent.is_empty() {
        out.push(t(locale, "bulletin.silent_none", &[]));
    } else {
        let names: Vec<String> = b
            .silent
            .iter()
            .map(|s| match &s.parent {
                Some(parent) => t(
                    locale,
                    "bulletin.silent_point",
                    &[("name", &s.name), ("parent", parent)],
                ),
                None => s.name.clone(),
            })
            .collect();
        out.push(names.join(&t(locale, "common.list_separator", &[])));
    }

    section(&mut out, "criticism", &[]);
    if b.criticism.is_empty() {
        out.push(t(locale, "bulletin.criticism_none", &[]));
    }
    for c in &b.criticism {
        out.push(criticism(locale, c));
    }

    if !b.guidance.is_empty() {
        let next = b.quarter.next().label(locale);
        section(&mut out, "guidance", &[("quarter", &next)]);
        for (i, topic) in b.guidance.iter().enumerate() {
            out.push(t(
                locale,
                "bulletin.guidance_line",
                &[("index", &(i + 1).to_string()), ("title", topic)],
            ));
        }
    }
    out.push(String::new());
    out.join("\n")
}

/// The first line of a short message: which bulletin, and that the whole is attached.
fn announce(b: &Bulletin, locale: Locale) -> String {
    t(
        locale,
        "bulletin.announce",
        &[
            ("title", &title(b, locale)),
            ("number", &number_label(locale, b.year, b.number)),
        ],
    )
}

/// The top of the table: the first three places (units sharing a place included, within
/// reason).
fn top(b: &Bulletin, locale: Locale) -> Vec<String> {
    let mut lines = vec![t(locale, "bulletin.top", &[])];
    lines.extend(
        b.lines
            .iter()
            .filter(|l| l.rank <= TOP)
            .take(TOP_LINES)
            .map(|l| {
                t(
                    locale,
                    "bulletin.top_line",
                    &[
                        ("rank", &l.rank.to_string()),
                        ("name", &l.name),
                        ("points", &l.points.to_string()),
                    ],
                )
            }),
    );
    lines
}

/// A unit's own place: its points and ranks, then its counts.
fn own(b: &Bulletin, locale: Locale, line: &BulletinLine) -> [String; 2] {
    let own = t(
        locale,
        "bulletin.head.own",
        &[
            ("name", &line.name),
            ("points", &line.points.to_string()),
            ("rank", &line.rank.to_string()),
            ("count", &b.lines.len().to_string()),
            ("group", &group_name(locale, line.group)),
            ("group_rank", &line.group_rank.to_string()),
            ("group_count", &b.group_size(line.group).to_string()),
            ("year_points", &line.year_points.to_string()),
            ("year_rank", &line.year_rank.to_string()),
        ],
    );
    [own, detail(locale, line)]
}

/// What a unit's head reads with the attached bulletin: the unit's own line and ranks, and the
/// top of the table. A unit not ranked on its own (a direct-report point) is told why.
pub fn head_message(b: &Bulletin, locale: Locale, unit: UnitId) -> String {
    let mut lines = vec![announce(b, locale)];
    match b.line(unit) {
        Some(line) => {
            lines.extend(own(b, locale, line));
        }
        None => lines.push(t(locale, "bulletin.head.not_ranked", &[])),
    }
    lines.extend(top(b, locale));
    lines.join("\n")
}

/// What the office reads with the attached bulletin: the counts of each section and the top.
pub fn office_message(b: &Bulletin, locale: Locale) -> String {
    let mut lines = vec![announce(b, locale)];
    lines.push(t(
        locale,
        "bulletin.office.summary",
        &[
            ("count", &b.lines.len().to_string()),
            ("silent", &b.silent.len().to_string()),
            ("criticised", &b.criticism.len().to_string()),
        ],
    ));
    lines.extend(top(b, locale));
    lines.join("\n")
}

/// What the office reads before issuing: the whole bulletin as a preview (its figures as the
/// records stand), then the number it would get and how many heads and office members it
/// would reach, and what the button does; for a quarter with no filing, that it is issued
/// only if the office insists. `b` carries the number it would get.
pub fn preview_message(
    b: &Bulletin,
    locale: Locale,
    heads: usize,
    office: usize,
    empty: bool,
) -> String {
    let preview = Bulletin {
        number: 0,
        ..b.clone()
    };
    let mut text = render_text(&preview, locale);
    text.push_str(&t(
        locale,
        "bulletin.confirm.ask",
        &[
            ("number", &number_label(locale, b.year, b.number)),
            ("heads", &heads.to_string()),
            ("office", &office.to_string()),
        ],
    ));
    text.push('\n');
    let last = if empty {
        "bulletin.confirm.empty"
    } else {
        "bulletin.confirm.press"
    };
    text.push_str(&t(locale, last, &[]));
    text
}

/// What a unit's head reads on asking for the latest bulletin: the unit's own line, then the
/// whole bulletin as issued (no attachment: a reply carries text only).
pub fn head_reply(b: &Bulletin, locale: Locale, unit: Option<UnitId>) -> String {
    let mut lines = Vec::new();
    match unit.and_then(|u| b.line(u)) {
        Some(line) => {
            lines.extend(own(b, locale, line));
        }
        None if unit.is_some() => lines.push(t(locale, "bulletin.head.not_ranked", &[])),
        None => {}
    }
    lines.push(String::new());
    lines.push(render_text(b, locale));
    lines.join("\n")
}
