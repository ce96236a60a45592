-- The collector (SQLite): how each meter is read, each line's timing, the queue of polls and
-- the log of what every poll of every meter brought. Mirrors migrations/postgres.

-- '' = not read automatically; 'mercury' (230/231/234/236), 'mbus', 'modbus'.
ALTER TABLE meters ADD COLUMN protocol TEXT NOT NULL DEFAULT '';
-- Mercury: six password characters, '' = the factory level-1 password.
ALTER TABLE meters ADD COLUMN bus_password TEXT NOT NULL DEFAULT '';

ALTER TABLE communicators ADD COLUMN timeout_ms INTEGER NOT NULL DEFAULT 500;
ALTER TABLE communicators ADD COLUMN char_timeout_ms INTEGER NOT NULL DEFAULT 30;
ALTER TABLE communicators ADD COLUMN frame_gap_ms INTEGER NOT NULL DEFAULT 5;
ALTER TABLE communicators ADD COLUMN retries INTEGER NOT NULL DEFAULT 2;

ALTER TABLE objects ADD COLUMN poll_enabled INTEGER NOT NULL DEFAULT 1;

-- Work for the collector: a scheduled or manual poll of a building, one resource of it, or
-- one meter. Any server process may claim an open job; a claim older than the lease counts
-- as abandoned. `slot` is the local date of a scheduled poll: one per building and day.
CREATE TABLE poll_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    meter_id INTEGER REFERENCES meters(id) ON DELETE CASCADE,
    resource TEXT,
    reason TEXT NOT NULL,
    slot TEXT,
    requested_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    requested_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    claimed_by TEXT,
    claimed_at INTEGER,
    finished_at INTEGER,
    meters_total INTEGER NOT NULL DEFAULT 0,
    meters_ok INTEGER NOT NULL DEFAULT 0,
    readings INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    UNIQUE (object_id, slot)
);
CREATE INDEX poll_jobs_open ON poll_jobs (finished_at, due_at);
CREATE INDEX poll_jobs_company ON poll_jobs (company_id, requested_at);

CREATE TABLE poll_results (
    job_id INTEGER NOT NULL REFERENCES poll_jobs(id) ON DELETE CASCADE,
    meter_id INTEGER NOT NULL REFERENCES meters(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    readings INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    timeouts INTEGER NOT NULL DEFAULT 0,
    crc_errors INTEGER NOT NULL DEFAULT 0,
    garbage_bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, meter_id)
);
CREATE INDEX poll_results_meter ON poll_results (meter_id, at);

-- One process at a time on a bus: a lease, taken before polling and renewed while it lasts.
CREATE TABLE bus_leases (
    communicator_id INTEGER PRIMARY KEY REFERENCES communicators(id) ON DELETE CASCADE,
    holder TEXT NOT NULL,
    until INTEGER NOT NULL
);
