//! Norms of consumption (нормативы) per resource for one billing period: the company's, and a
//! building's where it differs. They stand in for readings missing longer than the average
//! may (ПП 354 п. 60): per resident, heat per m² of the premise.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Db, Result};
use crate::models::Resource;

/// The norms that hold in a building: its own where set, else the company's.
pub async fn for_object(db: &Db, company_id: i64, object_id: i64) -> Result<HashMap<Resource, Decimal>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT object_id, resource, value FROM consumption_norms
         WHERE company_id = $1 AND object_id IN (0, $2) ORDER BY object_id",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?;
    // the company's rows first, the building's after them replace them
    Ok(rows
        .into_iter()
        .filter_map(|(_, r, v)| Some((Resource::parse(&r)?, Decimal::from_str(&v).ok()?)))
        .collect())
}

/// Sets (or with `None` removes) a norm of the company (`object_id` 0) or of a building.
pub async fn set(db: &Db, company_id: i64, object_id: i64, resource: Resource, value: Option<Decimal>) -> Result<()> {
    match value {
        Some(v) => {
            sqlx::query(
                "INSERT INTO consumption_norms (company_id, object_id, resource, value) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (company_id, object_id, resource) DO UPDATE SET value = $4",
            )
            .bind(company_id)
            .bind(object_id)
            .bind(resource.as_str())
            .bind(v.normalize().to_string())
            .execute(db.pool())
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM consumption_norms WHERE company_id = $1 AND object_id = $2 AND resource = $3")
                .bind(company_id)
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

    db_test!(a_buildings_norm_overrides_the_companys_and_a_removed_one_falls_back, |db| {
        let (c, o) = fixtures::company_with_building(&db, "УК «Норма»", "Дом").await;
        set(&db, c, 0, Resource::ColdWater, Some(Decimal::from_str("6.935").unwrap())).await.unwrap();
        set(&db, c, 0, Resource::Electricity, Some(Decimal::from(100))).await.unwrap();
        set(&db, c, o, Resource::ColdWater, Some(Decimal::from_str("5.1").unwrap())).await.unwrap();
        let n = for_object(&db, c, o).await.unwrap();
        assert_eq!(n[&Resource::ColdWater], Decimal::from_str("5.1").unwrap());
        assert_eq!(n[&Resource::Electricity], Decimal::from(100));
        set(&db, c, o, Resource::ColdWater, None).await.unwrap();
        let n = for_object(&db, c, o).await.unwrap();
        assert_eq!(n[&Resource::ColdWater], Decimal::from_str("6.935").unwrap());
        assert!(for_object(&db, c + 1, o).await.unwrap().is_empty(), "another company sees none");
    });
}
