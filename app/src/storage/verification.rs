//! Meters by the day their next verification is due («Поверка», F31): in service (not
//! retired), in buildings that are not archived.

use chrono::NaiveDate;
use sqlx::Row;

use super::{parse_date, Db, Result, StorageError};

/// The meters on the calendar: the company's, in service, in a building not archived, due
/// in `[$2, $3)`, of one building when `$4` is not 0.
const ON_CALENDAR: &str = "m.company_id = $1 AND m.state <> 'retired' AND o.archived_at IS NULL
    AND m.next_verification_on >= $2 AND m.next_verification_on < $3 AND ($4 = 0 OR m.object_id = $4)";

#[derive(Clone, Debug, PartialEq)]
pub struct DueMeter {
    pub meter_id: i64,
    pub object_id: i64,
    pub object_name: String,
    pub premise: Option<String>,
    pub placement: String,
    pub resource: String,
    pub model: String,
    pub serial: String,
    pub verified_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
}

/// A company's meters due in `[from, to)` (one building's when `object_id` is given), by
/// date, building and place.
pub async fn due(db: &Db, company_id: i64, object_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<Vec<DueMeter>> {
    let rows = sqlx::query(&format!(
        "SELECT m.id, m.object_id, o.name AS object_name, p.number AS premise, m.placement, m.resource, m.model,
                m.serial, m.verified_on, m.next_verification_on
         FROM meters m JOIN objects o ON o.id = m.object_id LEFT JOIN premises p ON p.id = m.premise_id
         WHERE {ON_CALENDAR}
         ORDER BY m.next_verification_on, o.name, m.placement, p.number, m.id"
    ))
    .bind(company_id)
    .bind(from.format("%Y-%m-%d").to_string())
    .bind(to.format("%Y-%m-%d").to_string())
    .bind(object_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DueMeter {
                meter_id: r.try_get("id")?,
                object_id: r.try_get("object_id")?,
                object_name: r.try_get("object_name")?,
                premise: r.try_get("premise")?,
                placement: r.try_get("placement")?,
                resource: r.try_get("resource")?,
                model: r.try_get("model")?,
                serial: r.try_get("serial")?,
                verified_on: parse_date("meters.verified_on", r.try_get("verified_on")?)?,
                due_on: parse_date("meters.next_verification_on", r.try_get("next_verification_on")?)?
                    .ok_or(StorageError::BadValue("meters.next_verification_on"))?,
            })
        })
        .collect()
}

/// How many of the company's meters fall due on each day of `[from, to)`, as (day, count).
pub async fn counts(db: &Db, company_id: i64, object_id: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT m.next_verification_on, COUNT(*) FROM meters m JOIN objects o ON o.id = m.object_id
         WHERE {ON_CALENDAR} GROUP BY m.next_verification_on"
    ))
    .bind(company_id)
    .bind(from.format("%Y-%m-%d").to_string())
    .bind(to.format("%Y-%m-%d").to_string())
    .bind(object_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(d, n)| Ok((parse_date("meters.next_verification_on", Some(d))?.unwrap_or_default(), n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::models::MeterState;
    use crate::storage::testing::fixtures;
    use crate::storage::{meter, object};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    db_test!(meters_fall_due_by_their_date_and_retired_or_archived_ones_do_not, |db| {
        let f = fixtures::building(&db).await;
        let other = fixtures::building_of(&db, f.company_id, "2").await;
        let stranger = fixtures::building(&db).await;
        for (id, company, due) in [
            (f.meter_id, f.company_id, d(2026, 12, 10)),
            (other.meter_id, f.company_id, d(2026, 12, 20)),
            (stranger.meter_id, stranger.company_id, d(2026, 12, 10)),
        ] {
            let mut m = meter::get(&db, company, id).await.unwrap();
            m.next_verification_on = Some(due);
            meter::update_in(db.pool(), &m).await.unwrap();
        }
        let december = due(&db, f.company_id, None, d(2026, 12, 1), d(2027, 1, 1)).await.unwrap();
        assert_eq!(december.iter().map(|m| m.meter_id).collect::<Vec<_>>(), vec![f.meter_id, other.meter_id]);
        assert_eq!(december[0].premise.as_deref(), Some("1"));
        let one = due(&db, f.company_id, Some(other.object_id), d(2026, 12, 1), d(2027, 1, 1)).await.unwrap();
        assert_eq!(one.len(), 1);
        let days = counts(&db, f.company_id, None, d(2026, 1, 1), d(2027, 1, 1)).await.unwrap();
        assert_eq!(days.len(), 2);
        // retired, or in an archived building: off the calendar
        meter::set_state(&db, f.company_id, f.meter_id, MeterState::Retired).await.unwrap();
        object::set_archived(&db, f.company_id, other.object_id, Some(1)).await.unwrap();
        assert!(due(&db, f.company_id, None, d(2026, 12, 1), d(2027, 1, 1)).await.unwrap().is_empty());
    });
}
