-- The bot's tables, for SQLite: people and their invitations, stored conversations, the
-- quarter's guidance, chat filings (who filed, which topic, the submission's idempotency key),
-- returns (退稿), what the office has read, and the outbox of messages the bot sends on its own.
-- Kept in step with migrations/postgres/0002_bot.sql: same tables, columns, constraints, indexes.
-- Instants are unix seconds (UTC) in columns named *_at (and not_before); Telegram ids are
-- 64-bit integers.

-- An invitation: single use, until it expires. A person redeeming it takes its unit and role.
CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE CHECK (length(code) >= 16),
    unit_id     INTEGER NULL REFERENCES units (id),
    role        TEXT    NOT NULL CHECK (role IN ('officer', 'leader', 'head', 'office')),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER NULL,
    -- the person who redeemed it: a people.id (people refers to invites, so no foreign key)
    used_by     INTEGER NULL,
    recorded_by TEXT    NOT NULL,
    -- only the office works without a unit
    CHECK (unit_id IS NOT NULL OR role = 'office'),
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);

-- A person in the bot: one unit and one role at a time. joined_at is when the person took the
-- current unit and role; the invitations used (invites.used_by) keep the earlier ones.
CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    telegram_id INTEGER NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    unit_id     INTEGER NULL REFERENCES units (id),
    role        TEXT    NOT NULL CHECK (role IN ('officer', 'leader', 'head', 'office')),
    locale      TEXT    NULL,
    joined_at   INTEGER NOT NULL,
    -- the invitation of the current unit and role; NULL for a person added another way
    invite_id   INTEGER NULL REFERENCES invites (id),
    CHECK (unit_id IS NOT NULL OR role = 'office')
);

CREATE INDEX people_by_unit ON people (unit_id, role);
CREATE INDEX people_by_role ON people (role);

-- The stored conversation of each chat (JSON), written on every step.
CREATE TABLE dialogues (
    chat_id    INTEGER NOT NULL PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    state      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The quarter's guidance (信息需求要点, §2(3)): topics an item may answer.
CREATE TABLE guidance_topics (
    id          INTEGER PRIMARY KEY,
    quarter     TEXT    NOT NULL CHECK (quarter LIKE '____Q_'),
    title       TEXT    NOT NULL CHECK (title <> ''),
    recorded_by TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (quarter, title)
);

-- A chat filing: who filed it, the topic it answers, and the key that makes a second
-- submission of the same form the same item. (SQLite adds no UNIQUE column: a unique index.)
ALTER TABLE items ADD COLUMN filed_by INTEGER NULL REFERENCES people (id);
ALTER TABLE items ADD COLUMN topic_id INTEGER NULL REFERENCES guidance_topics (id);
ALTER TABLE items ADD COLUMN submission_key TEXT NULL;

CREATE UNIQUE INDEX items_by_submission_key ON items (submission_key);
CREATE INDEX items_by_commission ON items (commission_id);

-- A return (退稿): the office sends an item back with a reason. The item stays filed and keeps
-- its filing point; a second return is a second row.
CREATE TABLE item_returns (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items (id),
    reason      TEXT    NOT NULL CHECK (reason <> ''),
    recorded_by TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL
);

CREATE INDEX item_returns_by_item ON item_returns (item_id, id);

-- What the office has read in its inbox.
CREATE TABLE item_reads (
    item_id INTEGER NOT NULL PRIMARY KEY REFERENCES items (id),
    read_at INTEGER NOT NULL,
    read_by INTEGER NOT NULL REFERENCES people (id)
);

-- Every message the bot sends on its own is a row here first, then sent by one worker. A
-- message is pending until sent_at or failed_at is set; it is due from not_before.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT    NOT NULL UNIQUE,
    chat_id         INTEGER NOT NULL,
    text            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    not_before      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    sent_at         INTEGER NULL,
    failed_at       INTEGER NULL,
    last_error      TEXT    NULL
);

CREATE INDEX outbox_pending ON outbox (not_before, id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
