-- The dashboard counts a company's meters by placement and resource on every look; with
-- 100 000 meters that read every meter row (60 ms on SQLite). This index answers it alone.
CREATE INDEX meters_company_kind ON meters (company_id, placement, resource, object_id);
