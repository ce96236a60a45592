//! Argon2id password hashes (slow on purpose, so they run off the async threads), and what a
//! new password must be.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// A new password has at least this many characters.
pub const MIN_LEN: usize = 10;

/// The passwords guessed first by anyone (`common_passwords.txt`, shipped with the code).
const COMMON: &str = include_str!("common_passwords.txt");

/// Why a new password is refused: too short, on the list of the most common ones, or the
/// login itself.
pub fn check_new(password: &str, login: &str) -> Result<(), crate::errors::Problem> {
    use crate::errors::Problem;
    if password.chars().count() < MIN_LEN {
        return Err(Problem::TooShort);
    }
    let lower = password.trim().to_lowercase();
    let common = COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == lower);
    if common || lower == login.trim().to_lowercase() {
        return Err(Problem::TooCommon);
    }
    Ok(())
}

pub fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hash")
        .to_string()
}

pub fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub async fn hash(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .expect("hash task")
}

/// Verifies, blocking; for an unknown login pass `None` and the same work is done, so
/// timing does not tell which logins exist. Run it through the sign-in gate.
pub fn verify_or_dummy(password: &str, hash: Option<&str>) -> bool {
    match hash {
        Some(h) => verify_blocking(password, h),
        None => {
            let _ = verify_blocking(password, DUMMY_HASH);
            false
        }
    }
}

/// Verifies; for an unknown login pass `None` and the same work is done, so timing does not
/// tell which logins exist.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_blocking(&password, &h),
        None => {
            let _ = verify_blocking(&password, DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false)
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$YlX1uOCI1oBPXNkJ0J0xt3uRJ1Jg3xK3pJ9aM4Yyq2g";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_long_enough_and_not_one_of_the_first_guesses() {
        use crate::errors::Problem;
        assert_eq!(check_new("short-1", "ivanova"), Err(Problem::TooShort));
        assert_eq!(check_new("1234567890", "ivanova"), Err(Problem::TooCommon));
        assert_eq!(check_new("Qwertyuiop", "ivanova"), Err(Problem::TooCommon), "any case");
        assert_eq!(check_new("йцукенгшщз", "ivanova"), Err(Problem::TooCommon));
        assert_eq!(check_new("ivanova@mail.ru", "Ivanova@mail.ru"), Err(Problem::TooCommon), "the login");
        assert_eq!(check_new("лёд-на-Неве-2026", "ivanova"), Ok(()));
    }

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let h = hash_blocking("верный-пароль");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_blocking("верный-пароль", &h));
        assert!(!verify_blocking("неверный", &h));
        assert!(!verify_blocking("x", "not a hash"));
    }
}
