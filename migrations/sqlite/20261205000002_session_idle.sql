-- A session ends after a spell of no use as well as at its absolute lifetime: the time it
-- was last seen (touched at most once a minute). 0: an older session, not yet seen since.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
