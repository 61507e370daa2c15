//! Issuing the quarterly bulletin (the shell around [`super::bulletin`]): the year's ledger from
//! the store, the bulletin from the scoring engine, then one transaction that stores the
//! numbered snapshot once and queues a message to every recipient. Nothing issues on its own:
//! the office sees [`preview_issue`] first (`/bulletin`, the scheduler's message on the
//! bulletin day, `unionbot bulletin`) and issues on confirmation (the 确认印发 button,
//! `unionbot bulletin --send`). A quarter with no filing at all is issued only when asked to
//! (`allow_empty`).
//!
//! Keys: `bulletin:<quarter>:<person id>` (forced re-send n: `bulletin:<quarter>:f<n>:<person
//! id>`), every row in the batch `bulletin:<quarter>` and bulk. A short message too long for a
//! document's caption goes as a message of its own, and the document after it under the same
//! key with `:doc` added.

use chrono::{DateTime, Utc};

use super::bulletin::{
    Bulletin, build, document_name, head_message, number_label, office_message, render_text,
};
use crate::domain::Role;
use crate::i18n::{Locale, escape_html, t};
use crate::period::{Period, Quarter};
use crate::records::Recorder;
use crate::rules::Rules;
use crate::store::{BulletinIssue, NewMessage, Person, Store, StoreError, StoredBulletin};

/// Telegram takes at most this many characters as a document's caption.
pub const CAPTION_LIMIT: usize = 1024;

/// What issuing a bulletin did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedBulletin {
    pub quarter: Quarter,
    /// The year it is numbered in and its number there: 2026年第1期 is (2026, 1).
    pub year: i32,
    pub number: u32,
    /// Whether this call stored it; false when it had been issued before.
    pub newly_stored: bool,
    /// The forced re-send this call made (1, 2, …), if any.
    pub resend: Option<u32>,
    /// Outbox rows this call queued (none for people who had theirs already).
    pub queued: usize,
    /// Of the recipients, the heads and the office members this call queued messages for.
    pub heads: usize,
    pub office: usize,
    pub issued_at: DateTime<Utc>,
    /// The bulletin as stored.
    pub bulletin: Bulletin,
}

/// Why a bulletin was not issued.
#[derive(Debug, thiserror::Error)]
pub enum BulletinError {
    /// Its quarter is not over: a snapshot now would freeze half a quarter.
    #[error("{0} has not ended")]
    NotEnded(Quarter),
    /// Never issued and from before last year: a slip of the year, not a bulletin anyone waits
    /// for (its units and people are today's, not that year's).
    #[error("{0} is too long ago to issue a first bulletin for")]
    TooOld(Quarter),
    /// No unit filed anything in the quarter, and issuing it anyway was not asked for.
    #[error("nothing was filed in {0}")]
    NoFiling(Quarter),
    /// The number asked for is another bulletin's of the same year.
    #[error("bulletin number {number} of {year} is taken")]
    NumberUsed {
        year: i32,
        number: u32,
        /// The quarter whose bulletin has it, when known.
        quarter: Option<Quarter>,
    },
    /// A number was asked for a quarter issued before under another: a number once given
    /// stays.
    #[error("{quarter} was issued as number {number} of {year}")]
    NumberFixed {
        quarter: Quarter,
        year: i32,
        number: u32,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How a bulletin is to be issued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IssueRequest<'a> {
    /// Send the issued bulletin to everyone again.
    pub force: bool,
    /// Issue it though nothing was filed in the quarter.
    pub allow_empty: bool,
    /// Its number, where earlier bulletins of the year were issued outside this program.
    pub number: Option<u32>,
    /// The chat message or press that asked: handling it again re-sends nothing.
    pub source: Option<&'a str>,
}

/// What issuing a quarter's bulletin now would do, or that it was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuePreview {
    /// Not issued yet: the bulletin as the records stand, carrying the number it would get,
    /// and whom it would reach.
    Fresh {
        bulletin: Bulletin,
        heads: usize,
        office: usize,
        /// Nothing was filed in the quarter: it is issued only if the office insists.
        empty: bool,
    },
    /// Issued before: what was stored.
    Issued(StoredBulletin),
}

/// The batch every message of a quarter's bulletin carries.
pub fn bulletin_batch(quarter: Quarter) -> String {
    format!("bulletin:{quarter}")
}

/// The key of a person's message: `bulletin:<quarter>:<person id>`, or for forced re-send n
/// `bulletin:<quarter>:f<n>:<person id>`.
pub fn bulletin_key(quarter: Quarter, resend: Option<u32>, person_id: i64) -> String {
    match resend {
        None => format!("bulletin:{quarter}:{person_id}"),
        Some(n) => format!("bulletin:{quarter}:f{n}:{person_id}"),
    }
}

/// Who receives a bulletin: every head bound to a unit, and every office member, whom the bot
/// can reach (not marked unreachable). Everyone registered has a Telegram chat.
pub fn is_bulletin_recipient(person: &Person) -> bool {
    let role = match person.role {
        Role::Head => person.unit_id.is_some(),
        Role::Office => true,
        Role::Officer | Role::Leader => false,
    };
    role && person.unreachable_since.is_none()
}

/// The recipients of a bulletin now, by unit then name (the office last): what a preview counts.
pub async fn bulletin_recipients(store: &Store) -> Result<Vec<Person>, StoreError> {
    let mut people = store.people().await?;
    people.retain(is_bulletin_recipient);
    Ok(people)
}

/// The bulletin of `quarter` as the records stand at `now`, not numbered (number 0).
pub async fn preview_bulletin(
    store: &Store,
    rules: &Rules,
    quarter: Quarter,
    now: DateTime<Utc>,
) -> Result<Bulletin, StoreError> {
    let zone = rules.zone();
    let ledger = store
        .load_ledger_for_points(Period::Year(quarter.year), zone)
        .await?;
    let guidance = store
        .guidance(quarter.next())
        .await?
        .into_iter()
        .map(|topic| topic.title)
        .collect();
    let as_of = now.with_timezone(&zone).date_naive();
    Ok(build(rules, &ledger, quarter, as_of, guidance))
}

/// The number the next bulletin of `year` gets: one after the year's last.
pub async fn next_number(store: &Store, year: i32) -> Result<u32, StoreError> {
    let last = store.bulletins(year).await?.last().map_or(0, |b| b.number);
    Ok(last.saturating_add(1))
}

/// Refuses a quarter whose bulletin cannot be issued at `now`: not over yet, or never issued
/// and from before last year.
fn check_quarter(
    rules: &Rules,
    quarter: Quarter,
    now: DateTime<Utc>,
    issued: bool,
) -> Result<(), BulletinError> {
    if !has_ended(rules, quarter, now) {
        return Err(BulletinError::NotEnded(quarter));
    }
    if !issued && quarter.year < Quarter::of_instant(now, rules.zone()).year - 1 {
        return Err(BulletinError::TooOld(quarter));
    }
    Ok(())
}

/// What issuing `quarter` now would do (nothing is stored or sent): the bulletin with the
/// number it would get (`number`, else the next of its year) and its recipients, or the one
/// issued before. A number the year has used, or a number other than an issued bulletin's,
/// is refused here as issuing would.
pub async fn preview_issue(
    store: &Store,
    rules: &Rules,
    quarter: Quarter,
    now: DateTime<Utc>,
    number: Option<u32>,
) -> Result<IssuePreview, BulletinError> {
    let stored = store.bulletin(quarter).await?;
    check_quarter(rules, quarter, now, stored.is_some())?;
    if let Some(stored) = stored {
        return match number {
            Some(n) if n != stored.number => Err(BulletinError::NumberFixed {
                quarter,
                year: stored.year,
                number: stored.number,
            }),
            _ => Ok(IssuePreview::Issued(stored)),
        };
    }
    let mut bulletin = preview_bulletin(store, rules, quarter, now).await?;
    bulletin.number = match number {
        Some(n) => {
            check_number(store, quarter.year, n).await?;
            n
        }
        None => next_number(store, quarter.year).await?,
    };
    let recipients = bulletin_recipients(store).await?;
    let count = |role: Role| recipients.iter().filter(|p| p.role == role).count();
    Ok(IssuePreview::Fresh {
        empty: !bulletin.has_filings(),
        heads: count(Role::Head),
        office: count(Role::Office),
        bulletin,
    })
}

/// Refuses a number another bulletin of the year has.
async fn check_number(store: &Store, year: i32, number: u32) -> Result<(), BulletinError> {
    match store
        .bulletins(year)
        .await?
        .iter()
        .find(|b| b.number == number)
    {
        Some(b) => Err(BulletinError::NumberUsed {
            year,
            number,
            quarter: Some(b.quarter),
        }),
        None => Ok(()),
    }
}

/// The bulletin a stored snapshot holds.
pub fn read_snapshot(stored: &StoredBulletin) -> Result<Bulletin, StoreError> {
    serde_json::from_str(&stored.snapshot).map_err(|e| StoreError::BadValue {
        column: "bulletins.snapshot",
        value: e.to_string(),
    })
}

/// Whether the quarter is over at `now` (in the rules' zone).
pub fn has_ended(rules: &Rules, quarter: Quarter, now: DateTime<Utc>) -> bool {
    now >= Period::Quarter(quarter).instants(rules.zone()).1
}

/// Issues the bulletin of `quarter`: stores the snapshot once (a second call finds it and
/// sends what it holds; nothing is worked out again) and, in the same transaction, queues a
/// message to every recipient. The same call twice queues nothing more; `force` queues the
/// stored bulletin again under a new re-send number.
pub async fn issue_bulletin(
    store: &Store,
    rules: &Rules,
    quarter: Quarter,
    now: DateTime<Utc>,
    by: &Recorder,
    force: bool,
) -> Result<IssuedBulletin, BulletinError> {
    let request = IssueRequest {
        force,
        ..IssueRequest::default()
    };
    issue_bulletin_as(store, rules, quarter, now, by, request).await
}

/// [`issue_bulletin`] for a chat message (`source`, its lasting key): handling the message
/// again takes the re-send it made, so a forced re-send is not repeated.
pub async fn issue_bulletin_keyed(
    store: &Store,
    rules: &Rules,
    quarter: Quarter,
    now: DateTime<Utc>,
    by: &Recorder,
    force: bool,
    source: Option<&str>,
) -> Result<IssuedBulletin, BulletinError> {
    let request = IssueRequest {
        force,
        source,
        ..IssueRequest::default()
    };
    issue_bulletin_as(store, rules, quarter, now, by, request).await
}

/// Issues the bulletin of `quarter` as `request` says: a quarter with no filing is refused
/// unless `allow_empty`; `number` numbers it (refused when the year has it already, or when
/// the quarter was issued under another); `force` sends an issued one again.
pub async fn issue_bulletin_as(
    store: &Store,
    rules: &Rules,
    quarter: Quarter,
    now: DateTime<Utc>,
    by: &Recorder,
    request: IssueRequest<'_>,
) -> Result<IssuedBulletin, BulletinError> {
    let IssueRequest {
        force,
        allow_empty,
        number,
        source,
    } = request;
    let stored = store.bulletin(quarter).await?;
    check_quarter(rules, quarter, now, stored.is_some())?;
    // Worked out only when the quarter has no bulletin yet.
    let fresh = match stored {
        Some(stored) => match number {
            Some(n) if n != stored.number => {
                return Err(BulletinError::NumberFixed {
                    quarter,
                    year: stored.year,
                    number: stored.number,
                });
            }
            _ => None,
        },
        None => {
            if let Some(n) = number {
                check_number(store, quarter.year, n).await?;
            }
            let bulletin = preview_bulletin(store, rules, quarter, now).await?;
            if !allow_empty && !bulletin.has_filings() {
                return Err(BulletinError::NoFiling(quarter));
            }
            Some(bulletin)
        }
    };
    let recipients = bulletin_recipients(store).await?;
    let make = |number: u32| -> Result<(String, String), StoreError> {
        let mut bulletin = fresh.clone().ok_or_else(|| StoreError::NotFound {
            what: "bulletin to store",
            key: quarter.to_string(),
        })?;
        bulletin.number = number;
        let json = serde_json::to_string(&bulletin).map_err(|e| StoreError::BadValue {
            column: "bulletins.snapshot",
            value: e.to_string(),
        })?;
        Ok((json, render_text(&bulletin, Locale::ZhCn)))
    };
    let messages = |stored: &StoredBulletin, resend: Option<u32>| -> Result<_, StoreError> {
        let bulletin = read_snapshot(stored)?;
        Ok(recipients
            .iter()
            .flat_map(|person| messages_for(&bulletin, person, resend))
            .collect())
    };
    let sending = match store
        .issue_bulletin_with(BulletinIssue {
            quarter,
            fresh: &make,
            messages: &messages,
            force,
            number,
            source,
            by,
            now,
        })
        .await
    {
        Ok(sending) => sending,
        // Taken between the check and the transaction.
        Err(StoreError::AlreadyExists {
            what: "bulletin number",
            ..
        }) => {
            return Err(BulletinError::NumberUsed {
                year: quarter.year,
                number: number.unwrap_or_default(),
                quarter: None,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let bulletin = read_snapshot(&sending.bulletin)?;
    let reached = |role: Role| {
        recipients
            .iter()
            .filter(|p| p.role == role)
            .filter(|p| {
                let key = bulletin_key(quarter, sending.resend, p.id);
                let document = format!("{key}:doc");
                sending.queued.iter().any(|k| *k == key || *k == document)
            })
            .count()
    };
    Ok(IssuedBulletin {
        quarter,
        year: sending.bulletin.year,
        number: sending.bulletin.number,
        newly_stored: sending.newly_stored,
        resend: sending.resend,
        queued: sending.queued.len(),
        heads: reached(Role::Head),
        office: reached(Role::Office),
        issued_at: sending.bulletin.issued_at,
        bulletin,
    })
}

/// A recipient's messages: the short message in their language with the whole bulletin
/// attached, or, when the message is too long for a caption, the message and then the document.
pub fn messages_for(bulletin: &Bulletin, person: &Person, resend: Option<u32>) -> Vec<NewMessage> {
    let locale = Locale::or_default(person.locale.as_deref());
    let text = match (person.role, person.unit_id) {
        (Role::Head, Some(unit)) => head_message(bulletin, locale, unit),
        _ => office_message(bulletin, locale),
    };
    let key = bulletin_key(bulletin.quarter, resend, person.id);
    let document = Some((document_name(bulletin), render_text(bulletin, locale)));
    let message = |key: String, text: String, document: Option<(String, String)>| NewMessage {
        key,
        chat_id: person.telegram_id,
        text,
        document,
        batch: Some(bulletin_batch(bulletin.quarter)),
        bulk: true,
        ..NewMessage::default()
    };
    let html = escape_html(&text);
    if html.chars().map(char::len_utf16).sum::<usize>() <= CAPTION_LIMIT {
        return vec![message(key, html, document)];
    }
    let caption = escape_html(text.lines().next().unwrap_or_default());
    vec![
        message(key.clone(), html, None),
        message(format!("{key}:doc"), caption, document),
    ]
}

/// What an issuing did, in words: issued now, issued before (and who had not had it yet), or
/// sent again; the time of issue read in `zone`.
pub fn describe_outcome(locale: Locale, zone: chrono_tz::Tz, issued: &IssuedBulletin) -> String {
    let number = number_label(locale, issued.year, issued.number);
    let at = issued
        .issued_at
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let resend = issued.resend.map(|n| n.to_string()).unwrap_or_default();
    let key = match (issued.newly_stored, issued.resend) {
        (true, _) => "bulletin.outcome.issued",
        (false, Some(_)) => "bulletin.outcome.resent",
        (false, None) => "bulletin.outcome.already",
    };
    t(
        locale,
        key,
        &[
            ("number", &number),
            ("queued", &issued.queued.to_string()),
            ("heads", &issued.heads.to_string()),
            ("office", &issued.office.to_string()),
            ("at", &at),
            ("resend", &resend),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: Role, unit: Option<i64>, unreachable: bool) -> Person {
        Person {
            id: 7,
            telegram_id: 70,
            name: "张三".into(),
            unit_id: unit,
            unit_code: None,
            unit_name: None,
            role,
            locale: None,
            name_confirmed: true,
            name_asked: false,
            unreachable_since: unreachable.then(Utc::now),
            left_at: None,
        }
    }

    #[test]
    fn the_recipients_are_reachable_heads_of_a_unit_and_the_office() {
        assert!(is_bulletin_recipient(&person(Role::Head, Some(1), false)));
        assert!(is_bulletin_recipient(&person(Role::Office, None, false)));
        assert!(!is_bulletin_recipient(&person(Role::Head, Some(1), true)));
        assert!(!is_bulletin_recipient(&person(
            Role::Officer,
            Some(1),
            false
        )));
        assert!(!is_bulletin_recipient(&person(
            Role::Leader,
            Some(1),
            false
        )));
    }

    #[test]
    fn keys_name_the_quarter_the_re_send_and_the_person() {
        let q = Quarter::new(2026, 1).unwrap();
        assert_eq!(bulletin_key(q, None, 12), "bulletin:2026Q1:12");
        assert_eq!(bulletin_key(q, Some(2), 12), "bulletin:2026Q1:f2:12");
        assert_eq!(bulletin_batch(q), "bulletin:2026Q1");
    }
}
