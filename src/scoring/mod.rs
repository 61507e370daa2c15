//! The one scoring engine: pure functions from the rules and a ledger of events to points,
//! standings, award proposals and honoraria. It imports nothing of the store, the bot or tokio.

pub mod ledger;

pub use ledger::*;
