//! The add-meter wizard and the meter's edit form (F29, EK 4.5.3): what a service engineer
//! types about a meter, step by step. A saved form is checked and written as one row of the
//! meter file would be — the same rules, the same Russian reasons, the same transaction that
//! gives a new meter its main channel — so a meter typed in and a meter imported never
//! differ.

use serde::{Deserialize, Serialize};

use super::import::ImportIssue;

/// The form as typed; every value text, checked on the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeterForm {
    pub object_id: i64,
    /// The premise's number; empty for a common meter (ОДПУ).
    pub premise: String,
    /// `electricity`, `heat`…
    pub resource: String,
    pub model: String,
    pub serial: String,
    pub barcode: String,
    /// «5,3».
    pub capacity: String,
    pub tariffs: String,
    pub multiplier: String,
    /// `1`, `3`, `L1`…`L3`, or empty.
    pub phase: String,
    /// `YYYY-MM-DD` (a date input) or `dd.mm.yyyy`.
    pub installed_on: String,
    pub verified_on: String,
    /// Years between verifications: gives the next one from the last when it is not typed.
    pub interval: String,
    pub next_verification_on: String,
    /// The communicator's name; empty for a meter read by hand.
    pub line: String,
    /// `mercury`, `mbus`, `modbus`, or empty.
    pub protocol: String,
    pub bus_address: String,
    /// Kept as it was when left empty on an edit.
    pub bus_password: String,
}

/// The steps of the wizard, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Device,
    Place,
    Register,
    Verification,
    Line,
    Review,
}

impl Step {
    pub const ALL: [Step; 6] = [Step::Device, Step::Place, Step::Register, Step::Verification, Step::Line, Step::Review];

    pub fn label(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            Step::Device => Msg::MfStepDevice,
            Step::Place => Msg::MfStepPlace,
            Step::Register => Msg::MfStepRegister,
            Step::Verification => Msg::MfStepVerification,
            Step::Line => Msg::MfStepLine,
            Step::Review => Msg::MfStepReview,
        }
    }

    /// The step a column of the meter file is typed on, so a reason sends the person back to
    /// the field it is about.
    pub fn of_column(title: &str) -> Step {
        match title {
            "Помещение" | "Адрес дома" => Step::Place,
            "Разрядность" | "Тарифов" | "Коэффициент" | "Фаз" => Step::Register,
            "Дата установки" | "Дата поверки" | "Межповерочный интервал, лет" | "Дата следующей поверки" => Step::Verification,
            "Коммуникатор" | "Протокол" | "Адрес на шине" | "Пароль" => Step::Line,
            _ => Step::Device,
        }
    }
}

impl MeterForm {
    /// The form as a meter file's header and one row, in the file's words (the building is
    /// chosen, not named).
    pub fn as_row(&self) -> (Vec<String>, Vec<String>) {
        let pairs = [
            ("Помещение", &self.premise),
            ("Ресурс", &self.resource),
            ("Модель", &self.model),
            ("Заводской номер", &self.serial),
            ("Штрихкод", &self.barcode),
            ("Разрядность", &self.capacity),
            ("Тарифов", &self.tariffs),
            ("Коэффициент", &self.multiplier),
            ("Фаз", &self.phase),
            ("Дата установки", &self.installed_on),
            ("Дата поверки", &self.verified_on),
            ("Межповерочный интервал, лет", &self.interval),
            ("Дата следующей поверки", &self.next_verification_on),
            ("Коммуникатор", &self.line),
            ("Протокол", &self.protocol),
            ("Адрес на шине", &self.bus_address),
        ];
        (
            pairs.iter().map(|(t, _)| t.to_string()).collect(),
            pairs.iter().map(|(_, v)| v.trim().to_string()).collect(),
        )
    }

    /// «поле: было → стало» for each field an edit changed, for the action log; the
    /// password only as «изменён».
    pub fn changes(&self, before: &MeterForm) -> String {
        let (titles, now) = self.as_row();
        let (_, was) = before.as_row();
        let mut changed: Vec<String> = titles
            .iter()
            .zip(was.iter().zip(&now))
            .filter(|(_, (a, b))| a != b)
            .map(|(t, (a, b))| format!("{t}: «{a}» → «{b}»"))
            .collect();
        if !self.bus_password.is_empty() {
            changed.push("пароль прибора изменён".into());
        }
        if changed.is_empty() {
            "без изменений".into()
        } else {
            changed.join("; ")
        }
    }
}

/// A building's premises and lines, offered as the form's choices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormPlaces {
    /// Premise numbers, as people count them.
    pub premises: Vec<String>,
    /// The lines a meter may hang on: the building's and the company's shared ones (name,
    /// kind); LoRaWAN devices are not among them (they are found by their uplinks).
    pub lines: Vec<(String, String)>,
}

/// What the wizard opens with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MeterFormData {
    /// `None`: a new meter.
    pub meter_id: Option<i64>,
    pub objects: Vec<(i64, String)>,
    pub form: MeterForm,
    /// The choices of the form's building, sent with it so the page draws them on the
    /// server as in the browser (a second resource inside the form did not hydrate).
    pub places: FormPlaces,
    /// The meter's card line for an edit: «Меркурий 230 № 41234012».
    pub title: String,
}

/// A save's answer: the meter's id, or the reasons nothing was written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MeterSaved {
    pub meter_id: Option<i64>,
    pub issues: Vec<ImportIssue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_a_row_of_the_meter_file() {
        let f = MeterForm { premise: " 12 ".into(), resource: "cold_water".into(), serial: "W-1".into(), ..Default::default() };
        let (head, row) = f.as_row();
        assert_eq!(head.len(), row.len());
        assert_eq!(head[0], "Помещение");
        assert_eq!(row[0], "12");
        assert_eq!(row[3], "W-1");
        for title in &head {
            assert!(title == "Ресурс" || title == "Модель" || title == "Заводской номер" || title == "Штрихкод" || Step::of_column(title) != Step::Device, "{title} has its step");
        }
    }

    #[test]
    fn an_edit_names_what_it_changed() {
        let was = MeterForm { premise: "12".into(), capacity: "5,3".into(), ..Default::default() };
        let now = MeterForm { premise: "14".into(), bus_password: "secret".into(), ..was.clone() };
        let text = now.changes(&was);
        assert_eq!(text, "Помещение: «12» → «14»; пароль прибора изменён");
        assert!(!text.contains("secret"));
        assert_eq!(was.changes(&was), "без изменений");
    }
}
