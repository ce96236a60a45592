-- The raw exchange of a meter's poll (JSON frames: time, direction, hex), for the console's
-- terminal.
ALTER TABLE poll_results ADD COLUMN exchange TEXT NOT NULL DEFAULT '';
