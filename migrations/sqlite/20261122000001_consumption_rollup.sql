-- Daily consumption kept ready for the dashboard and the subscribers' list, so a month or a
-- year of a 100 000-meter company is a sum over a few thousand rows, not a walk over
-- millions of readings. Written only by the rollup (app/src/rollup.rs) from the consumption
-- engine; a late reading marks its meter stale and the rollup recomputes the days it touches.

-- One row per meter chain (the current meter; replaced meters count under their successor),
-- span (1 a day, 2 a month) and object-local date (yyyymmdd; a month is keyed by its 1st)
-- with anything measured. Months are kept apart from days because a step between two
-- readings that straddles midnight belongs to no single day but wholly to its month: the
-- month's figure is the engine's over the month, the same as the meter page shows. Values are millionths; NULL is
-- "no data" for that slot; `partial` has bit s set when slot s (0 total, 1–4 T1–T4) is
-- only partly measured that day.
CREATE TABLE consumption_days (
    meter_id INTEGER NOT NULL REFERENCES meters(id) ON DELETE CASCADE,
    span INTEGER NOT NULL,
    day INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    object_id INTEGER NOT NULL,
    resource TEXT NOT NULL,
    placement TEXT NOT NULL,
    total INTEGER,
    t1 INTEGER,
    t2 INTEGER,
    t3 INTEGER,
    t4 INTEGER,
    partial INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meter_id, span, day)
) WITHOUT ROWID;
CREATE INDEX consumption_days_object ON consumption_days (object_id, resource, placement, span, day);

-- The same summed per object, resource, placement, span and date: `meters` rows had data, of which
-- `partial_meters` only partly.
CREATE TABLE consumption_object_days (
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    resource TEXT NOT NULL,
    placement TEXT NOT NULL,
    span INTEGER NOT NULL,
    day INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    total INTEGER,
    t1 INTEGER,
    t2 INTEGER,
    t3 INTEGER,
    t4 INTEGER,
    meters INTEGER NOT NULL,
    partial_meters INTEGER NOT NULL,
    PRIMARY KEY (object_id, resource, placement, span, day)
) WITHOUT ROWID;
CREATE INDEX consumption_object_days_company ON consumption_object_days (company_id, placement, span, day);

-- Meters whose days need recomputing from `from_ts` on; `seq` grows with every mark so the
-- rollup clears only what it has seen.
CREATE TABLE consumption_stale (
    meter_id INTEGER PRIMARY KEY REFERENCES meters(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL,
    from_ts INTEGER NOT NULL,
    seq INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX consumption_stale_company ON consumption_stale (company_id);

-- Everything already stored is stale once.
INSERT INTO consumption_stale (meter_id, company_id, from_ts)
SELECT c.meter_id, c.company_id, MIN(r.ts)
FROM readings r JOIN channels c ON c.id = r.channel_id
GROUP BY c.meter_id, c.company_id;
