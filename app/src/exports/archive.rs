//! «Архивы прибора» as a file: the archive's records over the span, a column per parameter
//! and tariff, as on screen.

use super::{Cell, Sheet};
use crate::i18n::{Lang, Msg};
use crate::models::archive::{ArchiveKind, MeterArchive};

pub fn sheet(a: &MeterArchive, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    let kind = t(match a.kind {
        ArchiveKind::Hour => Msg::ArchiveHour,
        ArchiveKind::Day => Msg::ArchiveDay,
        ArchiveKind::Month => Msg::ArchiveMonth,
    });
    let mut header = vec![t(Msg::Time)];
    header.extend(a.columns.iter().map(|c| c.name(lang)));
    let mut widths = vec![18.0];
    widths.extend(a.columns.iter().map(|_| 22.0));
    Sheet {
        name: t(Msg::ArchiveTitle),
        title: vec![
            format!("{} — {} № {}", t(Msg::ArchiveTitle), a.model, a.serial),
            format!("{}, {}", a.object_name, a.where_),
            format!("{kind}: {} — {}", crate::models::format::date(a.date), crate::models::format::date(a.kind.end(a.date) - chrono::Duration::days(1))),
        ],
        header,
        widths,
        rows: a
            .rows
            .iter()
            .map(|r| {
                let mut cells: Vec<Cell> = vec![r.at.clone().into()];
                cells.extend(r.values.iter().map(|v| Cell::from(*v)));
                cells
            })
            .collect(),
    }
}
