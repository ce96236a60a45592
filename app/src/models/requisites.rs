//! A Russian company's requisites and a building's FIAS code, checked the way the tax service
//! and the Bank of Russia check them: a typo in an ИНН or a р/с is caught on the form, not
//! months later by the bank that returns a payment. Shared by the browser and the server.

use crate::errors::Problem;

fn digits(s: &str, len: usize) -> Result<Vec<u32>, Problem> {
    if s.chars().count() != len || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::BadFormat);
    }
    Ok(s.chars().filter_map(|c| c.to_digit(10)).collect())
}

fn weighted(d: &[u32], weights: &[u32]) -> u32 {
    d.iter().zip(weights).map(|(a, b)| a * b).sum::<u32>() % 11 % 10
}

/// ИНН: ten digits for an organisation, twelve for an individual entrepreneur, with the
/// tax service's check digits.
pub fn check_inn(s: &str) -> Result<(), Problem> {
    match s.len() {
        10 => {
            let d = digits(s, 10)?;
            (weighted(&d, &[2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9])
                .then_some(())
                .ok_or(Problem::BadCheckDigit)
        }
        12 => {
            let d = digits(s, 12)?;
            let n11 = weighted(&d, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
            let n12 = weighted(&d, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]);
            (n11 == d[10] && n12 == d[11])
                .then_some(())
                .ok_or(Problem::BadCheckDigit)
        }
        _ => Err(Problem::BadFormat),
    }
}

/// КПП: four digits of the tax office, two of the reason (digits or capital Latin letters),
/// three of the number.
pub fn check_kpp(s: &str) -> Result<(), Problem> {
    let c: Vec<char> = s.chars().collect();
    let ok = c.len() == 9
        && c[..4].iter().all(char::is_ascii_digit)
        && c[4..6].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && c[6..].iter().all(char::is_ascii_digit);
    ok.then_some(()).ok_or(Problem::BadFormat)
}

/// ОГРН (13 digits) or ОГРНИП (15): the last digit is the rest of the others divided by 11
/// (13 for ОГРНИП), its last digit.
pub fn check_ogrn(s: &str) -> Result<(), Problem> {
    let (len, modulus) = match s.len() {
        13 => (13, 11u64),
        15 => (15, 13u64),
        _ => return Err(Problem::BadFormat),
    };
    let d = digits(s, len)?;
    let body: u64 = s[..len - 1].parse().map_err(|_| Problem::BadFormat)?;
    ((body % modulus % 10) as u32 == d[len - 1])
        .then_some(())
        .ok_or(Problem::BadCheckDigit)
}

/// БИК: nine digits.
pub fn check_bik(s: &str) -> Result<(), Problem> {
    digits(s, 9).map(|_| ())
}

/// The Bank of Russia's key of a 20-digit account: the three given digits, then the account,
/// weighted 7-1-3 and summed, must end in 0.
fn account_key(prefix: &[u32], account: &[u32]) -> bool {
    const W: [u32; 3] = [7, 1, 3];
    let sum: u32 = prefix
        .iter()
        .chain(account)
        .enumerate()
        .map(|(i, d)| (d * W[i % 3]) % 10)
        .sum();
    sum % 10 == 0
}

/// Расчётный счёт: 20 digits, keyed with the last three digits of the bank's БИК.
pub fn check_settlement_account(account: &str, bik: &str) -> Result<(), Problem> {
    let a = digits(account, 20)?;
    let b = digits(bik, 9).map_err(|_| Problem::Mismatch)?;
    account_key(&b[6..], &a)
        .then_some(())
        .ok_or(Problem::BadCheckDigit)
}

/// Корреспондентский счёт: 20 digits, keyed with "0" and the 5th–6th digits of the БИК.
pub fn check_correspondent_account(account: &str, bik: &str) -> Result<(), Problem> {
    let a = digits(account, 20)?;
    let b = digits(bik, 9).map_err(|_| Problem::Mismatch)?;
    account_key(&[0, b[4], b[5]], &a)
        .then_some(())
        .ok_or(Problem::BadCheckDigit)
}

/// A ФИАС / ГАР code of a house: a GUID, 8-4-4-4-12 hexadecimal digits.
pub fn check_fias(s: &str) -> Result<(), Problem> {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()));
    ok.then_some(()).ok_or(Problem::BadFormat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_organisation_s_inn_passes_and_one_wrong_digit_does_not() {
        // Сбербанк and Яндекс, public
        assert_eq!(check_inn("7707083893"), Ok(()));
        assert_eq!(check_inn("7736207543"), Ok(()));
        assert_eq!(check_inn("7707083894"), Err(Problem::BadCheckDigit));
        assert_eq!(check_inn("77070838"), Err(Problem::BadFormat));
        assert_eq!(check_inn("770708389з"), Err(Problem::BadFormat));
    }

    #[test]
    fn an_entrepreneur_s_twelve_digit_inn_checks_both_digits() {
        assert_eq!(check_inn("500100732259"), Ok(()));
        assert_eq!(check_inn("500100732258"), Err(Problem::BadCheckDigit));
    }

    #[test]
    fn a_kpp_may_carry_letters_in_its_reason_code() {
        assert_eq!(check_kpp("773601001"), Ok(()));
        assert_eq!(check_kpp("7736AB001"), Ok(()));
        assert_eq!(check_kpp("77360100"), Err(Problem::BadFormat));
        assert_eq!(check_kpp("7736ab001"), Err(Problem::BadFormat));
    }

    #[test]
    fn an_ogrn_and_an_ogrnip_check_their_last_digit() {
        assert_eq!(check_ogrn("1027700132195"), Ok(()));
        assert_eq!(check_ogrn("1027700132196"), Err(Problem::BadCheckDigit));
        assert_eq!(check_ogrn("304500116000157"), Ok(()));
        assert_eq!(check_ogrn("12345"), Err(Problem::BadFormat));
    }

    #[test]
    fn bank_accounts_are_keyed_with_the_bank_s_bik() {
        // Сбербанк, Москва: БИК 044525225, к/с 30101810400000000225
        assert_eq!(check_correspondent_account("30101810400000000225", "044525225"), Ok(()));
        assert_eq!(
            check_correspondent_account("30101810400000000226", "044525225"),
            Err(Problem::BadCheckDigit)
        );
        assert_eq!(check_settlement_account("40702810938000000001", "044525225"), Ok(()));
        assert_eq!(
            check_settlement_account("40702810938000000002", "044525225"),
            Err(Problem::BadCheckDigit)
        );
        assert_eq!(check_bik("04452522"), Err(Problem::BadFormat));
    }

    #[test]
    fn a_fias_code_is_a_guid() {
        assert_eq!(check_fias("0c5b2444-70a0-4932-980c-b4dc0d3f02b5"), Ok(()));
        assert_eq!(check_fias("0c5b2444-70a0-4932-980c"), Err(Problem::BadFormat));
        assert_eq!(check_fias("0c5b2444-70a0-4932-980c-b4dc0d3f02bz"), Err(Problem::BadFormat));
    }
}
