//! `veto add` and `retract`: single records the office makes by hand. A reason is one line of
//! at most [`REASON_LIMIT`] characters, as in chat: it is shown in every notice and report.

use std::io::Write;

use clap::Args;

use crate::domain::VetoKind;
use crate::forms::veto::REASON_LIMIT;
use crate::records::{NewVeto, Problem};
use crate::store::{RecordKind, Store, StoreError};

use super::Context;

#[derive(Debug, Args)]
pub struct VetoArgs {
    /// The unit's code.
    #[arg(long)]
    pub unit: String,
    /// late (迟报), missing (漏报), concealed (瞒报) or bypass (越级上报).
    #[arg(long)]
    pub kind: String,
    /// The date of the veto, YYYY-MM-DD (years 2000 to 2100); it counts in that year.
    #[arg(long)]
    pub date: String,
    /// Why: what was late, missing, concealed or reported past the federation.
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct RetractArgs {
    /// What kind of record: item, adoption, instruction, commission or veto.
    #[arg(long)]
    pub record: String,
    /// The record's number.
    #[arg(long)]
    pub id: i64,
    /// Why it is withdrawn.
    #[arg(long)]
    pub reason: String,
}

pub async fn add_veto(
    ctx: &Context,
    store: &Store,
    args: VetoArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let kind = VetoKind::parse(&args.kind).map_err(|e| {
        let problem = Problem::NotOneOf {
            value: e.value,
            expected: e.expected,
        };
        ctx.invalid("--kind", &problem)
    })?;
    let today = chrono::Utc::now()
        .with_timezone(&ctx.rules.zone())
        .date_naive();
    let on = crate::domain::parse_date(&args.date, today)
        .map_err(|problem| ctx.invalid("--date", &problem))?;
    let reason = ctx.line("--reason", &args.reason, REASON_LIMIT)?;
    let unit_code = crate::domain::parse_unit_code(&args.unit)
        .map_err(|problem| ctx.invalid("--unit", &problem))?;
    let veto = NewVeto {
        unit_code,
        kind,
        on,
        reason,
    };
    match store.add_veto(&veto, &ctx.recorder).await {
        Ok(id) => {
            writeln!(out, "{}", ctx.t("veto.added", &[("id", &id.to_string())]))?;
            Ok(())
        }
        Err(StoreError::NotFound { .. }) => {
            Err(ctx.refuse("error.unknown_unit", &[("code", &veto.unit_code)]))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn retract(
    ctx: &Context,
    store: &Store,
    args: RetractArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let kind = RecordKind::parse(&args.record).ok_or_else(|| {
        let expected: Vec<_> = RecordKind::ALL.iter().map(|k| k.code()).collect();
        let problem = Problem::NotOneOf {
            value: args.record.clone(),
            expected: expected.join(", "),
        };
        ctx.invalid("--record", &problem)
    })?;
    let reason = ctx.line("--reason", &args.reason, REASON_LIMIT)?;
    let reason = reason.as_str();
    let id = args.id.to_string();
    match store.retract(kind, args.id, reason, &ctx.recorder).await {
        Ok(_) => {
            writeln!(out, "{}", ctx.t("retract.done", &[("id", &id)]))?;
            Ok(())
        }
        Err(StoreError::NotFound { .. }) => Err(ctx.refuse("error.unknown_record", &[("id", &id)])),
        Err(StoreError::AlreadyRetracted { .. }) => {
            Err(ctx.refuse("error.already_retracted", &[("id", &id)]))
        }
        Err(e) => Err(e.into()),
    }
}
