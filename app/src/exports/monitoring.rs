//! «Нештатные ситуации» and «Журнал событий» as files: the rows as on screen.

use super::Sheet;
use crate::i18n::{Lang, Msg};
use crate::models::monitoring::{text_rows, EventRow, Journal, Situations};

fn sheet(name: Msg, title: Vec<String>, rows: &[EventRow], lang: Lang) -> Sheet {
    let mut text = text_rows(rows, lang).into_iter();
    Sheet {
        name: name.text(lang).to_string(),
        title,
        header: text.next().unwrap_or_default(),
        widths: vec![17.0, 14.0, 28.0, 30.0, 10.0, 14.0, 16.0, 14.0, 44.0, 26.0, 20.0, 40.0],
        rows: text.map(|r| r.into_iter().map(Into::into).collect()).collect(),
    }
}

pub fn situations(list: &Situations, lang: Lang) -> Sheet {
    let scope = super::scope(&list.objects, list.object_id, lang);
    let title = Msg::MenuAbnormal.text(lang);
    sheet(Msg::MenuAbnormal, vec![format!("{title} — {scope}")], &list.rows, lang)
}

pub fn journal(j: &Journal, lang: Lang) -> Sheet {
    let scope = super::scope(&j.objects, j.query.object, lang);
    let title = Msg::MenuEvents.text(lang);
    let day = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(crate::models::format::date)
            .unwrap_or_default()
    };
    let period = format!("{}: {} — {}", Msg::EvPeriod.text(lang), day(&j.from), day(&j.to));
    sheet(Msg::MenuEvents, vec![format!("{title} — {scope}"), period], &j.rows, lang)
}
