-- A Mercury's event journals (power, cover, magnet) are read once a day: when they were
-- last read, so the next poll knows whether to ask.
ALTER TABLE meters ADD COLUMN journals_read_at INTEGER;
-- An event the meter itself recorded (source 'meter') is kept once however often its
-- journal is read again: one row per meter, kind and start.
CREATE UNIQUE INDEX events_meter_once ON events (company_id, COALESCE(meter_id, 0), kind, started_at) WHERE source = 'meter';
