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

/// Whether the user holds this premise of the company.
pub async fn holds(db: &Db, company_id: i64, user_id: i64, premise_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM premise_residents WHERE company_id = $1 AND user_id = $2 AND premise_id = $3",
    )
    .bind(company_id)
    .bind(user_id)
    .bind(premise_id)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

/// The meters of the user's premises in the company: all a resident may read.
pub async fn meter_ids(db: &Db, company_id: i64, user_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT m.id FROM meters m JOIN premise_residents r ON r.premise_id = m.premise_id
         WHERE r.company_id = $1 AND r.user_id = $2 AND m.company_id = $1 ORDER BY m.id",
    )
    .bind(company_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await?)
}

/// The names of the residents registered on a premise.
pub async fn names_of(db: &Db, company_id: i64, premise_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar::<_, String>(
        "SELECT u.full_name FROM users u JOIN premise_residents r ON r.user_id = u.id
         WHERE r.company_id = $1 AND r.premise_id = $2 ORDER BY u.full_name",
    )
    .bind(company_id)
    .bind(premise_id)
    .fetch_all(db.pool())
    .await?)
}

/// The registered residents of a building's premises: (premise id, user id, name), by flat.
pub async fn of_object(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<(i64, i64, String)>> {
    Ok(sqlx::query_as::<_, (i64, i64, String)>(
        "SELECT r.premise_id, u.id, u.full_name FROM premise_residents r
         JOIN premises p ON p.id = r.premise_id JOIN users u ON u.id = r.user_id
         WHERE r.company_id = $1 AND p.object_id = $2 ORDER BY r.premise_id, u.full_name",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?)
}

/// How many residents each premise of a building has (premises with none are left out).
pub async fn count_by_premise(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as::<_, (i64, i64)>(
        "SELECT r.premise_id, COUNT(*) FROM premise_residents r JOIN premises p ON p.id = r.premise_id
         WHERE r.company_id = $1 AND p.object_id = $2 GROUP BY r.premise_id",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;

    db_test!(a_resident_holds_their_premise_and_its_meters_only, |db| {
        let a = fixtures::building(&db).await;
        let b = fixtures::building_of(&db, a.company_id, "2").await;
        let u = crate::storage::user::create(
            &db,
            &crate::storage::user::User {
                login: "r".into(),
                password_hash: "-".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let p = crate::storage::premise::get(&db, a.company_id, a.premise_id).await.unwrap();
        attach(&db, u.id, &p).await.unwrap();
        attach(&db, u.id, &p).await.unwrap();
        assert!(holds(&db, a.company_id, u.id, a.premise_id).await.unwrap());
        assert!(!holds(&db, a.company_id, u.id, b.premise_id).await.unwrap());
        assert_eq!(meter_ids(&db, a.company_id, u.id).await.unwrap(), vec![a.meter_id]);
        assert_eq!(
            count_by_premise(&db, a.company_id, a.object_id).await.unwrap(),
            vec![(a.premise_id, 1)]
        );
    });
}
