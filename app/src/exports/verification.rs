//! «Поверка» as a file: the period's meters (or every overdue one), as on screen, for the
//! service's round plan.

use super::{Cell, Sheet};
use crate::i18n::{resource_name, Lang, Msg};
use crate::models::verification::DueCalendar;

pub fn sheet(c: &DueCalendar, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    let scope = super::scope(&c.objects, c.object_id, lang);
    Sheet {
        name: t(Msg::MenuVerification),
        title: vec![
            format!("{} — {scope}", t(Msg::MenuVerification)),
            format!("{}: {}", t(Msg::VerPeriod), c.period_name(lang)),
        ],
        header: crate::components::export::header(&crate::routes::service::verification::COLUMNS, lang),
        widths: vec![30.0, 10.0, 16.0, 24.0, 16.0, 14.0, 14.0, 12.0],
        rows: c
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.object.clone().into(),
                    r.place.clone().into(),
                    t(resource_name(r.resource)).into(),
                    r.model.clone().into(),
                    r.serial.clone().into(),
                    r.verified_on.into(),
                    Cell::Date(r.due_on),
                    Cell::Number((r.due_on - c.today).num_days().into()),
                ]
            })
            .collect(),
    }
}
