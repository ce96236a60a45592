-- Monitoring's events (issue 23): what went wrong at a meter or a building, reported by the
-- meter itself (source 'meter') or found by Uchet's checks (source 'computed'). An event
-- opens when its condition starts and ends (ended_at) when the condition is gone; a
-- dispatcher resolves it with a comment, apart from its end. One open event per building,
-- meter and kind, however often the condition is seen.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    meter_id INTEGER REFERENCES meters(id) ON DELETE CASCADE,
    channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    -- silent, no_answer, decreased, jump, verification_overdue, …
    kind TEXT NOT NULL,
    -- info, warning, alarm
    severity TEXT NOT NULL,
    -- meter, computed
    source TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    -- when the condition was first seen by Uchet (started_at may be earlier: a meter quiet
    -- since its last contact)
    opened_at INTEGER NOT NULL,
    ended_at INTEGER,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    comment TEXT NOT NULL DEFAULT '',
    -- the values around it, as JSON of strings (the reading, the one before, the poll's words)
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX events_one_open ON events (company_id, object_id, COALESCE(meter_id, 0), kind) WHERE ended_at IS NULL;
CREATE INDEX events_company_started ON events (company_id, started_at);
CREATE INDEX events_unresolved ON events (company_id, object_id) WHERE resolved_at IS NULL;
