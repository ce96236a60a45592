//! Meter protocols: the frames we send and what the replies mean. Pure functions over bytes,
//! no I/O, so the collector, the simulators and the `decode` command share one reading of
//! every frame. Every decoder returns an error, never panics, on any input.

pub mod chirpstack;
pub mod mbus;
pub mod mercury;
pub mod modbus;

use rust_decimal::Decimal;
use serde::Serialize;

/// One value a meter reported, exact as the meter gave it, with what it measures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Measurement {
    /// What is measured: `energy_a_plus`, `energy_a_minus`, `energy_r_plus`,
    /// `energy_r_minus`, `heat_energy`, `volume`, `t_supply`, `t_return`, `power`, `flow`…
    pub quantity: &'static str,
    pub value: Decimal,
    /// `kWh`, `kvarh`, `Gcal`, `GJ`, `m3`, `°C`, `kW`, `m3/h`…
    pub unit: &'static str,
    /// 0 is the total (or a single-tariff meter), 1–4 are T1–T4.
    pub tariff: u8,
    /// 0 is the current value; higher numbers are stored values (M-Bus storage number).
    pub storage: u32,
    /// `instantaneous`, `maximum`, `minimum` or `error_state`.
    pub function: &'static str,
}

/// `value × 10^exponent` exactly, or `None` when it does not fit a decimal.
pub fn scaled(value: i128, exponent: i32) -> Option<Decimal> {
    let mut d = Decimal::try_from_i128_with_scale(value, 0).ok()?;
    if exponent >= 0 {
        for _ in 0..exponent {
            d = d.checked_mul(Decimal::TEN)?;
        }
    } else {
        let scale = u32::try_from(-exponent).ok()?;
        if scale > 28 {
            return None;
        }
        d = Decimal::try_from_i128_with_scale(value, scale).ok()?;
    }
    Some(d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_is_exact_both_ways() {
        assert_eq!(scaled(123456, -3).unwrap().to_string(), "123.456");
        assert_eq!(scaled(12, 3).unwrap().to_string(), "12000");
        assert_eq!(scaled(-5, -1).unwrap().to_string(), "-0.5");
        assert!(scaled(1, -40).is_none());
        assert!(scaled(i128::MAX, 0).is_none());
    }
}
