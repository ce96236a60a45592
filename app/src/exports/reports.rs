//! A report as a file (Excel, PDF, CSV): its title and note above, its rows, its totals
//! below — exactly what the report page shows, all rows.

use super::Sheet;
use crate::i18n::Lang;
use crate::models::reports::Report;

pub fn sheet(r: &Report, lang: Lang) -> Sheet {
    let mut title = r.title.clone();
    title.extend(r.note.clone());
    Sheet {
        name: r.query.kind.title().text(lang).to_string(),
        title,
        header: r.header.clone(),
        rows: r.rows.iter().chain(&r.totals).cloned().collect(),
        widths: r.header.iter().map(|h| (h.chars().count() as f64 + 2.0).clamp(10.0, 28.0)).collect(),
    }
}

/// The file's name without its extension: `registry-3-2026-11`, `balance-all-2026-11`.
pub fn stem(r: &Report) -> String {
    let scope = r.query.object.map(|o| o.to_string()).unwrap_or_else(|| "all".into());
    match r.month {
        Some(m) => format!("{}-{scope}-{}", r.query.kind.as_str(), m.format("%Y-%m")),
        None => format!("{}-{scope}", r.query.kind.as_str()),
    }
}
