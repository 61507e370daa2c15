//! Telling other people what a record means for them — the officer whose item was adopted,
//! the leaders of a vetoed unit — each in their own language, keyed so each is told once.

use super::DeskError;
use super::turn::Turn;
use crate::domain::{Role, UnitId};
use crate::i18n::Locale;
use crate::records::{ItemSummary, Person};

/// A notice's text in a person's language.
pub type Text<'a> = &'a (dyn Fn(Locale) -> String + Sync);

/// Queues the notice for each person (`key` plus their address makes it once only); how many.
pub fn tell(turn: &Turn, people: &[Person], key: &str, text: Text<'_>) -> usize {
    let mut told = 0;
    for person in people {
        let locale = Locale::or_default(person.locale.as_deref());
        let key = format!("{key}:{}", person.telegram_id);
        if turn.notify(&key, person.telegram_id, &text(locale)) {
            told += 1;
        }
    }
    told
}

/// Tells the people of a unit in the given roles; how many.
pub async fn tell_unit(
    turn: &Turn,
    unit: UnitId,
    roles: &[Role],
    key: &str,
    text: Text<'_>,
) -> Result<usize, DeskError> {
    let mut told = 0;
    for role in roles {
        let people = turn.desk.people_of_unit(unit, Some(*role)).await?;
        told += tell(turn, &people, key, text);
    }
    Ok(told)
}

/// Tells the officer who filed `item`, or else the unit's officers; how many.
pub async fn tell_officers(
    turn: &Turn,
    item: &ItemSummary,
    key: &str,
    text: Text<'_>,
) -> Result<usize, DeskError> {
    let mut people = Vec::new();
    if let Some(filer) = item.filed_by_telegram {
        people.extend(turn.desk.person_at(filer).await?);
    }
    if people.is_empty() {
        if let Some(unit) = turn.desk.unit_by_code(&item.unit_code).await? {
            people = turn
                .desk
                .people_of_unit(unit.id, Some(Role::Officer))
                .await?;
        }
    }
    Ok(tell(turn, &people, key, text))
}

/// Tells whoever is at `address` (the officer who confirmed an item), in their language, or in
/// Chinese when the address is no one registered any more.
pub async fn tell_address(
    turn: &Turn,
    address: i64,
    key: &str,
    text: Text<'_>,
) -> Result<(), DeskError> {
    let locale = turn
        .desk
        .person_at(address)
        .await?
        .map_or(Locale::ZhCn, |p| Locale::or_default(p.locale.as_deref()));
    turn.notify(&format!("{key}:{address}"), address, &text(locale));
    Ok(())
}
