-- Owners of premises in a table of their own (issue 22): a flat may have several, each with
-- a share, contacts, and the date of their consent to the processing of personal data
-- (152-ФЗ), not a checkbox. Brought in by the import of a company's files, kept current after.
CREATE TABLE owners (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    premise_id INTEGER NOT NULL REFERENCES premises(id) ON DELETE CASCADE,
    full_name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    -- as written in the title: «1», «1/2», «1/3»
    share TEXT NOT NULL DEFAULT '',
    -- the day consent was given (YYYY-MM-DD), '' when not given
    consent_on TEXT NOT NULL DEFAULT '',
    UNIQUE (premise_id, full_name)
);
CREATE INDEX owners_company ON owners (company_id);
