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
    pub poll_enabled: bool,
    /// ISO weekday digits the building is polled on: `1234567` every day.
    pub poll_days: String,
    pub floors: i64,
    pub entrances: i64,
    pub weather_station: String,
    /// Archived: out of the lists and the schedule, its history kept.
    pub archived_at: Option<i64>,
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
            poll_enabled: true,
            poll_days: "1234567".into(),
            floors: 0,
            entrances: 0,
            weather_station: String::new(),
            archived_at: None,
            created_at: 0,
        }
    }
}

impl Object {
    /// Takes what a building's card and an imported row both give: address, names, ФИАС
    /// code, coordinates and figures, time zone. The poll schedule and the heating season
    /// stay as they are (an import does not touch them).
    pub fn take_card(&mut self, b: &crate::models::building::Building) {
        self.name = b.name.clone();
        self.address = b.address.clone();
        self.fias_code = b.fias_code.clone();
        self.under_construction = b.under_construction;
        self.latitude = b.latitude;
        self.longitude = b.longitude;
        self.total_area = b.total_area.to_string();
        self.residents = b.residents;
        self.floors = b.floors;
        self.entrances = b.entrances;
        self.time_zone = b.time_zone.clone();
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
            poll_enabled: r.try_get::<i64, _>("poll_enabled")? != 0,
            poll_days: r.try_get("poll_days")?,
            floors: r.try_get("floors")?,
            entrances: r.try_get("entrances")?,
            weather_station: r.try_get("weather_station")?,
            archived_at: r.try_get("archived_at")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

/// A coordinate bound as text and cast by the database. sqlx 0.8.6's Any driver sends a
/// missing `f64` to PostgreSQL as a 4-byte `real`; the statement, cached with that type,
/// then refuses the next building's 8-byte coordinate ("incorrect binary data format").
/// Text has one type whether present or not, and its shortest form reads back exactly.
fn coordinate(v: Option<f64>) -> Option<String> {
    v.map(|v| v.to_string())
}

pub async fn create(db: &Db, o: &Object) -> Result<Object> {
    create_in(db.pool(), o).await
}

/// `create` inside a caller's transaction (an import of many buildings).
pub async fn create_in<'c, E>(ex: E, o: &Object) -> Result<Object>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_as::<_, Object>(
        "INSERT INTO objects (company_id, city_id, name, kind, address, fias_code, under_construction, latitude, longitude,
           total_area, residents, time_zone, heating_season, poll_time, poll_enabled, poll_days, floors, entrances,
           weather_station, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS DOUBLE PRECISION), CAST($9 AS DOUBLE PRECISION), $10, $11, $12, $13,
           $14, $15, $16, $17, $18, $19, $20) RETURNING *",
    )
    .bind(o.company_id)
    .bind(o.city_id)
    .bind(&o.name)
    .bind(&o.kind)
    .bind(&o.address)
    .bind(&o.fias_code)
    .bind(o.under_construction as i64)
    .bind(coordinate(o.latitude))
    .bind(coordinate(o.longitude))
    .bind(&o.total_area)
    .bind(o.residents)
    .bind(&o.time_zone)
    .bind(o.heating_season as i64)
    .bind(&o.poll_time)
    .bind(o.poll_enabled as i64)
    .bind(&o.poll_days)
    .bind(o.floors)
    .bind(o.entrances)
    .bind(&o.weather_station)
    .bind(now())
    .fetch_one(ex)
    .await?)
}

/// The card's fields as edited (not its company, city, kind or archive mark).
pub async fn update(db: &Db, o: &Object) -> Result<()> {
    update_in(db.pool(), o).await
}

/// `update` inside a caller's transaction.
pub async fn update_in<'c, E>(ex: E, o: &Object) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let r = sqlx::query(
        "UPDATE objects SET name = $3, address = $4, fias_code = $5, under_construction = $6,
           latitude = CAST($7 AS DOUBLE PRECISION), longitude = CAST($8 AS DOUBLE PRECISION), total_area = $9, residents = $10, time_zone = $11, heating_season = $12, poll_time = $13,
           poll_enabled = $14, poll_days = $15, floors = $16, entrances = $17, weather_station = $18
         WHERE company_id = $1 AND id = $2",
    )
    .bind(o.company_id)
    .bind(o.id)
    .bind(&o.name)
    .bind(&o.address)
    .bind(&o.fias_code)
    .bind(o.under_construction as i64)
    .bind(coordinate(o.latitude))
    .bind(coordinate(o.longitude))
    .bind(&o.total_area)
    .bind(o.residents)
    .bind(&o.time_zone)
    .bind(o.heating_season as i64)
    .bind(&o.poll_time)
    .bind(o.poll_enabled as i64)
    .bind(&o.poll_days)
    .bind(o.floors)
    .bind(o.entrances)
    .bind(&o.weather_station)
    .execute(ex)
    .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

/// Archives a building (at `at`) or brings it back (`None`).
pub async fn set_archived(db: &Db, company_id: i64, id: i64, at: Option<i64>) -> Result<()> {
    let r = sqlx::query("UPDATE objects SET archived_at = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(at)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
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

/// The company's working buildings (not the archived), by name.
pub async fn list(db: &Db, company_id: i64) -> Result<Vec<Object>> {
    Ok(
        sqlx::query_as::<_, Object>(
            "SELECT * FROM objects WHERE company_id = $1 AND archived_at IS NULL ORDER BY name, id",
        )
        .bind(company_id)
        .fetch_all(db.pool())
        .await?,
    )
}

/// The company's working buildings as (id, name), by name: every list's building filter.
pub async fn names(db: &Db, company_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, name FROM objects WHERE company_id = $1 AND archived_at IS NULL ORDER BY name, id")
        .bind(company_id)
        .fetch_all(db.pool())
        .await?)
}

/// Every building of the company, the archived too.
pub async fn list_with_archived(db: &Db, company_id: i64) -> Result<Vec<Object>> {
    Ok(
        sqlx::query_as::<_, Object>("SELECT * FROM objects WHERE company_id = $1 ORDER BY name, id")
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
    db_test!(an_archived_building_leaves_the_list_and_comes_back_edited, |db| {
        let a = fixtures::building(&db).await;
        let mut o = get(&db, a.company_id, a.object_id).await.unwrap();
        o.poll_days = "135".into();
        o.floors = 9;
        o.weather_station = "Москва, ВДНХ".into();
        // the fixture had no coordinates: a building with them after one without
        o.latitude = Some(55.7107);
        update(&db, &o).await.unwrap();
        let more = create(&db, &Object { latitude: Some(59.93), longitude: None, ..o.clone() }).await.unwrap();
        assert_eq!((more.latitude, more.longitude), (Some(59.93), None));
        set_archived(&db, a.company_id, a.object_id, Some(100)).await.unwrap();
        assert_eq!(list(&db, a.company_id).await.unwrap().len(), 1, "only the other one");
        let all = list_with_archived(&db, a.company_id).await.unwrap();
        assert_eq!(all.iter().find(|x| x.id == a.object_id).unwrap().archived_at, Some(100));
        let edited = all.iter().find(|x| x.id == a.object_id).unwrap();
        assert_eq!((edited.poll_days.as_str(), edited.floors, edited.latitude), ("135", 9, Some(55.7107)));
        set_archived(&db, a.company_id, a.object_id, None).await.unwrap();
        assert_eq!(list(&db, a.company_id).await.unwrap().len(), 2);
    });

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
        assert!(matches!(
            set_archived(&db, b.company_id, a.object_id, Some(1)).await,
            Err(StorageError::NotFound)
        ));
        delete(&db, a.company_id, a.object_id).await.unwrap();
        assert_eq!(get_count(&db, a.company_id).await.unwrap(), 0);
    });
}
