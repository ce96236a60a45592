//! From what a meter said to readings on its channels: pick the current values, name them
//! as the meter's channels do, convert units where the channel keeps another one, and put a
//! meter's total and tariffs on one reading. Values stay exact; the one rounding is a unit
//! conversion into Gcal (to a millionth, far below any heat meter's resolution).

use std::collections::BTreeMap;
use std::str::FromStr;

use app::models::Resource;
use app::storage::channel::Channel;
use app::storage::reading::{Kind, Period, Reading, Source};
use rust_decimal::Decimal;

use super::protocol::Measurement;

/// The channel parameter a measured quantity goes to on a meter of this resource.
fn parameter(resource: Resource, quantity: &str) -> Option<&'static str> {
    Some(match (resource, quantity) {
        (Resource::Electricity, "energy" | "energy_a_plus") => "energy_a_plus",
        (Resource::Electricity, "energy_a_minus") => "energy_a_minus",
        (Resource::Electricity, "energy_r_plus") => "energy_r_plus",
        (Resource::Electricity, "energy_r_minus") => "energy_r_minus",
        (Resource::Heat, "energy" | "heat_energy") => "heat_energy",
        (_, "volume") => "volume",
        (_, "t_supply") => "t_supply",
        (_, "t_return") => "t_return",
        _ => return None,
    })
}

/// `value` in `from` expressed in `to`, when one converts to the other.
pub fn convert(value: Decimal, from: &str, to: &str) -> Option<Decimal> {
    if from == to {
        return Some(value);
    }
    let d = |s: &str| Decimal::from_str(s).expect("constant");
    let v = match (from, to) {
        ("kWh", "Gcal") => value.checked_div(d("1163"))?,
        ("GJ", "Gcal") => value.checked_div(d("4.1868"))?,
        ("Gcal", "GJ") => value.checked_mul(d("4.1868"))?,
        ("kWh", "MWh") => value.checked_div(d("1000"))?,
        ("MWh", "kWh") => value.checked_mul(d("1000"))?,
        ("m3", "l") => value.checked_mul(d("1000"))?,
        ("l", "m3") => value.checked_div(d("1000"))?,
        _ => return None,
    };
    Some(v.round_dp(6).normalize())
}

/// Readings of one poll or uplink of one meter, at device time `ts`, and the measurements that
/// found no channel (for the poll log).
pub fn readings(
    resource: Resource,
    channels: &[Channel],
    measurements: &[Measurement],
    ts: i64,
    source: Source,
) -> (Vec<Reading>, Vec<String>) {
    let mut by_channel: BTreeMap<i64, Reading> = BTreeMap::new();
    let mut skipped = Vec::new();
    for m in measurements {
        if m.storage != 0 || m.function != "instantaneous" {
            continue;
        }
        let channel = parameter(resource, m.quantity).and_then(|p| {
            channels
                .iter()
                .find(|c| c.parameter == p && c.resource_number == 1)
        });
        let Some(channel) = channel else {
            continue;
        };
        let Some(value) = convert(m.value, m.unit, &channel.unit) else {
            skipped.push(format!(
                "{} в {} не переводится в {}",
                m.quantity, m.unit, channel.unit
            ));
            continue;
        };
        let r = by_channel.entry(channel.id).or_insert_with(|| Reading {
            channel_id: channel.id,
            company_id: channel.company_id,
            period: Period::Instant,
            ts,
            kind: if channel.kind == "interval" {
                Kind::Interval
            } else {
                Kind::Integral
            },
            total: None,
            tariffs: [None; 4],
            source,
            flags: 0,
            entered_by: None,
            entry_id: None,
            received_at: app::storage::now(),
        });
        match m.tariff {
            0 => r.total = Some(value),
            t @ 1..=4 => r.tariffs[t as usize - 1] = Some(value),
            _ => {}
        }
    }
    (by_channel.into_values().collect(), skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(quantity: &'static str, value: &str, unit: &'static str, tariff: u8) -> Measurement {
        Measurement {
            quantity,
            value: value.parse().unwrap(),
            unit,
            tariff,
            storage: 0,
            function: "instantaneous",
        }
    }

    fn channel(id: i64, parameter: &str, unit: &str) -> Channel {
        Channel {
            id,
            company_id: 1,
            meter_id: 1,
            resource: "heat".into(),
            resource_number: 1,
            parameter: parameter.into(),
            unit: unit.into(),
            kind: "integral".into(),
            verified_on: None,
        }
    }

    #[test]
    fn sum_and_tariffs_of_a_mercury_go_on_one_reading() {
        let ch = [channel(7, "energy_a_plus", "kWh")];
        let ms = [
            m("energy_a_plus", "300.5", "kWh", 0),
            m("energy_a_plus", "200.25", "kWh", 1),
            m("energy_a_plus", "100.25", "kWh", 2),
            m("energy_r_plus", "60.1", "kvarh", 0),
        ];
        let (r, skipped) = readings(Resource::Electricity, &ch, &ms, 1000, Source::Poll);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].total, Some("300.5".parse().unwrap()));
        assert_eq!(r[0].tariffs[0], Some("200.25".parse().unwrap()));
        assert_eq!(r[0].tariffs[1], Some("100.25".parse().unwrap()));
        assert_eq!(r[0].tariffs[2], None);
        assert!(skipped.is_empty());
    }

    #[test]
    fn heat_in_mcal_stays_exact_and_stored_values_wait_for_archives() {
        let ch = [
            channel(3, "heat_energy", "Gcal"),
            channel(4, "volume", "m3"),
        ];
        let mut last_month = m("energy", "11.11", "Gcal", 0);
        last_month.storage = 1;
        let ms = [
            m("energy", "12.345", "Gcal", 0),
            m("volume", "456.789", "m3", 0),
            last_month,
        ];
        let (r, _) = readings(Resource::Heat, &ch, &ms, 1000, Source::Poll);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].total.unwrap().to_string(), "12.345");
        assert_eq!(r[1].total.unwrap().to_string(), "456.789");
    }

    #[test]
    fn kwh_and_gigajoules_become_gcal_to_a_millionth() {
        assert_eq!(
            convert("1163".parse().unwrap(), "kWh", "Gcal")
                .unwrap()
                .to_string(),
            "1"
        );
        assert_eq!(
            convert("4.1868".parse().unwrap(), "GJ", "Gcal")
                .unwrap()
                .to_string(),
            "1"
        );
        assert_eq!(
            convert("1".parse().unwrap(), "kWh", "Gcal")
                .unwrap()
                .to_string(),
            "0.00086"
        );
        assert_eq!(convert("1".parse().unwrap(), "°C", "Gcal"), None);
    }

    #[test]
    fn a_unit_that_does_not_convert_is_reported_not_stored() {
        let ch = [channel(3, "heat_energy", "Gcal")];
        let mut odd = m("energy", "5", "Gcal", 0);
        odd.unit = "kvarh";
        let (r, skipped) = readings(Resource::Heat, &ch, &[odd], 1000, Source::Poll);
        assert!(r.is_empty());
        assert_eq!(skipped.len(), 1);
    }
}
