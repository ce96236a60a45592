//! Norms per resource kept the way regions set them: a company's default for all its cities,
//! a city's own where it differs, and a building's own where that differs again. Two kinds:
//! norms of consumption (нормативы) per billing period, standing in for readings missing
//! longer than the average may (ПП 354 п. 60: per resident, heat per m² of the premise), and
//! the allowed imbalance between a building's common and individual meters, in %.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Db, Result};
use crate::models::Resource;

/// Which norms: each kind is a table of the same shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Consumption per resident or per m² for one billing period.
    Consumption,
    /// The allowed imbalance of a building's balance, % of what its root meters counted.
    Imbalance,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Consumption => "consumption_norms",
            Kind::Imbalance => "imbalance_norms",
        }
    }
}

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
async fn rows(db: &Db, kind: Kind, company_id: i64, filter: &str, params: &[i64]) -> Result<Vec<Norm>> {
    let sql = format!("SELECT city_id, object_id, resource, value FROM {} WHERE company_id = $1 AND ({filter})", kind.table());
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
pub async fn for_object(db: &Db, kind: Kind, company_id: i64, city_id: Option<i64>, object_id: i64) -> Result<HashMap<Resource, Decimal>> {
    let mut found = rows(
        db,
        kind,
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
pub async fn list_for_company(db: &Db, kind: Kind, company_id: i64) -> Result<Vec<Norm>> {
    rows(db, kind, company_id, "object_id = 0", &[]).await
}

/// A building's own norms.
pub async fn list_for_object(db: &Db, kind: Kind, company_id: i64, object_id: i64) -> Result<Vec<Norm>> {
    rows(db, kind, company_id, "object_id = $2", &[object_id]).await
}

/// Every norm of the company of a kind: its own, its cities' and its buildings'.
pub async fn list_all(db: &Db, kind: Kind, company_id: i64) -> Result<Vec<Norm>> {
    rows(db, kind, company_id, "1 = 1", &[]).await
}

/// The norm that holds for a building from [`list_all`]'s rows: its own, else its city's,
/// else the company's.
pub fn holding(norms: &[Norm], city_id: Option<i64>, object_id: i64, resource: Resource) -> Option<Decimal> {
    norms
        .iter()
        .filter(|n| n.resource == resource)
        .filter(|n| match n.scope {
            Scope::Company => true,
            Scope::City(c) => Some(c) == city_id,
            Scope::Object(o) => o == object_id,
        })
        .max_by_key(|n| n.scope.nearness())
        .map(|n| n.value)
}

/// Sets (or with `None` removes) a norm where it holds.
pub async fn set(db: &Db, kind: Kind, company_id: i64, scope: Scope, resource: Resource, value: Option<Decimal>) -> Result<()> {
    let (city_id, object_id) = scope.ids();
    let table = kind.table();
    match value {
        Some(v) => {
            sqlx::query(&format!(
                "INSERT INTO {table} (company_id, city_id, object_id, resource, value) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (company_id, city_id, object_id, resource) DO UPDATE SET value = $5",
            ))
            .bind(company_id)
            .bind(city_id)
            .bind(object_id)
            .bind(resource.as_str())
            .bind(v.normalize().to_string())
            .execute(db.pool())
            .await?;
        }
        None => {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE company_id = $1 AND city_id = $2 AND object_id = $3 AND resource = $4",
            ))
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
        set(&db, Kind::Consumption, c, Scope::Company, Resource::ColdWater, Some(d("6.935"))).await.unwrap();
        set(&db, Kind::Consumption, c, Scope::Company, Resource::Electricity, Some(d("100"))).await.unwrap();
        set(&db, Kind::Consumption, c, Scope::City(novosibirsk), Resource::ColdWater, Some(d("5.1"))).await.unwrap();
        set(&db, Kind::Consumption, c, Scope::Object(o), Resource::Electricity, Some(d("80"))).await.unwrap();

        let in_novosibirsk = for_object(&db, Kind::Consumption, c, Some(novosibirsk), o).await.unwrap();
        assert_eq!(in_novosibirsk[&Resource::ColdWater], d("5.1"), "the city's over the company's");
        assert_eq!(in_novosibirsk[&Resource::Electricity], d("80"), "the building's over all");
        let in_moscow = for_object(&db, Kind::Consumption, c, Some(moscow), o + 1).await.unwrap();
        assert_eq!(in_moscow[&Resource::ColdWater], d("6.935"));
        assert_eq!(in_moscow[&Resource::Electricity], d("100"));

        set(&db, Kind::Consumption, c, Scope::Object(o), Resource::Electricity, None).await.unwrap();
        assert_eq!(for_object(&db, Kind::Consumption, c, Some(novosibirsk), o).await.unwrap()[&Resource::Electricity], d("100"));
        assert_eq!(list_for_company(&db, Kind::Consumption, c).await.unwrap().len(), 3);
        assert!(list_for_object(&db, Kind::Consumption, c, o).await.unwrap().is_empty());
        assert!(for_object(&db, Kind::Consumption, c + 1, None, o).await.unwrap().is_empty(), "another company sees none");
    });
}
