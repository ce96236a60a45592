-- Uchet schema v1 (SQLite). Mirrors migrations/postgres; the storage tests run on both.
-- Yes/no flags are 0/1 integers (sqlx Any decodes no SQLite boolean). Timestamps are UTC unix seconds (INTEGER). Dates are 'YYYY-MM-DD' text. Exact quantities
-- that are summed (readings) are integers in millionths (micro units); other decimals are text.

CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'uk',
    inn TEXT NOT NULL DEFAULT '',
    kpp TEXT NOT NULL DEFAULT '',
    ogrn TEXT NOT NULL DEFAULT '',
    legal_address TEXT NOT NULL DEFAULT '',
    actual_address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    working_hours TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE cities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow',
    UNIQUE (name, region)
);

CREATE TABLE company_cities (
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    city_id INTEGER NOT NULL REFERENCES cities(id),
    PRIMARY KEY (company_id, city_id)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    blocked INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_sign_in_at INTEGER
);

-- One role per user and company; a user may belong to several companies.
CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    -- Blocked in this company only; users.blocked locks the person out everywhere.
    blocked INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, company_id)
);
CREATE INDEX memberships_company ON memberships (company_id);

-- Only the SHA-256 of the cookie token is stored: a stolen database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    login TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failed_at_ms INTEGER NOT NULL
);

-- What a person chose on a screen (visible columns, page size), kept per user so it follows
-- them to any browser.
CREATE TABLE user_preferences (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_company_at ON audit_log (company_id, at);

CREATE TABLE objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    city_id INTEGER REFERENCES cities(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'mkd',
    address TEXT NOT NULL,
    fias_code TEXT NOT NULL DEFAULT '',
    under_construction INTEGER NOT NULL DEFAULT 0,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    total_area TEXT NOT NULL DEFAULT '0',
    residents INTEGER NOT NULL DEFAULT 0,
    time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow',
    heating_season INTEGER NOT NULL DEFAULT 0,
    poll_time TEXT NOT NULL DEFAULT '07:00',
    created_at INTEGER NOT NULL
);
CREATE INDEX objects_company ON objects (company_id);

CREATE TABLE premises (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'flat',
    entrance INTEGER,
    floor INTEGER,
    area TEXT NOT NULL DEFAULT '0',
    residents INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    UNIQUE (object_id, number)
);
CREATE INDEX premises_company ON premises (company_id);

-- Personal accounts (лицевые счета): the key billing systems match on.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    premise_id INTEGER NOT NULL REFERENCES premises(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    owner_name TEXT NOT NULL DEFAULT '',
    UNIQUE (company_id, number)
);
CREATE INDEX accounts_premise ON accounts (premise_id);

-- Residents are users attached to premises.
CREATE TABLE premise_residents (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    premise_id INTEGER NOT NULL REFERENCES premises(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, premise_id)
);

CREATE TABLE communicators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    object_id INTEGER REFERENCES objects(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    built_in INTEGER NOT NULL DEFAULT 0,
    line TEXT NOT NULL,
    host TEXT NOT NULL DEFAULT '',
    port INTEGER,
    serial_port TEXT NOT NULL DEFAULT '',
    baud_rate INTEGER,
    sim_iccid TEXT NOT NULL DEFAULT '',
    dev_eui TEXT NOT NULL DEFAULT '',
    lorawan_class TEXT NOT NULL DEFAULT '',
    lorawan_version TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX communicators_company ON communicators (company_id);
CREATE UNIQUE INDEX communicators_dev_eui ON communicators (dev_eui) WHERE dev_eui <> '';

-- premise_id NULL means a common building meter (ОДПУ).
CREATE TABLE meters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    premise_id INTEGER REFERENCES premises(id) ON DELETE SET NULL,
    placement TEXT NOT NULL,
    resource TEXT NOT NULL,
    model TEXT NOT NULL,
    serial TEXT NOT NULL,
    barcode TEXT NOT NULL DEFAULT '',
    tariffs INTEGER NOT NULL DEFAULT 1,
    digits_integer INTEGER NOT NULL,
    digits_fraction INTEGER NOT NULL,
    multiplier TEXT NOT NULL DEFAULT '1',
    phase TEXT NOT NULL DEFAULT '',
    installed_on TEXT,
    verified_on TEXT,
    next_verification_on TEXT,
    state TEXT NOT NULL DEFAULT 'in_operation',
    communicator_id INTEGER REFERENCES communicators(id) ON DELETE SET NULL,
    bus_address TEXT NOT NULL DEFAULT '',
    replaces_meter_id INTEGER REFERENCES meters(id),
    last_contact_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (company_id, model, serial)
);
CREATE INDEX meters_object ON meters (object_id, placement, resource);
CREATE INDEX meters_premise ON meters (premise_id);

CREATE TABLE channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    meter_id INTEGER NOT NULL REFERENCES meters(id) ON DELETE CASCADE,
    resource TEXT NOT NULL,
    resource_number INTEGER NOT NULL DEFAULT 1,
    parameter TEXT NOT NULL,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'integral',
    verified_on TEXT,
    UNIQUE (meter_id, resource, resource_number, parameter)
);
CREATE INDEX channels_company ON channels (company_id);

-- The hot table. Clustered by (channel, period, time) so a building's range query is a few
-- index range scans and a re-delivered reading is one key conflict (idempotent ingest).
-- Values are millionths of the channel's unit; NULL means the meter did not give it.
CREATE TABLE readings (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    period INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    company_id INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    total INTEGER,
    t1 INTEGER,
    t2 INTEGER,
    t3 INTEGER,
    t4 INTEGER,
    source INTEGER NOT NULL,
    flags INTEGER NOT NULL DEFAULT 0,
    entered_by INTEGER,
    entry_id TEXT,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, period, ts)
) WITHOUT ROWID;
CREATE UNIQUE INDEX readings_entry_id ON readings (entry_id) WHERE entry_id IS NOT NULL;
