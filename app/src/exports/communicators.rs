//! «Коммуникаторы» as a file: the lines the filters leave, with the page's columns and the
//! filters written above the table.

use super::Sheet;
use crate::i18n::{Lang, Msg};
use crate::models::communicators::CommunicatorList;

pub fn sheet(v: &CommunicatorList, lang: Lang) -> Sheet {
    let t = |m: Msg| m.text(lang).to_string();
    let mut scope = super::scope(&v.objects, v.query.object, lang);
    if let Some(l) = v.query.line {
        scope.push_str(&format!(", {}", l.label(lang)));
    }
    let (header, rows) = v.table(lang);
    Sheet {
        name: t(Msg::MenuCommunicators),
        title: vec![format!("{} — {scope}", t(Msg::MenuCommunicators)), v.summary(lang)],
        header,
        widths: vec![28.0, 24.0, 10.0, 26.0, 26.0, 18.0, 10.0, 18.0, 10.0],
        rows,
    }
}
