//! Deviation rules (issue 23, point 5; F22, EK 4.2.1, 4.6.7): for a building, a dispatcher
//! names the parameters of its common meters (ОДПУ) to watch — each off until switched on —
//! and how far a record may stray: from the average of the same archive over the three days
//! before it, or from a constant, by a percentage or by an amount in the parameter's unit.
//! A record outside its band is a broken rule: a red tile on «Отклонения» and an event.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::building::typed_decimal;
use super::Resource;
use crate::errors::{AppError, Problem};
use crate::i18n::Msg;

/// What a record is held against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Basis {
    /// The average of the same archive's records over the three days before the record.
    #[default]
    Average,
    /// A value the dispatcher sets (a contract's load, a design temperature).
    Constant,
}

impl Basis {
    pub const ALL: [Basis; 2] = [Basis::Average, Basis::Constant];

    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Average => "average",
            Basis::Constant => "constant",
        }
    }

    pub fn parse(s: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|b| b.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Basis::Average => Msg::DvAverage,
            Basis::Constant => Msg::DvConstant,
        }
    }
}

/// How the allowed deviation is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Band {
    /// A percentage of the basis.
    #[default]
    Percent,
    /// An amount in the parameter's own unit.
    Absolute,
}

impl Band {
    pub const ALL: [Band; 2] = [Band::Percent, Band::Absolute];

    pub fn as_str(self) -> &'static str {
        match self {
            Band::Percent => "percent",
            Band::Absolute => "absolute",
        }
    }

    pub fn parse(s: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// Days before a record whose average is its basis.
pub const AVERAGE_DAYS: i64 = 3;

/// One parameter's rule in one building.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// A channel parameter: `heat_energy`, `t_supply`, `volume`…
    pub parameter: String,
    pub enabled: bool,
    pub basis: Basis,
    /// With [`Basis::Constant`].
    pub constant: Option<Decimal>,
    pub band: Band,
    /// Never negative.
    pub tolerance: Decimal,
}

impl Rule {
    /// A parameter no one set a rule for: off.
    pub fn off(parameter: &str) -> Rule {
        Rule { parameter: parameter.to_string(), enabled: false, basis: Basis::Average, constant: None, band: Band::Percent, tolerance: Decimal::TEN }
    }
}

/// How a record stands against its rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub value: Decimal,
    /// The average or the constant; none when the three days before hold no record.
    pub base: Option<Decimal>,
    /// The largest deviation allowed, in the parameter's unit.
    pub allowed: Option<Decimal>,
    /// `value − base`.
    pub deviation: Option<Decimal>,
    pub broken: bool,
}

/// Judges a record's value by a rule; `before` are the same archive's values over the
/// `AVERAGE_DAYS` before it (used with [`Basis::Average`]). Exact: decimals throughout.
pub fn judge(rule: &Rule, value: Decimal, before: &[Decimal]) -> Verdict {
    let base = match rule.basis {
        Basis::Constant => rule.constant,
        Basis::Average if before.is_empty() => None,
        Basis::Average => {
            let sum: Decimal = before.iter().sum();
            Some((sum / Decimal::from(before.len() as i64)).round_dp(6).normalize())
        }
    };
    let allowed = base.map(|b| match rule.band {
        Band::Percent => (b.abs() * rule.tolerance / Decimal::ONE_HUNDRED).round_dp(6).normalize(),
        Band::Absolute => rule.tolerance,
    });
    let deviation = base.map(|b| value - b);
    let broken = matches!((deviation, allowed), (Some(d), Some(a)) if d.abs() > a);
    Verdict { value, base, allowed, deviation, broken }
}

/// Largest tolerance: 1000 % or a million in the unit.
const MAX_TOLERANCE: i64 = 1_000_000;

/// The settings form's row as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleForm {
    pub parameter: String,
    pub enabled: bool,
    pub basis: String,
    pub constant: String,
    pub band: String,
    pub tolerance: String,
}

impl RuleForm {
    /// The rule the row asks for, or the first thing wrong with it. A switched-off row keeps
    /// what was typed only if it is right, so switching it on later needs no retyping.
    pub fn check(&self) -> Result<Rule, AppError> {
        let parameter = self.parameter.trim();
        if parameter.is_empty() || parameter.len() > 40 || !parameter.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(AppError::invalid(Msg::DvParameter, Problem::BadFormat));
        }
        let basis = Basis::parse(self.basis.trim()).ok_or(AppError::invalid(Msg::DvBasis, Problem::BadFormat))?;
        let band = Band::parse(self.band.trim()).ok_or(AppError::invalid(Msg::DvTolerance, Problem::BadFormat))?;
        if self.tolerance.trim().is_empty() {
            return Err(AppError::invalid(Msg::DvTolerance, Problem::Required));
        }
        let tolerance = typed_decimal(&self.tolerance).ok_or(AppError::invalid(Msg::DvTolerance, Problem::BadFormat))?;
        if tolerance.is_sign_negative() || tolerance > Decimal::from(MAX_TOLERANCE) || tolerance.scale() > 6 {
            return Err(AppError::invalid(Msg::DvTolerance, Problem::OutOfRange));
        }
        let constant = match (basis, self.constant.trim()) {
            (Basis::Constant, "") => return Err(AppError::invalid(Msg::DvConstantValue, Problem::Required)),
            (_, "") => None,
            (_, c) => Some(
                typed_decimal(c)
                    .filter(|d| d.abs() <= Decimal::from(1_000_000_000_000i64) && d.scale() <= 6)
                    .ok_or(AppError::invalid(Msg::DvConstantValue, Problem::BadFormat))?,
            ),
        };
        Ok(Rule { parameter: parameter.to_string(), enabled: self.enabled, basis, constant, band, tolerance: tolerance.normalize() })
    }
}

/// A building's rules as the settings page lists them: every parameter its common meters
/// measure, with its rule or off.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildingRules {
    pub object_id: i64,
    pub object: String,
    /// (parameter, unit, resource) of the common meters' channels.
    pub parameters: Vec<(String, String, Resource)>,
    pub rules: Vec<Rule>,
}

/// One tile: a common meter's parameter against its rule at the record asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tile {
    pub parameter: String,
    pub unit: String,
    pub rule: Rule,
    /// The record's time as the building reads it; none: no record.
    pub at: Option<String>,
    pub verdict: Option<Verdict>,
}

/// A common meter with its tiles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeterTiles {
    pub meter_id: i64,
    pub serial: String,
    pub resource: Resource,
    pub tiles: Vec<Tile>,
}

/// «Отклонения»: a building's common meters in service, each with a tile per watched
/// parameter, at the latest record of an archive up to a moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviationPage {
    pub objects: Vec<(i64, String)>,
    pub object_id: Option<i64>,
    /// `hour` or `day`.
    pub archive: String,
    /// The day asked, `YYYY-MM-DD` (the building's today by default).
    pub day: String,
    pub meters: Vec<MeterTiles>,
    /// Rules switched on in the building.
    pub rules_on: usize,
    /// The building's rules for the settings panel: every parameter of its common meters.
    pub rules: BuildingRules,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn rule(basis: Basis, constant: Option<&str>, band: Band, tolerance: &str) -> Rule {
        Rule { parameter: "t_supply".into(), enabled: true, basis, constant: constant.map(d), band, tolerance: d(tolerance) }
    }

    #[test]
    fn a_record_is_held_against_the_average_of_the_three_days_before_it() {
        // 70, 72, 74 °C before: the average is 72; 10 % allows 7.2
        let r = rule(Basis::Average, None, Band::Percent, "10");
        let ok = judge(&r, d("79.2"), &[d("70"), d("72"), d("74")]);
        assert_eq!((ok.base, ok.allowed, ok.deviation, ok.broken), (Some(d("72")), Some(d("7.2")), Some(d("7.2")), false));
        let hot = judge(&r, d("79.21"), &[d("70"), d("72"), d("74")]);
        assert!(hot.broken, "7.21 over 72 is more than 10 %");
        let cold = judge(&r, d("64.7"), &[d("70"), d("72"), d("74")]);
        assert_eq!((cold.deviation, cold.broken), (Some(d("-7.3")), true), "below counts too");
    }

    #[test]
    fn an_average_of_thirds_stays_exact_to_a_millionth() {
        let r = rule(Basis::Average, None, Band::Absolute, "0.5");
        let v = judge(&r, d("1.5"), &[d("1"), d("1"), d("2")]);
        assert_eq!(v.base, Some(d("1.333333")));
        assert_eq!(v.deviation, Some(d("0.166667")));
        assert!(!v.broken);
    }

    #[test]
    fn a_constant_rule_and_an_absolute_band() {
        let r = rule(Basis::Constant, Some("95"), Band::Absolute, "3");
        assert!(!judge(&r, d("98"), &[]).broken);
        assert!(judge(&r, d("98.001"), &[]).broken);
        assert!(judge(&r, d("91.9"), &[]).broken);
    }

    #[test]
    fn without_records_before_there_is_no_average_and_nothing_is_broken() {
        let v = judge(&rule(Basis::Average, None, Band::Percent, "5"), d("100"), &[]);
        assert_eq!((v.base, v.allowed, v.deviation, v.broken), (None, None, None, false));
    }

    #[test]
    fn a_zero_basis_allows_no_percent_at_all() {
        let r = rule(Basis::Constant, Some("0"), Band::Percent, "50");
        assert!(!judge(&r, d("0"), &[]).broken);
        assert!(judge(&r, d("0.001"), &[]).broken);
    }

    #[test]
    fn the_settings_row_is_checked_field_by_field() {
        let form = |basis: &str, constant: &str, band: &str, tolerance: &str| RuleForm {
            parameter: "heat_energy".into(),
            enabled: true,
            basis: basis.into(),
            constant: constant.into(),
            band: band.into(),
            tolerance: tolerance.into(),
        };
        let wrong = |f: RuleForm| match f.check() {
            Err(AppError::Invalid { field, problem }) => (field, problem),
            other => panic!("{other:?}"),
        };
        let ok = form("constant", "1 250,5", "absolute", "12,25").check().unwrap();
        assert_eq!((ok.constant, ok.tolerance), (Some(d("1250.5")), d("12.25")));
        assert_eq!(form("average", "", "percent", "15").check().unwrap().constant, None);
        assert_eq!(wrong(form("constant", "", "percent", "15")), (Msg::DvConstantValue, Problem::Required));
        assert_eq!(wrong(form("constant", "девяносто", "percent", "15")), (Msg::DvConstantValue, Problem::BadFormat));
        assert_eq!(wrong(form("average", "", "percent", "")), (Msg::DvTolerance, Problem::Required));
        assert_eq!(wrong(form("average", "", "percent", "-5")), (Msg::DvTolerance, Problem::OutOfRange));
        assert_eq!(wrong(form("average", "", "percent", "пять")), (Msg::DvTolerance, Problem::BadFormat));
        assert_eq!(wrong(form("median", "", "percent", "5")), (Msg::DvBasis, Problem::BadFormat));
        assert_eq!(wrong(form("average", "", "ppm", "5")), (Msg::DvTolerance, Problem::BadFormat));
        assert_eq!(wrong(RuleForm { parameter: "t supply; DROP".into(), ..form("average", "", "percent", "5") }), (Msg::DvParameter, Problem::BadFormat));
    }
}
