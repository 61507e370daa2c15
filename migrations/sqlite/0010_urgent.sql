-- Urgent reports (紧急信息, §2(2)), for SQLite; kept in step with migrations/postgres/0010_urgent.sql.
-- An urgent report is a record of its own, not an item: it earns no filing points. Its first
-- message is stored at once, with the facts still missing left NULL (待补充, to be supplied), so
-- the hour is never lost to form-filling; the facts are completed later on the same row.
-- Urgent reports are confidential: only the filing unit's members and the office read them.

-- AUTOINCREMENT: an event's id is its number, shown to people ("紧急信息第 3 号"), so it is never
-- reused. `report_key` is the message the report came in (its chat and message id): Telegram
-- delivering the message again stores nothing twice. `reported_at` is the time Telegram gives
-- the first message (RULES.md: the hour is measured to it), `last_report_at` that of the latest
-- report or follow-up, from which the follow-up reminder is counted.
CREATE TABLE urgent_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    report_key       TEXT    NOT NULL UNIQUE CHECK (report_key <> ''),
    unit_id          INTEGER NOT NULL REFERENCES units (id),
    reported_by      INTEGER NULL REFERENCES people (id),
    first_text       TEXT    NOT NULL CHECK (first_text <> ''),
    reported_at      INTEGER NOT NULL,
    last_report_at   INTEGER NOT NULL,
    -- The six facts of §2(2)3; NULL is "to be supplied". The people involved keep the number,
    -- how the officer qualified it (about, more than, nearly, a range to people_upper) and the
    -- officer's own words (约200人), which are what the office reads.
    event_at         INTEGER NULL,
    place            TEXT    NULL,
    people_count     INTEGER NULL CHECK (people_count >= 0),
    people_upper     INTEGER NULL,
    people_qualifier TEXT    NULL
                     CHECK (people_qualifier IN ('exact', 'about', 'more_than', 'nearly', 'range')),
    people_words     TEXT    NULL,
    cause            TEXT    NULL,
    measures         TEXT    NULL,
    status           TEXT    NULL,
    -- The late flag: none (in time, or no event time yet), flagged (stored more than the limit
    -- after the event), then confirmed by the office into a `late` veto or dismissed with a
    -- reason; both decisions record who and when.
    late             TEXT    NOT NULL DEFAULT 'none'
                     CHECK (late IN ('none', 'flagged', 'confirmed', 'dismissed')),
    late_decided_by  TEXT    NULL,
    late_decided_at  INTEGER NULL,
    late_reason      TEXT    NULL,
    late_veto_id     INTEGER NULL REFERENCES vetoes (id),
    closed_at        INTEGER NULL,
    closed_by        TEXT    NULL,
    recorded_at      INTEGER NOT NULL,
    CHECK ((people_count IS NULL) = (people_qualifier IS NULL)),
    CHECK (people_upper IS NULL OR (people_count IS NOT NULL AND people_upper >= people_count)),
    -- a decision is recorded with who made it and when, and only a decision is
    CHECK ((late IN ('confirmed', 'dismissed'))
           = (late_decided_by IS NOT NULL AND late_decided_at IS NOT NULL)),
    -- a confirmed flag is a veto; a dismissed one says why
    CHECK ((late = 'confirmed') = (late_veto_id IS NOT NULL)),
    CHECK (late <> 'dismissed' OR (late_reason IS NOT NULL AND late_reason <> '')),
    CHECK ((closed_at IS NULL) = (closed_by IS NULL))
);
-- The open events of a unit, newest first (the office's list, /followup, the reminders).
CREATE INDEX urgent_events_by_unit ON urgent_events (unit_id, closed_at, reported_at);
CREATE INDEX urgent_events_by_time ON urgent_events (closed_at, reported_at);

-- Follow-ups (续报), numbered per event as officers number them (续报一, 续报二…); the final
-- one (终报) closes the event. Each carries what changed; NULL is "unchanged". Keyed by its
-- message like the first report.
CREATE TABLE urgent_followups (
    id               INTEGER PRIMARY KEY,
    report_key       TEXT    NOT NULL UNIQUE CHECK (report_key <> ''),
    event_id         INTEGER NOT NULL REFERENCES urgent_events (id),
    number           INTEGER NOT NULL CHECK (number >= 1),
    final            INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),
    text             TEXT    NOT NULL CHECK (text <> ''),
    reported_by      INTEGER NULL REFERENCES people (id),
    reported_at      INTEGER NOT NULL,
    people_count     INTEGER NULL CHECK (people_count >= 0),
    people_upper     INTEGER NULL,
    people_qualifier TEXT    NULL
                     CHECK (people_qualifier IN ('exact', 'about', 'more_than', 'nearly', 'range')),
    people_words     TEXT    NULL,
    measures         TEXT    NULL,
    status           TEXT    NULL,
    UNIQUE (event_id, number),
    CHECK ((people_count IS NULL) = (people_qualifier IS NULL)),
    CHECK (people_upper IS NULL OR (people_count IS NOT NULL AND people_upper >= people_count))
);

-- Office members who acknowledged an alert: the office sees who has; pressing twice is once.
CREATE TABLE urgent_acks (
    event_id    INTEGER NOT NULL REFERENCES urgent_events (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    acked_at    INTEGER NOT NULL,
    PRIMARY KEY (event_id, person_id)
);

-- The office asking the unit for a follow-up (from the alert's button); keyed by the button
-- press, so a redelivered press asks once.
CREATE TABLE urgent_followup_requests (
    id          INTEGER PRIMARY KEY,
    request_key TEXT    NOT NULL UNIQUE CHECK (request_key <> ''),
    event_id    INTEGER NOT NULL REFERENCES urgent_events (id),
    asked_by    INTEGER NOT NULL REFERENCES people (id),
    asked_at    INTEGER NOT NULL
);
CREATE INDEX urgent_followup_requests_by_event ON urgent_followup_requests (event_id);
