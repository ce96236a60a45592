//! «Карта приборов» (F20): each building a point on the map with its meters counted by how
//! long ago each was last heard from, the way the dispatcher reads a network's health at a
//! glance; a building's meters listed worst first when it is picked.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::models::Resource;

/// How long ago a meter was last heard from: the map's colours and legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Contact {
    Min30,
    Hours2,
    Day1,
    Days2,
    Week1,
    Weeks2,
    /// Not heard from for more than two weeks, or never: «Отключен».
    Off,
    /// On no line: read by hand, so no contact to age.
    ByHand,
}

impl Contact {
    pub const ALL: [Contact; 8] = [
        Contact::Min30,
        Contact::Hours2,
        Contact::Day1,
        Contact::Days2,
        Contact::Week1,
        Contact::Weeks2,
        Contact::Off,
        Contact::ByHand,
    ];

    /// The upper age, in seconds, of the first six buckets (the seed's 30 min, 2 h, 1 day,
    /// 2 days, 1 week, 2 weeks).
    pub const BOUNDS: [i64; 6] = [30 * 60, 2 * 3600, 86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400];

    /// The bucket of a meter: on a line (`on_line`) and last heard at `last` (unix seconds).
    pub fn of(on_line: bool, last: Option<i64>, now: i64) -> Contact {
        if !on_line {
            return Contact::ByHand;
        }
        let Some(at) = last else { return Contact::Off };
        let age = (now - at).max(0);
        Self::BOUNDS
            .iter()
            .position(|b| age <= *b)
            .map(|i| Self::ALL[i])
            .unwrap_or(Contact::Off)
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    pub fn from_index(i: usize) -> Option<Contact> {
        Self::ALL.get(i).copied()
    }

    pub fn label(self) -> Msg {
        match self {
            Contact::Min30 => Msg::MapMin30,
            Contact::Hours2 => Msg::MapHours2,
            Contact::Day1 => Msg::MapDay1,
            Contact::Days2 => Msg::MapDays2,
            Contact::Week1 => Msg::MapWeek1,
            Contact::Weeks2 => Msg::MapWeeks2,
            Contact::Off => Msg::MapOff,
            Contact::ByHand => Msg::MapByHand,
        }
    }

    /// The colour on the map and in the legend: green while fresh, through yellow to red.
    pub fn colour(self) -> &'static str {
        match self {
            Contact::Min30 => "#1a9850",
            Contact::Hours2 => "#66bd63",
            Contact::Day1 => "#a6d96a",
            Contact::Days2 => "#fee08b",
            Contact::Week1 => "#fdae61",
            Contact::Weeks2 => "#f46d43",
            Contact::Off => "#c62828",
            Contact::ByHand => "#90a4ae",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Contact::Min30 => "min30",
            Contact::Hours2 => "hours2",
            Contact::Day1 => "day1",
            Contact::Days2 => "days2",
            Contact::Week1 => "week1",
            Contact::Weeks2 => "weeks2",
            Contact::Off => "off",
            Contact::ByHand => "by_hand",
        }
    }
}

/// Meters counted per [`Contact`] bucket, in `Contact::ALL` order.
pub type Counts = [u32; 8];

/// A building on the map (or off it, without coordinates).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPlace {
    pub object_id: i64,
    pub name: String,
    pub address: String,
    /// Degrees; both or none (a building with one coordinate is not on the map).
    pub at: Option<(f64, f64)>,
    pub counts: Counts,
}

impl MapPlace {
    pub fn meters(&self) -> u32 {
        self.counts.iter().sum()
    }
}

/// The map page's data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MeterMap {
    pub objects: Vec<(i64, String)>,
    pub object_id: Option<i64>,
    pub resource: Option<Resource>,
    /// The tile server's URL template (`{z}/{x}/{y}`), as configured.
    pub tiles: String,
    pub places: Vec<MapPlace>,
}

impl MeterMap {
    pub fn meters(&self) -> u32 {
        self.places.iter().map(MapPlace::meters).sum()
    }

    /// The seed's «Приборы учета без координат, шт.: N из M».
    pub fn without_coordinates(&self) -> u32 {
        self.places.iter().filter(|p| p.at.is_none()).map(MapPlace::meters).sum()
    }

    pub fn totals(&self) -> Counts {
        let mut t = [0; 8];
        for p in &self.places {
            for (i, n) in p.counts.iter().enumerate() {
                t[i] += n;
            }
        }
        t
    }

    /// What the browser's map script draws: the buildings with coordinates and their
    /// counts, the colours in bucket order, and the tile template.
    pub fn script_data(&self) -> serde_json::Value {
        let points: Vec<serde_json::Value> = self
            .places
            .iter()
            .filter_map(|p| {
                let (lat, lon) = p.at?;
                Some(serde_json::json!({ "id": p.object_id, "name": p.name, "lat": lat, "lon": lon, "counts": p.counts }))
            })
            .collect();
        let colours: Vec<&str> = Contact::ALL.iter().map(|c| c.colour()).collect();
        serde_json::json!({ "tiles": self.tiles, "points": points, "colours": colours })
    }
}

/// One meter of a picked building, for the list under the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapMeter {
    pub id: i64,
    pub resource: Resource,
    pub model: String,
    pub serial: String,
    /// «кв. 12», or empty for a common meter.
    pub premise: String,
    pub contact: Contact,
    /// dd.mm.yyyy hh:mm in the building's time, or empty when never heard from.
    pub last_contact: String,
}

/// A building's meters, worst contact first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MapBuilding {
    pub object_id: i64,
    pub name: String,
    pub meters: Vec<MapMeter>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn contact_buckets_follow_the_seeds_ages_with_their_bounds_inside() {
        let at = |age: i64| Contact::of(true, Some(NOW - age), NOW);
        assert_eq!(at(0), Contact::Min30);
        assert_eq!(at(30 * 60), Contact::Min30);
        assert_eq!(at(30 * 60 + 1), Contact::Hours2);
        assert_eq!(at(2 * 3600 + 1), Contact::Day1);
        assert_eq!(at(86_400 + 1), Contact::Days2);
        assert_eq!(at(3 * 86_400), Contact::Week1);
        assert_eq!(at(10 * 86_400), Contact::Weeks2);
        assert_eq!(at(14 * 86_400), Contact::Weeks2);
        assert_eq!(at(14 * 86_400 + 1), Contact::Off);
        assert_eq!(Contact::of(true, None, NOW), Contact::Off);
        // a clock ahead of ours is fresh, not negative
        assert_eq!(at(-600), Contact::Min30);
    }

    #[test]
    fn a_meter_on_no_line_is_read_by_hand_whatever_its_last_contact() {
        assert_eq!(Contact::of(false, Some(NOW), NOW), Contact::ByHand);
        assert_eq!(Contact::of(false, None, NOW), Contact::ByHand);
    }

    #[test]
    fn buckets_keep_their_order_through_index() {
        for c in Contact::ALL {
            assert_eq!(Contact::from_index(c.index()), Some(c));
        }
        assert_eq!(Contact::from_index(8), None);
    }

    #[test]
    fn meters_without_coordinates_are_counted_and_left_off_the_script() {
        let place = |id, at, n| MapPlace { object_id: id, name: format!("д. {id}"), address: String::new(), at, counts: [n, 0, 0, 0, 0, 0, 1, 2] };
        let map = MeterMap {
            places: vec![place(1, Some((55.75, 37.61)), 3), place(2, None, 5)],
            tiles: "https://tiles.example/{z}/{x}/{y}.png".into(),
            ..Default::default()
        };
        assert_eq!(map.meters(), 14);
        assert_eq!(map.without_coordinates(), 8);
        assert_eq!(map.totals(), [8, 0, 0, 0, 0, 0, 2, 4]);
        let data = map.script_data();
        assert_eq!(data["points"].as_array().map(Vec::len), Some(1));
        assert_eq!(data["points"][0]["counts"][0], 3);
        assert_eq!(data["colours"].as_array().map(Vec::len), Some(8));
    }
}
