//! Deviation rules (issue 23, point 5): a building's watched parameters and their bands. A
//! parameter with no row is off; a row keeps its band when switched off, so switching it on
//! again needs no retyping. Decimals are kept as text, exact.

use std::str::FromStr;

use rust_decimal::Decimal;
use sqlx::Row;

use super::{Db, Result, StorageError};
use crate::models::deviation::{Band, Basis, Rule};

fn rule_of(r: &sqlx::any::AnyRow) -> Result<Rule> {
    let basis: String = r.try_get("basis")?;
    let band: String = r.try_get("band")?;
    let decimal = |s: &str, what| Decimal::from_str(s).map_err(|_| StorageError::BadValue(what));
    let constant: Option<String> = r.try_get("constant")?;
    Ok(Rule {
        parameter: r.try_get("parameter")?,
        enabled: r.try_get::<i64, _>("enabled")? != 0,
        basis: Basis::parse(&basis).ok_or(StorageError::BadValue("deviation_rules.basis"))?,
        constant: constant.as_deref().map(|c| decimal(c, "deviation_rules.constant")).transpose()?,
        band: Band::parse(&band).ok_or(StorageError::BadValue("deviation_rules.band"))?,
        tolerance: decimal(&r.try_get::<String, _>("tolerance")?, "deviation_rules.tolerance")?,
    })
}

const COLUMNS: &str = "object_id, parameter, enabled, basis, constant, band, tolerance";

/// A building's rules, by parameter.
pub async fn list(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<Rule>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM deviation_rules WHERE company_id = $1 AND object_id = $2 ORDER BY parameter"
    ))
    .bind(company_id)
    .bind(object_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(rule_of).collect()
}

/// The rules switched on in a company's buildings: (building, rule).
pub async fn enabled_of_company(db: &Db, company_id: i64) -> Result<Vec<(i64, Rule)>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM deviation_rules WHERE company_id = $1 AND enabled = 1 ORDER BY object_id, parameter"
    ))
    .bind(company_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("object_id")?, rule_of(r)?))).collect()
}

/// Keeps a building's rules as the settings page sent them, all or none.
pub async fn save(db: &Db, company_id: i64, object_id: i64, rules: &[Rule], user_id: Option<i64>, now: i64) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    for r in rules {
        sqlx::query(
            "INSERT INTO deviation_rules (object_id, company_id, parameter, enabled, basis, constant, band, tolerance, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (object_id, parameter) DO UPDATE SET enabled = excluded.enabled, basis = excluded.basis,
                 constant = excluded.constant, band = excluded.band, tolerance = excluded.tolerance,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(object_id)
        .bind(company_id)
        .bind(&r.parameter)
        .bind(r.enabled as i64)
        .bind(r.basis.as_str())
        .bind(r.constant.map(|c| c.normalize().to_string()))
        .bind(r.band.as_str())
        .bind(r.tolerance.normalize().to_string())
        .bind(now)
        .bind(user_id)
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

    db_test!(a_buildings_rules_are_kept_exact_and_switched_off_ones_keep_their_band, |db| {
        let b = fixtures::building(&db).await;
        let u = crate::storage::user::create(&db, &crate::storage::user::User { login: "disp".into(), ..Default::default() })
            .await
            .unwrap()
            .id;
        assert!(list(&db, b.company_id, b.object_id).await.unwrap().is_empty(), "all off by default");
        let t = Rule {
            parameter: "t_supply".into(),
            enabled: true,
            basis: Basis::Constant,
            constant: Some(Decimal::from_str("95.5").unwrap()),
            band: Band::Absolute,
            tolerance: Decimal::from_str("2.865").unwrap(),
        };
        let q = Rule { parameter: "heat_energy".into(), enabled: false, tolerance: Decimal::from(15), ..Rule::off("heat_energy") };
        save(&db, b.company_id, b.object_id, &[t.clone(), q.clone()], Some(u), 1_000).await.unwrap();
        assert_eq!(list(&db, b.company_id, b.object_id).await.unwrap(), vec![q.clone(), t.clone()]);
        assert_eq!(enabled_of_company(&db, b.company_id).await.unwrap(), vec![(b.object_id, t.clone())]);
        let off = Rule { enabled: false, ..t.clone() };
        save(&db, b.company_id, b.object_id, &[off.clone()], None, 2_000).await.unwrap();
        assert_eq!(list(&db, b.company_id, b.object_id).await.unwrap(), vec![q, off], "its band kept");
        assert!(enabled_of_company(&db, b.company_id).await.unwrap().is_empty());
        assert!(list(&db, b.company_id + 1, b.object_id).await.unwrap().is_empty(), "not another company's");
    });
}
