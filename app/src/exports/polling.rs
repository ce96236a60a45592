//! «Опрос приборов» as a file: the tab's devices with their lines, addresses, latest values
//! and how their last poll went, as on screen.

use super::{Cell, Sheet};
use crate::i18n::{Lang, Msg};
use crate::models::polling::Console;

pub fn sheet(c: &Console, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    let tariffs = c.rows.iter().map(|r| r.tariffs).max().unwrap_or(1) as usize;
    let mut header = vec![
        t(Msg::ColPlace),
        t(Msg::Model),
        t(Msg::ColMeter),
        t(Msg::ColLine),
        t(Msg::ColBusAddress),
        t(Msg::ColTotal),
    ];
    if tariffs > 1 {
        header.extend((1..=tariffs).map(|i| format!("Т{i}")));
    }
    header.extend([t(Msg::ColChanged), t(Msg::ColPolled), t(Msg::ColState)]);
    Sheet {
        name: t(Msg::PollingTitle),
        title: vec![
            format!("{} — {}", t(Msg::PollingTitle), c.object_name),
            t(c.category.label()),
        ],
        header,
        widths: Vec::new(),
        rows: c
            .rows
            .iter()
            .map(|r| {
                let mut cells: Vec<Cell> = vec![
                    r.place.clone().into(),
                    r.model.clone().into(),
                    r.serial.clone().into(),
                    r.line.clone().into(),
                    r.address.clone().into(),
                    r.values[0].or(r.values[1]).into(),
                ];
                if tariffs > 1 {
                    cells.extend((1..=tariffs).map(|i| Cell::from(r.values[i])));
                }
                cells.extend([
                    r.changed.clone().unwrap_or_default().into(),
                    r.polled.clone().unwrap_or_default().into(),
                    r.state(lang).into(),
                ]);
                cells
            })
            .collect(),
    }
}
