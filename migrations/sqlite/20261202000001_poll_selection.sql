-- A manual poll of chosen meters (one category of the console, or rows a dispatcher ticked):
-- the job covers exactly these. A job without rows here covers its building (or its one
-- meter or resource) as before.
CREATE TABLE poll_job_meters (
    job_id INTEGER NOT NULL REFERENCES poll_jobs(id) ON DELETE CASCADE,
    meter_id INTEGER NOT NULL REFERENCES meters(id) ON DELETE CASCADE,
    PRIMARY KEY (job_id, meter_id)
);
