//! Norms of consumption (нормативы) per resource for one billing period. They stand in for
//! readings missing longer than the average may (ПП 354 п. 60): per resident, heat per m²
//! of the premise. Regions set them, so a company keeps a default for all its cities, a
//! city's own where it differs, and a building's own where that differs again.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Db, Result};
use crate::models::Resource;

/// Where a norm holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every building of the company where nothing nearer is set.
    Company,
    /// The company's buildings in one city.
    City(i64),
    /// One building.
    Object(i64),
}

impl Scope {
    fn ids(self) -> (i64, i64) {
        match self {
            Scope::Company => (0, 0),
            Scope::City(c) => (c, 0),
            Scope::Object(o) => (0, o),
        }
    }

    fn of(city_id: i64, object_id: i64) -> Scope {
        match (city_id, object_id) {
            (_, o) if o > 0 => Scope::Object(o),
            (c, _) if c > 0 => Scope::City(c),
            _ => Scope::Company,
        }
    }

    /// How near a building the norm is: the nearest wins.
    fn nearness(self) -> u8 {
        match self {
            Scope::Company => 0,
            Scope::City(_) => 1,
            Scope::Object(_) => 2,
        }
    }
}

/// A stored norm.
#[derive(Clone, Debug, PartialEq)]
pub struct Norm {
    pub scope: Scope,
    pub resource: Resource,
    pub value: Decimal,
}

/// The company's norms under `filter`, whose `$2`, `$3`… are `params` in order.
async fn rows(db: &Db, company_id: i64, filter: &str, params: &[i64]) -> Result<Vec<Norm>> {
    let sql = format!("SELECT city_id, object_id, resource, value FROM consumption_norms WHERE company_id = $1 AND ({filter})");
    let mut q = sqlx::query_as::<_, (i64, i64, String, String)>(&sql).bind(company_id);
    for p in params {
        q = q.bind(*p);
    }
    let rows = q.fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, o, r, v)| {
            Some(Norm {
                scope: Scope::of(c, o),
                resource: Resource::parse(&r)?,
                value: Decimal::from_str(&v).ok()?,
            })
        })
        .collect())
}

/// The norms that hold in a building (in `city_id`, if it has one): its own where set, else
/// its city's, else the company's.
pub async fn for_object(db: &Db, company_id: i64, city_id: Option<i64>, object_id: i64) -> Result<HashMap<Resource, Decimal>> {
    let mut found = rows(
        db,
        company_id,
        "(object_id = 0 AND city_id IN (0, $2)) OR (object_id = $3 AND object_id > 0)",
        &[city_id.unwrap_or(0), object_id],
    )
    .await?;
    found.sort_by_key(|n| n.scope.nearness());
    // the nearer rows come later and replace the farther ones
    Ok(found.into_iter().map(|n| (n.resource, n.value)).collect())
}

/// The company's own norms and its cities' (not its buildings').
pub async fn list_for_company(db: &Db, company_id: i64) -> Result<Vec<Norm>> {
    rows(db, company_id, "object_id = 0", &[]).await
}

/// A building's own norms.
pub async fn list_for_object(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<Norm>> {
    rows(db, company_id, "object_id = $2", &[object_id]).await
}

/// Sets (or with `None` removes) a norm where it holds.
pub async fn set(db: &Db, company_id: i64, scope: Scope, resource: Resource, value: Option<Decimal>) -> Result<()> {
    let (city_id, object_id) = scope.ids();
    match value {
        Some(v) => {
            sqlx::query(
                "INSERT INTO consumption_norms (company_id, city_id, object_id, resource, value) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (company_id, city_id, object_id, resource) DO UPDATE SET value = $5",
            )
            .bind(company_id)
            .bind(city_id)
            .bind(object_id)
            .bind(resource.as_str())
            .bind(v.normalize().to_string())
            .execute(db.pool())
            .await?;
        }
        None => {
            sqlx::query(
                "DELETE FROM consumption_norms WHERE company_id = $1 AND city_id = $2 AND object_id = $3 AND resource = $4",
            )
            .bind(company_id)
            .bind(city_id)
            .bind(object_id)
            .bind(resource.as_str())
            .execute(db.pool())
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    db_test!(the_nearest_norm_holds_a_building_then_its_city_then_the_company, |db| {
        let (c, o) = fixtures::company_with_building(&db, "УК «Норма»", "Дом").await;
        let (novosibirsk, moscow) = (7, 8);
        set(&db, c, Scope::Company, Resource::ColdWater, Some(d("6.935"))).await.unwrap();
        set(&db, c, Scope::Company, Resource::Electricity, Some(d("100"))).await.unwrap();
        set(&db, c, Scope::City(novosibirsk), Resource::ColdWater, Some(d("5.1"))).await.unwrap();
        set(&db, c, Scope::Object(o), Resource::Electricity, Some(d("80"))).await.unwrap();

        let in_novosibirsk = for_object(&db, c, Some(novosibirsk), o).await.unwrap();
        assert_eq!(in_novosibirsk[&Resource::ColdWater], d("5.1"), "the city's over the company's");
        assert_eq!(in_novosibirsk[&Resource::Electricity], d("80"), "the building's over all");
        let in_moscow = for_object(&db, c, Some(moscow), o + 1).await.unwrap();
        assert_eq!(in_moscow[&Resource::ColdWater], d("6.935"));
        assert_eq!(in_moscow[&Resource::Electricity], d("100"));

        set(&db, c, Scope::Object(o), Resource::Electricity, None).await.unwrap();
        assert_eq!(for_object(&db, c, Some(novosibirsk), o).await.unwrap()[&Resource::Electricity], d("100"));
        assert_eq!(list_for_company(&db, c).await.unwrap().len(), 3);
        assert!(list_for_object(&db, c, o).await.unwrap().is_empty());
        assert!(for_object(&db, c + 1, None, o).await.unwrap().is_empty(), "another company sees none");
    });
}
