//! Premises (помещения): flats and non-residential rooms of an object.

use super::{Db, Result};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Premise {
    pub id: i64,
    pub company_id: i64,
    pub object_id: i64,
    pub number: String,
    pub kind: String,
    pub entrance: Option<i64>,
    pub floor: Option<i64>,
    pub area: String,
    pub residents: i64,
    pub notes: String,
}

impl Default for Premise {
    fn default() -> Self {
        Premise {
            id: 0,
            company_id: 0,
            object_id: 0,
            number: String::new(),
            kind: "flat".into(),
            entrance: None,
            floor: None,
            area: "0".into(),
            residents: 0,
            notes: String::new(),
        }
    }
}

pub async fn create(db: &Db, p: &Premise) -> Result<Premise> {
    create_in(db.pool(), p).await
}

/// `create` inside a caller's transaction (an import writes a building's flats at once).
pub async fn create_in<'c, E>(ex: E, p: &Premise) -> Result<Premise>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_as::<_, Premise>(
        "INSERT INTO premises (company_id, object_id, number, kind, entrance, floor, area, residents, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *",
    )
    .bind(p.company_id)
    .bind(p.object_id)
    .bind(&p.number)
    .bind(&p.kind)
    .bind(p.entrance)
    .bind(p.floor)
    .bind(&p.area)
    .bind(p.residents)
    .bind(&p.notes)
    .fetch_one(ex)
    .await?)
}

/// Changes a premise's kind, area, residents, entrance and floor (not its number or building).
pub async fn update_in<'c, E>(ex: E, p: &Premise) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let r = sqlx::query(
        "UPDATE premises SET kind = $3, entrance = $4, floor = $5, area = $6, residents = $7
         WHERE company_id = $1 AND id = $2",
    )
    .bind(p.company_id)
    .bind(p.id)
    .bind(&p.kind)
    .bind(p.entrance)
    .bind(p.floor)
    .bind(&p.area)
    .bind(p.residents)
    .execute(ex)
    .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

/// Every premise of the company (the import matches a file's rows against them).
pub async fn list_for_company(db: &Db, company_id: i64) -> Result<Vec<Premise>> {
    Ok(
        sqlx::query_as::<_, Premise>("SELECT * FROM premises WHERE company_id = $1")
            .bind(company_id)
            .fetch_all(db.pool())
            .await?,
    )
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<Premise> {
    Ok(
        sqlx::query_as::<_, Premise>("SELECT * FROM premises WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(id)
            .fetch_one(db.pool())
            .await?,
    )
}

/// An object's premises in the order people walk them: by number as a number where it is one.
pub async fn list(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<Premise>> {
    let mut rows = sqlx::query_as::<_, Premise>(
        "SELECT * FROM premises WHERE company_id = $1 AND object_id = $2",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?;
    rows.sort_by(|a, b| natural_key(&a.number).cmp(&natural_key(&b.number)));
    Ok(rows)
}

pub use crate::models::text::natural_key;

/// What hangs on a premise and would go with it: personal accounts, owners, residents of the
/// cabinet, meters (in service or not, with their readings).
pub async fn dependents(db: &Db, company_id: i64, id: i64) -> Result<i64> {
    let mut n = 0;
    for table in ["accounts", "owners", "premise_residents", "meters"] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE company_id = $1 AND premise_id = $2");
        n += sqlx::query_scalar::<_, i64>(&sql).bind(company_id).bind(id).fetch_one(db.pool()).await?;
    }
    Ok(n)
}

/// Removes a premise nothing hangs on (the caller asks [`dependents`] first).
pub async fn delete(db: &Db, company_id: i64, id: i64) -> Result<()> {
    let r = sqlx::query("DELETE FROM premises WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

/// Meters in service per premise of a building.
pub async fn meter_counts(db: &Db, company_id: i64, object_id: i64) -> Result<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT premise_id, COUNT(*) FROM meters
         WHERE company_id = $1 AND object_id = $2 AND premise_id IS NOT NULL AND state <> 'retired'
         GROUP BY premise_id",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().collect())
}

pub async fn get_count(db: &Db, company_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM premises WHERE company_id = $1")
            .bind(company_id)
            .fetch_one(db.pool())
            .await?,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn flats_sort_as_numbers_not_as_text() {
        let mut v = vec!["10", "2", "1а", "1", "office"];
        v.sort_by(|a, b| super::natural_key(a).cmp(&super::natural_key(b)));
        assert_eq!(v, vec!["1", "1а", "2", "10", "office"]);
    }
}
