-- Requests, the rest of F35 (issue 26, point 4): a category beside the specialist; requests
-- staff file themselves (a phone call, a walk-round finding) on behalf of a resident or for a
-- building, with the applicant's name and phone as said; group requests (a building-wide
-- outage: residents' requests attached to one, whose replies and stages reach them all); and
-- when the current stage began, for its time limit.
ALTER TABLE service_requests ADD COLUMN category TEXT NOT NULL DEFAULT 'repair';
ALTER TABLE service_requests ADD COLUMN channel TEXT NOT NULL DEFAULT 'cabinet';
ALTER TABLE service_requests ADD COLUMN applicant TEXT NOT NULL DEFAULT '';
ALTER TABLE service_requests ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE service_requests ADD COLUMN filed_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE service_requests ADD COLUMN group_id BIGINT REFERENCES service_requests(id) ON DELETE SET NULL;
ALTER TABLE service_requests ADD COLUMN stage_at BIGINT NOT NULL DEFAULT 0;
-- the stage of a request already there began at its last change, as near as is known
UPDATE service_requests SET stage_at = CASE WHEN stage = 'registration' THEN created_at ELSE updated_at END;
CREATE INDEX service_requests_group ON service_requests (group_id);
-- A company's own time limit per category and open stage (EK 4.6 «Сроки»), in minutes; where
-- it set none the defaults in the code hold (ПП 416 for emergencies).
CREATE TABLE request_limits (
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    stage TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    PRIMARY KEY (company_id, category, stage)
);
