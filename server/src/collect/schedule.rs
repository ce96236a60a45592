//! The polling schedule: each building with automatically read meters is polled once a day
//! at its poll time (default 07:00) in its own time zone, on the days of the week its card
//! names (every day by default); an archived building or one switched off is not polled. A
//! server that starts after that time polls the same day; several servers queue the day's
//! poll once between them.

use app::storage::{poll_job, Db, StorageError};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use sqlx::Row;

/// Queues today's scheduled poll of every building whose poll time has come; returns how
/// many were queued by this call.
pub async fn plan_due(db: &Db, now: DateTime<Utc>) -> Result<usize, StorageError> {
    let rows = sqlx::query(
        "SELECT o.id, o.company_id, o.time_zone, o.poll_time, o.poll_days FROM objects o
         WHERE o.poll_enabled = 1 AND o.archived_at IS NULL
           AND EXISTS (SELECT 1 FROM meters m WHERE m.object_id = o.id AND m.protocol <> ''
                       AND m.state = 'in_operation' AND m.communicator_id IS NOT NULL)",
    )
    .fetch_all(db.pool())
    .await?;
    let mut queued = 0;
    for r in rows {
        let (id, company_id): (i64, i64) = (r.try_get("id")?, r.try_get("company_id")?);
        let tz: chrono_tz::Tz = r
            .try_get::<String, _>("time_zone")?
            .parse()
            .unwrap_or(chrono_tz::Europe::Moscow);
        let at = NaiveTime::parse_from_str(&r.try_get::<String, _>("poll_time")?, "%H:%M")
            .unwrap_or(NaiveTime::from_hms_opt(7, 0, 0).expect("07:00"));
        let days: String = r.try_get("poll_days")?;
        if !polled_on(&days, now, tz) {
            continue;
        }
        if let Some((slot, due)) = due_slot(now, tz, at) {
            if poll_job::schedule(db, company_id, id, &slot, due).await? {
                tracing::info!(object = id, slot = %slot, "scheduled poll queued");
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// Whether the building's local today is one of its poll days (ISO digits, 1 = Monday).
pub fn polled_on(days: &str, now: DateTime<Utc>, tz: chrono_tz::Tz) -> bool {
    use chrono::Datelike;
    let today = now.with_timezone(&tz).weekday().number_from_monday();
    days.chars().any(|c| c.to_digit(10) == Some(today))
}

/// Today's slot (local date) and its due instant, once the local poll time has come.
pub fn due_slot(now: DateTime<Utc>, tz: chrono_tz::Tz, at: NaiveTime) -> Option<(String, i64)> {
    let local = now.with_timezone(&tz);
    let today = local.date_naive();
    let due = tz
        .from_local_datetime(&today.and_time(at))
        .earliest()?
        .with_timezone(&Utc);
    (now >= due).then(|| (today.format("%Y-%m-%d").to_string(), due.timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_building_is_polled_only_on_its_days_of_its_own_week() {
        // Sunday 06.12.2026 19:30 UTC: 22:30 Sunday in Moscow, already 05:30 Monday in Vladivostok
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 19, 30, 0).unwrap();
        assert!(polled_on("1", now, chrono_tz::Asia::Vladivostok));
        assert!(!polled_on("1", now, chrono_tz::Europe::Moscow));
        assert!(polled_on("67", now, chrono_tz::Europe::Moscow));
        assert!(!polled_on("", now, chrono_tz::Europe::Moscow));
    }

    #[test]
    fn a_building_is_due_at_its_local_poll_time() {
        let seven = NaiveTime::from_hms_opt(7, 0, 0).unwrap();
        // 03:59 UTC is 06:59 in Moscow: not yet.
        let before = Utc.with_ymd_and_hms(2026, 11, 22, 3, 59, 0).unwrap();
        assert_eq!(due_slot(before, chrono_tz::Europe::Moscow, seven), None);
        let after = Utc.with_ymd_and_hms(2026, 11, 22, 4, 0, 0).unwrap();
        let (slot, due) = due_slot(after, chrono_tz::Europe::Moscow, seven).unwrap();
        assert_eq!(slot, "2026-11-22");
        assert_eq!(due, after.timestamp());
        // In Novosibirsk (UTC+7) 04:00 UTC is 11:00: today's poll is due since 00:00 UTC.
        let (slot, _) = due_slot(after, chrono_tz::Asia::Novosibirsk, seven).unwrap();
        assert_eq!(slot, "2026-11-22");
    }
}
