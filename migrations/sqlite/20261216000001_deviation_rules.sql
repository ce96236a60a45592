-- Deviation rules (issue 23, point 5; F22, EK 4.6.7): per building and parameter of its
-- common meters, off until a dispatcher switches it on; a record is held against the
-- average of the three days before it ('average') or a set value ('constant'), allowed to
-- stray by a percentage ('percent') or an amount in the parameter's unit ('absolute').
-- Decimals as text, exact. A switched-off row keeps its band.
CREATE TABLE deviation_rules (
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    parameter TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 0,
    basis TEXT NOT NULL DEFAULT 'average',
    constant TEXT,
    band TEXT NOT NULL DEFAULT 'percent',
    tolerance TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    PRIMARY KEY (object_id, parameter)
);
CREATE INDEX deviation_rules_company ON deviation_rules (company_id, enabled);
