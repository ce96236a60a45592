//! Heating seasons (issue 26, point 2; F33): the history of each building's season changes.
//! The newest row is the building's season now; `objects.heating_season` is kept equal to it
//! in the same transaction, so code that asks only "is the heating on" reads one column.

use chrono::NaiveDate;
use sqlx::Row;

use super::{id_list, parse_date, Db, Result, StorageError};

/// One change: from `starts_on` (the building's calendar day) the building is in the heating
/// season (`heating`) or between seasons.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub id: i64,
    pub object_id: i64,
    pub heating: bool,
    pub starts_on: NaiveDate,
    pub set_by: Option<i64>,
    /// The name of who set it, for the page; empty when the upgrade carried a mark over.
    pub set_by_name: String,
    pub set_at: i64,
}

fn change_of(r: &sqlx::any::AnyRow) -> Result<Change> {
    Ok(Change {
        id: r.try_get("id")?,
        object_id: r.try_get("object_id")?,
        heating: r.try_get::<i64, _>("heating")? != 0,
        starts_on: parse_date("heating_seasons.starts_on", Some(r.try_get("starts_on")?))?
            .ok_or(StorageError::BadValue("heating_seasons.starts_on"))?,
        set_by: r.try_get("set_by")?,
        set_by_name: r.try_get::<Option<String>, _>("full_name")?.unwrap_or_default(),
        set_at: r.try_get("set_at")?,
    })
}

const SELECT: &str = "SELECT h.id, h.object_id, h.heating, h.starts_on, h.set_by, u.full_name, h.set_at
     FROM heating_seasons h LEFT JOIN users u ON u.id = h.set_by";

/// Every change in a company's buildings, newest first within each building.
pub async fn list(db: &Db, company_id: i64) -> Result<Vec<Change>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE h.company_id = $1 ORDER BY h.object_id, h.starts_on DESC"))
        .bind(company_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(change_of).collect()
}

/// The newest change of each of a company's buildings that has one (of `object_ids` only,
/// when given): each building's season now.
pub async fn latest(db: &Db, company_id: i64, object_ids: Option<&[i64]>) -> Result<Vec<Change>> {
    let only = match object_ids {
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!("AND h.object_id IN ({})", id_list(ids)),
        None => String::new(),
    };
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE h.company_id = $1 {only}
           AND h.starts_on = (SELECT MAX(l.starts_on) FROM heating_seasons l WHERE l.object_id = h.object_id)
         ORDER BY h.object_id"
    ))
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(change_of).collect()
}

/// Every change of one building, oldest first: what its heat figures count months by.
pub async fn of_object(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<Change>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE h.company_id = $1 AND h.object_id = $2 ORDER BY h.starts_on"))
        .bind(company_id)
        .bind(object_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(change_of).collect()
}

/// Keeps the season `heating` from `starts_on` for each of `object_ids`, all or none, and
/// sets each building's season mark to it.
pub async fn record(
    db: &Db,
    company_id: i64,
    object_ids: &[i64],
    heating: bool,
    starts_on: NaiveDate,
    set_by: Option<i64>,
    set_at: i64,
) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    for &object_id in object_ids {
        sqlx::query(
            "INSERT INTO heating_seasons (company_id, object_id, heating, starts_on, set_by, set_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(company_id)
        .bind(object_id)
        .bind(heating as i64)
        .bind(starts_on.format("%Y-%m-%d").to_string())
        .bind(set_by)
        .bind(set_at)
        .execute(&mut *tx)
        .await?;
        mark(&mut tx, company_id, object_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes change `id` of building `object_id` (undone by a dispatcher) and sets the
/// building's mark to the season before it.
pub async fn delete(db: &Db, company_id: i64, object_id: i64, id: i64) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    let gone = sqlx::query("DELETE FROM heating_seasons WHERE id = $1 AND company_id = $2 AND object_id = $3")
        .bind(id)
        .bind(company_id)
        .bind(object_id)
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    mark(&mut tx, company_id, object_id).await?;
    tx.commit().await?;
    Ok(())
}

/// `objects.heating_season` from the building's newest change (off when it has none).
async fn mark(tx: &mut sqlx::Transaction<'_, sqlx::Any>, company_id: i64, object_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE objects SET heating_season = COALESCE(
             (SELECT h.heating FROM heating_seasons h WHERE h.object_id = objects.id ORDER BY h.starts_on DESC LIMIT 1), 0)
         WHERE id = $1 AND company_id = $2",
    )
    .bind(object_id)
    .bind(company_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::object;
    use crate::storage::testing::fixtures;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    db_test!(a_buildings_newest_change_is_its_season_and_undoing_it_brings_back_the_one_before, |db| {
        let b = fixtures::building(&db).await;
        assert!(latest(&db, b.company_id, None).await.unwrap().is_empty(), "no season set yet");
        record(&db, b.company_id, &[b.object_id], true, day("2026-10-01"), None, 1_000).await.unwrap();
        record(&db, b.company_id, &[b.object_id], false, day("2027-05-03"), None, 2_000).await.unwrap();
        assert!(!object::get(&db, b.company_id, b.object_id).await.unwrap().heating_season);
        let now = latest(&db, b.company_id, None).await.unwrap();
        assert_eq!(now.iter().map(|c| (c.heating, c.starts_on)).collect::<Vec<_>>(), vec![(false, day("2027-05-03"))]);
        assert_eq!(latest(&db, b.company_id, Some(&[b.object_id])).await.unwrap(), now);
        assert!(latest(&db, b.company_id, Some(&[])).await.unwrap().is_empty());
        let history = of_object(&db, b.company_id, b.object_id).await.unwrap();
        assert_eq!(history.iter().map(|c| c.starts_on).collect::<Vec<_>>(), vec![day("2026-10-01"), day("2027-05-03")], "oldest first");
        assert!(of_object(&db, b.company_id + 1, b.object_id).await.unwrap().is_empty(), "not another company's");
        let all = list(&db, b.company_id).await.unwrap();
        assert_eq!(all.iter().map(|c| c.starts_on).collect::<Vec<_>>(), vec![day("2027-05-03"), day("2026-10-01")]);

        delete(&db, b.company_id, b.object_id, now[0].id).await.unwrap();
        assert!(object::get(&db, b.company_id, b.object_id).await.unwrap().heating_season, "back in the heating season");
        assert!(matches!(delete(&db, b.company_id + 1, b.object_id, all[1].id).await, Err(StorageError::NotFound)), "not another company's");
        delete(&db, b.company_id, b.object_id, all[1].id).await.unwrap();
        assert!(!object::get(&db, b.company_id, b.object_id).await.unwrap().heating_season, "none set: off");
        assert!(list(&db, b.company_id).await.unwrap().is_empty());
    });

    db_test!(two_changes_of_one_building_on_one_day_are_refused_whole, |db| {
        let b = fixtures::building(&db).await;
        record(&db, b.company_id, &[b.object_id], true, day("2026-10-01"), None, 1_000).await.unwrap();
        let again = record(&db, b.company_id, &[b.object_id], false, day("2026-10-01"), None, 2_000).await;
        assert!(matches!(again, Err(StorageError::AlreadyExists)), "{again:?}");
        assert!(object::get(&db, b.company_id, b.object_id).await.unwrap().heating_season);
    });
}
