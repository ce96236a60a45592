//! Objects (объекты): buildings and other sites a company serves.

use super::{now, Db, Result};

#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    pub id: i64,
    pub company_id: i64,
    pub city_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub fias_code: String,
    pub under_construction: bool,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub total_area: String,
    pub residents: i64,
    pub time_zone: String,
    pub heating_season: bool,
    pub poll_time: String,
    pub created_at: i64,
}

impl Default for Object {
    fn default() -> Self {
        Object {
            id: 0,
            company_id: 0,
            city_id: None,
            name: String::new(),
            kind: "mkd".into(),
            address: String::new(),
            fias_code: String::new(),
            under_construction: false,
            latitude: None,
            longitude: None,
            total_area: "0".into(),
            residents: 0,
            time_zone: "Europe/Moscow".into(),
            heating_season: false,
            poll_time: "07:00".into(),
            created_at: 0,
        }
    }
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for Object {
    fn from_row(r: &'r sqlx::any::AnyRow) -> std::result::Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(Object {
            id: r.try_get("id")?,
            company_id: r.try_get("company_id")?,
            city_id: r.try_get("city_id")?,
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            address: r.try_get("address")?,
            fias_code: r.try_get("fias_code")?,
            under_construction: r.try_get::<i64, _>("under_construction")? != 0,
            latitude: r.try_get("latitude")?,
            longitude: r.try_get("longitude")?,
            total_area: r.try_get("total_area")?,
            residents: r.try_get("residents")?,
            time_zone: r.try_get("time_zone")?,
            heating_season: r.try_get::<i64, _>("heating_season")? != 0,
            poll_time: r.try_get("poll_time")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

pub async fn create(db: &Db, o: &Object) -> Result<Object> {
    Ok(sqlx::query_as::<_, Object>(
        "INSERT INTO objects (company_id, city_id, name, kind, address, fias_code, under_construction, latitude, longitude,
           total_area, residents, time_zone, heating_season, poll_time, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *",
    )
    .bind(o.company_id)
    .bind(o.city_id)
    .bind(&o.name)
    .bind(&o.kind)
    .bind(&o.address)
    .bind(&o.fias_code)
    .bind(o.under_construction as i64)
    .bind(o.latitude)
    .bind(o.longitude)
    .bind(&o.total_area)
    .bind(o.residents)
    .bind(&o.time_zone)
    .bind(o.heating_season as i64)
    .bind(&o.poll_time)
    .bind(now())
    .fetch_one(db.pool())
    .await?)
}

/// One object of one company; another company's id is `NotFound`, never its data.
pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<Object> {
    Ok(
        sqlx::query_as::<_, Object>("SELECT * FROM objects WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(id)
            .fetch_one(db.pool())
            .await?,
    )
}

/// Many objects by id, of any company, in no set order.
pub async fn get_many(db: &Db, ids: &[i64]) -> Result<Vec<Object>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as::<_, Object>(&format!(
        "SELECT * FROM objects WHERE id IN ({})",
        super::id_list(ids)
    ))
    .fetch_all(db.pool())
    .await?)
}

pub async fn list(db: &Db, company_id: i64) -> Result<Vec<Object>> {
    Ok(
        sqlx::query_as::<_, Object>(
            "SELECT * FROM objects WHERE company_id = $1 ORDER BY name, id",
        )
        .bind(company_id)
        .fetch_all(db.pool())
        .await?,
    )
}

pub async fn get_count(db: &Db, company_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM objects WHERE company_id = $1")
            .bind(company_id)
            .fetch_one(db.pool())
            .await?,
    )
}

/// Per object: (object id, premises, meters) for a company's objects list.
pub async fn list_counts(db: &Db, company_id: i64) -> Result<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT o.id,
           (SELECT COUNT(*) FROM premises p WHERE p.object_id = o.id),
           (SELECT COUNT(*) FROM meters m WHERE m.object_id = o.id)
         FROM objects o WHERE o.company_id = $1",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?)
}

/// One object's (premises, meters) in what `list_counts` returned; (0, 0) when absent.
pub fn counts_of(counts: &[(i64, i64, i64)], object_id: i64) -> (i64, i64) {
    counts
        .iter()
        .find(|(id, _, _)| *id == object_id)
        .map(|(_, p, m)| (*p, *m))
        .unwrap_or((0, 0))
}

pub async fn delete(db: &Db, company_id: i64, id: i64) -> Result<()> {
    let r = sqlx::query("DELETE FROM objects WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;
    use crate::storage::StorageError;

    db_test!(objects_are_scoped_to_their_company, |db| {
        let a = fixtures::building(&db).await;
        let b = fixtures::building(&db).await;
        assert_ne!(a.company_id, b.company_id);
        assert_eq!(
            get(&db, a.company_id, a.object_id).await.unwrap().address,
            "ул. Тестовая, д. 1"
        );
        assert!(matches!(
            get(&db, b.company_id, a.object_id).await,
            Err(StorageError::NotFound)
        ));
        assert!(matches!(
            delete(&db, b.company_id, a.object_id).await,
            Err(StorageError::NotFound)
        ));
        assert_eq!(list(&db, a.company_id).await.unwrap().len(), 1);
        let counts = list_counts(&db, a.company_id).await.unwrap();
        assert_eq!(counts, vec![(a.object_id, 1, 1)]);
        delete(&db, a.company_id, a.object_id).await.unwrap();
        assert_eq!(get_count(&db, a.company_id).await.unwrap(), 0);
    });
}
