//! `bulletin`: a quarter's bulletin (通报) as stored when issued, or a preview computed now;
//! `--send` issues it (or sends what was issued to whoever has not had it), `--force` sends the
//! issued one to everyone again.

use std::io::Write;

use chrono::Utc;
use clap::{Args, ValueEnum};

use crate::period::{Period, Quarter};
use crate::reports::bulletin::{Bulletin, render_text};
use crate::reports::bulletin_issue::{
    BulletinError, IssuedBulletin, describe_outcome, issue_bulletin, preview_bulletin,
    read_snapshot,
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
        let issued = match issue_bulletin(
            store,
            &ctx.rules,
            quarter,
            now,
            &ctx.recorder,
            args.force,
        )
        .await
        {
            Ok(issued) => issued,
            Err(BulletinError::NotEnded(q)) => {
                let label = q.label(ctx.locale);
                return Err(ctx.refuse("bulletin.not_ended", &[("quarter", &label)]));
            }
            Err(BulletinError::TooOld(q)) => {
                let label = q.label(ctx.locale);
                return Err(ctx.refuse("bulletin.too_old", &[("quarter", &label)]));
            }
            Err(BulletinError::Store(e)) => return Err(e.into()),
        };
        return print(ctx, &issued.bulletin, Some(&issued), args.format, out);
    }
    let bulletin = match store.bulletin(quarter).await? {
        Some(stored) => read_snapshot(&stored)?,
        None => preview_bulletin(store, &ctx.rules, quarter, now).await?,
    };
    print(ctx, &bulletin, None, args.format, out)
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
