-- The durable intake, for PostgreSQL: every update taken from Telegram is stored here before it is
-- confirmed (by asking for the updates after it), and marked handled once its handling ends, so
-- a crash loses none: on start, the updates stored but not handled are handled first.
-- Kept in step with migrations/sqlite/0003_update_inbox.sql.
-- Instants are unix seconds (UTC).
CREATE TABLE update_inbox (
    update_id   BIGINT  NOT NULL PRIMARY KEY,
    -- the update's JSON
    body        TEXT    NOT NULL,
    received_at BIGINT  NOT NULL,
    handled_at  BIGINT  NULL
);

-- The updates still to handle, oldest first; and the handled ones to prune.
CREATE INDEX update_inbox_unhandled ON update_inbox (handled_at, update_id);
