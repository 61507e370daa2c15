//! The one scoring engine: pure functions from the rules and a ledger of events to points,
//! standings, award proposals and honoraria. It imports nothing of the store, the bot or tokio,
//! so every answer (`/score`, `unionbot standings`, the bulletin, the awards) is the same sum.

mod awards;
mod honoraria;
pub mod ledger;
mod score;
mod standings;

pub use awards::{AwardProposal, Reason, awards, tier_for};
pub use honoraria::{Honorarium, HonorariumLine, honoraria};
pub use ledger::*;
pub use score::{Line, Scoreboard, Source, Tally, UnitScore, counted_adoptions, score};
pub use standings::{Standing, compare, rank, standings, standings_of};

#[cfg(test)]
pub(crate) mod properties;
#[cfg(test)]
mod tests;
