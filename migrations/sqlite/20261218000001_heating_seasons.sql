-- The heating season (issue 26, point 2; F33, EK 4.5.7 «Сезон»): each change of a building's
-- season is a row, the season it starts ('heating' 1, between seasons 0) and its first day
-- in the building's calendar (yyyy-mm-dd), with who set it and when. The newest row is the
-- building's season; a building with no row has none set yet. objects.heating_season keeps
-- the newest row's season for the code that asks only "is it on now".
CREATE TABLE heating_seasons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    heating INTEGER NOT NULL,
    starts_on TEXT NOT NULL,
    set_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    set_at INTEGER NOT NULL,
    UNIQUE (object_id, starts_on)
);
CREATE INDEX heating_seasons_company ON heating_seasons (company_id, object_id);
-- Buildings already marked as heated start their season on the day of this upgrade (who
-- set the mark and since when was never kept).
INSERT INTO heating_seasons (company_id, object_id, heating, starts_on, set_by, set_at)
SELECT company_id, id, 1, date('now'), NULL, CAST(strftime('%s', 'now') AS INTEGER)
FROM objects WHERE heating_season <> 0;
