//! The office's command line: clap subcommands over the store and the one scoring engine.

mod bot_admin;
mod bulletin;
mod chat;
mod context;
mod demo;
pub mod help;
mod imports;
mod items;
mod outbox;
mod people;
mod records;
mod reports;
mod run;
mod schedule;
mod table;
mod urgent;
mod vetoes;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use context::{Context, UserError};

/// The default database: `unionbot.db` in the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://unionbot.db";

/// unionbot — union information work (工会信息工作): items, adoptions, points, standings.
///
/// What a person reads in `--help` comes from `prompts/` (see [`help`]); these doc comments
/// are for the code's readers.
#[derive(Debug, Parser)]
#[command(name = "unionbot", version, about, propagate_version = true)]
pub struct Cli {
    /// Database URL: sqlite://FILE (default sqlite://unionbot.db) or postgres://…
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database: String,

    /// A rules file (TOML) overriding the default rules; see `unionbot rules show`.
    #[arg(long, global = true, env = "UNIONBOT_RULES")]
    pub rules: Option<PathBuf>,

    /// Language of the output: zh-CN (default) or en.
    #[arg(long, global = true, env = "UNIONBOT_LANG")]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or bring the database schema up to date (also done on every start).
    Migrate,
    /// Show the rules in force.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Units (单位): import from CSV, list.
    Unit {
        #[command(subcommand)]
        command: UnitCommand,
    },
    /// Items (信息/来稿): import history from CSV, show one, list a period's.
    Item {
        #[command(subcommand)]
        command: items::ItemCommand,
    },
    /// Adoptions (采用): import from CSV.
    Adoption {
        #[command(subcommand)]
        command: ImportOnly,
    },
    /// Instructions (批示): import from CSV.
    Instruction {
        #[command(subcommand)]
        command: ImportOnly,
    },
    /// Vetoes (否决): record one, list them.
    Veto {
        #[command(subcommand)]
        command: VetoCommand,
    },
    /// Urgent reports (紧急信息): the open events with their delay and late flag, one in full.
    Urgent {
        #[command(subcommand)]
        command: urgent::UrgentCommand,
    },
    /// Withdraw a wrong record; it stays visible, marked withdrawn, and no longer scores.
    Retract(records::RetractArgs),
    /// The evaluated units ranked by points for a period (2026Q1, 2026H1, 2026).
    Standings(reports::StandingsArgs),
    /// One unit's points for a period, with the line-by-line breakdown.
    Score(reports::ScoreArgs),
    /// The award proposal for a year (先进单位).
    Awards(reports::AwardsArgs),
    /// Honoraria (稿酬) per officer for a period, usually a half-year (2026H1).
    Honoraria(reports::HonorariaArgs),
    /// The quarterly bulletin (通报): show it (a preview until issued), issue it, send it again.
    Bulletin(bulletin::BulletinArgs),
    /// Show standings on a small sample city, in a database of its own.
    Demo(demo::DemoArgs),
    /// The bot's conversations in the terminal, as a person or by an invitation.
    Chat(chat::ChatArgs),
    /// Run the Telegram bot (long polling); the token comes from TELOXIDE_TOKEN.
    Run(run::RunArgs),
    /// Invite a person to the bot: prints a single-use code and its t.me link.
    Invite(bot_admin::InviteArgs),
    /// The quarter's guidance (信息需求要点): add a topic, list them.
    Guidance {
        #[command(subcommand)]
        command: bot_admin::GuidanceCommand,
    },
    /// The jobs the scheduler has due from one day to another (guidance, reminders,
    /// bulletins), on today's data; nothing is sent.
    Schedule(schedule::ScheduleArgs),
    /// People registered in the bot: list them (who is unreachable), correct a name.
    Person {
        #[command(subcommand)]
        command: people::PersonCommand,
    },
    /// The outbox: the messages it gave up on, and queuing them again.
    Outbox {
        #[command(subcommand)]
        command: outbox::OutboxCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print the rules in force as a rules file.
    Show,
}

#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// Import units from CSV: code,name,kind,parent.
    Import { file: PathBuf },
    /// List the units.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportOnly {
    /// Import from CSV (see the README for the columns); atomic and repeatable.
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum VetoCommand {
    /// Record a veto against a unit.
    Add(records::VetoArgs),
    /// List the vetoes, retracted ones marked.
    List(vetoes::ListArgs),
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Runs one command; what it prints goes to `out`.
pub async fn run(cli: Cli, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let ctx = Context::from_cli(&cli)?;
    match cli.command {
        Command::Rules {
            command: RulesCommand::Show,
        } => {
            write!(out, "{}", ctx.rules.to_toml())?;
            Ok(())
        }
        Command::Demo(args) => demo::run(&ctx, args, out).await,
        Command::Run(args) => run::run(&ctx, args, out).await,
        command => {
            let store = ctx.open_store().await?;
            let result = if store.is_read_only() && matches!(command, Command::Migrate) {
                Err(ctx.refuse("cli.error.read_only", &[]))
            } else {
                dispatch(&ctx, &store, command, out).await
            };
            store.close().await;
            result.map_err(|e| read_only_in_words(&ctx, e))
        }
    }
}

/// A write refused because the database is read-only, said as such rather than as SQLite's
/// "attempt to write a readonly database".
fn read_only_in_words(ctx: &Context, error: anyhow::Error) -> anyhow::Error {
    let refused = error
        .chain()
        .filter_map(|e| e.downcast_ref::<crate::store::StoreError>())
        .any(crate::store::is_read_only_refusal);
    if refused {
        tracing::debug!("{error:?}");
        ctx.refuse("cli.error.read_only", &[])
    } else {
        error
    }
}

async fn dispatch(
    ctx: &Context,
    store: &crate::store::Store,
    command: Command,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    use imports::Kind;
    match command {
        Command::Migrate => Ok(()),
        Command::Unit {
            command: UnitCommand::Import { file },
        } => imports::import(ctx, store, Kind::Units, &file, out).await,
        Command::Unit {
            command: UnitCommand::List { format },
        } => imports::list_units(ctx, store, format, out).await,
        Command::Item {
            command: items::ItemCommand::Import { file },
        } => imports::import(ctx, store, Kind::Items, &file, out).await,
        Command::Item {
            command: items::ItemCommand::Show(args),
        } => items::show(ctx, store, args, out).await,
        Command::Item {
            command: items::ItemCommand::List(args),
        } => items::list(ctx, store, args, out).await,
        Command::Adoption {
            command: ImportOnly::Import { file },
        } => imports::import(ctx, store, Kind::Adoptions, &file, out).await,
        Command::Instruction {
            command: ImportOnly::Import { file },
        } => imports::import(ctx, store, Kind::Instructions, &file, out).await,
        Command::Veto {
            command: VetoCommand::Add(args),
        } => records::add_veto(ctx, store, args, out).await,
        Command::Veto {
            command: VetoCommand::List(args),
        } => vetoes::list(ctx, store, args, out).await,
        Command::Urgent { command } => urgent::run(ctx, store, command, out).await,
        Command::Retract(args) => records::retract(ctx, store, args, out).await,
        Command::Standings(args) => reports::standings(ctx, store, args, out).await,
        Command::Score(args) => reports::score(ctx, store, args, out).await,
        Command::Awards(args) => reports::awards(ctx, store, args, out).await,
        Command::Honoraria(args) => reports::honoraria(ctx, store, args, out).await,
        Command::Bulletin(args) => bulletin::run(ctx, store, args, out).await,
        Command::Invite(args) => bot_admin::invite(ctx, store, args, out).await,
        Command::Guidance { command } => bot_admin::guidance(ctx, store, command, out).await,
        Command::Schedule(args) => schedule::preview(ctx, store, args, out).await,
        Command::Person { command } => people::run(ctx, store, command, out).await,
        Command::Outbox { command } => outbox::run(ctx, store, command, out).await,
        Command::Chat(args) => chat::run(ctx, store, args, out).await,
        Command::Rules { .. } | Command::Demo(_) | Command::Run(_) => {
            unreachable!("handled before opening the store")
        }
    }
}
