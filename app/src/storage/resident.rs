//! Which premises a resident user holds. A resident sees these and nothing else.

use super::{premise::Premise, Db, Result};

pub async fn attach(db: &Db, user_id: i64, premise: &Premise) -> Result<()> {
    sqlx::query("INSERT INTO premise_residents (user_id, premise_id, company_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(premise.id)
        .bind(premise.company_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn list_premises(db: &Db, company_id: i64, user_id: i64) -> Result<Vec<Premise>> {
    Ok(sqlx::query_as::<_, Premise>(
        "SELECT p.* FROM premises p JOIN premise_residents r ON r.premise_id = p.id
         WHERE r.user_id = $1 AND r.company_id = $2 ORDER BY p.object_id, p.id",
    )
    .bind(user_id)
    .bind(company_id)
    .fetch_all(db.pool())
    .await?)
}
