//! The company's requisites as its administrator types them: on the first-run page and in the
//! company card. Checked alike in both places and by `server setup`.

use serde::{Deserialize, Serialize};

use super::requisites as r;
use crate::errors::Problem;
use crate::i18n::Msg;

/// Longest text a requisite field keeps (an address with its office number fits easily).
pub const MAX_FIELD_CHARS: usize = 300;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompanyForm {
    pub name: String,
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
}

impl CompanyForm {
    /// Spaces around every field dropped, and inside the numbers too (people paste
    /// «40702 810 9…» from a bank's letter).
    pub fn trimmed(self) -> CompanyForm {
        let num = |s: String| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let txt = |s: String| s.trim().to_string();
        CompanyForm {
            name: txt(self.name),
            inn: num(self.inn),
            kpp: num(self.kpp).to_uppercase(),
            ogrn: num(self.ogrn),
            legal_address: txt(self.legal_address),
            actual_address: txt(self.actual_address),
            phone: txt(self.phone),
            email: txt(self.email).to_lowercase(),
            working_hours: txt(self.working_hours),
            bank_name: txt(self.bank_name),
            bik: num(self.bik),
            settlement_account: num(self.settlement_account),
            correspondent_account: num(self.correspondent_account),
        }
    }

    /// The first field that is wrong, with what is wrong with it. The name and the ИНН are
    /// required; every other number is checked when it is given.
    pub fn check(&self) -> Result<(), (Msg, Problem)> {
        let texts = [
            (Msg::Name, &self.name),
            (Msg::LegalAddress, &self.legal_address),
            (Msg::ActualAddress, &self.actual_address),
            (Msg::Phone, &self.phone),
            (Msg::Email, &self.email),
            (Msg::WorkingHours, &self.working_hours),
            (Msg::BankName, &self.bank_name),
        ];
        if let Some((m, _)) = texts.iter().find(|(_, v)| v.chars().count() > MAX_FIELD_CHARS) {
            return Err((*m, Problem::TooLong));
        }
        if self.name.is_empty() {
            return Err((Msg::Name, Problem::Required));
        }
        if self.inn.is_empty() {
            return Err((Msg::Inn, Problem::Required));
        }
        r::check_inn(&self.inn).map_err(|p| (Msg::Inn, p))?;
        let optional: [(Msg, &String, fn(&str) -> Result<(), Problem>); 3] = [
            (Msg::Kpp, &self.kpp, r::check_kpp),
            (Msg::Ogrn, &self.ogrn, r::check_ogrn),
            (Msg::Bik, &self.bik, r::check_bik),
        ];
        for (m, v, check) in optional {
            if !v.is_empty() {
                check(v).map_err(|p| (m, p))?;
            }
        }
        if !self.email.is_empty() && !super::cabinet::email_ok(&self.email) {
            return Err((Msg::Email, Problem::BadFormat));
        }
        let accounts: [(Msg, &String, fn(&str, &str) -> Result<(), Problem>); 2] = [
            (Msg::SettlementAccount, &self.settlement_account, r::check_settlement_account),
            (Msg::CorrespondentAccount, &self.correspondent_account, r::check_correspondent_account),
        ];
        for (m, v, check) in accounts {
            if v.is_empty() {
                continue;
            }
            if self.bik.is_empty() {
                return Err((Msg::Bik, Problem::Required));
            }
            check(v, &self.bik).map_err(|p| (m, p))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> CompanyForm {
        CompanyForm {
            name: "ООО «УК Огни»".into(),
            inn: "7707083893".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_name_and_an_inn_are_enough() {
        assert_eq!(ok().check(), Ok(()));
        assert_eq!(
            CompanyForm { inn: String::new(), ..ok() }.check(),
            Err((Msg::Inn, Problem::Required))
        );
    }

    #[test]
    fn an_account_pasted_with_spaces_is_read_as_its_digits() {
        let f = CompanyForm {
            bik: " 044525225 ".into(),
            settlement_account: "40702 810 9 3800 0000001".into(),
            kpp: "7736ab001".into(),
            ..ok()
        }
        .trimmed();
        assert_eq!(f.settlement_account, "40702810938000000001");
        assert_eq!(f.kpp, "7736AB001");
        assert_eq!(f.check(), Ok(()));
    }

    #[test]
    fn an_account_without_its_bank_s_bik_is_asked_for_the_bik() {
        let f = CompanyForm {
            settlement_account: "40702810938000000001".into(),
            ..ok()
        };
        assert_eq!(f.check(), Err((Msg::Bik, Problem::Required)));
    }

    #[test]
    fn a_mistyped_ogrn_names_the_ogrn() {
        let f = CompanyForm {
            ogrn: "1027700132196".into(),
            ..ok()
        };
        assert_eq!(f.check(), Err((Msg::Ogrn, Problem::BadCheckDigit)));
    }
}
