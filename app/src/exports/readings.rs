//! The readings table as a file: every filtered row, all pages, as on screen.

use super::{Cell, Sheet};
use crate::i18n::{Lang, Msg};
use crate::models::format;
use crate::queries::readings_table::Table;

pub fn sheet(table: &Table, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    Sheet {
        name: t(Msg::MenuReadings),
        title: vec![
            format!("{} — {}", t(Msg::ReadingsTitle), table.object.name),
            table.object.address.clone(),
            format!("{} {}", t(Msg::ReadingsAsOf), format::date(table.date)),
        ],
        header: vec![
            t(Msg::ColFlat),
            t(Msg::Address),
            t(Msg::ColAccount),
            t(Msg::ColMeter),
            t(Msg::Model),
            t(Msg::ColCode),
            t(Msg::ColValue),
            t(Msg::ColValueDate),
            t(Msg::ColTariff),
            t(Msg::ColWaiting),
        ],
        widths: vec![8.0, 44.0, 22.0, 16.0, 22.0, 12.0, 18.0, 14.0, 10.0, 18.0],
        rows: table
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::from(if r.flat.is_empty() {
                        t(Msg::CommonMeter)
                    } else {
                        r.flat.clone()
                    }),
                    r.address.clone().into(),
                    r.account.clone().into(),
                    r.serial.clone().into(),
                    r.model.clone().into(),
                    r.code.clone().into(),
                    r.value.into(),
                    r.value_date.into(),
                    if r.resource == crate::models::Resource::Electricity {
                        format!("{} {}", t(Msg::TariffN), r.tariff)
                    } else {
                        "—".to_string()
                    }
                    .into(),
                    r.waiting.as_ref().map(|w| w.value).into(),
                ]
            })
            .collect(),
    }
}
