//! A company's own time limits for requests' stages (EK 4.6 «Сроки»): one row per category
//! and open stage it set; the defaults hold for the rest.

use super::{Db, Result};
use crate::models::request::{Category, Stage, StageLimits};

/// The company's limits: the defaults with its own over them.
pub async fn of_company(db: &Db, company_id: i64) -> Result<StageLimits> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT category, stage, minutes FROM request_limits WHERE company_id = $1")
            .bind(company_id)
            .fetch_all(db.pool())
            .await?;
    let own = rows
        .into_iter()
        .filter_map(|(c, s, m)| Some((Category::parse(&c)?, Stage::parse(&s)?, m)));
    Ok(StageLimits::default().with(own))
}

/// Keeps all of the company's limits at once, replacing what it had.
pub async fn save(db: &Db, company_id: i64, limits: &StageLimits) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM request_limits WHERE company_id = $1")
        .bind(company_id)
        .execute(&mut *tx)
        .await?;
    for (category, stage, minutes) in &limits.0 {
        sqlx::query("INSERT INTO request_limits (company_id, category, stage, minutes) VALUES ($1, $2, $3, $4)")
            .bind(company_id)
            .bind(category.as_str())
            .bind(stage.as_str())
            .bind(*minutes)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;

    db_test!(a_company_keeps_its_own_limits_and_another_has_the_defaults, |db| {
        let a = fixtures::building(&db).await;
        let b = fixtures::building(&db).await;
        assert_eq!(of_company(&db, a.company_id).await.unwrap(), StageLimits::default());
        let own = StageLimits::default().with([(Category::Repair, Stage::Registration, 45)]);
        save(&db, a.company_id, &own).await.unwrap();
        save(&db, a.company_id, &own).await.unwrap();
        assert_eq!(of_company(&db, a.company_id).await.unwrap(), own, "saved twice, kept once");
        assert_eq!(of_company(&db, b.company_id).await.unwrap(), StageLimits::default());
    });
}
