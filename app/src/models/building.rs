//! A building's card as a dispatcher types it (F41) with its poll schedule (F1): the same
//! checks in the browser and on the server, numbers as Russians write them («5 432,1»).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::errors::Problem;
use crate::i18n::Msg;

/// Russia's time zones, west to east: the only ones a building of a Russian company has.
pub const TIME_ZONES: [(&str, &str); 11] = [
    ("Europe/Kaliningrad", "МСК−1 Калининград"),
    ("Europe/Moscow", "МСК Москва"),
    ("Europe/Samara", "МСК+1 Самара"),
    ("Asia/Yekaterinburg", "МСК+2 Екатеринбург"),
    ("Asia/Omsk", "МСК+3 Омск"),
    ("Asia/Krasnoyarsk", "МСК+4 Красноярск"),
    ("Asia/Irkutsk", "МСК+5 Иркутск"),
    ("Asia/Yakutsk", "МСК+6 Якутск"),
    ("Asia/Vladivostok", "МСК+7 Владивосток"),
    ("Asia/Magadan", "МСК+8 Магадан"),
    ("Asia/Kamchatka", "МСК+9 Камчатка"),
];

/// The week's days as their ISO numbers (1 = Monday) and short Russian names.
pub const WEEKDAYS: [(char, Msg); 7] = [
    ('1', Msg::DayMon),
    ('2', Msg::DayTue),
    ('3', Msg::DayWed),
    ('4', Msg::DayThu),
    ('5', Msg::DayFri),
    ('6', Msg::DaySat),
    ('7', Msg::DaySun),
];

/// Longest name or address kept.
pub const MAX_TEXT_CHARS: usize = 300;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuildingForm {
    pub name: String,
    pub address: String,
    pub fias_code: String,
    pub under_construction: bool,
    /// As typed: «55,7558» or «55.7558», empty when not known.
    pub latitude: String,
    pub longitude: String,
    /// м², as typed.
    pub total_area: String,
    pub residents: String,
    pub floors: String,
    pub entrances: String,
    pub time_zone: String,
    pub heating_season: bool,
    pub weather_station: String,
    pub poll_enabled: bool,
    /// `HH:MM`, local to the building.
    pub poll_time: String,
    /// ISO weekday digits, e.g. `1234567`.
    pub poll_days: String,
}

impl Default for BuildingForm {
    fn default() -> Self {
        BuildingForm {
            name: String::new(),
            address: String::new(),
            fias_code: String::new(),
            under_construction: false,
            latitude: String::new(),
            longitude: String::new(),
            total_area: String::new(),
            residents: String::new(),
            floors: String::new(),
            entrances: String::new(),
            time_zone: "Europe/Moscow".into(),
            heating_season: false,
            weather_station: String::new(),
            poll_enabled: true,
            poll_time: "07:00".into(),
            poll_days: "1234567".into(),
        }
    }
}

/// A building's card, checked and read into numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Building {
    pub name: String,
    pub address: String,
    pub fias_code: String,
    pub under_construction: bool,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub total_area: Decimal,
    pub residents: i64,
    pub floors: i64,
    pub entrances: i64,
    pub time_zone: String,
    pub heating_season: bool,
    pub weather_station: String,
    pub poll_enabled: bool,
    pub poll_time: String,
    pub poll_days: String,
}

/// A number as a person writes it: spaces between thousands, a comma or a point; "" is 0.
pub fn typed_decimal(s: &str) -> Option<Decimal> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if t.is_empty() {
        return Some(Decimal::ZERO);
    }
    t.parse::<Decimal>().ok()
}

/// A whole number as a person writes it («1 000»), within `bounds`; "" is none. A wrong one
/// is refused by its field.
pub fn typed_whole(text: &str, field: Msg, bounds: std::ops::RangeInclusive<i64>) -> Result<Option<i64>, crate::errors::AppError> {
    use crate::errors::AppError;
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(None);
    }
    let n: i64 = t.parse().map_err(|_| AppError::invalid(field, Problem::BadFormat))?;
    if !bounds.contains(&n) {
        return Err(AppError::invalid(field, Problem::OutOfBounds));
    }
    Ok(Some(n))
}

fn count(s: &str, field: Msg, max: i64) -> Result<i64, (Msg, Problem)> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(0);
    }
    let n: i64 = t.parse().map_err(|_| (field, Problem::BadFormat))?;
    if !(0..=max).contains(&n) {
        return Err((field, Problem::OutOfBounds));
    }
    Ok(n)
}

fn coordinate(s: &str, field: Msg, limit: f64) -> Result<Option<f64>, (Msg, Problem)> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    let d = typed_decimal(s).ok_or((field, Problem::BadFormat))?;
    let v: f64 = d.to_string().parse().map_err(|_| (field, Problem::BadFormat))?;
    if !(-limit..=limit).contains(&v) {
        return Err((field, Problem::OutOfBounds));
    }
    Ok(Some(v))
}

/// `HH:MM` from 00:00 to 23:59; «7:00» is read as 07:00.
pub fn poll_time(s: &str) -> Option<String> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && s.trim().len() <= 5).then(|| format!("{h:02}:{m:02}"))
}

impl BuildingForm {
    /// The card read into numbers, or the first field that is wrong.
    pub fn check(&self) -> Result<Building, (Msg, Problem)> {
        let name = self.name.trim().to_string();
        let address = self.address.trim().to_string();
        let weather_station = self.weather_station.trim().to_string();
        for (m, v) in [
            (Msg::Name, &name),
            (Msg::Address, &address),
            (Msg::WeatherStation, &weather_station),
        ] {
            if v.chars().count() > MAX_TEXT_CHARS {
                return Err((m, Problem::TooLong));
            }
        }
        if address.is_empty() {
            return Err((Msg::Address, Problem::Required));
        }
        let fias_code = self.fias_code.trim().to_lowercase();
        if !self.under_construction {
            if fias_code.is_empty() {
                return Err((Msg::FiasCode, Problem::Required));
            }
            super::requisites::check_fias(&fias_code).map_err(|p| (Msg::FiasCode, p))?;
        } else if !fias_code.is_empty() {
            super::requisites::check_fias(&fias_code).map_err(|p| (Msg::FiasCode, p))?;
        }
        let total_area = typed_decimal(&self.total_area).ok_or((Msg::AreaM2, Problem::BadFormat))?;
        if total_area < Decimal::ZERO || total_area > Decimal::from(10_000_000) {
            return Err((Msg::AreaM2, Problem::OutOfBounds));
        }
        if total_area.scale() > 2 {
            return Err((Msg::AreaM2, Problem::BadFormat));
        }
        if !TIME_ZONES.iter().any(|(z, _)| *z == self.time_zone) {
            return Err((Msg::TimeZone, Problem::BadFormat));
        }
        let poll_time = poll_time(&self.poll_time).ok_or((Msg::PollTime, Problem::BadFormat))?;
        let mut days: Vec<char> = self.poll_days.chars().filter(|c| ('1'..='7').contains(c)).collect();
        days.sort_unstable();
        days.dedup();
        if days.len() != self.poll_days.chars().count() {
            return Err((Msg::PollDays, Problem::BadFormat));
        }
        if self.poll_enabled && days.is_empty() {
            return Err((Msg::PollDays, Problem::Required));
        }
        Ok(Building {
            name: if name.is_empty() { address.clone() } else { name },
            address,
            fias_code,
            under_construction: self.under_construction,
            latitude: coordinate(&self.latitude, Msg::Latitude, 90.0)?,
            longitude: coordinate(&self.longitude, Msg::Longitude, 180.0)?,
            total_area: total_area.normalize(),
            residents: count(&self.residents, Msg::Residents, 1_000_000)?,
            floors: count(&self.floors, Msg::Floors, 200)?,
            entrances: count(&self.entrances, Msg::Entrances, 100)?,
            time_zone: self.time_zone.clone(),
            heating_season: self.heating_season,
            weather_station,
            poll_enabled: self.poll_enabled,
            poll_time,
            poll_days: days.into_iter().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> BuildingForm {
        BuildingForm {
            address: "ул. Мосфильмовская, д. 98".into(),
            fias_code: "0C5B2444-70A0-4932-980C-B4DC0D3F02B5".into(),
            total_area: "5 432,10".into(),
            residents: "214".into(),
            latitude: "55,7107".into(),
            longitude: "37.5193".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_card_typed_the_russian_way_reads_into_numbers() {
        let b = form().check().unwrap();
        assert_eq!(b.total_area.to_string(), "5432.1");
        assert_eq!(b.residents, 214);
        assert_eq!(b.latitude, Some(55.7107));
        assert_eq!(b.fias_code, "0c5b2444-70a0-4932-980c-b4dc0d3f02b5");
        assert_eq!(b.name, "ул. Мосфильмовская, д. 98", "no name: the address names it");
    }

    #[test]
    fn a_building_under_construction_may_wait_for_its_fias_code() {
        let no_code = BuildingForm { fias_code: String::new(), ..form() };
        assert_eq!(no_code.check().unwrap_err(), (Msg::FiasCode, Problem::Required));
        let building = BuildingForm { under_construction: true, ..no_code };
        assert!(building.check().is_ok());
        let bad = BuildingForm { fias_code: "12345".into(), ..building };
        assert_eq!(bad.check().unwrap_err(), (Msg::FiasCode, Problem::BadFormat));
    }

    #[test]
    fn the_poll_schedule_is_a_time_of_day_and_some_days() {
        let f = BuildingForm { poll_time: "7:05".into(), poll_days: "531".into(), ..form() };
        let b = f.check().unwrap();
        assert_eq!((b.poll_time.as_str(), b.poll_days.as_str()), ("07:05", "135"));
        for bad in ["24:00", "07:60", "седьмой", "07:00:00"] {
            let f = BuildingForm { poll_time: bad.into(), ..form() };
            assert_eq!(f.check().unwrap_err(), (Msg::PollTime, Problem::BadFormat), "{bad}");
        }
        let none = BuildingForm { poll_days: String::new(), ..form() };
        assert_eq!(none.check().unwrap_err(), (Msg::PollDays, Problem::Required));
        let off = BuildingForm { poll_enabled: false, ..none };
        assert!(off.check().is_ok(), "a building not polled needs no days");
    }

    #[test]
    fn impossible_figures_name_their_field() {
        let cases = [
            (BuildingForm { total_area: "сто".into(), ..form() }, Msg::AreaM2),
            (BuildingForm { latitude: "95".into(), ..form() }, Msg::Latitude),
            (BuildingForm { floors: "-3".into(), ..form() }, Msg::Floors),
            (BuildingForm { time_zone: "Mars/Olympus".into(), ..form() }, Msg::TimeZone),
        ];
        for (f, field) in cases {
            assert_eq!(f.check().unwrap_err().0, field);
        }
    }
}
