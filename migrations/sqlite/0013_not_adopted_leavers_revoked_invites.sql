-- The office's 不采用 (seen, not adopted), people who left, and invitations withdrawn, for
-- SQLite; kept in step with migrations/postgres/0013_not_adopted_leavers_revoked_invites.sql.
--
-- 不采用 is a decision on an item, like an adoption or a return, but it moves no points: one per
-- item, with who made it (the office member, when made in chat) and when, and the input it came
-- from (natural_key). A second press of the button finds the row and stores nothing; the same
-- update handled again after a crash finds it under its own key.
CREATE TABLE item_declines (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL UNIQUE REFERENCES items (id),
    person_id   INTEGER NULL REFERENCES people (id),
    recorded_by TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,
    natural_key TEXT    NULL
);

-- A person the office deactivated (left the work): they keep their row, so their records keep
-- their names, but the bot only tells them they are no longer registered.
ALTER TABLE people ADD COLUMN left_at INTEGER NULL;
ALTER TABLE people ADD COLUMN left_by TEXT NULL;

-- An invitation the office withdrew before it was used can no longer be redeemed.
ALTER TABLE invites ADD COLUMN revoked_at INTEGER NULL;
ALTER TABLE invites ADD COLUMN revoked_by TEXT NULL;
