-- The quarterly bulletin (通报, §5(2)): issued once per quarter as a stored, numbered snapshot
-- (2026年第1期), so that adoptions recorded later change the next bulletin, not a sent one. It
-- is numbered within the year of its quarter (the bulletin of Q4 issued in January is the last
-- of its quarter's year). `snapshot` is the bulletin as JSON, from which it is rendered in every
-- language; `text` is the Chinese text as issued.
CREATE TABLE bulletins (
    id          INTEGER PRIMARY KEY,
    quarter     TEXT    NOT NULL UNIQUE,
    year        INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    snapshot    TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    issued_by   TEXT    NOT NULL,
    issued_at   INTEGER NOT NULL,
    UNIQUE (year, number)
);

-- Each sending of a bulletin: the first (resend 0) and every forced re-send (1, 2, …), whose
-- messages are keyed by that number. A re-send asked for by a chat message carries the
-- message's key, so handling that message again re-sends nothing.
CREATE TABLE bulletin_sends (
    id          INTEGER PRIMARY KEY,
    quarter     TEXT    NOT NULL REFERENCES bulletins (quarter),
    resend      INTEGER NOT NULL,
    source      TEXT    NULL UNIQUE,
    queued      INTEGER NOT NULL,
    sent_by     TEXT    NOT NULL,
    sent_at     INTEGER NOT NULL
);
CREATE INDEX bulletin_sends_by_quarter ON bulletin_sends (quarter, resend);
