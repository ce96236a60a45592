//! Companies (организации): the tenants. Every tenant-owned row carries `company_id`.

use super::{now, Db, Result};

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    pub legal_address: String,
    pub actual_address: String,
    pub phone: String,
    pub email: String,
    pub working_hours: String,
    pub bank_name: String,
    pub bik: String,
    pub settlement_account: String,
    pub correspondent_account: String,
    pub created_at: i64,
}

pub async fn create(db: &Db, c: &Company) -> Result<Company> {
    create_in(db.pool(), c).await
}

/// `create` inside a caller's transaction (the first start makes a company and its
/// administrator together or not at all).
pub async fn create_in<'c, E>(ex: E, c: &Company) -> Result<Company>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row = sqlx::query_as::<_, Company>(
        "INSERT INTO companies (name, kind, inn, kpp, ogrn, legal_address, actual_address, phone, email, working_hours,
           bank_name, bik, settlement_account, correspondent_account, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *",
    )
    .bind(&c.name)
    .bind(&c.kind)
    .bind(&c.inn)
    .bind(&c.kpp)
    .bind(&c.ogrn)
    .bind(&c.legal_address)
    .bind(&c.actual_address)
    .bind(&c.phone)
    .bind(&c.email)
    .bind(&c.working_hours)
    .bind(&c.bank_name)
    .bind(&c.bik)
    .bind(&c.settlement_account)
    .bind(&c.correspondent_account)
    .bind(now())
    .fetch_one(ex)
    .await?;
    Ok(row)
}

pub async fn get(db: &Db, id: i64) -> Result<Company> {
    Ok(
        sqlx::query_as::<_, Company>("SELECT * FROM companies WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await?,
    )
}

pub async fn list(db: &Db) -> Result<Vec<Company>> {
    Ok(
        sqlx::query_as::<_, Company>("SELECT * FROM companies ORDER BY id")
            .fetch_all(db.pool())
            .await?,
    )
}

pub async fn get_count(db: &Db) -> Result<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM companies")
            .fetch_one(db.pool())
            .await?,
    )
}

pub async fn update(db: &Db, c: &Company) -> Result<()> {
    let r = sqlx::query(
        "UPDATE companies SET name = $2, kind = $3, inn = $4, kpp = $5, ogrn = $6, legal_address = $7,
         actual_address = $8, phone = $9, email = $10, working_hours = $11, bank_name = $12, bik = $13,
         settlement_account = $14, correspondent_account = $15 WHERE id = $1",
    )
    .bind(c.id)
    .bind(&c.name)
    .bind(&c.kind)
    .bind(&c.inn)
    .bind(&c.kpp)
    .bind(&c.ogrn)
    .bind(&c.legal_address)
    .bind(&c.actual_address)
    .bind(&c.phone)
    .bind(&c.email)
    .bind(&c.working_hours)
    .bind(&c.bank_name)
    .bind(&c.bik)
    .bind(&c.settlement_account)
    .bind(&c.correspondent_account)
    .execute(db.pool())
    .await?;
    if r.rows_affected() == 0 {
        return Err(super::StorageError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;

    db_test!(a_created_company_reads_back_and_updates, |db| {
        let c = create(
            &db,
            &Company {
                name: "УК «Огни»".into(),
                inn: "7701234567".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(c.id > 0);
        assert_eq!(get(&db, c.id).await.unwrap().name, "УК «Огни»");
        update(
            &db,
            &Company {
                phone: "+7 495 000-00-00".into(),
                ..c.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(get(&db, c.id).await.unwrap().phone, "+7 495 000-00-00");
        assert_eq!(get_count(&db).await.unwrap(), 1);
        assert!(matches!(
            get(&db, c.id + 100).await,
            Err(crate::storage::StorageError::NotFound)
        ));
    });
}
