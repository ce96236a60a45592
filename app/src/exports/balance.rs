//! «Баланс» as a file: the group's days or months and the period's total, as on screen.

use super::Sheet;
use crate::i18n::{resource_name, unit_name, Lang, Msg};
use crate::models::balance::{Balance, By, Comparison};
use crate::models::format;

pub fn sheet(b: &Balance, lang: Lang) -> Sheet {
    let tx = |m: Msg| m.text(lang).to_string();
    let object = b
        .objects
        .iter()
        .find(|(id, _)| Some(*id) == b.query.object)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    let resource = b.query.resource.map(|r| format!("{}, {}", tx(resource_name(r)), tx(unit_name(r)))).unwrap_or_default();
    let norm = match b.norm {
        Some(n) => format!("{}: {} %", tx(Msg::BalAllowedIs), format::decimal(n)),
        None => format!("{}: {}", tx(Msg::BalAllowedIs), tx(Msg::BalNormNone)),
    };
    let (header, rows) = b.table(lang);
    Sheet {
        name: tx(Msg::MenuBalance),
        title: vec![
            format!("{} — {object}", tx(Msg::MenuBalance)),
            format!("{}: {} — {resource}", tx(Msg::BalGroup), b.group_title(lang)),
            format!("{}: {}", tx(Msg::BalPeriod), b.query.period_text(lang)),
            norm,
        ],
        header,
        widths: vec![16.0, 16.0, 16.0, 16.0, 14.0, 18.0, 12.0],
        rows,
    }
}

/// The file's name: building, resource and period.
pub fn stem(b: &Balance) -> String {
    format!(
        "balance-{}-{}-{}",
        b.query.object.unwrap_or(0),
        b.query.resource.map(|r| r.as_str()).unwrap_or("none"),
        match b.query.by {
            By::Day => b.query.month.clone().unwrap_or_default(),
            By::Month => b.query.year.clone().unwrap_or_default(),
        }
    )
}

/// «Сравнение объектов» as a file.
pub fn comparison(c: &Comparison, lang: Lang) -> Sheet {
    let tx = |m: Msg| m.text(lang).to_string();
    let resource = c.query.resource.map(|r| format!("{}, {}", tx(resource_name(r)), tx(unit_name(r)))).unwrap_or_default();
    let period = match c.query.by {
        By::Day => c.query.day.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).map(format::date),
        By::Month => c.query.month.as_deref().and_then(|m| chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()).map(|d| crate::i18n::month_year(lang, d)),
    }
    .unwrap_or_default();
    let (header, rows) = c.table(lang);
    Sheet {
        name: tx(Msg::MenuCompare),
        title: vec![format!("{} — {resource}", tx(Msg::MenuCompare)), format!("{}: {period}", tx(Msg::BalPeriod))],
        header,
        widths: vec![34.0, 16.0, 16.0, 16.0, 14.0, 18.0, 14.0],
        rows,
    }
}
