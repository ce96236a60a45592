//! «Не опрашиваются» as a file: every listed meter, as on screen.

use super::{Cell, Sheet};
use crate::i18n::{resource_name, Lang, Msg};
use crate::models::not_polled::SilentList;

pub fn sheet(list: &SilentList, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    let scope = super::scope(&list.objects, list.object_id, lang);
    Sheet {
        name: t(Msg::NpTitle),
        title: vec![
            format!("{} — {scope}", t(Msg::NpTitle)),
            format!("{}: {}", t(Msg::NpDays), list.days),
        ],
        header: vec![
            t(Msg::NpObject),
            t(Msg::ColPlace),
            t(Msg::NpResource),
            t(Msg::Model),
            t(Msg::ColMeter),
            t(Msg::ColLine),
            t(Msg::LastContact),
            t(Msg::NpDaysSilent),
            t(Msg::ColPolled),
            t(Msg::NpWhy),
        ],
        widths: vec![30.0, 10.0, 16.0, 24.0, 16.0, 30.0, 18.0, 10.0, 18.0, 40.0],
        rows: list
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.object.clone().into(),
                    r.place.clone().into(),
                    t(resource_name(r.resource)).into(),
                    r.model.clone().into(),
                    r.serial.clone().into(),
                    r.line.clone().into(),
                    r.last_contact.clone().unwrap_or_default().into(),
                    r.days
                        .map(|d| Cell::Number(d.into()))
                        .unwrap_or(Cell::Empty),
                    r.polled.clone().unwrap_or_default().into(),
                    r.reason(lang).into(),
                ]
            })
            .collect(),
    }
}
