-- The open API's tokens (issue 28): an administrator names one for 1С or another system and
-- gives it a scope; only the token's hash is kept (the token is shown once), and a revoked
-- token stays listed with the moment it stopped working.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- read, write (write reads too)
    scope TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- the token's first characters, to tell tokens apart in the list
    hint TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX api_tokens_by_company ON api_tokens (company_id);
