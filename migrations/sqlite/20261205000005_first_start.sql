-- A company's own data, first part: the first start, the company's bank requisites, and a
-- building's card and poll schedule (issue 22).

-- The first start happens once: the browser's first-run page claims this one row in the same
-- transaction that creates the company, so two people on an empty database cannot both make one.
CREATE TABLE first_start (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);

ALTER TABLE companies ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN bik TEXT NOT NULL DEFAULT '';
-- расчётный счёт and корреспондентский счёт: 20 digits each
ALTER TABLE companies ADD COLUMN settlement_account TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN correspondent_account TEXT NOT NULL DEFAULT '';

ALTER TABLE objects ADD COLUMN floors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN entrances INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN weather_station TEXT NOT NULL DEFAULT '';
-- the days of the week the building is polled, ISO numbers: '1234567' every day, '135' Mon/Wed/Fri
ALTER TABLE objects ADD COLUMN poll_days TEXT NOT NULL DEFAULT '1234567';
-- an archived building keeps its history but leaves the lists and the schedule
ALTER TABLE objects ADD COLUMN archived_at INTEGER;
