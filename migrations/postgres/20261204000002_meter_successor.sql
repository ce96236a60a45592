-- Which meter replaced which is asked by the rollup (a batch of 500 meters at once) and by
-- the account page (the flat's meters); without an index each asking read every meter row.
CREATE INDEX meters_replaces ON meters (replaces_meter_id);
