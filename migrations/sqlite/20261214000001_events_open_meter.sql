-- A meter's open events by kind: a poll's status byte or an uplink batch's flags end them.
CREATE INDEX events_open_meter ON events (meter_id, kind) WHERE ended_at IS NULL;
