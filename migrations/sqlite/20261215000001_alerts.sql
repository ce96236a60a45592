-- Alerts by subscription (issue 23, point 10; F27): a staff member asks to hear of the
-- events that open — of some kinds, severities, meter types and buildings — by email and/or
-- by a webhook (a JSON POST for a Telegram bot or the company's own system). The dispatcher
-- looks at the events opened after `last_event_id`: one message per event, a digest for a
-- burst, nothing in the quiet hours (what opened then goes out as one digest after them).
-- With `remind_hours`, an alarm that stays open (not ended, not resolved) is told again
-- every so many hours; `alert_reminders` keeps when each was last told.
-- `token` is the key of the unsubscribe link in every letter.
CREATE TABLE alert_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    webhook_url TEXT NOT NULL DEFAULT '',
    -- comma-separated; empty: all
    kinds TEXT NOT NULL DEFAULT '',
    severities TEXT NOT NULL DEFAULT '',
    resources TEXT NOT NULL DEFAULT '',
    objects TEXT NOT NULL DEFAULT '',
    -- minutes of the day in `time_zone` (the company's buildings' zone); both or none
    quiet_from INTEGER,
    quiet_to INTEGER,
    time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow',
    remind_hours INTEGER,
    last_event_id INTEGER NOT NULL DEFAULT 0,
    token TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
CREATE INDEX alert_subscriptions_user ON alert_subscriptions (company_id, user_id);

CREATE TABLE alert_reminders (
    subscription_id INTEGER NOT NULL REFERENCES alert_subscriptions(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    told_at INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, event_id)
);

-- Webhook POSTs wait in the mail outbox beside the letters (channel 'webhook': recipient is
-- the URL, body the JSON) and leave the same way: claimed once, tried again with growing
-- pauses, so a receiver that is down delays an alert but never loses it.
ALTER TABLE mail_outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail';
