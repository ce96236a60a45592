//! Russian first, English available. Every text the UI shows is a `Msg`, so a missing
//! translation is a compile error rather than a blank label.
//!
//! The language lives in the `uchet_lang` cookie: the server renders in it and the browser
//! hydrates in it, so both sides agree and the choice is remembered.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "uchet_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
    /// The browser's locale for numbers the browser formats itself (charts).
    pub fn locale(self) -> &'static str {
        match self {
            Lang::Ru => "ru-RU",
            Lang::En => "en-GB",
        }
    }
    pub fn parse(s: &str) -> Lang {
        if s.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Ru
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Ru => Lang::En,
            Lang::En => Lang::Ru,
        }
    }
}

/// Builds `Msg` and its tables from the list in `messages.rs`. The texts are tables indexed
/// by the message (a match over hundreds of arms costs the phone's bundle more), and a
/// message travels as its number: server and browser are one build, and a table of names
/// would be 9 KB of the phone's first load that only error messages read.
macro_rules! messages {
    ($($name:ident => $ru:literal, $en:literal;)*) => {
        /// A text of the UI, in both languages.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($name),* }

        impl Msg {
            const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// The text in `lang`; Russian while the English texts are not loaded yet
            /// (`english::load` runs before anything is drawn in English).
            pub fn text(self, lang: Lang) -> &'static str {
                match (lang, super::english::texts()) {
                    (Lang::En, Some(english)) => english[self as usize],
                    _ => RUSSIAN[self as usize],
                }
            }

            /// The number it travels under.
            pub fn number(self) -> u16 {
                self as u16
            }

            pub fn from_number(number: u16) -> Option<Msg> {
                Self::ALL.get(usize::from(number)).copied()
            }
        }

        static RUSSIAN: [&str; Msg::ALL.len()] = [$($ru),*];

        /// Read only by `english`, so in the browser it is in the English chunk, not in the
        /// bundle every page loads first.
        pub(super) static ENGLISH: [&str; Msg::ALL.len()] = [$($en),*];

        impl serde::Serialize for Msg {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u16(self.number())
            }
        }

        impl<'de> serde::Deserialize<'de> for Msg {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Msg, D::Error> {
                let number = <u16 as serde::Deserialize>::deserialize(d)?;
                Msg::from_number(number)
                    .ok_or_else(|| <D::Error as serde::de::Error>::custom("unknown message"))
            }
        }
    };
}

mod english;
mod messages;
pub use english::load as load_english;
pub use messages::Msg;

/// The current language, shared by every component.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    /// Reads the language cookie (request header on the server, `document.cookie` in the
    /// browser) and puts the signal into context.
    pub fn provide() -> I18n {
        let i18n = I18n(RwSignal::new(I18n::from_cookie()));
        provide_context(i18n);
        i18n
    }
    pub fn lang(self) -> Lang {
        self.0.get()
    }
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.0.get())
    }
    /// The text of `msg` as a view or attribute value that follows the language. Every
    /// label shares this one closure type, so its reactive text is compiled once; each
    /// `move || i18n.t(..)` written in place is a type of its own, compiled again for every
    /// label (a third of the field screen's reactive code).
    pub fn tr(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(msg)
    }
    /// Switches the language (once its texts are loaded) and remembers it for a year.
    pub fn set(self, lang: Lang) {
        crate::prefs::write_cookie(LANG_COOKIE, lang.code(), 365 * 24 * 3600);
        leptos::task::spawn_local(async move {
            if lang == Lang::En {
                load_english().await;
            }
            self.0.set(lang);
        });
    }
    /// The language the page is drawn in, from the cookie.
    pub fn from_cookie() -> Lang {
        crate::prefs::read_cookie(LANG_COOKIE)
            .map(|v| Lang::parse(&v))
            .unwrap_or_default()
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Lang::Ru)))
}

/// The Russian and English names of a role.
pub fn role_name(role: crate::models::Role) -> Msg {
    use crate::models::Role::*;
    match role {
        Administrator => Msg::RoleAdministrator,
        Dispatcher => Msg::RoleDispatcher,
        ServiceEngineer => Msg::RoleServiceEngineer,
        Reader => Msg::RoleReader,
        FieldStaff => Msg::RoleFieldStaff,
        Resident => Msg::RoleResident,
    }
}

pub fn resource_name(resource: crate::models::Resource) -> Msg {
    use crate::models::Resource::*;
    match resource {
        Electricity => Msg::ResElectricity,
        Heat => Msg::ResHeat,
        ColdWater => Msg::ResColdWater,
        HotWater => Msg::ResHotWater,
        Gas => Msg::ResGas,
        Wastewater => Msg::ResWastewater,
    }
}

/// A channel's parameter by name (`energy_a_plus`…); an unknown one is shown as it is.
pub fn parameter_name(parameter: &str, lang: Lang) -> String {
    let m = match parameter {
        "energy_a_plus" => Msg::ParamEnergyAPlus,
        "energy_a_minus" => Msg::ParamEnergyAMinus,
        "energy_r_plus" => Msg::ParamEnergyRPlus,
        "energy_r_minus" => Msg::ParamEnergyRMinus,
        "heat_energy" => Msg::ParamHeatEnergy,
        "volume" => Msg::ParamVolume,
        "mass" => Msg::ParamMass,
        "t_supply" => Msg::ParamTSupply,
        "t_return" => Msg::ParamTReturn,
        "power" => Msg::ParamPower,
        "flow" => Msg::ParamFlow,
        "operating_time" => Msg::ParamOperatingTime,
        other => return other.to_string(),
    };
    m.text(lang).to_string()
}

/// A unit as staff write it (`kWh` → «кВт·ч»); an unknown one is shown as it is.
pub fn unit_text(unit: &str, lang: Lang) -> String {
    match unit {
        "kWh" => Msg::UnitKwh.text(lang).to_string(),
        "Gcal" => Msg::UnitGcal.text(lang).to_string(),
        "m3" => Msg::UnitM3.text(lang).to_string(),
        other => other.to_string(),
    }
}

/// A month's name, `month0` counted from 0: «ноябрь», "November".
pub fn month_name(lang: Lang, month0: u32) -> &'static str {
    const RU: [&str; 12] = [
        "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
        "октябрь", "ноябрь", "декабрь",
    ];
    const EN: [&str; 12] = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ];
    let names = if lang == Lang::Ru { RU } else { EN };
    names[month0 as usize % 12]
}

/// A month as a period's name: «ноябрь 2026», "November 2026".
pub fn month_year(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", month_name(lang, d.month0()), d.year())
}

/// The billing period as a caption: its month and the days its readings were taken on.
pub fn period_caption(lang: Lang, month: chrono::NaiveDate, window: crate::models::period::BillingWindow) -> String {
    use crate::models::format::date;
    let to = window.end_of(month) - chrono::Duration::days(1);
    let from = window.end_of(month - chrono::Months::new(1));
    let (first, last) = (window.first_day, window.last_day);
    match lang {
        Lang::Ru => format!(
            "расчётный период «{}» — показания с {} по {} (приём {first}–{last} числа)",
            month_year(lang, month),
            date(from),
            date(to)
        ),
        Lang::En => format!(
            "billing period “{}” — readings from {} to {} (taken on days {first}–{last})",
            month_year(lang, month),
            date(from),
            date(to)
        ),
    }
}

pub fn unit_name(resource: crate::models::Resource) -> Msg {
    match resource.unit() {
        "kWh" => Msg::UnitKwh,
        "Gcal" => Msg::UnitGcal,
        _ => Msg::UnitM3,
    }
}

pub fn state_name(state: crate::models::MeterState) -> Msg {
    use crate::models::MeterState::*;
    match state {
        Commissioning => Msg::StateCommissioning,
        InOperation => Msg::StateInOperation,
        Verification => Msg::StateUnderVerification,
        Repair => Msg::StateRepair,
        Retired => Msg::StateRetired,
    }
}

pub fn stage_name(stage: crate::models::request::Stage) -> Msg {
    use crate::models::request::Stage::*;
    match stage {
        Registration => Msg::StageRegistration,
        Qualification => Msg::StageQualification,
        Execution => Msg::StageExecution,
        Completion => Msg::StageCompletion,
        Cancelled => Msg::StageCancelled,
    }
}

pub fn specialist_name(s: crate::models::request::Specialist) -> Msg {
    use crate::models::request::Specialist::*;
    match s {
        Electrician => Msg::SpecElectrician,
        Plumber => Msg::SpecPlumber,
        Lift => Msg::SpecLift,
        Intercom => Msg::SpecIntercom,
        Other => Msg::SpecOther,
    }
}

pub fn category_name(c: crate::models::request::Category) -> Msg {
    use crate::models::request::Category::*;
    match c {
        Emergency => Msg::CatEmergency,
        Repair => Msg::CatRepair,
        Complaint => Msg::CatComplaint,
        Consultation => Msg::CatConsultation,
    }
}

pub fn channel_name(c: crate::models::request::Channel) -> Msg {
    use crate::models::request::Channel::*;
    match c {
        Cabinet => Msg::ChCabinet,
        Phone => Msg::ChPhone,
        WalkRound => Msg::ChWalkRound,
        Visit => Msg::ChVisit,
    }
}

pub fn notice_kind_name(k: crate::models::notice::NoticeKind) -> Msg {
    match k {
        crate::models::notice::NoticeKind::Urgent => Msg::NoticeUrgent,
        crate::models::notice::NoticeKind::Permanent => Msg::NoticePermanent,
    }
}

/// A reading's source as stored (`poll`, `field_staff`…), in words.
pub fn source_name(source: &str) -> Msg {
    match source {
        "poll" => Msg::SrcPoll,
        "lora" => Msg::SrcLora,
        "dispatcher" => Msg::SrcDispatcher,
        "field_staff" => Msg::SrcFieldStaff,
        "resident" => Msg::SrcResident,
        "estimate" => Msg::SrcEstimate,
        "api" => Msg::SrcApi,
        _ => Msg::SrcImport,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_travel_by_number_and_come_back() {
        let json = serde_json::to_string(&Msg::PasswordAgain).unwrap();
        assert_eq!(json, Msg::PasswordAgain.number().to_string());
        assert_eq!(serde_json::from_str::<Msg>(&json).unwrap(), Msg::PasswordAgain);
        assert_eq!(Msg::from_number(Msg::AppName.number()), Some(Msg::AppName));
    }

    #[test]
    fn a_message_number_past_the_table_is_an_error() {
        assert!(serde_json::from_str::<Msg>("65535").is_err());
        assert!(serde_json::from_str::<Msg>("-1").is_err());
        assert!(serde_json::from_str::<Msg>("\"PasswordAgain\"").is_err());
    }

    #[test]
    fn unknown_language_codes_fall_back_to_russian() {
        assert_eq!(Lang::parse("en"), Lang::En);
        assert_eq!(Lang::parse("EN"), Lang::En);
        assert_eq!(Lang::parse("de"), Lang::Ru);
        assert_eq!(Msg::SignIn.text(Lang::Ru), "Войти");
        assert_eq!(Msg::SignIn.text(Lang::En), "Sign in");
    }
}
