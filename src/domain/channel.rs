//! Where a person is reached: Telegram, or the terminal (`unionbot chat`). A conversation is
//! known by one number, its address, on either; the terminal's addresses lie outside Telegram's
//! ids, so one column holds both and the address alone says the channel.

/// Telegram's user and chat ids have at most 52 significant bits; every address at or beyond
/// this, negated, is the terminal's.
pub const TERMINAL_BASE: i64 = 1 << 53;

/// A channel a message goes out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Telegram,
    Terminal,
}

impl Channel {
    /// The channel's name in the outbox and in who recorded a record.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Telegram => "telegram",
            Channel::Terminal => "terminal",
        }
    }

    /// The channel an address belongs to.
    pub fn of(address: i64) -> Channel {
        if address <= -TERMINAL_BASE {
            Channel::Terminal
        } else {
            Channel::Telegram
        }
    }

    /// The terminal address of person `id` (a row id, so small and positive).
    pub fn terminal_address(person: i64) -> i64 {
        -(TERMINAL_BASE.saturating_add(person.max(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_address_is_never_a_telegram_id_and_says_its_channel() {
        // The largest Telegram ids (52 bits), private chats and supergroups.
        for telegram in [
            1,
            7_000_000_000,
            (1 << 52) - 1,
            -1_001_234_567_890,
            -(1 << 52),
        ] {
            assert_eq!(Channel::of(telegram), Channel::Telegram, "{telegram}");
        }
        for person in [0, 1, 42, 1 << 40] {
            let address = Channel::terminal_address(person);
            assert_eq!(Channel::of(address), Channel::Terminal, "{person}");
        }
        assert_ne!(Channel::terminal_address(1), Channel::terminal_address(2));
    }
}
