//! Personal accounts (лицевые счета) of premises: what billing systems match readings on.

use super::{Db, Result};

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub company_id: i64,
    pub premise_id: i64,
    pub number: String,
    pub owner_name: String,
}

pub async fn create(db: &Db, a: &Account) -> Result<Account> {
    create_in(db.pool(), a).await
}

/// `create` inside a caller's transaction.
pub async fn create_in<'c, E>(ex: E, a: &Account) -> Result<Account>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_as::<_, Account>(
        "INSERT INTO accounts (company_id, premise_id, number, owner_name) VALUES ($1, $2, $3, $4) RETURNING *",
    )
    .bind(a.company_id)
    .bind(a.premise_id)
    .bind(&a.number)
    .bind(&a.owner_name)
    .fetch_one(ex)
    .await?)
}

/// Changes the owner's name an account carries (billing prints it).
pub async fn set_owner_in<'c, E>(ex: E, company_id: i64, id: i64, owner_name: &str) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("UPDATE accounts SET owner_name = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(owner_name)
        .execute(ex)
        .await?;
    Ok(())
}

/// Every account of the company.
pub async fn list_for_company(db: &Db, company_id: i64) -> Result<Vec<Account>> {
    Ok(sqlx::query_as::<_, Account>("SELECT * FROM accounts WHERE company_id = $1")
        .bind(company_id)
        .fetch_all(db.pool())
        .await?)
}

pub async fn list_for_premise(db: &Db, company_id: i64, premise_id: i64) -> Result<Vec<Account>> {
    Ok(sqlx::query_as::<_, Account>(
        "SELECT * FROM accounts WHERE company_id = $1 AND premise_id = $2 ORDER BY number",
    )
    .bind(company_id)
    .bind(premise_id)
    .fetch_all(db.pool())
    .await?)
}

/// Every account of a building's premises.
pub async fn list_for_object(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<Account>> {
    Ok(sqlx::query_as::<_, Account>(
        "SELECT a.* FROM accounts a JOIN premises p ON p.id = a.premise_id
         WHERE a.company_id = $1 AND p.object_id = $2 ORDER BY a.number",
    )
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?)
}

/// Each premise's account a billing system knows it by — the lowest number where it has
/// several — for a building's premises: the registry, the billing export and the open API
/// name a flat's account alike.
pub async fn lowest_by_premise(db: &Db, company_id: i64, object_id: i64) -> Result<std::collections::HashMap<i64, String>> {
    let mut out = std::collections::HashMap::new();
    // ordered by number: the first of a premise is its lowest
    for a in list_for_object(db, company_id, object_id).await? {
        out.entry(a.premise_id).or_insert(a.number);
    }
    Ok(out)
}

pub async fn get_by_number(db: &Db, company_id: i64, number: &str) -> Result<Option<Account>> {
    Ok(
        sqlx::query_as::<_, Account>(
            "SELECT * FROM accounts WHERE company_id = $1 AND number = $2",
        )
        .bind(company_id)
        .bind(number)
        .fetch_optional(db.pool())
        .await?,
    )
}
