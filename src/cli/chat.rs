//! `unionbot chat --as <person or invitation>`: the bot's conversations in the terminal, on the
//! same database; and what `demo --chat` opens on the sample city.

use std::io::Write;
use std::sync::Arc;

use clap::Args;

use crate::channel::terminal::{ChatError, Session, Who};
use crate::domain::Role;
use crate::records::InviteRefusal;
use crate::store::Store;

use super::Context;

#[derive(Debug, Args)]
pub struct ChatArgs {
    /// A person's number (`unionbot person list`), or an invitation code to redeem.
    #[arg(long = "as", id = "who")]
    pub who: String,
}

/// Chats as the person (or whoever redeems the invitation) until the input ends.
pub async fn run(
    ctx: &Context,
    store: &Store,
    args: ChatArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if store.is_read_only() {
        return Err(ctx.refuse("cli.error.read_only", &[]));
    }
    chat(ctx, store, &Who::parse(&args.who), out).await
}

/// Chats on `store` as `who`, reading standard input.
pub async fn chat(
    ctx: &Context,
    store: &Store,
    who: &Who,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let session = Session {
        store: store.clone(),
        rules: Arc::new(ctx.rules.clone()),
        locale: ctx.locale,
        clock: Arc::new(chrono::Utc::now),
    };
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    // The session reads its lines as they are typed; the database work between them runs on
    // the runtime's other threads.
    let ran = tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(session.run(who, &mut input, out))
    });
    match ran {
        Ok(()) => Ok(()),
        Err(ChatError::NoSuchPerson(n)) => {
            Err(ctx.refuse("chat.no_such_person", &[("number", &n.to_string())]))
        }
        Err(ChatError::Invitation(refusal)) => Err(ctx.refuse(
            match refusal {
                InviteRefusal::Unknown => "bot.join.unknown",
                InviteRefusal::Used => "chat.invitation_used",
                InviteRefusal::Expired => "bot.join.expired",
                InviteRefusal::Revoked => "bot.join.revoked",
            },
            &[],
        )),
        Err(ChatError::Store(e)) => Err(e.into()),
        Err(ChatError::Io(e)) => Err(e.into()),
    }
}

/// The invitation `demo --chat` opens the chat with: an officer of the sample's first unit.
pub async fn demo_invitation(ctx: &Context, store: &Store, unit: &str) -> anyhow::Result<Who> {
    let name = ctx.t("demo.chat.officer", &[]);
    let invite = store
        .create_named_invite(
            Some(unit),
            Role::Officer,
            Some(&name),
            chrono::Duration::days(1),
            chrono::Utc::now(),
            &ctx.recorder,
        )
        .await?;
    Ok(Who::Invitation(invite.code))
}
