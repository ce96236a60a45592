-- The residents' cabinet and the dispatch desk (SQLite). Mirrors migrations/postgres.

-- Activation codes (F41): a resident registers with one and is attached to its premise.
-- Valid a week; an email invite is a code sent by mail (email set). A code is used once.
CREATE TABLE activation_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    premise_id INTEGER NOT NULL REFERENCES premises(id) ON DELETE CASCADE,
    code TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX activation_codes_premise ON activation_codes (premise_id, expires_at);

-- Mail for the SMTP relay: written in the transaction that asks for it, sent by a background
-- task that retries, so an invite is never lost to a relay that is down.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);

-- Files attached to requests, replies and notices. Kept in the database, so every server
-- process of a company sees them and a backup holds them.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);

-- Requests (F35, вызов мастера): a number per company, a stage, a specialist, a thread.
CREATE TABLE service_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    object_id INTEGER REFERENCES objects(id) ON DELETE SET NULL,
    premise_id INTEGER REFERENCES premises(id) ON DELETE SET NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    specialist TEXT NOT NULL,
    message TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'registration',
    assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    -- the last thread message staff and the author have seen: later ones are unread
    staff_seen_id INTEGER NOT NULL DEFAULT 0,
    author_seen_id INTEGER NOT NULL DEFAULT 0,
    UNIQUE (company_id, number)
);
CREATE INDEX service_requests_company ON service_requests (company_id, stage, created_at);
CREATE INDEX service_requests_author ON service_requests (author_id);

-- The thread of a request: messages of the author and of staff, and what staff did (stage,
-- assignee) as events, so the resident follows the request in one list.
CREATE TABLE request_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES service_requests(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    staff INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL DEFAULT 'message',
    body TEXT NOT NULL,
    attachment_id INTEGER REFERENCES attachments(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX request_messages_request ON request_messages (request_id, created_at);

-- Notices to residents (F36): urgent or permanent, published or not, to buildings or premises.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL DEFAULT 'permanent',
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    works_until TEXT,
    attachment_id INTEGER REFERENCES attachments(id) ON DELETE SET NULL,
    published INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX notices_company ON notices (company_id, created_at);

-- Whom a notice is for: a whole building (object_id) or one premise (premise_id). A resident
-- who registers later in that building sees it too.
CREATE TABLE notice_targets (
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    object_id INTEGER REFERENCES objects(id) ON DELETE CASCADE,
    premise_id INTEGER REFERENCES premises(id) ON DELETE CASCADE
);
CREATE INDEX notice_targets_notice ON notice_targets (notice_id);
CREATE INDEX notice_targets_object ON notice_targets (object_id);
CREATE INDEX notice_targets_premise ON notice_targets (premise_id);

-- Read receipts: when each resident first opened a notice.
CREATE TABLE notice_reads (
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (notice_id, user_id)
);

CREATE INDEX premise_residents_premise ON premise_residents (premise_id);
