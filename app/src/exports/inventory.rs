//! «Приборы учёта» as a file: every meter the filters leave, with the same columns as the
//! page, and the filters written above the table so a printed list says what it lists.

use super::Sheet;
use crate::i18n::{resource_name, state_name, Lang, Msg};
use crate::models::inventory::Inventory;
use crate::models::Placement;

pub fn sheet(v: &Inventory, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    let q = &v.query;
    let mut filters = Vec::new();
    if let Some(p) = q.placement {
        filters.push(t(if p == Placement::Individual { Msg::InvIndividual } else { Msg::InvCommon }));
    }
    if let Some(r) = q.resource {
        filters.push(t(resource_name(r)));
    }
    if let Some(l) = q.line {
        filters.push(format!("{}: {}", t(Msg::InvLine), l.label(lang)));
    }
    if let Some(s) = q.state {
        filters.push(t(state_name(s)));
    }
    if let Some(d) = q.due {
        filters.push(format!("{}: {}", t(Msg::InvDue), t(d.label()).to_lowercase()));
    }
    if !q.q.is_empty() {
        filters.push(format!("«{}»", q.q));
    }
    let mut title = vec![format!("{} — {}", t(Msg::MenuMeters), super::scope(&v.objects, q.object, lang))];
    if !filters.is_empty() {
        title.push(filters.join(", "));
    }
    title.push(v.summary(lang));
    let (header, rows) = v.table(lang);
    Sheet {
        name: t(Msg::MenuMeters),
        title,
        header,
        widths: vec![16.0, 28.0, 10.0, 8.0, 16.0, 18.0, 16.0, 8.0, 10.0, 10.0, 22.0, 10.0, 18.0, 12.0, 12.0, 12.0, 16.0],
        rows,
    }
}
