//! Activation codes (F41): a premise's key to the residents' cabinet. A code is valid for a
//! week and is used once; premises that already have a resident get none. An email invite is
//! a code with the address it was sent to.

use super::{Db, Result, StorageError};

/// How long a code stays valid.
pub const VALID_SECONDS: i64 = 7 * 86_400;

/// Letters and digits nobody misreads on paper: no 0/O, 1/I/L.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Code length without dashes: 31^12 ≈ 7·10^17 codes, beyond guessing at throttled speed.
const CODE_LEN: usize = 12;

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct ActivationCode {
    pub id: i64,
    pub company_id: i64,
    pub premise_id: i64,
    pub code: String,
    pub email: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub used_by: Option<i64>,
}

impl ActivationCode {
    pub fn is_valid(&self, now: i64) -> bool {
        self.used_at.is_none() && self.expires_at > now
    }
}

/// A fresh code, `XXXX-XXXX-XXXX`.
pub fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let raw: String = (0..CODE_LEN)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
}

/// What a person typed, as stored: upper case, dashes where they belong, look-alikes read
/// as the letters codes use (O→0 is not in the alphabet, so O and 0 both fail cleanly).
pub fn normalize(typed: &str) -> Option<String> {
    let raw: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if raw.len() != CODE_LEN || !raw.bytes().all(|b| ALPHABET.contains(&b)) {
        return None;
    }
    Some(format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12]))
}

pub async fn create(
    db: &Db,
    company_id: i64,
    premise_id: i64,
    email: &str,
    created_by: Option<i64>,
    now: i64,
) -> Result<ActivationCode> {
    // a clash of random codes is astronomically rare; try again rather than fail
    for _ in 0..3 {
        let r = sqlx::query_as::<_, ActivationCode>(
            "INSERT INTO activation_codes (company_id, premise_id, code, email, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
        )
        .bind(company_id)
        .bind(premise_id)
        .bind(new_code())
        .bind(email)
        .bind(created_by)
        .bind(now)
        .bind(now + VALID_SECONDS)
        .fetch_one(db.pool())
        .await;
        match r {
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => continue,
            other => return Ok(other?),
        }
    }
    Err(StorageError::AlreadyExists)
}

pub async fn get_by_code(db: &Db, code: &str) -> Result<Option<ActivationCode>> {
    Ok(
        sqlx::query_as::<_, ActivationCode>("SELECT * FROM activation_codes WHERE code = $1")
            .bind(code)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The codes of a building's premises that are still valid, newest per premise first.
pub async fn list_valid_for_object(
    db: &Db,
    company_id: i64,
    object_id: i64,
    now: i64,
) -> Result<Vec<ActivationCode>> {
    Ok(sqlx::query_as::<_, ActivationCode>(
        "SELECT c.* FROM activation_codes c JOIN premises p ON p.id = c.premise_id
         WHERE c.company_id = $1 AND p.object_id = $2 AND c.used_at IS NULL AND c.expires_at > $3
         ORDER BY c.premise_id, c.created_at DESC, c.id DESC",
    )
    .bind(company_id)
    .bind(object_id)
    .bind(now)
    .fetch_all(db.pool())
    .await?)
}

/// Marks a code used by `user_id`, unless it was used or expired meanwhile: true if this
/// call used it (two registrations racing on one code: one wins).
pub async fn mark_used(db: &Db, id: i64, user_id: i64, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE activation_codes SET used_at = $3, used_by = $2
         WHERE id = $1 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Ends every valid code of a premise (it has a resident now, or a new code replaces them).
pub async fn revoke_for_premise(db: &Db, company_id: i64, premise_id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE activation_codes SET expires_at = $3
         WHERE company_id = $1 AND premise_id = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(company_id)
    .bind(premise_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::storage::testing::fixtures;

    #[test]
    fn codes_are_readable_and_typed_codes_are_normalized() {
        let c = new_code();
        assert_eq!(c.len(), 14);
        assert_eq!(normalize(&c), Some(c.clone()));
        assert_eq!(normalize(&c.to_lowercase().replace('-', " ")), Some(c));
        assert_eq!(normalize("ABCD-EFGH-JKL"), None, "too short");
        assert_eq!(normalize("ABCD-EFGH-JKL0"), None, "0 is not a code letter");
        assert_eq!(normalize("ABCD-EFGH-JKLI"), None, "I is not a code letter");
    }

    db_test!(a_code_is_used_once_and_not_after_it_expires, |db| {
        let b = fixtures::building(&db).await;
        let now = crate::storage::now();
        let c = create(&db, b.company_id, b.premise_id, "", None, now)
            .await
            .unwrap();
        assert!(c.is_valid(now));
        assert_eq!(get_by_code(&db, &c.code).await.unwrap(), Some(c.clone()));
        let listed = list_valid_for_object(&db, b.company_id, b.object_id, now)
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        let u = crate::storage::user::create(
            &db,
            &crate::storage::user::User {
                login: "r@example.ru".into(),
                password_hash: "-".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(!mark_used(&db, c.id, u.id, now + VALID_SECONDS).await.unwrap(), "expired");
        assert!(mark_used(&db, c.id, u.id, now + 1).await.unwrap());
        assert!(!mark_used(&db, c.id, u.id, now + 2).await.unwrap(), "used once");
        assert!(list_valid_for_object(&db, b.company_id, b.object_id, now)
            .await
            .unwrap()
            .is_empty());

        let c2 = create(&db, b.company_id, b.premise_id, "", None, now)
            .await
            .unwrap();
        revoke_for_premise(&db, b.company_id, b.premise_id, now + 5)
            .await
            .unwrap();
        let c2 = get_by_code(&db, &c2.code).await.unwrap().unwrap();
        assert!(!c2.is_valid(now + 5));
    });
}
