//! Meters (приборы учёта): individual (in a premise) or common (ОДПУ, premise empty).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::str::FromStr;

use super::{date_text, now, parse_date, Db, Result, StorageError};
use crate::models::capacity::DigitCapacity;
use crate::models::{MeterState, Placement, Resource};

#[derive(Clone, Debug, PartialEq)]
pub struct Meter {
    pub id: i64,
    pub company_id: i64,
    pub object_id: i64,
    pub premise_id: Option<i64>,
    pub placement: Placement,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    pub barcode: String,
    pub tariffs: i64,
    pub capacity: DigitCapacity,
    /// Current-transformer ratio and the like: the register times this is the consumption.
    pub multiplier: Decimal,
    pub phase: String,
    pub installed_on: Option<NaiveDate>,
    pub verified_on: Option<NaiveDate>,
    pub next_verification_on: Option<NaiveDate>,
    pub state: MeterState,
    pub communicator_id: Option<i64>,
    pub bus_address: String,
    pub replaces_meter_id: Option<i64>,
    pub last_contact_at: Option<i64>,
    pub created_at: i64,
}

impl Meter {
    /// A meter with the fields every meter must have; the rest empty.
    pub fn new(
        company_id: i64,
        object_id: i64,
        resource: Resource,
        model: &str,
        serial: &str,
        capacity: DigitCapacity,
    ) -> Meter {
        Meter {
            id: 0,
            company_id,
            object_id,
            premise_id: None,
            placement: Placement::Common,
            resource,
            model: model.into(),
            serial: serial.into(),
            barcode: String::new(),
            tariffs: 1,
            capacity,
            multiplier: Decimal::ONE,
            phase: String::new(),
            installed_on: None,
            verified_on: None,
            next_verification_on: None,
            state: MeterState::InOperation,
            communicator_id: None,
            bus_address: String::new(),
            replaces_meter_id: None,
            last_contact_at: None,
            created_at: 0,
        }
    }
}

/// The enumerated columns of a meter row (placement, resource, state, digit capacity), for
/// every query that reads meters.
pub(super) fn kinds_of(r: &AnyRow) -> Result<(Placement, Resource, MeterState, DigitCapacity)> {
    let placement: String = r.try_get("placement")?;
    let resource: String = r.try_get("resource")?;
    let state: String = r.try_get("state")?;
    let di: i64 = r.try_get("digits_integer")?;
    let df: i64 = r.try_get("digits_fraction")?;
    Ok((
        Placement::parse(&placement).ok_or(StorageError::BadValue("meters.placement"))?,
        Resource::parse(&resource).ok_or(StorageError::BadValue("meters.resource"))?,
        MeterState::parse(&state).ok_or(StorageError::BadValue("meters.state"))?,
        DigitCapacity::new(di as u8, df as u8)
            .map_err(|_| StorageError::BadValue("meters.digits"))?,
    ))
}

pub(super) fn from_row(r: &AnyRow) -> Result<Meter> {
    let (placement, resource, state, capacity) = kinds_of(r)?;
    let multiplier: String = r.try_get("multiplier")?;
    Ok(Meter {
        id: r.try_get("id")?,
        company_id: r.try_get("company_id")?,
        object_id: r.try_get("object_id")?,
        premise_id: r.try_get("premise_id")?,
        placement,
        resource,
        model: r.try_get("model")?,
        serial: r.try_get("serial")?,
        barcode: r.try_get("barcode")?,
        tariffs: r.try_get("tariffs")?,
        capacity,
        multiplier: Decimal::from_str(&multiplier)
            .map_err(|_| StorageError::BadValue("meters.multiplier"))?,
        phase: r.try_get("phase")?,
        installed_on: parse_date("meters.installed_on", r.try_get("installed_on")?)?,
        verified_on: parse_date("meters.verified_on", r.try_get("verified_on")?)?,
        next_verification_on: parse_date(
            "meters.next_verification_on",
            r.try_get("next_verification_on")?,
        )?,
        state,
        communicator_id: r.try_get("communicator_id")?,
        bus_address: r.try_get("bus_address")?,
        replaces_meter_id: r.try_get("replaces_meter_id")?,
        last_contact_at: r.try_get("last_contact_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn create(db: &Db, m: &Meter) -> Result<Meter> {
    create_in(db.pool(), m).await
}

/// `create` inside a caller's transaction (an import writes its meters at once).
pub async fn create_in<'c, E>(ex: E, m: &Meter) -> Result<Meter>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row = sqlx::query(
        "INSERT INTO meters (company_id, object_id, premise_id, placement, resource, model, serial, barcode, tariffs,
           digits_integer, digits_fraction, multiplier, phase, installed_on, verified_on, next_verification_on, state,
           communicator_id, bus_address, replaces_meter_id, last_contact_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
         RETURNING *",
    )
    .bind(m.company_id)
    .bind(m.object_id)
    .bind(m.premise_id)
    .bind(m.placement.as_str())
    .bind(m.resource.as_str())
    .bind(&m.model)
    .bind(&m.serial)
    .bind(&m.barcode)
    .bind(m.tariffs)
    .bind(m.capacity.integer() as i64)
    .bind(m.capacity.fraction() as i64)
    .bind(m.multiplier.to_string())
    .bind(&m.phase)
    .bind(date_text(m.installed_on))
    .bind(date_text(m.verified_on))
    .bind(date_text(m.next_verification_on))
    .bind(m.state.as_str())
    .bind(m.communicator_id)
    .bind(&m.bus_address)
    .bind(m.replaces_meter_id)
    .bind(m.last_contact_at)
    .bind(now())
    .fetch_one(ex)
    .await?;
    from_row(&row)
}

pub async fn get(db: &Db, company_id: i64, id: i64) -> Result<Meter> {
    let row = sqlx::query("SELECT * FROM meters WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    from_row(&row)
}

/// Many meters by id, of any company (the rollup's marks carry theirs), in no set order.
pub async fn get_many(db: &Db, ids: &[i64]) -> Result<Vec<Meter>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!("SELECT * FROM meters WHERE id IN ({})", super::id_list(ids)))
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// (replaced meter, the meter that replaced it) for those of `ids` that were replaced; the
/// first successor of each, as [`successor`] takes it.
pub async fn successors_of(db: &Db, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT replaces_meter_id, MIN(id) FROM meters WHERE replaces_meter_id IN ({}) GROUP BY replaces_meter_id",
        super::id_list(ids)
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows)
}

/// An object's meters, common ones first, then by premise.
pub async fn list_for_object(db: &Db, company_id: i64, object_id: i64) -> Result<Vec<Meter>> {
    let rows = sqlx::query("SELECT * FROM meters WHERE company_id = $1 AND object_id = $2 ORDER BY placement, premise_id, resource, id")
        .bind(company_id)
        .bind(object_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn list_for_premise(db: &Db, company_id: i64, premise_id: i64) -> Result<Vec<Meter>> {
    let rows = sqlx::query(
        "SELECT * FROM meters WHERE company_id = $1 AND premise_id = $2 ORDER BY resource, id",
    )
    .bind(company_id)
    .bind(premise_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Counts of a company's meters by (placement, resource).
pub async fn count_by_kind(
    db: &Db,
    company_id: i64,
    object_id: Option<i64>,
) -> Result<Vec<(Placement, Resource, i64)>> {
    // two statements, not `($2 = 0 OR object_id = $2)`: each has an index that answers it
    // alone (meters_company_kind, meters_object)
    let rows: Vec<(String, String, i64)> = match object_id {
        None => sqlx::query_as(
            "SELECT placement, resource, COUNT(*) FROM meters WHERE company_id = $1 GROUP BY placement, resource",
        )
        .bind(company_id),
        Some(object_id) => sqlx::query_as(
            "SELECT placement, resource, COUNT(*) FROM meters
             WHERE object_id = $2 AND company_id = $1 GROUP BY placement, resource",
        )
        .bind(company_id)
        .bind(object_id),
    }
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(p, r, n)| {
            Ok((
                Placement::parse(&p).ok_or(StorageError::BadValue("meters.placement"))?,
                Resource::parse(&r).ok_or(StorageError::BadValue("meters.resource"))?,
                n,
            ))
        })
        .collect()
}

/// How many meters of a resource each building counts now, by placement: the current
/// meter of every chain, retired ones left out. What a building's sums should hold when
/// every meter measured.
pub async fn count_current(db: &Db, company_id: i64, resource: Resource) -> Result<Vec<(i64, Placement, i64)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT m.object_id, m.placement, COUNT(*) FROM meters m
         WHERE m.company_id = $1 AND m.resource = $2 AND m.state <> 'retired'
           AND NOT EXISTS (SELECT 1 FROM meters s WHERE s.replaces_meter_id = m.id)
         GROUP BY m.object_id, m.placement",
    )
    .bind(company_id)
    .bind(resource.as_str())
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(o, p, n)| Ok((o, Placement::parse(&p).ok_or(StorageError::BadValue("meters.placement"))?, n)))
        .collect()
}

/// Meters in operation that have not been heard from since `before` (or never).
pub async fn count_silent(db: &Db, company_id: i64, before: i64) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM meters WHERE company_id = $1 AND state = 'in_operation'
           AND (last_contact_at IS NULL OR last_contact_at < $2)",
    )
    .bind(company_id)
    .bind(before)
    .fetch_one(db.pool())
    .await?)
}

pub async fn set_last_contact(db: &Db, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE meters SET last_contact_at = $2 WHERE id = $1 AND (last_contact_at IS NULL OR last_contact_at < $2)")
        .bind(id)
        .bind(at)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Notes that a meter's event journals were read at `at`.
pub async fn set_journals_read(db: &Db, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE meters SET journals_read_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Marks many meters heard at `at`, a statement per 500 (uplinks arrive by the thousand).
pub async fn set_last_contact_many(db: &Db, ids: &[i64], at: i64) -> Result<()> {
    for chunk in ids.chunks(500) {
        let list = super::id_list(chunk);
        sqlx::query(&format!(
            "UPDATE meters SET last_contact_at = $1
             WHERE id IN ({list}) AND (last_contact_at IS NULL OR last_contact_at < $1)"
        ))
        .bind(at)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// The meters a communicator reaches, retired ones left out: a LoRaWAN device may carry
/// several, one per input (the input number is kept as the bus address).
pub async fn list_for_communicator(
    db: &Db,
    company_id: i64,
    communicator_id: i64,
) -> Result<Vec<Meter>> {
    let rows = sqlx::query(
        "SELECT * FROM meters WHERE company_id = $1 AND communicator_id = $2 AND state <> 'retired'
         ORDER BY bus_address, id",
    )
    .bind(company_id)
    .bind(communicator_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn set_state(db: &Db, company_id: i64, id: i64, state: MeterState) -> Result<()> {
    let r = sqlx::query("UPDATE meters SET state = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(state.as_str())
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// The meter that replaced this one, if any.
pub async fn successor(db: &Db, company_id: i64, id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT id FROM meters WHERE company_id = $1 AND replaces_meter_id = $2 ORDER BY id LIMIT 1",
    )
    .bind(company_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?)
}

/// Changes what a company's file says of a meter: its place, model figures, dates and
/// barcode (not its serial, model or state, which name it and its life).
pub async fn update_in<'c, E>(ex: E, m: &Meter) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let r = sqlx::query(
        "UPDATE meters SET object_id = $3, premise_id = $4, placement = $5, resource = $6, barcode = $7, tariffs = $8,
           digits_integer = $9, digits_fraction = $10, multiplier = $11, phase = $12, installed_on = $13,
           verified_on = $14, next_verification_on = $15
         WHERE company_id = $1 AND id = $2",
    )
    .bind(m.company_id)
    .bind(m.id)
    .bind(m.object_id)
    .bind(m.premise_id)
    .bind(m.placement.as_str())
    .bind(m.resource.as_str())
    .bind(&m.barcode)
    .bind(m.tariffs)
    .bind(m.capacity.integer() as i64)
    .bind(m.capacity.fraction() as i64)
    .bind(m.multiplier.to_string())
    .bind(&m.phase)
    .bind(date_text(m.installed_on))
    .bind(date_text(m.verified_on))
    .bind(date_text(m.next_verification_on))
    .execute(ex)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}

/// Every meter of a company with how the collector reaches it (protocol, bus password), for
/// an import that compares a whole file with what is stored.
pub async fn list_for_company(db: &Db, company_id: i64) -> Result<Vec<(Meter, String, String)>> {
    let rows = sqlx::query("SELECT * FROM meters WHERE company_id = $1 ORDER BY id")
        .bind(company_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| Ok((from_row(r)?, r.try_get("protocol")?, r.try_get("bus_password")?)))
        .collect()
}

pub async fn get_count(db: &Db, company_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM meters WHERE company_id = $1")
            .bind(company_id)
            .fetch_one(db.pool())
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;
    use std::str::FromStr;

    db_test!(a_meter_keeps_capacity_multiplier_dates_and_state, |db| {
        let f = fixtures::building(&db).await;
        let mut m = Meter::new(
            f.company_id,
            f.object_id,
            Resource::Electricity,
            "Меркурий 230 ART-03",
            "41000777",
            DigitCapacity::new(6, 2).unwrap(),
        );
        m.multiplier = Decimal::from_str("60").unwrap();
        m.tariffs = 2;
        m.installed_on = NaiveDate::from_ymd_opt(2021, 3, 15);
        m.next_verification_on = NaiveDate::from_ymd_opt(2037, 3, 15);
        let m = create(&db, &m).await.unwrap();
        let back = get(&db, f.company_id, m.id).await.unwrap();
        assert_eq!(back, m);
        assert_eq!(back.capacity.label(), "6,2");
        assert_eq!(back.placement, Placement::Common);
        set_state(&db, f.company_id, m.id, MeterState::Verification)
            .await
            .unwrap();
        assert_eq!(
            get(&db, f.company_id, m.id).await.unwrap().state,
            MeterState::Verification
        );
        assert!(matches!(
            get(&db, f.company_id + 1, m.id).await,
            Err(StorageError::NotFound)
        ));
        let again = create(
            &db,
            &Meter::new(
                f.company_id,
                f.object_id,
                Resource::Electricity,
                "Меркурий 230 ART-03",
                "41000777",
                DigitCapacity::new(6, 2).unwrap(),
            ),
        )
        .await;
        assert!(
            matches!(again, Err(StorageError::AlreadyExists)),
            "model + serial is unique in a company"
        );
    });

    db_test!(silent_meters_are_counted_from_last_contact, |db| {
        let f = fixtures::building(&db).await;
        assert_eq!(
            count_silent(&db, f.company_id, 1_000).await.unwrap(),
            1,
            "never heard from"
        );
        set_last_contact(&db, f.meter_id, 2_000).await.unwrap();
        set_last_contact(&db, f.meter_id, 1_500).await.unwrap(); // an older contact does not go back
        assert_eq!(
            get(&db, f.company_id, f.meter_id)
                .await
                .unwrap()
                .last_contact_at,
            Some(2_000)
        );
        assert_eq!(count_silent(&db, f.company_id, 1_000).await.unwrap(), 0);
        assert_eq!(count_silent(&db, f.company_id, 3_000).await.unwrap(), 1);
        let kinds = count_by_kind(&db, f.company_id, None).await.unwrap();
        assert_eq!(
            kinds,
            vec![(Placement::Individual, Resource::Electricity, 1)]
        );
        assert_eq!(count_by_kind(&db, f.company_id, Some(f.object_id)).await.unwrap(), kinds);
        assert!(count_by_kind(&db, f.company_id, Some(f.object_id + 1)).await.unwrap().is_empty());
        assert!(
            count_by_kind(&db, f.company_id + 1, Some(f.object_id)).await.unwrap().is_empty(),
            "another company's building counts nothing"
        );
    });
}

/// How the collector reads a meter: `mercury`, `mbus`, `modbus`, or '' for not at all, and
/// the meter's bus password where its protocol has one.
pub async fn set_protocol(db: &Db, company_id: i64, id: i64, protocol: &str, password: &str) -> Result<()> {
    sqlx::query("UPDATE meters SET protocol = $3, bus_password = $4 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(protocol)
        .bind(password)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Where a meter hangs on its bus.
pub async fn set_bus_address(db: &Db, company_id: i64, id: i64, address: &str) -> Result<()> {
    sqlx::query("UPDATE meters SET bus_address = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(address)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Which communicator (bus, modem, LoRaWAN device) a meter is reached through.
pub async fn set_communicator(db: &Db, company_id: i64, id: i64, communicator_id: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE meters SET communicator_id = $3 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(communicator_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// How the collector reaches a meter: its line, protocol, bus address and password.
pub struct Device<'a> {
    pub communicator_id: Option<i64>,
    pub protocol: &'a str,
    pub address: &'a str,
    pub password: &'a str,
}

/// Puts a meter on a line (or takes it off, with no line and no protocol) in one statement,
/// so a device is never left half-changed.
pub async fn set_device(db: &Db, company_id: i64, id: i64, d: &Device<'_>) -> Result<()> {
    sqlx::query(
        "UPDATE meters SET communicator_id = $3, protocol = $4, bus_address = $5, bus_password = $6
         WHERE company_id = $1 AND id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(d.communicator_id)
    .bind(d.protocol)
    .bind(d.address)
    .bind(d.password)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Which line, protocol and bus address a meter has, its password left as it is (an import
/// does not carry passwords).
pub async fn set_line_in<'c, E>(
    ex: E,
    company_id: i64,
    id: i64,
    communicator_id: Option<i64>,
    protocol: &str,
    address: &str,
) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("UPDATE meters SET communicator_id = $3, protocol = $4, bus_address = $5 WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .bind(communicator_id)
        .bind(protocol)
        .bind(address)
        .execute(ex)
        .await?;
    Ok(())
}

/// Another meter of the company at `address` on the same communicator (a clash on the bus).
pub async fn address_taken(db: &Db, company_id: i64, communicator_id: i64, address: &str, except: i64) -> Result<bool> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM meters WHERE company_id = $1 AND communicator_id = $2 AND bus_address = $3 AND id <> $4 AND protocol <> ''",
    )
    .bind(company_id)
    .bind(communicator_id)
    .bind(address)
    .bind(except)
    .fetch_one(db.pool())
    .await?
        > 0)
}

/// A page of a company's meters (of one object, when given) by id, after `after_id`: the open
/// API pages through 100 000 meters this way without counting or skipping.
pub async fn page(db: &Db, company_id: i64, object_id: Option<i64>, after_id: i64, limit: i64) -> Result<Vec<Meter>> {
    let rows = sqlx::query(
        "SELECT * FROM meters WHERE company_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR object_id = $2) AND id > $3
         ORDER BY id LIMIT $4",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The id of the company's meter of this model and serial (a meter's key, as the import and
/// the wizard know it).
pub async fn id_by_serial(db: &Db, company_id: i64, model: &str, serial: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM meters WHERE company_id = $1 AND model = $2 AND serial = $3")
        .bind(company_id)
        .bind(model)
        .bind(serial)
        .fetch_optional(db.pool())
        .await?)
}

/// How the collector reaches a meter: its protocol and bus password (kept out of [`Meter`],
/// so a password never travels with a meter's card).
pub async fn protocol_of(db: &Db, company_id: i64, id: i64) -> Result<(String, String)> {
    sqlx::query_as::<_, (String, String)>("SELECT protocol, bus_password FROM meters WHERE company_id = $1 AND id = $2")
        .bind(company_id)
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(StorageError::NotFound)
}
