-- Balance (issue 24): what a building's common meters (ОДПУ) counted against its flats'
-- meters (ИПУ). Every building has a default group per resource without a row here: its
-- common meters are the root and every individual meter a child counted with «+», so the
-- group follows meters as they come and go. A row in balance_groups with is_default = 1
-- only holds the person's changes to that group (a child counted with «−» or left out);
-- other rows are groups of their own (a second input, a shop's sub-meter), with exactly
-- the meters listed.
CREATE TABLE balance_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    resource TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX balance_groups_one_default ON balance_groups (object_id, resource) WHERE is_default = 1;
CREATE INDEX balance_groups_object ON balance_groups (company_id, object_id);

-- A meter in a group: the root (what the group's input counted) or a child, counted with
-- sign 1 («+»), -1 («−») or 0 (left out of the sums, shown apart).
CREATE TABLE balance_group_meters (
    group_id INTEGER NOT NULL REFERENCES balance_groups(id) ON DELETE CASCADE,
    meter_id INTEGER NOT NULL REFERENCES meters(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    sign INTEGER NOT NULL,
    PRIMARY KEY (group_id, meter_id)
);

-- The allowed imbalance, % of what the root counted, per resource: for every city of the
-- company (city_id 0), a city's own, and a building's own (object_id) where it differs, as
-- consumption_norms keeps the norms of consumption.
CREATE TABLE imbalance_norms (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    city_id INTEGER NOT NULL DEFAULT 0,
    object_id INTEGER NOT NULL DEFAULT 0,
    resource TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (company_id, city_id, object_id, resource)
);
