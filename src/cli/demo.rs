//! `demo`: a small made-up city in a database of its own, imported and shown as the office
//! would see it, so a new user sees the whole path from CSV to standings in one command; with
//! `--chat`, the same city and a chat in the terminal as one of its officers.

use std::io::Write;

use clap::Args;

use crate::period::Period;
use crate::records::NewVeto;
use crate::store::Store;

use super::imports::Kind;
use super::reports::{AwardsArgs, ScoreArgs, StandingsArgs};
use super::{Context, Format};

const UNITS: &str = include_str!("../../samples/units.csv");
const ITEMS: &str = include_str!("../../samples/items.csv");
const ADOPTIONS: &str = include_str!("../../samples/adoptions.csv");
const INSTRUCTIONS: &str = include_str!("../../samples/instructions.csv");

/// The sample's year.
const YEAR: i32 = 2026;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Open a chat in the terminal as an officer of the sample city instead of the reports.
    #[arg(long)]
    pub chat: bool,
}

/// The unit whose officer the chat is with.
const CHAT_UNIT: &str = "zs";

pub async fn run(ctx: &Context, args: DemoArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("unionbot-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let result = if args.chat {
        chat(ctx, &url, out).await
    } else {
        show(ctx, &url, out).await
    };
    // The demonstration leaves nothing behind, whatever happened.
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The sample city, then a chat as one of its officers.
async fn chat(ctx: &Context, url: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{}\n", ctx.t("demo.intro", &[]))?;
    let store = Store::open(url).await?;
    import_city(ctx, &store, out).await?;
    let who = super::chat::demo_invitation(ctx, &store, CHAT_UNIT).await?;
    writeln!(out, "\n{}\n", ctx.t("demo.chat.intro", &[]))?;
    let chatted = super::chat::chat(ctx, &store, &who, out).await;
    store.close().await;
    chatted
}

/// The sample's units, items, adoptions and instructions, each told as it is imported.
async fn import_city(ctx: &Context, store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    let files = [
        (Kind::Units, UNITS, "demo.units"),
        (Kind::Items, ITEMS, "demo.items"),
        (Kind::Adoptions, ADOPTIONS, "demo.adoptions"),
        (Kind::Instructions, INSTRUCTIONS, "demo.instructions"),
    ];
    for (kind, text, key) in files {
        let report = super::imports::import_text(ctx, store, kind, text)
            .await
            .map_err(|e| e.into_error(ctx))?;
        writeln!(
            out,
            "{}",
            ctx.t(key, &[("count", &report.added.to_string())])
        )?;
    }
    Ok(())
}

async fn show(ctx: &Context, url: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{}\n", ctx.t("demo.intro", &[]))?;
    let store = Store::open(url).await?;
    import_city(ctx, &store, out).await?;
    let veto = NewVeto {
        unit_code: "sk".into(),
        kind: crate::domain::VetoKind::Late,
        on: chrono::NaiveDate::from_ymd_opt(YEAR, 4, 8).expect("a real day"),
        reason: ctx.t("demo.veto_reason", &[]),
    };
    store.add_veto(&veto, &ctx.recorder).await?;
    writeln!(out, "{}\n", ctx.t("demo.vetoes", &[("count", "1")]))?;

    let quarter = Period::Quarter(crate::period::Quarter {
        year: YEAR,
        number: 2,
    });
    for period in [quarter, Period::Year(YEAR)] {
        let args = StandingsArgs {
            period: period.to_string(),
            format: Format::Table,
        };
        super::reports::standings(ctx, &store, args, out).await?;
        writeln!(out)?;
    }
    let args = ScoreArgs {
        unit: "zs".into(),
        period: YEAR.to_string(),
        format: Format::Table,
    };
    super::reports::score(ctx, &store, args, out).await?;
    writeln!(out)?;
    super::reports::awards(
        ctx,
        &store,
        AwardsArgs {
            year: YEAR,
            format: Format::Table,
        },
        out,
    )
    .await?;
    writeln!(out, "\n{}", ctx.t("demo.done", &[]))?;
    store.close().await;
    Ok(())
}
