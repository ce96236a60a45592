-- The subscribers' list reads one building's month of every meter chain at once.
CREATE INDEX consumption_days_object_day ON consumption_days (object_id, span, day);
