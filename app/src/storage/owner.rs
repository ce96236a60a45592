//! Owners of premises (собственники): several per flat, each with a share, contacts and the
//! day of their consent to personal-data processing.

use super::{Db, Result};

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Owner {
    pub id: i64,
    pub company_id: i64,
    pub premise_id: i64,
    pub full_name: String,
    pub phone: String,
    pub email: String,
    pub share: String,
    /// YYYY-MM-DD, "" when no consent is on file.
    pub consent_on: String,
}

/// Every owner of the company's premises (the import compares a file against them).
pub async fn list_for_company(db: &Db, company_id: i64) -> Result<Vec<Owner>> {
    Ok(
        sqlx::query_as::<_, Owner>("SELECT * FROM owners WHERE company_id = $1 ORDER BY premise_id, full_name")
            .bind(company_id)
            .fetch_all(db.pool())
            .await?,
    )
}

pub async fn list_for_premise(db: &Db, company_id: i64, premise_id: i64) -> Result<Vec<Owner>> {
    Ok(sqlx::query_as::<_, Owner>(
        "SELECT * FROM owners WHERE company_id = $1 AND premise_id = $2 ORDER BY full_name",
    )
    .bind(company_id)
    .bind(premise_id)
    .fetch_all(db.pool())
    .await?)
}

/// Adds the owner, or changes the contacts, share and consent of the one of that name.
pub async fn upsert_in<'c, E>(ex: E, o: &Owner) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO owners (company_id, premise_id, full_name, phone, email, share, consent_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (premise_id, full_name) DO UPDATE SET phone = excluded.phone, email = excluded.email,
           share = excluded.share, consent_on = excluded.consent_on",
    )
    .bind(o.company_id)
    .bind(o.premise_id)
    .bind(&o.full_name)
    .bind(&o.phone)
    .bind(&o.email)
    .bind(&o.share)
    .bind(&o.consent_on)
    .execute(ex)
    .await?;
    Ok(())
}
