-- The first schema: units, items and every record that moves points, for SQLite.
-- Kept in step with migrations/postgres/0001_init.sql: same tables, columns, constraints, indexes.
-- Instants are unix seconds (UTC) in columns named *_at; calendar dates are TEXT YYYY-MM-DD in
-- columns named *_on or `dated`; booleans are 0/1. Nothing that moves points is ever updated or
-- deleted: a correction is a new row, and a retraction hides a record from scoring.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE CHECK (code <> ''),
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL
                CHECK (kind IN ('district', 'pilot_zone', 'industry', 'department', 'direct_point')),
    parent_id   INTEGER NULL REFERENCES units (id),
    recorded_by TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    -- a direct-report point has a parent; no other kind has one
    CHECK ((kind = 'direct_point' AND parent_id IS NOT NULL)
        OR (kind <> 'direct_point' AND parent_id IS NULL))
);

CREATE TABLE commissions (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    subject     TEXT    NOT NULL,
    due_on      TEXT    NOT NULL CHECK (due_on LIKE '____-__-__'),
    recorded_by TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL
);

-- AUTOINCREMENT: an item's id is its number, shown to people, so it is never reused.
CREATE TABLE items (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    reference          TEXT    NULL UNIQUE,
    unit_id            INTEGER NOT NULL REFERENCES units (id),
    category           INTEGER NOT NULL CHECK (category BETWEEN 1 AND 12),
    title              TEXT    NOT NULL,
    body               TEXT    NULL,
    distribution_scope TEXT    NULL,
    issuing_unit       TEXT    NULL,
    signer             TEXT    NULL,
    responsible_person TEXT    NULL,
    dated              TEXT    NULL CHECK (dated LIKE '____-__-__'),
    copies             INTEGER NULL CHECK (copies > 0),
    officer_name       TEXT    NULL,
    commissioned       INTEGER NOT NULL DEFAULT 0 CHECK (commissioned IN (0, 1)),
    commission_id      INTEGER NULL REFERENCES commissions (id),
    filed_at           INTEGER NOT NULL,
    recorded_by        TEXT    NOT NULL,
    recorded_at        INTEGER NOT NULL
);

-- Items in a span of time (listings, and a filing without a reference found again on import).
CREATE INDEX items_by_filed_at ON items (filed_at, unit_id, commissioned);
-- The quarterly tally counts each (unit, commissioned) pair's range of filed_at in this index
-- alone: a count over an index range, where a GROUP BY over the index above would sort every row.
CREATE INDEX items_by_unit ON items (unit_id, commissioned, filed_at);

CREATE TABLE adoptions (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NULL REFERENCES items (id),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    title       TEXT    NOT NULL,
    level       TEXT    NOT NULL
                CHECK (level IN ('city_federation', 'internal_publication', 'municipal_committee',
                                 'provincial_federation', 'acftu_or_provincial_committee',
                                 'central_offices')),
    form        TEXT    NOT NULL CHECK (form IN ('single', 'combined')),
    adopted_on  TEXT    NOT NULL CHECK (adopted_on LIKE '____-__-__'),
    natural_key TEXT    NULL UNIQUE,
    recorded_by TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL
);

CREATE INDEX adoptions_by_date ON adoptions (adopted_on);
CREATE INDEX adoptions_by_item ON adoptions (item_id);

CREATE TABLE instructions (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NULL REFERENCES items (id),
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    title         TEXT    NOT NULL,
    level         TEXT    NOT NULL
                  CHECK (level IN ('central_leaders', 'acftu_or_provincial_leaders',
                                   'provincial_federation_or_city_leaders')),
    instructed_on TEXT    NOT NULL CHECK (instructed_on LIKE '____-__-__'),
    natural_key   TEXT    NULL UNIQUE,
    recorded_by   TEXT    NOT NULL,
    recorded_at   INTEGER NOT NULL
);

CREATE INDEX instructions_by_date ON instructions (instructed_on);
CREATE INDEX instructions_by_item ON instructions (item_id);

CREATE TABLE vetoes (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('late', 'missing', 'concealed', 'bypass')),
    vetoed_on   TEXT    NOT NULL CHECK (vetoed_on LIKE '____-__-__'),
    reason      TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL
);

CREATE INDEX vetoes_by_date ON vetoes (vetoed_on);

-- A retraction hides one record from scoring; the record itself stays, and so does this row.
CREATE TABLE retractions (
    id          INTEGER PRIMARY KEY,
    record_kind TEXT    NOT NULL
                CHECK (record_kind IN ('item', 'adoption', 'instruction', 'commission', 'veto')),
    record_id   INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (record_kind, record_id)
);
