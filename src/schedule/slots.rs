//! The calendar of jobs: from the rules (working days, quiet hours, the schedule's days and
//! times), the guidance set and the open commissions, every job due between two instants.

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

use super::{JobKind, Known, Slot, Subject};
use crate::period::{Period, Quarter};
use crate::rules::{ClockTime, Rules};

/// An instant from a local day and time of day in the rules' zone.
fn local(zone: Tz, day: NaiveDate, time: ClockTime) -> DateTime<Utc> {
    crate::period::local_to_utc(NaiveDateTime::new(day, time.0), zone)
}

fn start_of(zone: Tz, day: NaiveDate) -> DateTime<Utc> {
    crate::period::start_of_day(day, zone)
}

/// The instant itself, or the end of the quiet hours it falls in: scheduled messages wait for
/// the morning (RULES.md, "Calendar and the rules file").
pub fn outside_quiet_hours(rules: &Rules, at: DateTime<Utc>) -> DateTime<Utc> {
    let zone = rules.zone();
    let here = at.with_timezone(&zone);
    if !rules.calendar.is_quiet(here.time()) {
        return at;
    }
    let until = rules.calendar.quiet_until;
    let same_day = local(zone, here.date_naive(), until);
    if same_day > at {
        same_day
    } else {
        local(zone, here.date_naive() + Days::new(1), until)
    }
}

/// Every job due from `from` to `to` (both included), in the order they fall due. A job whose
/// due time would come after it went stale (guidance set after its quarter) is none.
pub fn slots(rules: &Rules, known: &Known, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Slot> {
    let zone = rules.zone();
    let mut out = Vec::new();
    // The quarter before `from` too: its bulletin falls due in the next one.
    let mut quarter = Quarter::of_instant(from, zone).previous();
    let last = Quarter::of_instant(to, zone);
    while quarter <= last {
        quarter_slots(rules, known, quarter, &mut out);
        quarter = quarter.next();
    }
    commission_slots(rules, known, &mut out);
    urgent_slots(rules, known, from, to, &mut out);
    let mut due: Vec<Slot> = out
        .into_iter()
        .map(|mut slot| {
            slot.at = outside_quiet_hours(rules, slot.at);
            slot
        })
        .filter(|slot| slot.at >= from && slot.at <= to && slot.at < slot.stale_at)
        .collect();
    due.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.key.cmp(&b.key)));
    due.dedup_by(|a, b| a.key == b.key);
    due
}

fn quarter_slots(rules: &Rules, known: &Known, q: Quarter, out: &mut Vec<Slot>) {
    let zone = rules.zone();
    let schedule = &rules.schedule;
    let starts = q.first_day();
    let ends = q.next().first_day();
    let stale_at = start_of(zone, ends);
    let first_working = rules.calendar.working_day_from(starts);

    if let Some(set) = known.guidance.iter().find(|g| g.quarter == q) {
        let prefix = format!("guidance:{q}:r");
        let key = format!("{prefix}{}", set.revision);
        let earlier_sent = known
            .done
            .iter()
            .any(|k| k.starts_with(&prefix) && *k != key);
        // Topics set after the quarter's first morning go out as soon as they are set.
        let at = local(zone, first_working, schedule.guidance_at).max(set.recorded_at);
        out.push(Slot {
            kind: if earlier_sent {
                JobKind::GuidanceCorrection
            } else {
                JobKind::Guidance
            },
            key,
            at,
            stale_at,
            subject: Subject::Guidance {
                quarter: q,
                revision: set.revision,
                topics: set.topics.clone(),
            },
        });
    }

    let mut reminders = Vec::new();
    for (days, only_empty) in [
        (schedule.quarter_reminder_days, false),
        (schedule.quarter_second_reminder_days, true),
    ] {
        if days == 0 {
            continue;
        }
        let Some(day) = ends.checked_sub_days(Days::new(u64::from(days))) else {
            continue;
        };
        reminders.push(Slot {
            kind: JobKind::QuarterReminder,
            key: format!("reminder:quarter:{q}:{days}d"),
            at: local(zone, day, schedule.reminder_at),
            stale_at,
            subject: Subject::QuarterDeadline {
                quarter: q,
                ends_on: ends.pred_opt().unwrap_or(ends),
                only_empty,
            },
        });
    }
    out.extend(in_series(reminders));

    if !rules.quota.monthly.is_empty() && schedule.quota_reminder_day > 0 {
        for month in 0..3 {
            let first_day = starts
                .checked_add_months(chrono::Months::new(month))
                .unwrap_or(starts);
            let Some(day) = first_day.with_day(schedule.quota_reminder_day) else {
                continue;
            };
            let next_month = first_day
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(ends);
            out.push(Slot {
                kind: JobKind::QuotaReminder,
                key: format!(
                    "reminder:quota:{}-{:02}",
                    first_day.year(),
                    first_day.month()
                ),
                at: local(zone, day, schedule.reminder_at),
                stale_at: start_of(zone, next_month),
                subject: Subject::Quota { first_day },
            });
        }
    }

    let finished = match q.number {
        3 => Some(Period::Half(q.year, 1)),
        1 => Some(Period::Year(q.year - 1)),
        _ => None,
    };
    if let (true, Some(period)) = (schedule.office_reports, finished) {
        out.push(Slot {
            kind: JobKind::OfficeReports,
            key: format!("office:{period}"),
            at: local(zone, first_working, schedule.reminder_at),
            stale_at,
            subject: Subject::OfficeReports { period },
        });
    }

    let bulletin_day = starts + Days::new(u64::from(schedule.bulletin_day.saturating_sub(1)));
    let ended = q.previous();
    out.push(Slot {
        kind: JobKind::Bulletin,
        key: format!("bulletin:{ended}"),
        at: local(zone, bulletin_day, schedule.bulletin_at),
        stale_at,
        subject: Subject::Bulletin { quarter: ended },
    });
}

fn commission_slots(rules: &Rules, known: &Known, out: &mut Vec<Slot>) {
    let zone = rules.zone();
    let schedule = &rules.schedule;
    for c in &known.commissions {
        let after = c.due_on + Days::new(1);
        let mut reminders = Vec::new();
        for days in &schedule.commission_reminder_days {
            let Some(day) = c.due_on.checked_sub_days(Days::new(u64::from(*days))) else {
                continue;
            };
            reminders.push(Slot {
                kind: JobKind::CommissionReminder,
                key: format!("reminder:commission:{}:{days}d", c.id),
                at: local(zone, day, schedule.reminder_at),
                // Of use until the deadline has passed.
                stale_at: start_of(zone, after),
                subject: Subject::Commission {
                    commission: c.clone(),
                    days_left: *days,
                },
            });
        }
        out.extend(in_series(reminders));
        if schedule.commission_overdue {
            out.push(Slot {
                kind: JobKind::CommissionOverdue,
                key: format!("reminder:commission:{}:overdue", c.id),
                at: local(zone, after, schedule.reminder_at),
                // A week on, the office has long seen it in its own lists.
                stale_at: start_of(zone, after + Days::new(7)),
                subject: Subject::CommissionOverdue {
                    commission: c.clone(),
                },
            });
        }
    }
}

/// Reminders of one deadline as a series: each goes stale when the next falls due, so a step
/// run late sends the one that fits the days left, not every one it missed ("3 days left" and
/// "1 day left" together).
fn in_series(mut reminders: Vec<Slot>) -> Vec<Slot> {
    reminders.sort_by_key(|s| s.at);
    let next: Vec<Option<DateTime<Utc>>> = reminders
        .iter()
        .skip(1)
        .map(|s| Some(s.at))
        .chain(std::iter::once(None))
        .collect();
    for (slot, next) in reminders.iter_mut().zip(next) {
        if let Some(at) = next {
            slot.stale_at = slot.stale_at.min(at);
        }
    }
    reminders
}

/// The interval between an open urgent event's follow-up reminders on the day of its latest
/// report.
fn followup_every(rules: &Rules) -> Duration {
    Duration::hours(i64::from(rules.urgent.followup_every_hours.max(1)))
}

/// One follow-up reminder of an open urgent event, counted from its latest report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentReminder {
    /// The last part of its key: `1`, `2`, … on the report's own day, then the local day of a
    /// daily one (`2026-12-02`).
    pub label: String,
    /// When it falls due, already out of quiet hours.
    pub at: DateTime<Utc>,
}

/// The first working day on or after `day` within a year, if any.
fn next_working_day(rules: &Rules, day: NaiveDate) -> Option<NaiveDate> {
    let mut d = day;
    for _ in 0..366 {
        if rules.calendar.is_working_day(d) {
            return Some(d);
        }
        d = d.succ_opt()?;
    }
    None
}

/// The reminders of one event's series, in the order they go out.
struct Series<'a> {
    rules: &'a Rules,
    first_day: std::vec::IntoIter<UrgentReminder>,
    /// The day from which the next daily reminder is looked for; none once there is no more.
    next_day: Option<NaiveDate>,
}

impl Iterator for Series<'_> {
    type Item = UrgentReminder;

    fn next(&mut self) -> Option<UrgentReminder> {
        if let Some(r) = self.first_day.next() {
            return Some(r);
        }
        let day = next_working_day(self.rules, self.next_day?);
        self.next_day = day.and_then(|d| d.succ_opt());
        let day = day?;
        let zone = self.rules.zone();
        Some(UrgentReminder {
            label: day.format("%Y-%m-%d").to_string(),
            at: outside_quiet_hours(
                self.rules,
                local(zone, day, self.rules.urgent.daily_reminder_at),
            ),
        })
    }
}

/// The reminders of the event's first day (RULES.md): every interval after its latest report
/// while still on the day of its first report; several held by the quiet hours to one morning
/// go out once (the last of them), and one held to the morning of a working day gives way to
/// that day's daily reminder. A follow-up on a later day starts no frequent reminders.
fn first_day_reminders(
    rules: &Rules,
    reported_at: DateTime<Utc>,
    last_report_at: DateTime<Utc>,
) -> Vec<UrgentReminder> {
    let zone = rules.zone();
    let day = last_report_at.with_timezone(&zone).date_naive();
    if day != reported_at.with_timezone(&zone).date_naive() {
        return Vec::new();
    }
    let every = followup_every(rules);
    let mut out: Vec<UrgentReminder> = Vec::new();
    for k in 1..=24 {
        let raw = last_report_at + every * k;
        if raw.with_timezone(&zone).date_naive() != day {
            break;
        }
        let at = outside_quiet_hours(rules, raw);
        let reminder = UrgentReminder {
            label: k.to_string(),
            at,
        };
        match out.last_mut() {
            Some(last) if last.at == at => *last = reminder,
            _ => out.push(reminder),
        }
    }
    out.retain(|r| {
        let on = r.at.with_timezone(&zone).date_naive();
        on == day || !rules.calendar.is_working_day(on)
    });
    out
}

/// An open urgent event's follow-up reminders counted from its latest report (first report or
/// follow-up), in order (RULES.md, urgent reports): every `urgent.followup_every_hours` (4) on
/// the event's first day, then once a working day at `urgent.daily_reminder_at` (09:00) from
/// the next day on, until the event is closed. Quiet hours hold each to the morning. Endless
/// while there are working days: the caller takes what it needs.
pub fn urgent_reminders(
    rules: &Rules,
    reported_at: DateTime<Utc>,
    last_report_at: DateTime<Utc>,
) -> impl Iterator<Item = UrgentReminder> + '_ {
    urgent_reminders_from(rules, reported_at, last_report_at, None)
}

/// As [`urgent_reminders`], with the daily ones looked for from `daily_from` on (when later
/// than the day after the report): a long-open event's series need not be walked from its
/// start to reach a range.
fn urgent_reminders_from(
    rules: &Rules,
    reported_at: DateTime<Utc>,
    last_report_at: DateTime<Utc>,
    daily_from: Option<NaiveDate>,
) -> Series<'_> {
    let day = last_report_at.with_timezone(&rules.zone()).date_naive();
    let next_day = day
        .succ_opt()
        .map(|d| daily_from.map_or(d, |from| from.max(d)));
    Series {
        rules,
        first_day: first_day_reminders(rules, reported_at, last_report_at).into_iter(),
        next_day,
    }
}

/// When the office is told of an open event with no follow-up: at the `urgent.escalate_after`th
/// (3rd) reminder counted from its latest report; none if that comes after `until`.
pub fn urgent_escalation_due(
    rules: &Rules,
    reported_at: DateTime<Utc>,
    last_report_at: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let n = usize::try_from(rules.urgent.escalate_after.max(1)).unwrap_or(usize::MAX);
    urgent_reminders(rules, reported_at, last_report_at)
        .take_while(|r| r.at <= until)
        .nth(n - 1)
        .map(|r| r.at)
}

/// Follow-up reminders and escalations of the open urgent events due from `from` to `to`.
///
/// A reminder is keyed by the event, the report it counts from (0 the first report, then the
/// follow-up's number) and its label, `urgent:<event>:<report>:<label>`, so a new follow-up
/// starts a new series; each goes stale when the next falls due, so a catch-up after downtime
/// sends one, not many. The escalation is keyed by the event alone, `urgent:<event>:escalate`,
/// so the office is told once per event whatever follow-ups came before; it does not go stale
/// while the event is open. A closed event is not among the open ones and is due nothing.
fn urgent_slots(
    rules: &Rules,
    known: &Known,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    out: &mut Vec<Slot>,
) {
    let zone = rules.zone();
    // From two days before `from`: quiet hours may hold a reminder due then past `from`.
    let daily_from = (from - Duration::days(2)).with_timezone(&zone).date_naive();
    for event in &known.urgent {
        let mut series = urgent_reminders_from(
            rules,
            event.reported_at,
            event.last_report_at,
            Some(daily_from),
        )
        .peekable();
        while let Some(r) = series.next() {
            if r.at > to {
                break;
            }
            let stale_at = series
                .peek()
                .map_or(DateTime::<Utc>::MAX_UTC, |next| next.at);
            out.push(Slot {
                kind: JobKind::UrgentFollowUp,
                key: format!("urgent:{}:{}:{}", event.id, event.followups, r.label),
                at: r.at,
                stale_at,
                subject: Subject::UrgentFollowUp {
                    event: event.clone(),
                },
            });
        }
        if let Some(at) = urgent_escalation_due(rules, event.reported_at, event.last_report_at, to)
        {
            out.push(Slot {
                kind: JobKind::UrgentEscalation,
                key: format!("urgent:{}:escalate", event.id),
                at,
                stale_at: DateTime::<Utc>::MAX_UTC,
                subject: Subject::UrgentEscalation {
                    event: event.clone(),
                    reminders: rules.urgent.escalate_after.max(1),
                },
            });
        }
    }
}
