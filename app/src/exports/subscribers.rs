//! «Абоненты и потребление» as a file: every account of the building under the list's
//! search and order, all pages, with the month's consumption and the totals below.

use super::{Cell, Sheet};
use crate::i18n::{month_year, resource_name, unit_name, Lang, Msg};
use crate::models::amount::slot_label;
use crate::models::Amount;
use crate::queries::subscribers::Table;

fn cell(a: Option<Amount>) -> Cell {
    match a {
        None => Cell::Empty,
        Some(Amount::Full(v)) => Cell::Number(v),
        // a partial or missing figure keeps its mark, as on screen
        Some(other) => Cell::Text(other.display()),
    }
}

pub fn sheet(t: &Table, lang: Lang) -> Sheet {
    let tx = |m: Msg| m.text(lang).to_string();
    let mut header = vec![tx(Msg::ColFlat), tx(Msg::ColAccount), tx(Msg::SubOwner)];
    for c in &t.columns {
        for s in &c.slots {
            header.push(format!(
                "{}, {} {}",
                tx(resource_name(c.resource)),
                tx(unit_name(c.resource)),
                slot_label(*s, &tx(Msg::Total))
            ));
        }
    }
    let values = |v: &[[Option<Amount>; 5]]| -> Vec<Cell> {
        t.columns
            .iter()
            .enumerate()
            .flat_map(|(g, c)| c.slots.iter().map(move |s| cell(v[g][*s])))
            .collect()
    };
    let mut rows: Vec<Vec<Cell>> = t
        .rows
        .iter()
        .map(|r| {
            let mut row: Vec<Cell> = vec![r.flat.clone().into(), r.account.clone().into(), r.owner.clone().into()];
            row.extend(values(&r.values));
            row
        })
        .collect();
    for (label, v) in [(Msg::SubIndividual, &t.individual), (Msg::SubCommon, &t.common)] {
        let mut row: Vec<Cell> = vec![tx(label).into(), Cell::Empty, Cell::Empty];
        row.extend(values(v));
        rows.push(row);
    }
    Sheet {
        name: tx(Msg::MenuSubscribers),
        title: vec![
            format!("{} — {}", tx(Msg::MenuSubscribers), t.object.name),
            month_year(lang, t.month),
            tx(Msg::GapNote),
        ],
        header,
        widths: vec![8.0, 16.0, 28.0],
        rows,
    }
}
