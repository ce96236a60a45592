//! «Абоненты и потребление» as a file: every account of the building under the list's
//! search and order, all pages, with the month's consumption and the totals below; in the
//! billing period's view each resource also says what its figures stand on.

use super::{Cell, Sheet};
use crate::i18n::{month_year, period_caption, resource_name, unit_name, Lang, Msg};
use crate::models::period::Basis;
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
    let by_period = t.terms.is_some();
    let english = lang == Lang::En;
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
        if by_period {
            header.push(format!("{}: {}", tx(resource_name(c.resource)), tx(Msg::PeriodBasis)));
        }
    }
    let values = |v: &[[Option<Amount>; 5]], bases: &[Basis]| -> Vec<Cell> {
        t.columns
            .iter()
            .enumerate()
            .flat_map(|(g, c)| {
                let mut cells: Vec<Cell> = c.slots.iter().map(|s| cell(v[g][*s])).collect();
                if by_period {
                    // a row whose basis is not kept (the common meters) says nothing of it
                    cells.push(match (bases.get(g), v[g][0]) {
                        (Some(basis), Some(_)) => basis.name(english).to_string().into(),
                        _ => Cell::Empty,
                    });
                }
                cells
            })
            .collect()
    };
    let mut rows: Vec<Vec<Cell>> = t
        .rows
        .iter()
        .map(|r| {
            let mut row: Vec<Cell> = vec![r.flat.clone().into(), r.account.clone().into(), r.owner.clone().into()];
            row.extend(values(&r.values, &r.bases));
            row
        })
        .collect();
    for (label, v, bases) in [(Msg::SubIndividual, &t.individual, &t.individual_bases[..]), (Msg::SubCommon, &t.common, &[][..])] {
        let mut row: Vec<Cell> = vec![tx(label).into(), Cell::Empty, Cell::Empty];
        row.extend(values(v, bases));
        rows.push(row);
    }
    Sheet {
        name: tx(Msg::MenuSubscribers),
        title: vec![
            format!("{} — {}", tx(Msg::MenuSubscribers), t.object.name),
            match &t.terms {
                Some(terms) => period_caption(lang, t.month, terms.window),
                None => month_year(lang, t.month),
            },
            tx(Msg::GapNote),
        ],
        header,
        widths: vec![8.0, 16.0, 28.0],
        rows,
    }
}
