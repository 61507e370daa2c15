//! `/retract <kind> <id> <reason>` (office): takes a wrong record out of scoring; it stays
//! visible, marked withdrawn.

use super::command::Command;
use super::shown::{item_number, usage};
use super::turn::Turn;
use super::{DeskError, Handled};
use crate::records::RecordKind;

pub async fn retract(turn: &Turn, c: &Command) -> Handled {
    let (words, reason) = c.split(2);
    let kind = words.first().and_then(|k| RecordKind::parse(k));
    let id = words.get(1).and_then(|n| item_number(n));
    let (Some(kind), Some(id), false) = (kind, id, reason.is_empty()) else {
        return usage(turn, "retract");
    };
    let number = id.to_string();
    let retracted = turn
        .desk
        .retract(kind, id, reason, &turn.source, &turn.recorder())
        .await;
    match retracted {
        Ok(_) => turn.say_key("retract.done", &[("id", &number)]),
        Err(DeskError::NotFound { .. }) => {
            turn.say_key("error.unknown_record", &[("id", &number)]);
        }
        Err(DeskError::AlreadyRetracted) => {
            turn.say_key("error.already_retracted", &[("id", &number)]);
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
