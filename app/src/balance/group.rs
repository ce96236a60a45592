//! Who is in a balance group. The building's own group of a resource takes every meter of
//! it that is still in use — common meters as the root, individual ones as children with
//! «+» — with the person's changes over that; a group of its own takes exactly its list.
//! Replaced meters count under the meter that replaced them, as the rollup keeps them.

use std::collections::HashMap;

use crate::models::balance::Part;
use crate::models::{MeterState, Placement, Resource};
use crate::storage::meter::Meter;

/// The meter a chain's days are kept under: the last of its successors.
fn head_of(id: i64, successor: &HashMap<i64, i64>) -> i64 {
    let mut at = id;
    // a chain is short; the bound only guards against a loop in bad data
    for _ in 0..64 {
        match successor.get(&at) {
            Some(next) => at = *next,
            None => break,
        }
    }
    at
}

/// How a meter takes part when nothing is said of it, in the building's own group.
pub fn default_part(m: &Meter) -> Part {
    match m.placement {
        Placement::Common => Part::Root,
        Placement::Individual => Part::Plus,
    }
}

/// The group's meters (current meters of their chains) and how each takes part, in the
/// order of `meters`. `listed` is what is stored for the group; `own` says whether it is
/// the building's own group (listed meters change it) or a group of its own (listed meters
/// are all of it).
pub fn members<'a>(meters: &'a [Meter], resource: Resource, own: bool, listed: &[(i64, Part)]) -> Vec<(&'a Meter, Part)> {
    let successor: HashMap<i64, i64> = meters
        .iter()
        .filter_map(|m| m.replaces_meter_id.map(|old| (old, m.id)))
        .collect();
    let said: HashMap<i64, Part> = listed.iter().map(|(m, p)| (head_of(*m, &successor), *p)).collect();
    meters
        .iter()
        .filter(|m| m.resource == resource && !successor.contains_key(&m.id))
        .filter_map(|m| match (said.get(&m.id), own) {
            (Some(p), _) => Some((m, *p)),
            (None, true) if m.state != MeterState::Retired => Some((m, default_part(m))),
            (None, _) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::capacity::DigitCapacity;

    fn meter(id: i64, placement: Placement, resource: Resource) -> Meter {
        let mut m = Meter::new(1, 1, resource, "м", &id.to_string(), DigitCapacity::new(5, 3).unwrap());
        m.id = id;
        m.placement = placement;
        m
    }

    #[test]
    fn the_buildings_own_group_takes_its_common_meters_as_root_and_flats_with_plus() {
        let ms = vec![
            meter(1, Placement::Common, Resource::ColdWater),
            meter(2, Placement::Individual, Resource::ColdWater),
            meter(3, Placement::Individual, Resource::ColdWater),
            meter(4, Placement::Individual, Resource::Electricity),
        ];
        let got: Vec<(i64, Part)> = members(&ms, Resource::ColdWater, true, &[(3, Part::Minus)])
            .into_iter()
            .map(|(m, p)| (m.id, p))
            .collect();
        assert_eq!(got, vec![(1, Part::Root), (2, Part::Plus), (3, Part::Minus)]);
    }

    #[test]
    fn a_replaced_meter_counts_under_its_successor_and_keeps_its_sign() {
        let mut ms = vec![
            meter(1, Placement::Common, Resource::ColdWater),
            meter(2, Placement::Individual, Resource::ColdWater),
            meter(5, Placement::Individual, Resource::ColdWater),
        ];
        ms[1].state = MeterState::Retired;
        ms[2].replaces_meter_id = Some(2);
        let got: Vec<(i64, Part)> = members(&ms, Resource::ColdWater, true, &[(2, Part::Excluded)])
            .into_iter()
            .map(|(m, p)| (m.id, p))
            .collect();
        assert_eq!(got, vec![(1, Part::Root), (5, Part::Excluded)]);
    }

    #[test]
    fn a_group_of_its_own_takes_only_its_list() {
        let ms = vec![
            meter(1, Placement::Common, Resource::Electricity),
            meter(2, Placement::Common, Resource::Electricity),
            meter(3, Placement::Individual, Resource::Electricity),
        ];
        let got: Vec<(i64, Part)> = members(&ms, Resource::Electricity, false, &[(2, Part::Root), (3, Part::Plus)])
            .into_iter()
            .map(|(m, p)| (m.id, p))
            .collect();
        assert_eq!(got, vec![(2, Part::Root), (3, Part::Plus)]);
    }
}
