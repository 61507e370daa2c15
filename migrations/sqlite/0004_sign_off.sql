-- Sign-off (签发), for SQLite: where the rules ask for it, a confirmed item waits here for the
-- unit's leader in charge, who approves it (it is then filed, with the leader as its signer) or
-- returns it with a remark. A decision is recorded once: a decided row is never decided again,
-- and a corrected item is a new row.
-- Kept in step with migrations/postgres/0004_sign_off.sql.
-- Instants are unix seconds (UTC).
CREATE TABLE pending_items (
    id             INTEGER PRIMARY KEY,
    submission_key TEXT    NOT NULL UNIQUE CHECK (submission_key <> ''),
    unit_id        INTEGER NOT NULL REFERENCES units (id),
    filed_by       INTEGER NOT NULL REFERENCES people (id),
    -- the officer's chat, where each step is told
    chat_id        INTEGER NOT NULL,
    -- the item as confirmed (JSON of its fields)
    draft          TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    decided_at     INTEGER NULL,
    decision       TEXT    NULL CHECK (decision IN ('approved', 'returned')),
    decided_by     INTEGER NULL REFERENCES people (id),
    remark         TEXT    NULL,
    -- the filed item, once approved
    item_id        INTEGER NULL REFERENCES items (id),
    CHECK ((decided_at IS NULL) = (decision IS NULL)),
    CHECK ((decided_at IS NULL) = (decided_by IS NULL)),
    CHECK ((decision = 'approved') = (item_id IS NOT NULL)),
    CHECK (decision <> 'returned' OR (remark IS NOT NULL AND remark <> ''))
);

-- What awaits a unit's leader, oldest first.
CREATE INDEX pending_items_undecided ON pending_items (unit_id, id) WHERE decided_at IS NULL;
