-- Urgent reports keep every fact they are given, for SQLite; kept in step with
-- migrations/postgres/0011_urgent_history.sql (RULES.md, "Urgent reports", settled points).
--
-- Every fact is stored the moment it is given, from wherever it comes: the first message, an
-- answer to the facts form, a follow-up, or the office's correction. `urgent_events` keeps the
-- current value of each fact; this table keeps every value ever given, with who gave it, when
-- and why, so the fact sheet can show a fact's history and the measures taken accumulate
-- across follow-ups. Each row is keyed by the message or press it came from, so a redelivered
-- update stores nothing twice.
CREATE TABLE urgent_fact_changes (
    id               INTEGER PRIMARY KEY,
    change_key       TEXT    NOT NULL UNIQUE CHECK (change_key <> ''),
    event_id         INTEGER NOT NULL REFERENCES urgent_events (id),
    fact             TEXT    NOT NULL
                     CHECK (fact IN ('event_time', 'place', 'people', 'cause', 'measures', 'status')),
    -- The value as people read it (for the event time, also the instant in `event_at`).
    value            TEXT    NOT NULL CHECK (value <> ''),
    event_at         INTEGER NULL,
    -- report: the first message; answer: the facts form; followup: a follow-up (its number in
    -- `followup_number`); office: the office's correction.
    origin           TEXT    NOT NULL CHECK (origin IN ('report', 'answer', 'followup', 'office')),
    followup_number  INTEGER NULL,
    -- Who gave it: a person of the bot, else the login of the command line; a first report's
    -- facts are its reporter's.
    changed_by_person INTEGER NULL REFERENCES people (id),
    changed_by       TEXT    NULL,
    changed_at       INTEGER NOT NULL,
    reason           TEXT    NULL,
    -- Whether this event time raised the late flag: a redelivered update is told so again,
    -- and the office alerted once.
    raised_flag      INTEGER NOT NULL DEFAULT 0 CHECK (raised_flag IN (0, 1)),
    CHECK ((fact = 'event_time') = (event_at IS NOT NULL))
);
CREATE INDEX urgent_fact_changes_by_event ON urgent_fact_changes (event_id, changed_at, id);

-- What the office does without the unit: a report filed by mistake (误报, a test) is voided
-- with a reason (no reminders, no lateness, kept in the history); a report that first came by
-- telephone (电话先报) is recorded by the office for the unit, the call's time its report time.
ALTER TABLE urgent_events ADD COLUMN voided_at INTEGER NULL;
ALTER TABLE urgent_events ADD COLUMN voided_by TEXT NULL;
ALTER TABLE urgent_events ADD COLUMN void_reason TEXT NULL;
ALTER TABLE urgent_events ADD COLUMN by_phone INTEGER NOT NULL DEFAULT 0 CHECK (by_phone IN (0, 1));
ALTER TABLE urgent_events ADD COLUMN recorded_by TEXT NULL;

-- The facts of events stored before this table, as given by their first report and follow-ups.
INSERT INTO urgent_fact_changes (change_key, event_id, fact, value, event_at, origin, changed_at, changed_by_person)
SELECT 'before:' || id || ':event_time', id, 'event_time', '-', event_at, 'report', reported_at, reported_by
FROM urgent_events WHERE event_at IS NOT NULL;
INSERT INTO urgent_fact_changes (change_key, event_id, fact, value, origin, changed_at, changed_by_person)
SELECT 'before:' || id || ':place', id, 'place', place, 'report', reported_at, reported_by
FROM urgent_events WHERE place IS NOT NULL AND place <> '';
INSERT INTO urgent_fact_changes (change_key, event_id, fact, value, origin, changed_at, changed_by_person)
SELECT 'before:' || id || ':people', id, 'people', people_words, 'report', reported_at, reported_by
FROM urgent_events WHERE people_words IS NOT NULL AND people_words <> ''
    -- the column holds a follow-up's value when one changed it: that one is the follow-up's
    AND NOT EXISTS (SELECT 1 FROM urgent_followups f
                    WHERE f.event_id = urgent_events.id AND f.people_words IS NOT NULL);
INSERT INTO urgent_fact_changes (change_key, event_id, fact, value, origin, changed_at, changed_by_person)
SELECT 'before:' || id || ':cause', id, 'cause', cause, 'report', reported_at, reported_by
FROM urgent_events WHERE cause IS NOT NULL AND cause <> '';
INSERT INTO urgent_fact_changes (change_key, event_id, fact, value, origin, changed_at, changed_by_person)
SELECT 'before:' || id || ':measures', id, 'measures', measures, 'report', reported_at, reported_by
FROM urgent_events WHERE measures IS NOT NULL AND measures <> ''
    -- the column holds a follow-up's value when one changed it: that one is the follow-up's
    AND NOT EXISTS (SELECT 1 FROM urgent_followups f
                    WHERE f.event_id = urgent_events.id AND f.measures IS NOT NULL);
INSERT INTO urgent_fact_changes (change_key, event_id, fact, value, origin, changed_at, changed_by_person)
SELECT 'before:' || id || ':status', id, 'status', status, 'report', reported_at, reported_by
FROM urgent_events WHERE status IS NOT NULL AND status <> ''
    -- the column holds a follow-up's value when one changed it: that one is the follow-up's
    AND NOT EXISTS (SELECT 1 FROM urgent_followups f
                    WHERE f.event_id = urgent_events.id AND f.status IS NOT NULL);
INSERT INTO urgent_fact_changes
    (change_key, event_id, fact, value, origin, followup_number, changed_at, changed_by_person)
SELECT 'before:followup:' || id || ':people', event_id, 'people', people_words, 'followup', number,
    reported_at, reported_by
FROM urgent_followups WHERE people_words IS NOT NULL AND people_words <> '';
INSERT INTO urgent_fact_changes
    (change_key, event_id, fact, value, origin, followup_number, changed_at, changed_by_person)
SELECT 'before:followup:' || id || ':measures', event_id, 'measures', measures, 'followup', number,
    reported_at, reported_by
FROM urgent_followups WHERE measures IS NOT NULL AND measures <> '';
INSERT INTO urgent_fact_changes
    (change_key, event_id, fact, value, origin, followup_number, changed_at, changed_by_person)
SELECT 'before:followup:' || id || ':status', event_id, 'status', status, 'followup', number,
    reported_at, reported_by
FROM urgent_followups WHERE status IS NOT NULL AND status <> '';
