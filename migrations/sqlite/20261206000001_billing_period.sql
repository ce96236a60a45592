-- The billing period (issue 27): the days of a month in which hand-read meters' readings
-- count for it (15th–25th unless the company sets others), and the norms of consumption that
-- stand in for a reading missing longer than the average may (ПП 354 п. 60).
CREATE TABLE billing_windows (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    first_day INTEGER NOT NULL DEFAULT 15,
    last_day INTEGER NOT NULL DEFAULT 25
);
-- A norm per resource for one period: per resident, heat per m² of the premise. Norms are set
-- by the region, so a company working in several cities keeps one per city (city_id), a
-- default for every city (city_id 0), and a building's own where it differs (object_id).
CREATE TABLE consumption_norms (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    city_id INTEGER NOT NULL DEFAULT 0,
    object_id INTEGER NOT NULL DEFAULT 0,
    resource TEXT NOT NULL,
    -- an exact decimal as typed, «6,935» stored as '6.935'
    value TEXT NOT NULL,
    PRIMARY KEY (company_id, city_id, object_id, resource)
);
