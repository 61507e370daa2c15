//! An urgent event's late flag decided by the office: confirmed into a `late` veto that keeps
//! the times it was judged by (only while the event time still puts the report past the
//! limit), or dismissed with a reason; each decision recorded with who and when, once.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::Store;
use super::error::Result;
use super::events::insert_veto;
use super::sql::instant;
use super::urgent::{event_on, lock_event, not_found, required};
use crate::domain::VetoKind;
use crate::i18n::{Locale, late_veto_reason};
use crate::records::Recorder;
use crate::records::urgent::{LateDecision, LateFlag, UrgentEvent, is_late};
use crate::rules::Rules;
use crate::scoring::LateTimes;

/// The event, locked for a decision on its late flag, when it is flagged and undecided;
/// otherwise what deciding comes to (not flagged, or decided before and by whom).
async fn flagged(
    conn: &mut AnyConnection,
    event: i64,
) -> Result<std::result::Result<UrgentEvent, LateDecision>> {
    if !lock_event(conn, event).await? {
        return Err(not_found(event));
    }
    let stored = event_on(conn, event)
        .await?
        .ok_or_else(|| not_found(event))?;
    Ok(match stored.late {
        LateFlag::None => Err(LateDecision::NotFlagged),
        LateFlag::Confirmed | LateFlag::Dismissed => Err(LateDecision::AlreadyDecided {
            flag: stored.late,
            by: stored.late_decided_by,
        }),
        LateFlag::Flagged => Ok(stored),
    })
}

/// Confirms a late flag: records a veto of kind `late` against the event's unit, dated the
/// event's local day (so it costs the awards of the event's year), keeping the event time, the
/// report time and the limit it was judged by (the bulletin's criticism is said from them,
/// never from the event's facts), with a reason that names the report and its delay; and
/// records who confirmed it and when. Under the key of the press that confirms it, that press
/// handled again (a replay after a crash) gets the same answer, the veto it made; any other
/// press finds the flag decided.
pub async fn confirm_urgent_late_on(
    conn: &mut AnyConnection,
    rules: &Rules,
    event: i64,
    press: Option<&str>,
    by: &Recorder,
    at: DateTime<Utc>,
) -> Result<LateDecision> {
    let key = match press {
        Some(press) => format!("urgent:{event}:late:{press}"),
        None => format!("urgent:{event}:late"),
    };
    if press.is_some()
        && let Some(veto) = super::events::by_natural_key(conn, "vetoes", &key).await?
    {
        return Ok(LateDecision::Decided { veto: Some(veto) });
    }
    let stored = match flagged(conn, event).await? {
        Ok(stored) => stored,
        Err(nothing_to_do) => return Ok(nothing_to_do),
    };
    // Judged again on the time as it stands: the office may have corrected it since.
    if let Some(event_at) = stored.facts.event_at
        && !is_late(&rules.urgent, event_at, stored.reported_at)
    {
        return Ok(LateDecision::NoLongerLate);
    }
    let event_at = stored.facts.event_at.unwrap_or(stored.reported_at);
    let day = event_at.with_timezone(&rules.zone()).date_naive();
    let times = LateTimes {
        event_at,
        reported_at: stored.reported_at,
        limit_minutes: rules.urgent.report_within_minutes,
    };
    // Stored records are in the office's language, Chinese, as the bulletin is.
    let locale = Locale::ZhCn;
    let reason = late_veto_reason(
        locale,
        event,
        i64::from(times.delay_minutes()),
        i64::from(times.limit_minutes),
    );
    let veto = match super::events::by_natural_key(conn, "vetoes", &key).await? {
        Some(id) => id,
        None => {
            insert_veto(
                conn,
                stored.unit,
                VetoKind::Late,
                day,
                &reason,
                Some(&times),
                Some(&key),
                by,
            )
            .await?
        }
    };
    sqlx::query(
        "UPDATE urgent_events SET late = 'confirmed', late_decided_by = $1, \
             late_decided_at = $2, late_veto_id = $3 WHERE id = $4",
    )
    .bind(by.0.clone())
    .bind(instant(at))
    .bind(veto)
    .bind(event)
    .execute(&mut *conn)
    .await?;
    Ok(LateDecision::Decided { veto: Some(veto) })
}

/// Dismisses a late flag with the office's reason, recording who and when; no veto is made.
pub async fn dismiss_urgent_late_on(
    conn: &mut AnyConnection,
    event: i64,
    reason: &str,
    by: &Recorder,
    at: DateTime<Utc>,
) -> Result<LateDecision> {
    let reason = required("reason", reason)?;
    if let Err(nothing_to_do) = flagged(conn, event).await? {
        return Ok(nothing_to_do);
    }
    sqlx::query(
        "UPDATE urgent_events SET late = 'dismissed', late_decided_by = $1, \
             late_decided_at = $2, late_reason = $3 WHERE id = $4",
    )
    .bind(by.0.clone())
    .bind(instant(at))
    .bind(reason)
    .bind(event)
    .execute(&mut *conn)
    .await?;
    Ok(LateDecision::Decided { veto: None })
}

impl Store {
    /// Confirms a late flag into a `late` veto (see [`confirm_urgent_late_on`]).
    pub async fn confirm_urgent_late(
        &self,
        rules: &Rules,
        event: i64,
        by: &Recorder,
        at: DateTime<Utc>,
    ) -> Result<LateDecision> {
        let mut tx = self.begin_write().await?;
        let decision = confirm_urgent_late_on(&mut tx, rules, event, None, by, at).await?;
        tx.commit().await?;
        Ok(decision)
    }

    /// Confirms a late flag by a press (see [`confirm_urgent_late_on`]): the same press again
    /// is answered as the first time.
    pub async fn confirm_urgent_late_pressed(
        &self,
        rules: &Rules,
        event: i64,
        press: &str,
        by: &Recorder,
        at: DateTime<Utc>,
    ) -> Result<LateDecision> {
        let mut tx = self.begin_write().await?;
        let decision = confirm_urgent_late_on(&mut tx, rules, event, Some(press), by, at).await?;
        tx.commit().await?;
        Ok(decision)
    }

    /// Dismisses a late flag with a reason (see [`dismiss_urgent_late_on`]).
    pub async fn dismiss_urgent_late(
        &self,
        event: i64,
        reason: &str,
        by: &Recorder,
        at: DateTime<Utc>,
    ) -> Result<LateDecision> {
        let mut tx = self.begin_write().await?;
        let decision = dismiss_urgent_late_on(&mut tx, event, reason, by, at).await?;
        tx.commit().await?;
        Ok(decision)
    }
}
