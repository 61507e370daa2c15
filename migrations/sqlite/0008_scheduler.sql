-- The scheduler: each job it runs (a quarter's guidance, a reminder, a bulletin) is recorded
-- under its key once, in the same transaction as the outbox rows it queues, so running a step
-- twice, or in two processes at once, queues nothing twice. A job found stale (its use gone by
-- the time the scheduler got to it) is recorded as skipped, so it is told once in the log.
CREATE TABLE schedule_jobs (
    job_key     TEXT    NOT NULL PRIMARY KEY,
    kind        TEXT    NOT NULL,
    due_at      INTEGER  NOT NULL,
    outcome     TEXT    NOT NULL,
    recipients  INTEGER  NOT NULL,
    recorded_at INTEGER  NOT NULL
);

-- A message queued by a job carries the job's key: the sender tells the office once per
-- broadcast who could not be reached. A bulk message (a broadcast, a reminder) gives way to
-- replies: the person waiting for an answer is not kept behind ten thousand guidance messages.
ALTER TABLE outbox ADD COLUMN batch TEXT NULL;
ALTER TABLE outbox ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_by_batch ON outbox (batch) WHERE batch IS NOT NULL;

-- Guidance is set for a quarter as a whole list: a topic left out of the new list is withdrawn
-- (items that answered it keep pointing to it), and each list that differs from the one before
-- is a revision, which the scheduler sends once (the first as the guidance, later ones as a
-- correction). Setting the same list again makes no revision and sends nothing.
ALTER TABLE guidance_topics ADD COLUMN withdrawn_at INTEGER NULL;
-- The order the office gave the topics in (0 for those added one by one before).
ALTER TABLE guidance_topics ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
CREATE TABLE guidance_revisions (
    id          INTEGER PRIMARY KEY,
    quarter     TEXT    NOT NULL,
    revision    INTEGER  NOT NULL,
    topics      TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL,
    recorded_at INTEGER  NOT NULL,
    UNIQUE (quarter, revision)
);
