-- The monthly billing export (issue 28): each run of a company's export for one billing
-- period in one template, with the file exactly as it was handed over and its protocol — a
-- line per meter, sent or not and why. A re-run names the run it repeats.
CREATE TABLE billing_exports (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    -- the period's month, 'yyyy-mm-01'
    period TEXT NOT NULL,
    template TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    -- running, success, with_errors, failed
    status TEXT NOT NULL,
    sent BIGINT NOT NULL DEFAULT 0,
    not_sent BIGINT NOT NULL DEFAULT 0,
    changed BIGINT NOT NULL DEFAULT 0,
    started_by TEXT NOT NULL DEFAULT '',
    again_of BIGINT,
    file_name TEXT NOT NULL DEFAULT '',
    -- a failed run: the fault, in words
    fault TEXT NOT NULL DEFAULT '',
    content BYTEA
);
CREATE INDEX billing_exports_by_period ON billing_exports (company_id, period, template);

CREATE TABLE billing_export_lines (
    export_id BIGINT NOT NULL REFERENCES billing_exports(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    meter_id BIGINT,
    object_name TEXT NOT NULL,
    flat TEXT NOT NULL,
    account TEXT NOT NULL,
    serial TEXT NOT NULL,
    resource TEXT NOT NULL,
    -- the reading's local date 'yyyy-mm-dd' and its values per tariff (exact decimals as text)
    taken_on TEXT,
    t1 TEXT,
    t2 TEXT,
    t3 TEXT,
    volume TEXT,
    basis TEXT NOT NULL,
    sent BIGINT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    -- a re-run: what the run it repeats sent for this meter, when it differs
    was TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (export_id, position)
);

-- A company's automatic export: on this day of the month (after its billing window, in the
-- time of its westernmost building) the last closed period goes out in this template, once.
CREATE TABLE billing_schedules (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    template TEXT NOT NULL,
    day BIGINT NOT NULL
);
