//! Reading what the calendar's jobs depend on from the store: the guidance set, the open
//! commissions and urgent events, the jobs run, and for one job its recipients and figures
//! (from the one scoring engine).

use chrono::Months;

use crate::i18n::Locale;
use crate::period::{Period, start_of_day};
use crate::points::Points;
use crate::rules::Rules;
use crate::schedule::{
    JobFacts, Known, Member, OfficeFigures, OpenCommission, Slot, Subject, UnitFigures,
};
use crate::scoring;
use crate::store::{Store, StoreError};

/// The guidance set, the open commissions and urgent events, and the jobs run so far.
pub async fn known(store: &Store) -> Result<Known, StoreError> {
    let guidance = store.guidance_revisions().await?;
    let commissions = store
        .all_open_commissions()
        .await?
        .into_iter()
        .map(|(unit, c)| OpenCommission {
            id: c.id,
            unit,
            subject: c.subject,
            due_on: c.due_on,
        })
        .collect();
    Ok(Known {
        guidance,
        commissions,
        // Open urgent events: their follow-up reminders (`Store::open_urgent_events`).
        urgent: store.open_urgent_events().await?,
        done: store.jobs_done().await?,
    })
}

/// The people a scheduled message can reach: registered and not known to have blocked the bot.
async fn members(store: &Store) -> Result<Vec<Member>, StoreError> {
    Ok(store
        .people()
        .await?
        .into_iter()
        .filter(|p| p.unreachable_since.is_none())
        .map(|p| Member {
            person: p.id,
            chat: p.telegram_id,
            role: p.role,
            unit: p.unit_id,
            locale: Locale::or_default(p.locale.as_deref()),
        })
        .collect())
}

/// Everything one job's recipients and messages are drawn from, as the store holds it now.
pub async fn job_facts(store: &Store, rules: &Rules, slot: &Slot) -> Result<JobFacts, StoreError> {
    let zone = rules.zone();
    let mut units: Vec<UnitFigures> = store
        .units()
        .await?
        .into_iter()
        .map(|u| UnitFigures {
            id: u.id,
            name: u.name,
            kind: u.kind,
            filed: 0,
            points: Points::ZERO,
        })
        .collect();
    let mut office = OfficeFigures::default();
    match &slot.subject {
        Subject::QuarterDeadline { quarter, .. } => {
            let period = Period::Quarter(*quarter);
            let ledger = store.load_ledger_for_points(period, zone).await?;
            let board = scoring::score(rules, &ledger, period);
            // Each filing body's own filings and points: the quarter cap is its own, so a
            // district is not spared a reminder by its direct-report points' filings.
            for unit in &mut units {
                unit.filed = ledger
                    .filings
                    .iter()
                    .filter(|f| f.unit == unit.id && f.quarter == *quarter)
                    .map(|f| f.ordinary + f.commissioned)
                    .sum();
                if let Some(score) = board.get(unit.id) {
                    unit.points = score.own;
                }
            }
        }
        Subject::Quota { first_day } => {
            let next = first_day
                .checked_add_months(Months::new(1))
                .unwrap_or(*first_day);
            let filed = store
                .filings_between(start_of_day(*first_day, zone), start_of_day(next, zone))
                .await?;
            for unit in &mut units {
                unit.filed = filed.get(&unit.id).copied().unwrap_or(0);
            }
        }
        Subject::OfficeReports { period } => {
            office = office_figures(store, rules, *period).await?;
        }
        _ => {}
    }
    Ok(JobFacts {
        members: members(store).await?,
        units,
        office,
    })
}

/// Honoraria of the half-year just ended and, after a year, the award proposal: the figures
/// the office is told are ready.
async fn office_figures(
    store: &Store,
    rules: &Rules,
    period: Period,
) -> Result<OfficeFigures, StoreError> {
    let zone = rules.zone();
    let half = match period {
        Period::Year(year) => Period::Half(year, 2),
        other => other,
    };
    let ledger = store.load_ledger(half, zone).await?;
    let paid = scoring::honoraria(rules, &ledger, half);
    let mut figures = OfficeFigures {
        payees: u32::try_from(paid.len()).unwrap_or(u32::MAX),
        honoraria: paid.iter().map(|h| h.amount).sum(),
        ..OfficeFigures::default()
    };
    if let Period::Year(year) = period {
        let ledger = store.load_ledger(period, zone).await?;
        let proposal = scoring::awards(rules, &ledger, year);
        figures.eligible =
            Some(u32::try_from(proposal.iter().filter(|p| p.eligible).count()).unwrap_or(0));
        figures.first = proposal
            .iter()
            .find(|p| p.rank == Some(1))
            .map(|p| p.name.clone());
    }
    Ok(figures)
}
