-- Readings that wait for a dispatcher's check (flag 8 without the rejected flag 16): every
-- screen that shows a current value carries the newest of them beside the confirmed value.
-- They are few, so a partial index finds them without reading the table. The condition is
-- written exactly as the queries write it (storage/current.rs).
CREATE INDEX readings_waiting ON readings (channel_id, ts) WHERE (flags & 24) = 8;
