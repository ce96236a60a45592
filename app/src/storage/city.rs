//! Cities where companies work; each has a default time zone for its objects.

use super::{Db, Result};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct City {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub time_zone: String,
}

/// Returns the city, creating it the first time it is named.
pub async fn get_or_create(db: &Db, name: &str, region: &str, time_zone: &str) -> Result<City> {
    if let Some(c) =
        sqlx::query_as::<_, City>("SELECT * FROM cities WHERE name = $1 AND region = $2")
            .bind(name)
            .bind(region)
            .fetch_optional(db.pool())
            .await?
    {
        return Ok(c);
    }
    Ok(sqlx::query_as::<_, City>(
        "INSERT INTO cities (name, region, time_zone) VALUES ($1, $2, $3) RETURNING *",
    )
    .bind(name)
    .bind(region)
    .bind(time_zone)
    .fetch_one(db.pool())
    .await?)
}

pub async fn attach_to_company(db: &Db, company_id: i64, city_id: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO company_cities (company_id, city_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(company_id)
    .bind(city_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn list_for_company(db: &Db, company_id: i64) -> Result<Vec<City>> {
    Ok(sqlx::query_as::<_, City>(
        "SELECT c.* FROM cities c JOIN company_cities cc ON cc.city_id = c.id WHERE cc.company_id = $1 ORDER BY c.name",
    )
    .bind(company_id)
    .fetch_all(db.pool())
    .await?)
}
