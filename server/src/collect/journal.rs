//! From a meter's event journals to events: each record the meter wrote (its power went off,
//! its cover was opened, a magnet was held to it) becomes an event of source «meter», with
//! the times of the meter's clock in its building's zone. Storage keeps each once, and ends
//! one read while it lasted when a later read shows it over.

use app::models::monitoring::{EventKind, EventSource, EventValues};
use app::storage::event::NewEvent;
use app::storage::poll_target::PollTarget;
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::protocol::mercury::journal::{Journal, Record};

/// Journals are read when the last read is older than this: once a day, a little less, so a
/// meter polled daily at the same hour is not put off to the next day.
pub const EVERY_SECONDS: i64 = 23 * 3600;

/// Whether this poll reads the meter's journals.
pub fn due(read_at: Option<i64>, now: i64) -> bool {
    read_at.is_none_or(|at| now - at >= EVERY_SECONDS || at > now)
}

fn kind(journal: Journal) -> EventKind {
    match journal {
        Journal::Power => EventKind::PowerOff,
        Journal::Cover => EventKind::CoverOpened,
        Journal::Magnet => EventKind::Magnet,
    }
}

/// A time of the meter's clock as UTC seconds; a local time a clock change skipped is read
/// as the later offset's, one it repeated as the earlier.
fn utc(zone: Tz, t: NaiveDateTime) -> Option<i64> {
    let local = zone.from_local_datetime(&t);
    local.earliest().or_else(|| zone.from_local_datetime(&(t + chrono::Duration::hours(1))).earliest()).map(|d| d.timestamp())
}

/// The events of a meter's journal records, with each one's end (`None` while it lasts).
pub fn events(t: &PollTarget, zone: Tz, records: &[(Journal, Record)]) -> (Vec<NewEvent>, Vec<Option<i64>>) {
    let shown = |x: NaiveDateTime| x.format("%d.%m.%Y %H:%M:%S").to_string();
    records
        .iter()
        .filter_map(|(journal, r)| {
            let started_at = utc(zone, r.began)?;
            let ended_at = r.ended.and_then(|e| utc(zone, e));
            let kind = kind(*journal);
            let values = EventValues {
                at: Some(shown(r.began)),
                until: r.ended.map(shown),
                ..Default::default()
            };
            Some((
                NewEvent {
                    company_id: t.company_id,
                    object_id: t.object_id,
                    meter_id: Some(t.meter_id),
                    channel_id: None,
                    kind: kind.as_str(),
                    severity: kind.severity().as_str(),
                    source: EventSource::Meter.as_str(),
                    started_at,
                    details: serde_json::to_string(&values).unwrap_or_else(|_| "{}".into()),
                },
                ended_at,
            ))
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::models::Resource;

    fn target() -> PollTarget {
        PollTarget {
            meter_id: 7,
            company_id: 1,
            object_id: 3,
            resource: Resource::Electricity,
            tariffs: 2,
            serial: "12345678".into(),
            model: "Меркурий 230".into(),
            protocol: "mercury".into(),
            bus_address: "78".into(),
            bus_password: String::new(),
            communicator_id: 5,
            journals_read_at: None,
        }
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%d.%m.%Y %H:%M:%S").unwrap()
    }

    #[test]
    fn journals_are_read_once_a_day() {
        let now = 1_000_000;
        assert!(due(None, now));
        assert!(!due(Some(now - 3600), now));
        assert!(due(Some(now - 23 * 3600), now));
        // a clock put back: read again rather than never
        assert!(due(Some(now + 3600), now));
    }

    #[test]
    fn a_cover_opened_and_closed_is_an_ended_alarm_in_the_buildings_time() {
        let records = [
            (Journal::Cover, Record { began: at("03.12.2026 14:03:27"), ended: Some(at("03.12.2026 14:07:05")) }),
            (Journal::Magnet, Record { began: at("06.12.2026 09:00:00"), ended: None }),
        ];
        let (events, ended) = events(&target(), chrono_tz::Europe::Moscow, &records);
        assert_eq!(events.len(), 2);
        // 14:03:27 in Moscow is 11:03:27 UTC
        let utc = |s: &str| at(s).and_utc().timestamp();
        assert_eq!(events[0].started_at, utc("03.12.2026 11:03:27"));
        assert_eq!(ended[0], Some(utc("03.12.2026 11:07:05")));
        assert_eq!((events[0].kind, events[0].severity, events[0].source), ("cover_opened", "alarm", "meter"));
        assert_eq!(events[0].meter_id, Some(7));
        let v: EventValues = serde_json::from_str(&events[0].details).unwrap();
        assert_eq!(v.describe(EventKind::CoverOpened, app::i18n::Lang::Ru), "по журналу событий счётчика: 03.12.2026 14:03:27 — 03.12.2026 14:07:05");
        assert_eq!((events[1].kind, ended[1]), ("magnet", None));
    }
}
