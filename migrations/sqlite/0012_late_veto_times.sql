-- A late veto keeps what it was judged on (RULES.md, urgent reports), for SQLite; kept in step
-- with migrations/postgres/0012_late_veto_times.sql. A veto made by confirming an urgent report's
-- late flag stores the event time, the report time (instants, as urgent_events stores them)
-- and the limit in minutes: the bulletin's criticism says "事件发生8小时24分钟后才报送（时限1小时）"
-- from them, and a later correction of the event time or a changed limit does not change it.
-- A veto recorded by hand has none of the three.
ALTER TABLE vetoes ADD COLUMN event_at INTEGER NULL;
ALTER TABLE vetoes ADD COLUMN reported_at INTEGER NULL;
ALTER TABLE vetoes ADD COLUMN limit_minutes INTEGER NULL CHECK (limit_minutes > 0);

-- The late vetoes confirmed before: their urgent event's times as they stand, and the limit of
-- those days, the default 60 minutes. An event without its time (never flagged, so never
-- confirmed) gives nothing, and its veto keeps being read from its reason.
UPDATE vetoes
SET event_at = (SELECT e.event_at FROM urgent_events e WHERE e.late_veto_id = vetoes.id),
    reported_at = (SELECT e.reported_at FROM urgent_events e WHERE e.late_veto_id = vetoes.id),
    limit_minutes = 60
WHERE kind = 'late'
  AND EXISTS (SELECT 1 FROM urgent_events e
              WHERE e.late_veto_id = vetoes.id AND e.event_at IS NOT NULL);
