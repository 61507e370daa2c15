-- One update, one transaction: replies go through the outbox like every other message, so a
-- row carries what a message needs (the buttons, the message it edits); a person who blocked
-- the bot is marked unreachable; and the office's records made in chat take a natural key
-- from the chat and the message (or button press) that made them, so that handling an update
-- again after a crash finds them instead of recording them twice.
ALTER TABLE outbox ADD COLUMN reply_markup TEXT NULL;
-- The channel that delivers it ('telegram'; the terminal channel has its own), and a document
-- sent with the text as its caption (a bulletin), by file name and content.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram';
ALTER TABLE outbox ADD COLUMN document_name TEXT NULL;
ALTER TABLE outbox ADD COLUMN document TEXT NULL;
ALTER TABLE outbox ADD COLUMN edit_message_id BIGINT NULL;
-- Failed attempts (server and network errors) apart from 429s, which are Telegram pacing us:
-- only these grow the delay before the next attempt and use up the attempts allowed.
ALTER TABLE outbox ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
-- When a worker took the message to send it (its `not_before` then holds the lease's end);
-- cleared once the outcome is recorded. A worker starting on SQLite, the only one there is,
-- takes back what a dead one had in hand instead of waiting out the lease.
ALTER TABLE outbox ADD COLUMN claimed_at BIGINT NULL;
CREATE INDEX outbox_by_chat ON outbox (chat_id, id) WHERE sent_at IS NULL AND failed_at IS NULL;
-- The worker reads the pending messages in the order they were queued: without this it reads
-- every message ever sent.
CREATE INDEX outbox_pending_by_id ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;

ALTER TABLE people ADD COLUMN unreachable_at BIGINT NULL;

ALTER TABLE vetoes ADD COLUMN natural_key TEXT NULL;
CREATE UNIQUE INDEX vetoes_by_natural_key ON vetoes (natural_key) WHERE natural_key IS NOT NULL;
ALTER TABLE commissions ADD COLUMN natural_key TEXT NULL;
CREATE UNIQUE INDEX commissions_by_natural_key ON commissions (natural_key)
    WHERE natural_key IS NOT NULL;
ALTER TABLE retractions ADD COLUMN natural_key TEXT NULL;
CREATE UNIQUE INDEX retractions_by_natural_key ON retractions (natural_key)
    WHERE natural_key IS NOT NULL;
ALTER TABLE item_returns ADD COLUMN natural_key TEXT NULL;
CREATE UNIQUE INDEX item_returns_by_natural_key ON item_returns (natural_key)
    WHERE natural_key IS NOT NULL;
