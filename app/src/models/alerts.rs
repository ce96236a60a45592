//! Alerts by subscription (issue 23, point 10; F27): a staff member hears of the events that
//! open — of the kinds, severities, meter types and buildings they chose — by email and/or a
//! webhook, one message per event, a digest for a burst, nothing in their quiet hours.

use serde::{Deserialize, Serialize};

use crate::errors::{AppError, Problem};
use crate::i18n::Msg;
use crate::models::monitoring::{EventKind, Severity};
use crate::models::Resource;

/// More events than this opened at once go out as one digest, not one message each.
pub const DIGEST_OVER: usize = 3;

/// One of a person's subscriptions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: i64,
    pub name: String,
    /// Where letters go; empty: none.
    pub email: String,
    /// Where the JSON is POSTed; empty: nowhere.
    pub webhook_url: String,
    /// Empty lists: all.
    pub kinds: Vec<EventKind>,
    pub severities: Vec<Severity>,
    pub resources: Vec<Resource>,
    pub objects: Vec<i64>,
    /// Minutes of the day, from and to (over midnight when from > to), in `time_zone`.
    pub quiet: Option<(u32, u32)>,
    pub time_zone: String,
    /// Tell again every so many hours of an alarm that stays open; none: once.
    pub remind_hours: Option<u32>,
    pub active: bool,
}

impl Subscription {
    /// Whether an event of this kind and severity, at a meter of this type (none: the
    /// building's own) in this building, is one to hear of.
    pub fn wants(&self, kind: &str, severity: &str, resource: Option<&str>, object_id: i64) -> bool {
        (self.kinds.is_empty() || self.kinds.iter().any(|k| k.as_str() == kind))
            && (self.severities.is_empty() || self.severities.iter().any(|s| s.as_str() == severity))
            && (self.resources.is_empty() || resource.is_some_and(|r| self.resources.iter().any(|x| x.as_str() == r)))
            && (self.objects.is_empty() || self.objects.contains(&object_id))
    }

    /// Whether `minute` of the day is in the quiet hours.
    pub fn quiet_at(&self, minute: u32) -> bool {
        match self.quiet {
            Some((from, to)) if from < to => minute >= from && minute < to,
            Some((from, to)) if from > to => minute >= from || minute < to,
            _ => false,
        }
    }
}

/// What a person's page shows: their subscriptions and what the form offers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MyAlerts {
    pub subscriptions: Vec<Subscription>,
    /// The company's buildings, to choose from.
    pub objects: Vec<(i64, String)>,
    /// The person's own address, the form's default.
    pub email: String,
    /// Whether the server has an SMTP relay (without one only webhooks work).
    pub mail_enabled: bool,
}

/// The form as typed: lists comma-separated, quiet hours `HH:MM`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionForm {
    pub name: String,
    pub email: String,
    pub webhook_url: String,
    pub kinds: String,
    pub severities: String,
    pub resources: String,
    pub objects: String,
    pub quiet_from: String,
    pub quiet_to: String,
    /// Hours between reminders of an open alarm; empty: no reminders.
    pub remind_hours: String,
}

/// Longest name, address or URL kept.
const MAX_TEXT: usize = 300;
/// Reminders at most once an hour, at least once a week.
pub const REMIND_HOURS: std::ops::RangeInclusive<u32> = 1..=168;

fn list<T>(text: &str, field: Msg, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, AppError> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).ok_or(AppError::invalid(field, Problem::BadFormat)))
        .collect()
}

/// `HH:MM` as minutes of the day.
pub fn minute_of(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes of the day as `HH:MM`.
pub fn hh_mm(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Whether a webhook's address is one to POST to: http or https with a host.
pub fn webhook_ok(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains(char::is_whitespace) && !host.starts_with(':')
    })
}

impl SubscriptionForm {
    /// The subscription the form asks for, or the first field that is wrong. The buildings
    /// are checked against the company by the caller.
    pub fn check(&self) -> Result<Subscription, AppError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(AppError::invalid(Msg::AlName, Problem::Required));
        }
        let (email, webhook_url) = (self.email.trim(), self.webhook_url.trim());
        for (text, field) in [(name, Msg::AlName), (email, Msg::Email), (webhook_url, Msg::AlWebhook)] {
            if text.chars().count() > MAX_TEXT {
                return Err(AppError::invalid(field, Problem::TooLong));
            }
        }
        if email.is_empty() && webhook_url.is_empty() {
            return Err(AppError::invalid(Msg::AlWhere, Problem::Required));
        }
        if !email.is_empty() && !crate::models::cabinet::email_ok(email) {
            return Err(AppError::invalid(Msg::Email, Problem::BadFormat));
        }
        if !webhook_url.is_empty() && !webhook_ok(webhook_url) {
            return Err(AppError::invalid(Msg::AlWebhook, Problem::BadFormat));
        }
        let quiet = match (self.quiet_from.trim(), self.quiet_to.trim()) {
            ("", "") => None,
            ("", _) | (_, "") => return Err(AppError::invalid(Msg::AlQuiet, Problem::Required)),
            (from, to) => Some((
                minute_of(from).ok_or(AppError::invalid(Msg::AlQuiet, Problem::BadFormat))?,
                minute_of(to).ok_or(AppError::invalid(Msg::AlQuiet, Problem::BadFormat))?,
            )),
        };
        let remind_hours = match self.remind_hours.trim() {
            "" => None,
            h => Some(h.parse::<u32>().ok().filter(|h| REMIND_HOURS.contains(h)).ok_or(AppError::invalid(Msg::AlRemind, Problem::BadFormat))?),
        };
        Ok(Subscription {
            id: 0,
            name: name.to_string(),
            email: email.to_string(),
            webhook_url: webhook_url.to_string(),
            kinds: list(&self.kinds, Msg::EvKind, EventKind::parse)?,
            severities: list(&self.severities, Msg::EvSeverity, Severity::parse)?,
            resources: list(&self.resources, Msg::NpResource, Resource::parse)?,
            objects: list(&self.objects, Msg::Building, |s| s.parse::<i64>().ok().filter(|id| *id > 0))?,
            quiet,
            time_zone: String::new(),
            remind_hours,
            active: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SubscriptionForm {
        SubscriptionForm { name: "Аварии".into(), email: "dispatch@uk-ogni.ru".into(), ..Default::default() }
    }

    #[test]
    fn a_subscription_without_lists_hears_of_every_event() {
        let s = form().check().unwrap();
        assert!(s.wants("magnet", "alarm", Some("electricity"), 7));
        assert!(s.wants("silent", "warning", None, 8));
    }

    #[test]
    fn a_subscription_hears_only_of_the_kinds_severities_types_and_buildings_chosen() {
        let s = SubscriptionForm { kinds: "magnet, cover_opened".into(), resources: "electricity".into(), objects: "7".into(), ..form() }
            .check()
            .unwrap();
        assert!(s.wants("magnet", "alarm", Some("electricity"), 7));
        assert!(!s.wants("leak", "alarm", Some("electricity"), 7), "another kind");
        assert!(!s.wants("magnet", "alarm", Some("heat"), 7), "another meter type");
        assert!(!s.wants("magnet", "alarm", None, 7), "a building's own event has no meter type");
        assert!(!s.wants("magnet", "alarm", Some("electricity"), 8), "another building");
        let alarms = SubscriptionForm { severities: "alarm".into(), ..form() }.check().unwrap();
        assert!(alarms.wants("decreased", "alarm", None, 1));
        assert!(!alarms.wants("silent", "warning", None, 1));
    }

    #[test]
    fn quiet_hours_may_run_over_midnight() {
        let night = SubscriptionForm { quiet_from: "22:00".into(), quiet_to: "07:30".into(), ..form() }.check().unwrap();
        assert_eq!(night.quiet, Some((1320, 450)));
        assert!(night.quiet_at(23 * 60) && night.quiet_at(0) && night.quiet_at(7 * 60 + 29));
        assert!(!night.quiet_at(7 * 60 + 30) && !night.quiet_at(12 * 60) && !night.quiet_at(21 * 60 + 59));
        let lunch = SubscriptionForm { quiet_from: "13:00".into(), quiet_to: "14:00".into(), ..form() }.check().unwrap();
        assert!(lunch.quiet_at(13 * 60 + 30) && !lunch.quiet_at(14 * 60));
        assert!(!form().check().unwrap().quiet_at(0), "no quiet hours");
    }

    #[test]
    fn a_bad_form_names_its_first_wrong_field() {
        let wrong = |f: SubscriptionForm| match f.check() {
            Err(AppError::Invalid { field, problem }) => (field, problem),
            other => panic!("{other:?}"),
        };
        assert_eq!(wrong(SubscriptionForm { name: " ".into(), ..form() }), (Msg::AlName, Problem::Required));
        assert_eq!(wrong(SubscriptionForm { email: String::new(), ..form() }), (Msg::AlWhere, Problem::Required));
        assert_eq!(wrong(SubscriptionForm { email: "диспетчер".into(), ..form() }), (Msg::Email, Problem::BadFormat));
        for url in ["ftp://x.ru/hook", "https://", "http:// x", "javascript:alert(1)"] {
            assert_eq!(wrong(SubscriptionForm { webhook_url: url.into(), ..form() }), (Msg::AlWebhook, Problem::BadFormat), "{url}");
        }
        assert_eq!(wrong(SubscriptionForm { kinds: "magnet,meteor".into(), ..form() }), (Msg::EvKind, Problem::BadFormat));
        assert_eq!(wrong(SubscriptionForm { objects: "-1".into(), ..form() }), (Msg::Building, Problem::BadFormat));
        assert_eq!(wrong(SubscriptionForm { quiet_from: "22:00".into(), ..form() }), (Msg::AlQuiet, Problem::Required));
        assert_eq!(wrong(SubscriptionForm { quiet_from: "25:00".into(), quiet_to: "07:00".into(), ..form() }), (Msg::AlQuiet, Problem::BadFormat));
        assert_eq!(wrong(SubscriptionForm { name: "я".repeat(301), ..form() }), (Msg::AlName, Problem::TooLong));
        for hours in ["0", "169", "2,5", "каждый час"] {
            assert_eq!(wrong(SubscriptionForm { remind_hours: hours.into(), ..form() }), (Msg::AlRemind, Problem::BadFormat), "{hours}");
        }
        assert_eq!(SubscriptionForm { remind_hours: " 4 ".into(), ..form() }.check().unwrap().remind_hours, Some(4));
        assert!(SubscriptionForm { email: String::new(), webhook_url: "https://bot.uk-ogni.ru/hook?chat=1".into(), ..form() }.check().is_ok());
    }
}
