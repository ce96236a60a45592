//! A building's generations (see the migration `object_generations`): `master` moves with
//! every change of its meters, flats and accounts (database triggers), `consumption` with
//! every re-sum of its consumption days. Read first, before the data they describe, so a
//! page kept under a generation is never newer than what it names.

use super::{Db, Result};

/// (master, consumption) of a building; (0, 0) before anything was written to it.
pub async fn of(db: &Db, object_id: i64) -> Result<(i64, i64)> {
    Ok(sqlx::query_as::<_, (i64, i64)>(
        "SELECT master, consumption FROM object_generations WHERE object_id = $1",
    )
    .bind(object_id)
    .fetch_optional(db.pool())
    .await?
    .unwrap_or((0, 0)))
}

/// Moves the building's consumption generation, after its days were re-summed.
pub async fn bump_consumption(db: &Db, object_id: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO object_generations (object_id, consumption) VALUES ($1, 1)
         ON CONFLICT (object_id) DO UPDATE SET consumption = object_generations.consumption + 1",
    )
    .bind(object_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;
    use crate::storage::{account, meter};

    db_test!(a_building_s_generation_moves_with_its_meters_flats_and_accounts_only, |db| {
        let b = fixtures::building(&db).await;
        let other = fixtures::building_of(&db, b.company_id, "2").await;
        let start = of(&db, b.object_id).await.unwrap();
        assert!(start.0 > 0, "creating the building's flat and meter counted");
        let step = |before: (i64, i64), after: (i64, i64)| after.0 > before.0 && after.1 == before.1;

        // no editing of meters, flats or accounts exists yet but the state; the triggers
        // count raw updates too, as future editors will write them
        meter::set_state(&db, b.company_id, b.meter_id, crate::models::MeterState::Retired).await.unwrap();
        let after_meter = of(&db, b.object_id).await.unwrap();
        assert!(step(start, after_meter), "a meter's state: {start:?} → {after_meter:?}");

        // a meter heard from is not a changed meter
        meter::set_last_contact_many(&db, &[b.meter_id], 1_800_000_000).await.unwrap();
        assert_eq!(of(&db, b.object_id).await.unwrap(), after_meter);

        account::create(
            &db,
            &account::Account {
                company_id: b.company_id,
                premise_id: b.premise_id,
                number: "ЛС-77".into(),
                owner_name: "Иванова А. П.".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let after_account = of(&db, b.object_id).await.unwrap();
        assert!(step(after_meter, after_account), "an account of its flat");

        sqlx::query("UPDATE premises SET number = '1А' WHERE id = $1")
            .bind(b.premise_id)
            .execute(db.pool())
            .await
            .unwrap();
        let after_flat = of(&db, b.object_id).await.unwrap();
        assert!(step(after_account, after_flat), "its flat renamed");

        let before_other = of(&db, other.object_id).await.unwrap();
        bump_consumption(&db, b.object_id).await.unwrap();
        let after_sum = of(&db, b.object_id).await.unwrap();
        assert_eq!((after_sum.0, after_sum.1), (after_flat.0, after_flat.1 + 1));
        assert_eq!(of(&db, other.object_id).await.unwrap(), before_other, "another building is untouched");
        assert_eq!(of(&db, 987_654).await.unwrap(), (0, 0));
    });
}
