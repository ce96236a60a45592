//! A consumption figure that says how much of it is known. The seeds' rule: Uchet never
//! invents missing archives; a sum with a gap is marked `*` («1,77*»), and where nothing is
//! known the cell shows `–*`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The value slots a table shows for a meter or resource with these tariff slots (1–4):
/// T1..Tn then the total, or just the total (slot 0) when there is one tariff or none.
pub fn shown_slots(tariffs: &[usize]) -> Vec<usize> {
    if tariffs.len() <= 1 {
        vec![0]
    } else {
        let mut v = tariffs.to_vec();
        v.push(0);
        v
    }
}

/// A slot's column name: `T1`…`T4`, or the word for the total.
pub fn slot_label(slot: usize, total: &str) -> String {
    if slot == 0 {
        total.to_string()
    } else {
        format!("T{slot}")
    }
}

/// Consumption over a span: all of it measured, part of it measured, or nothing measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Amount {
    #[default]
    NoData,
    Partial(Decimal),
    Full(Decimal),
}

impl Amount {
    /// The known part, whatever its completeness.
    pub fn known(self) -> Option<Decimal> {
        match self {
            Amount::NoData => None,
            Amount::Partial(v) | Amount::Full(v) => Some(v),
        }
    }

    pub fn is_full(self) -> bool {
        matches!(self, Amount::Full(_))
    }

    /// `1,77`, `1,77*` or `–*`, as the seeds write them.
    pub fn display(self) -> String {
        self.display_fixed(0)
    }

    /// [`Amount::display`] with at least `fraction` digits after the comma.
    pub fn display_fixed(self, fraction: u32) -> String {
        match self {
            Amount::NoData => "–*".to_string(),
            Amount::Partial(v) => format!("{}*", super::format::fixed(v, fraction)),
            Amount::Full(v) => super::format::fixed(v, fraction),
        }
    }
}

/// Summing: a gap anywhere makes the sum partial; only nothing plus nothing is nothing.
impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, other: Amount) -> Amount {
        use Amount::*;
        match (self, other) {
            (NoData, NoData) => NoData,
            (Full(a), Full(b)) => Full(a + b),
            (Full(a) | Partial(a), Partial(b)) | (Partial(a), Full(b)) => Partial(a + b),
            (NoData, Full(v) | Partial(v)) | (Full(v) | Partial(v), NoData) => Partial(v),
        }
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        let mut it = iter;
        match it.next() {
            None => Amount::Full(Decimal::ZERO),
            Some(first) => it.fold(first, |a, b| a + b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_gap_makes_a_sum_partial_and_nothing_shows_a_dash_star() {
        assert_eq!(
            Amount::Full(d("1.5")) + Amount::Full(d("0.27")),
            Amount::Full(d("1.77"))
        );
        assert_eq!(
            Amount::NoData + Amount::Full(d("1.77")),
            Amount::Partial(d("1.77"))
        );
        assert_eq!((Amount::NoData + Amount::NoData).display(), "–*");
        assert_eq!(Amount::Partial(d("1.770")).display(), "1,77*");
        assert_eq!(Amount::Full(d("12345.5")).display(), "12\u{a0}345,5");
    }

    #[test]
    fn the_sum_of_nothing_is_an_exact_zero() {
        let none: Vec<Amount> = vec![];
        assert_eq!(
            none.into_iter().sum::<Amount>(),
            Amount::Full(Decimal::ZERO)
        );
    }
}
