//! `bulletin`: a quarter's bulletin (通报) as stored when issued, or a preview computed now;
//! `--send` issues it (or sends what was issued to whoever has not had it), `--force` sends the
//! issued one to everyone again. Sending asks to confirm on a terminal and needs `--yes`
//! without one; a quarter with no filing needs `--allow-empty`; `--number` numbers it where
//! earlier bulletins of the year were issued outside this program.

use std::io::{BufRead, IsTerminal, Write};

use chrono::Utc;
use clap::{Args, ValueEnum};

use crate::domain::parse_yes_no;
use crate::period::{Period, Quarter};
use crate::reports::bulletin::{Bulletin, number_label, preview_message, render_text};
use crate::reports::bulletin_issue::{
    BulletinError, IssuePreview, IssueRequest, IssuedBulletin, describe_outcome, issue_bulletin_as,
    preview_bulletin, preview_issue, read_snapshot,
};
use crate::store::Store;

use super::Context;
use super::table::print_json;

#[derive(Debug, Args)]
pub struct BulletinArgs {
    /// The quarter, e.g. 2026Q1.
    #[arg(long)]
    pub quarter: String,
    /// Issue it and send it (what was issued is never worked out again).
    #[arg(long)]
    pub send: bool,
    /// With --send: send the issued bulletin to everyone again.
    #[arg(long, requires = "send")]
    pub force: bool,
    /// With --send: issue without asking.
    #[arg(long, requires = "send")]
    pub yes: bool,
    /// With --send: issue a quarter in which nothing was filed.
    #[arg(long, requires = "send")]
    pub allow_empty: bool,
    /// With --send: the bulletin's number in its year.
    #[arg(long, requires = "send", value_parser = clap::value_parser!(u32).range(1..))]
    pub number: Option<u32>,
    #[arg(long, value_enum, default_value_t = BulletinFormat::Text)]
    pub format: BulletinFormat,
}

/// How the bulletin is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BulletinFormat {
    Text,
    Json,
}

fn parse_quarter(ctx: &Context, text: &str) -> anyhow::Result<Quarter> {
    match text.trim().parse() {
        Ok(Period::Quarter(quarter)) => Ok(quarter),
        _ => Err(ctx.refuse("guidance.bad_quarter", &[("value", text)])),
    }
}

pub async fn run(
    ctx: &Context,
    store: &Store,
    args: BulletinArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let quarter = parse_quarter(ctx, &args.quarter)?;
    let now = Utc::now();
    if args.send {
        let preview = preview_issue(store, &ctx.rules, quarter, now, args.number)
            .await
            .map_err(|e| refusal(ctx, e))?;
        if let IssuePreview::Fresh { empty: true, .. } = preview
            && !args.allow_empty
        {
            return Err(refusal(ctx, BulletinError::NoFiling(quarter)));
        }
        if !args.yes {
            confirm(ctx, &preview)?;
        }
        let request = IssueRequest {
            force: args.force,
            allow_empty: args.allow_empty,
            number: args.number,
            source: None,
        };
        let issued = issue_bulletin_as(store, &ctx.rules, quarter, now, &ctx.recorder, request)
            .await
            .map_err(|e| refusal(ctx, e))?;
        return print(ctx, &issued.bulletin, Some(&issued), args.format, out);
    }
    let bulletin = match store.bulletin(quarter).await? {
        Some(stored) => read_snapshot(&stored)?,
        None => preview_bulletin(store, &ctx.rules, quarter, now).await?,
    };
    print(ctx, &bulletin, None, args.format, out)
}

/// Why a bulletin was not issued, in the user's words.
fn refusal(ctx: &Context, e: BulletinError) -> anyhow::Error {
    match e {
        BulletinError::NotEnded(q) => {
            ctx.refuse("bulletin.not_ended", &[("quarter", &q.label(ctx.locale))])
        }
        BulletinError::TooOld(q) => {
            ctx.refuse("bulletin.too_old", &[("quarter", &q.label(ctx.locale))])
        }
        BulletinError::NoFiling(q) => ctx.refuse(
            "bulletin.cli.no_filing",
            &[("quarter", &q.label(ctx.locale))],
        ),
        BulletinError::NumberUsed {
            year,
            number,
            quarter,
        } => {
            let (year, number) = (year.to_string(), number.to_string());
            match quarter {
                Some(q) => ctx.refuse(
                    "bulletin.cli.number_used",
                    &[
                        ("year", &year),
                        ("number", &number),
                        ("quarter", &q.label(ctx.locale)),
                    ],
                ),
                None => ctx.refuse(
                    "bulletin.cli.number_taken",
                    &[("year", &year), ("number", &number)],
                ),
            }
        }
        BulletinError::NumberFixed {
            quarter,
            year,
            number,
        } => ctx.refuse(
            "bulletin.cli.number_fixed",
            &[
                ("quarter", &quarter.label(ctx.locale)),
                ("number", &number_label(ctx.locale, year, number)),
            ],
        ),
        BulletinError::Store(e) => e.into(),
    }
}

/// Shows what `--send` would do and asks on the terminal; refuses without one (then `--yes`
/// is needed) and when the answer is not yes. Nothing is stored or sent before. The dialogue
/// goes to standard error, so that standard output holds the result alone (`--format json`).
fn confirm(ctx: &Context, preview: &IssuePreview) -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::stderr().lock();
    if !stdin.is_terminal() {
        return Err(ctx.refuse("bulletin.cli.needs_yes", &[]));
    }
    let ask = match preview {
        IssuePreview::Fresh {
            bulletin,
            heads,
            office,
            empty,
        } => {
            let text = preview_message(bulletin, ctx.locale, *heads, *office, *empty);
            // The chat's last line names its button; the terminal asks below instead.
            let text = text.rsplit_once('\n').map_or(text.as_str(), |(t, _)| t);
            writeln!(out, "{text}")?;
            "bulletin.cli.confirm"
        }
        IssuePreview::Issued(stored) => {
            write!(out, "{}", render_text(&read_snapshot(stored)?, ctx.locale))?;
            "bulletin.cli.confirm_resend"
        }
    };
    write!(out, "{}", ctx.t(ask, &[]))?;
    out.flush()?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    if answer.trim() == "确认" || parse_yes_no(&answer) == Ok(true) {
        Ok(())
    } else {
        Err(ctx.refuse("bulletin.cli.not_confirmed", &[]))
    }
}

fn print(
    ctx: &Context,
    bulletin: &Bulletin,
    issued: Option<&IssuedBulletin>,
    format: BulletinFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        BulletinFormat::Json => {
            let mut value =
                serde_json::json!({ "issued": bulletin.number != 0, "bulletin": bulletin });
            if let Some(i) = issued {
                value["sending"] = serde_json::json!({
                    "newly_stored": i.newly_stored, "resend": i.resend, "queued": i.queued,
                    "heads": i.heads, "office": i.office,
                });
            }
            print_json(out, &value)
        }
        BulletinFormat::Text => {
            write!(out, "{}", render_text(bulletin, ctx.locale))?;
            if let Some(issued) = issued {
                writeln!(out, "{}", outcome(ctx, issued))?;
                if !issued.newly_stored && issued.resend.is_none() {
                    writeln!(out, "{}", ctx.t("bulletin.cli.force_hint", &[]))?;
                }
            }
            Ok(())
        }
    }
}

fn outcome(ctx: &Context, issued: &IssuedBulletin) -> String {
    describe_outcome(ctx.locale, ctx.rules.zone(), issued)
}
