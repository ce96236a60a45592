//! A cell's text read as what a column holds — a whole number in bounds, a day, a moment —
//! with the reason in Russian when it is not, the same words for every kind of file.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// A whole number from `min` to `max`; an empty cell is none. Spaces between thousands are
/// how people write them.
pub fn whole(v: &str, min: i64, max: i64) -> Result<Option<i64>, String> {
    let t: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        Ok(_) => Err(format!("должно быть от {min} до {max}")),
        Err(_) => Err("не целое число".into()),
    }
}

/// dd.mm.yyyy (or yyyy-mm-dd), from 1990 to `today`; an empty cell is none.
pub fn day(v: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let d = NaiveDate::parse_from_str(v, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .map_err(|_| "дата: дд.мм.гггг".to_string())?;
    in_years(d, today).map(Some)
}

/// A day that may be ahead (the next verification): dd.mm.yyyy from 1990 to 2100.
pub fn any_day(v: &str) -> Result<Option<NaiveDate>, String> {
    let far = NaiveDate::from_ymd_opt(2100, 12, 31).expect("a real day");
    day(v, far)
}

fn in_years(d: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    if d > today {
        return Err("дата в будущем".into());
    }
    if d.year_ce().1 < 1990 {
        return Err("дата раньше 1990 года".into());
    }
    Ok(d)
}

/// A moment as the building's clock shows it: «dd.mm.yyyy» (its first minute) or
/// «dd.mm.yyyy hh:mm[:ss]», also ISO; not after `now_local`, not before 1990.
pub fn local_moment(v: &str, now_local: NaiveDateTime) -> Result<NaiveDateTime, String> {
    let v = v.trim();
    if v.is_empty() {
        return Err("дата не указана".into());
    }
    let with_time = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok());
    let at = match with_time {
        Some(t) => t,
        None => NaiveDate::parse_from_str(v, "%d.%m.%Y")
            .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
            .map_err(|_| "дата: дд.мм.гггг или дд.мм.гггг чч:мм".to_string())?
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists"),
    };
    if at > now_local {
        return Err("дата в будущем".into());
    }
    in_years(at.date(), now_local.date())?;
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    #[test]
    fn a_day_is_written_the_russian_way_and_not_ahead() {
        assert_eq!(day("01.02.2025", today()).unwrap(), NaiveDate::from_ymd_opt(2025, 2, 1));
        assert_eq!(day("", today()).unwrap(), None);
        assert_eq!(day("06.12.2026", today()).unwrap_err(), "дата в будущем");
        assert_eq!(day("31.02.2025", today()).unwrap_err(), "дата: дд.мм.гггг");
        assert_eq!(day("01.01.1985", today()).unwrap_err(), "дата раньше 1990 года");
        assert!(any_day("01.01.2030").unwrap().is_some());
    }

    #[test]
    fn a_moment_may_have_its_time_and_is_never_ahead_of_now() {
        let now = today().and_hms_opt(12, 0, 0).unwrap();
        assert_eq!(local_moment("05.12.2026", now).unwrap(), today().and_hms_opt(0, 0, 0).unwrap());
        assert_eq!(local_moment("05.12.2026 11:30", now).unwrap(), today().and_hms_opt(11, 30, 0).unwrap());
        assert_eq!(local_moment("05.12.2026 12:30", now).unwrap_err(), "дата в будущем");
        assert!(local_moment("вчера", now).is_err());
    }

    #[test]
    fn whole_numbers_keep_to_their_bounds() {
        assert_eq!(whole(" 1 200 ", 0, 5000), Ok(Some(1200)));
        assert_eq!(whole("", 0, 5), Ok(None));
        assert!(whole("7", 0, 5).unwrap_err().contains("от 0 до 5"));
        assert_eq!(whole("2,5", 0, 5).unwrap_err(), "не целое число");
    }
}
