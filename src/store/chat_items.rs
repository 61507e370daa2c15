//! Items in the bot: filing from a chat (once per submission), reading them back as summaries,
//! the office's inbox, and returns (退稿).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::Store;
use super::dialogues;
use super::error::{Result, StoreError};
use super::sql::{date, get, instant, read_date, read_instant, read_word};
use super::units::unit_id;
use crate::domain::{AdoptionForm, AdoptionLevel, InstructionLevel, ItemId, Role, UnitId};
use crate::records::{Problem, Recorder};

pub use crate::records::{ChatFiling, DeclineOutcome, ItemSummary};

const ITEM_COLUMNS: &str = "reference, unit_id, category, title, body, distribution_scope, \
     issuing_unit, signer, responsible_person, dated, copies, officer_name, commissioned, \
     commission_id, filed_at, recorded_by, recorded_at, filed_by, topic_id, submission_key";

const SELECT_SUMMARIES: &str = "SELECT i.id, u.code AS unit_code, u.name AS unit_name, \
     i.title, i.filed_at, i.officer_name, p.telegram_id AS filed_by_telegram, \
     (SELECT r.reason FROM item_returns r WHERE r.item_id = i.id \
      ORDER BY r.id DESC LIMIT 1) AS returned, \
     (SELECT r.recorded_at FROM item_returns r WHERE r.item_id = i.id \
      ORDER BY r.id DESC LIMIT 1) AS returned_at, \
     (SELECT COUNT(*) FROM retractions x \
      WHERE x.record_kind = 'item' AND x.record_id = i.id) AS retracted \
     FROM items i JOIN units u ON u.id = i.unit_id LEFT JOIN people p ON p.id = i.filed_by";

/// An item the office has not decided: not adopted (retracted adoptions do not count), not
/// returned, not declined (不采用), and not itself retracted.
const UNDECIDED_CONDITION: &str = "NOT EXISTS (SELECT 1 FROM item_returns r WHERE r.item_id = i.id) \
     AND NOT EXISTS (SELECT 1 FROM item_declines n WHERE n.item_id = i.id) \
     AND NOT EXISTS (SELECT 1 FROM retractions x \
                     WHERE x.record_kind = 'item' AND x.record_id = i.id) \
     AND NOT EXISTS (SELECT 1 FROM adoptions a WHERE a.item_id = i.id \
                     AND NOT EXISTS (SELECT 1 FROM retractions y \
                                     WHERE y.record_kind = 'adoption' AND y.record_id = a.id))";

/// An item in the office's inbox: filed in chat, not opened by anyone in the office, and not
/// decided.
fn inbox_condition() -> String {
    format!(
        "i.filed_by IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM item_reads d WHERE d.item_id = i.id) AND {UNDECIDED_CONDITION}"
    )
}

/// Marks items read by a person of the office, in the caller's transaction; an item read
/// before keeps its first reading.
pub(crate) async fn mark_read_on(
    conn: &mut AnyConnection,
    ids: &[ItemId],
    person_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    for id in ids {
        sqlx::query(
            "INSERT INTO item_reads (item_id, read_at, read_by) VALUES ($1, $2, $3) \
             ON CONFLICT (item_id) DO NOTHING",
        )
        .bind(*id)
        .bind(instant(now))
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Turns the item part of each row into a summary, then adds the items' adoptions and
/// instructions in one query each.
async fn summaries(conn: &mut AnyConnection, rows: Vec<AnyRow>) -> Result<Vec<ItemSummary>> {
    let mut items = rows
        .iter()
        .map(|row| {
            let retracted: i64 = get(row, "retracted")?;
            Ok(ItemSummary {
                id: get(row, "id")?,
                unit_code: get(row, "unit_code")?,
                unit_name: get(row, "unit_name")?,
                title: get(row, "title")?,
                filed_at: read_instant("items.filed_at", get(row, "filed_at")?)?,
                officer: get(row, "officer_name")?,
                filed_by_telegram: get(row, "filed_by_telegram")?,
                returned: get(row, "returned")?,
                returned_at: get::<Option<i64>>(row, "returned_at")?
                    .map(|at| read_instant("item_returns.recorded_at", at))
                    .transpose()?,
                adoptions: Vec::new(),
                instructions: Vec::new(),
                retracted: retracted > 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if items.is_empty() {
        return Ok(items);
    }
    let at: HashMap<ItemId, usize> = items.iter().enumerate().map(|(n, i)| (i.id, n)).collect();
    let ids = id_list(items.iter().map(|i| i.id));
    let adoptions = sqlx::query(&format!(
        "SELECT a.item_id, a.level, a.form, a.adopted_on FROM adoptions a \
         WHERE a.item_id IN ({ids}) \
           AND NOT EXISTS (SELECT 1 FROM retractions r \
                           WHERE r.record_kind = 'adoption' AND r.record_id = a.id) \
         ORDER BY a.adopted_on, a.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for row in &adoptions {
        let item: ItemId = get(row, "item_id")?;
        let level: String = get(row, "level")?;
        let form: String = get(row, "form")?;
        let on: String = get(row, "adopted_on")?;
        if let Some(n) = at.get(&item) {
            items[*n].adoptions.push((
                read_word("adoptions.level", &level, AdoptionLevel::parse)?,
                read_word("adoptions.form", &form, AdoptionForm::parse)?,
                read_date("adoptions.adopted_on", &on)?,
            ));
        }
    }
    let instructions = sqlx::query(&format!(
        "SELECT n.item_id, n.level, n.instructed_on FROM instructions n \
         WHERE n.item_id IN ({ids}) \
           AND NOT EXISTS (SELECT 1 FROM retractions r \
                           WHERE r.record_kind = 'instruction' AND r.record_id = n.id) \
         ORDER BY n.instructed_on, n.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for row in &instructions {
        let item: ItemId = get(row, "item_id")?;
        let level: String = get(row, "level")?;
        let on: String = get(row, "instructed_on")?;
        if let Some(n) = at.get(&item) {
            items[*n].instructions.push((
                read_word("instructions.level", &level, InstructionLevel::parse)?,
                read_date("instructions.instructed_on", &on)?,
            ));
        }
    }
    Ok(items)
}

/// An item's 不采用, if the office made one: by the office member's current name, or, when made
/// elsewhere, by what recorded it.
pub(crate) async fn declined_on(
    conn: &mut AnyConnection,
    id: ItemId,
) -> Result<Option<crate::records::Declined>> {
    let row = sqlx::query(
        "SELECT COALESCE(p.name, n.recorded_by) AS by_name, n.recorded_at \
         FROM item_declines n LEFT JOIN people p ON p.id = n.person_id WHERE n.item_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(crate::records::Declined {
            by: get(&row, "by_name")?,
            at: read_instant("item_declines.recorded_at", get(&row, "recorded_at")?)?,
        })
    })
    .transpose()
}

async fn summary(conn: &mut AnyConnection, id: ItemId) -> Result<Option<ItemSummary>> {
    let rows = sqlx::query(&format!("{SELECT_SUMMARIES} WHERE i.id = $1"))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(summaries(conn, rows).await?.pop())
}

/// Row ids written out for `IN (…)`: whole numbers cannot inject anything, and the lists here
/// are short (a page of items, the items a person marks read).
fn id_list(ids: impl Iterator<Item = ItemId>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(", ")
}

fn clean(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// A title search as a LIKE pattern: the word anywhere, its `%`, `_` and `\` taken literally.
fn contains_pattern(word: &str) -> String {
    let mut pattern = String::from("%");
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An item number as people write it: `12`, `#12`, `No.12`.
fn item_number(word: &str) -> Option<ItemId> {
    let digits = word
        .trim()
        .trim_start_matches('#')
        .trim_start_matches("No.")
        .trim_start_matches("no.")
        .trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl Store {
    /// Stores an item filed in a chat and the chat's next state, in one transaction. A
    /// submission whose key is stored already stores no second item: its number comes back
    /// with `false`, and the state is still saved. The filer must be registered; one who is
    /// not of the office files for their own unit only. A commission must be the unit's.
    pub async fn file_from_chat(
        &self,
        filing: &ChatFiling,
        chat_id: i64,
        done_state_json: Option<&str>,
        by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<(ItemId, bool)> {
        let mut tx = self.begin_write().await?;
        let (id, new) = file_in(&mut tx, filing, by, now).await?;
        if let Some(state) = done_state_json {
            dialogues::save(&mut tx, chat_id, filing.filed_by, state, now).await?;
        }
        tx.commit().await?;
        Ok((id, new))
    }

    /// One item's summary.
    pub async fn item(&self, id: ItemId) -> Result<Option<ItemSummary>> {
        let mut conn = self.pool().acquire().await?;
        summary(&mut conn, id).await
    }

    /// Items by number when the word is one (`12`, `#12`), else by a word in the title (`%`
    /// and `_` are plain characters), the newest first.
    pub async fn find_items(&self, word: &str, limit: i64) -> Result<Vec<ItemSummary>> {
        let word = word.trim();
        let mut conn = self.pool().acquire().await?;
        if let Some(id) = item_number(word) {
            return Ok(summary(&mut conn, id).await?.into_iter().collect());
        }
        if word.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "{SELECT_SUMMARIES} WHERE LOWER(i.title) LIKE LOWER($1) ESCAPE '\\' \
             ORDER BY i.filed_at DESC, i.id DESC LIMIT $2"
        ))
        .bind(contains_pattern(word))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        summaries(&mut conn, rows).await
    }

    /// A unit's items, the newest first; its direct-report points' items are their own.
    pub async fn items_of_unit(&self, unit_id: UnitId, limit: i64) -> Result<Vec<ItemSummary>> {
        let mut conn = self.pool().acquire().await?;
        let rows = sqlx::query(&format!(
            "{SELECT_SUMMARIES} WHERE i.unit_id = $1 ORDER BY i.filed_at DESC, i.id DESC LIMIT $2"
        ))
        .bind(unit_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        summaries(&mut conn, rows).await
    }

    /// The office's inbox: items filed in chat that nobody in the office has marked read and
    /// that await a decision (not adopted, returned or retracted), the newest first, older than
    /// item `before` when paging. Items imported or entered on the command line are history the
    /// office already has, not news.
    pub async fn inbox(&self, before: Option<ItemId>, limit: i64) -> Result<Vec<ItemSummary>> {
        let mut conn = self.pool().acquire().await?;
        let rows = sqlx::query(&format!(
            "{SELECT_SUMMARIES} WHERE {} AND i.id < $1 ORDER BY i.id DESC LIMIT $2",
            inbox_condition()
        ))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        summaries(&mut conn, rows).await
    }

    /// How many items the inbox holds in all.
    pub async fn inbox_count(&self) -> Result<i64> {
        let count: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM items i WHERE {}",
            inbox_condition()
        ))
        .fetch_one(self.pool())
        .await?;
        Ok(count)
    }

    /// The items filed from `from` (inclusive) to `to` (exclusive) that the office has not
    /// decided, whatever way they came (chat, import, command line), read or not: the newest
    /// first, older than item `before` when paging; and how many there are in all.
    pub async fn undecided(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        before: Option<ItemId>,
        limit: i64,
    ) -> Result<(Vec<ItemSummary>, i64)> {
        let mut conn = self.pool().acquire().await?;
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM items i WHERE {UNDECIDED_CONDITION} \
             AND i.filed_at >= $1 AND i.filed_at < $2"
        ))
        .bind(instant(from))
        .bind(instant(to))
        .fetch_one(&mut *conn)
        .await?;
        let rows = sqlx::query(&format!(
            "{SELECT_SUMMARIES} WHERE {UNDECIDED_CONDITION} \
             AND i.filed_at >= $1 AND i.filed_at < $2 AND i.id < $3 \
             ORDER BY i.id DESC LIMIT $4"
        ))
        .bind(instant(from))
        .bind(instant(to))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        Ok((summaries(&mut conn, rows).await?, total))
    }

    /// Records the office's 不采用 of an item (seen, not adopted): a decision that moves no
    /// points, one per item, with who (`person`, an office member) and when. Asked again (a
    /// second tap, the update delivered again) it finds the first and stores nothing. An item
    /// with a standing adoption is not declined. An unknown item is `NotFound`.
    pub async fn decline_item(
        &self,
        id: ItemId,
        person: Option<i64>,
        key: Option<&str>,
        by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<DeclineOutcome> {
        let mut tx = self.begin_write().await?;
        let item = summary(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "item",
                key: id.to_string(),
            })?;
        let before = declined_on(&mut tx, id).await?;
        if let Some(declined) = before {
            // The same input handled again (a crash before its commit) recorded it: it is
            // still this input's decision.
            let same: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM item_declines WHERE item_id = $1 AND natural_key = $2",
            )
            .bind(id)
            .bind(key.unwrap_or_default().to_string())
            .fetch_optional(&mut *tx)
            .await?;
            return Ok(DeclineOutcome::Declined(item, declined, same.is_some()));
        }
        if !item.adoptions.is_empty() {
            return Ok(DeclineOutcome::Adopted(item));
        }
        sqlx::query(
            "INSERT INTO item_declines (item_id, person_id, recorded_by, recorded_at, natural_key) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (item_id) DO NOTHING",
        )
        .bind(id)
        .bind(person)
        .bind(by.0.clone())
        .bind(instant(now))
        .bind(key.map(str::to_string))
        .execute(&mut *tx)
        .await?;
        let declined = declined_on(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "decline",
                key: id.to_string(),
            })?;
        tx.commit().await?;
        Ok(DeclineOutcome::Declined(item, declined, true))
    }

    /// How many times an item was returned.
    pub async fn item_returns(&self, id: ItemId) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM item_returns WHERE item_id = $1")
                .bind(id)
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Marks items read by a person of the office; an item read before keeps its first reading.
    /// An unknown item is `NotFound` and nothing is marked.
    pub async fn mark_read(
        &self,
        ids: &[ItemId],
        person_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let found: Vec<ItemId> = sqlx::query(&format!(
            "SELECT id FROM items WHERE id IN ({})",
            id_list(ids.iter().copied())
        ))
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| get(row, "id"))
        .collect::<Result<_>>()?;
        if let Some(missing) = ids.iter().find(|id| !found.contains(id)) {
            return Err(StoreError::NotFound {
                what: "item",
                key: missing.to_string(),
            });
        }
        mark_read_on(&mut tx, ids, person_id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Returns an item to its unit (退稿) with a reason. The item stays filed and keeps its
    /// filing point; the return is a new row, and a later one is the reason shown.
    pub async fn return_item(
        &self,
        id: ItemId,
        reason: &str,
        by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<ItemSummary> {
        self.return_item_keyed(id, reason, None, by, now).await
    }

    /// Like [`Store::return_item`]; under a natural key (the chat and the message that asked)
    /// the same key again is the same return.
    pub async fn return_item_keyed(
        &self,
        id: ItemId,
        reason: &str,
        key: Option<&str>,
        by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<ItemSummary> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid {
                column: "reason",
                problem: Problem::Empty,
            });
        }
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM items WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound {
                what: "item",
                key: id.to_string(),
            });
        }
        let done = super::events::by_natural_key(&mut tx, "item_returns", key.unwrap_or_default())
            .await?
            .is_some();
        if !done {
            sqlx::query(
                "INSERT INTO item_returns (item_id, reason, recorded_by, recorded_at, natural_key) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(reason.to_string())
            .bind(by.0.clone())
            .bind(instant(now))
            .bind(key.map(str::to_string))
            .execute(&mut *tx)
            .await?;
        }
        let item = summary(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "item",
                key: id.to_string(),
            })?;
        tx.commit().await?;
        Ok(item)
    }
}

/// Files a chat filing inside the caller's write transaction: a submission whose key is stored
/// already stores no second item, and its number comes back with `false`. Sign-off files an
/// approved item through here too.
pub(super) async fn file_in(
    conn: &mut AnyConnection,
    filing: &ChatFiling,
    by: &Recorder,
    now: DateTime<Utc>,
) -> Result<(ItemId, bool)> {
    let key = filing.submission_key.trim();
    if key.is_empty() {
        return Err(StoreError::Invalid {
            column: "submission_key",
            problem: Problem::Empty,
        });
    }
    let existing = stored_submission(&mut *conn, key).await?;
    let (id, new) = match existing {
        Some(id) => (id, false),
        None => match insert_filing(&mut *conn, filing, key, by, now).await? {
            Some(id) => (id, true),
            // Filed at this very moment by another transaction (PostgreSQL): that one.
            None => match stored_submission(&mut *conn, key).await? {
                Some(id) => (id, false),
                None => {
                    return Err(StoreError::NotFound {
                        what: "submission",
                        key: key.to_string(),
                    });
                }
            },
        },
    };
    Ok((id, new))
}

async fn stored_submission(conn: &mut AnyConnection, key: &str) -> Result<Option<ItemId>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM items WHERE submission_key = $1")
            .bind(key.to_string())
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Inserts a chat filing after checking its filer, unit, topic and commission; None when an
/// item with its key appeared meanwhile.
async fn insert_filing(
    conn: &mut AnyConnection,
    filing: &ChatFiling,
    key: &str,
    by: &Recorder,
    now: DateTime<Utc>,
) -> Result<Option<ItemId>> {
    let item = &filing.item;
    let unit = unit_id(conn, &item.unit_code).await?;
    let filer = sqlx::query("SELECT name, unit_id, role FROM people WHERE id = $1")
        .bind(filing.filed_by)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "person",
            key: filing.filed_by.to_string(),
        })?;
    let filer_name: String = get(&filer, "name")?;
    let filer_unit: Option<UnitId> = get(&filer, "unit_id")?;
    let filer_role: String = get(&filer, "role")?;
    let filer_role = read_word("people.role", &filer_role, Role::parse)?;
    if filer_role != Role::Office && filer_unit != Some(unit) {
        return Err(StoreError::Invalid {
            column: "unit",
            problem: Problem::Conflict {
                value: item.unit_code.trim().to_string(),
            },
        });
    }
    if let Some(topic) = filing.topic_id {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM guidance_topics WHERE id = $1")
            .bind(topic)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(StoreError::NotFound {
                what: "guidance topic",
                key: topic.to_string(),
            });
        }
    }
    if let Some(commission) = filing.commission_id {
        let of_unit: Option<UnitId> =
            sqlx::query_scalar("SELECT unit_id FROM commissions WHERE id = $1")
                .bind(commission)
                .fetch_optional(&mut *conn)
                .await?;
        match of_unit {
            None => {
                return Err(StoreError::NotFound {
                    what: "commission",
                    key: commission.to_string(),
                });
            }
            Some(of_unit) if of_unit != unit => {
                return Err(StoreError::Invalid {
                    column: "commission",
                    problem: Problem::Conflict {
                        value: commission.to_string(),
                    },
                });
            }
            Some(_) => {}
        }
    }
    let h = &item.header;
    let placeholders = (1..=20)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let id: Option<i64> = sqlx::query_scalar(&format!(
        "INSERT INTO items ({ITEM_COLUMNS}) VALUES ({placeholders}) \
         ON CONFLICT (submission_key) DO NOTHING RETURNING id"
    ))
    .bind(clean(&item.reference))
    .bind(unit)
    .bind(i64::from(item.category.number()))
    .bind(item.title.trim().to_string())
    .bind(item.body.clone())
    .bind(clean(&h.distribution_scope))
    .bind(clean(&h.issuing_unit))
    .bind(clean(&h.signer))
    .bind(clean(&h.responsible_person))
    .bind(h.dated.map(date))
    .bind(h.copies.map(i64::from))
    .bind(clean(&item.officer).or(Some(filer_name)))
    .bind(i64::from(
        item.commissioned || filing.commission_id.is_some(),
    ))
    .bind(filing.commission_id)
    .bind(instant(item.filed_at))
    .bind(by.0.clone())
    .bind(instant(now))
    .bind(filing.filed_by)
    .bind(filing.topic_id)
    .bind(key.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_search_takes_percent_and_underscore_literally() {
        assert_eq!(contains_pattern("100%"), "%100\\%%");
        assert_eq!(contains_pattern("a_b\\c"), "%a\\_b\\\\c%");
    }

    #[test]
    fn an_item_number_may_carry_a_hash_or_no() {
        assert_eq!(item_number("12"), Some(12));
        assert_eq!(item_number(" #7 "), Some(7));
        assert_eq!(item_number("No.3"), Some(3));
        assert_eq!(item_number("12a"), None);
        assert_eq!(item_number("-1"), None);
        assert_eq!(item_number(""), None);
    }
}
