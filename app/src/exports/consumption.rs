//! «Реестр потребления» and «Потребление по помещениям» as files, as on screen.

use super::Sheet;
use crate::i18n::{resource_name, unit_name, Lang, Msg};
use crate::models::balance::By;
use crate::models::consumption::Premises;

/// The registry: premises × resources, the premises' sum and the common meters' below.
pub fn registry(p: &Premises, lang: Lang) -> Sheet {
    let (header, mut rows, foot) = p.registry_table(lang);
    rows.extend(foot);
    let mut widths = vec![14.0, 10.0, 12.0, 12.0];
    widths.extend(p.shown.iter().map(|_| 18.0));
    Sheet {
        name: Msg::ConRegistry.text(lang).to_string(),
        title: vec![
            format!("{} — {}", Msg::ConRegistry.text(lang), p.object_name()),
            format!("{}: {}", Msg::BalPeriod.text(lang), p.period_text(lang)),
        ],
        header,
        widths,
        rows,
    }
}

/// One resource over the premises.
pub fn breakdown(p: &Premises, lang: Lang) -> Sheet {
    let (header, mut rows, foot) = p.breakdown_table(lang);
    rows.extend(foot);
    let resource = p.resource().map(|r| format!("{}, {}", resource_name(r).text(lang), unit_name(r).text(lang))).unwrap_or_default();
    Sheet {
        name: Msg::ConPremisesTitle.text(lang).to_string(),
        title: vec![
            format!("{} — {}", Msg::ConPremisesTitle.text(lang), p.object_name()),
            format!("{}: {} — {resource}", Msg::BalPeriod.text(lang), p.period_text(lang)),
        ],
        header,
        widths: vec![14.0, 10.0, 12.0, 12.0, 16.0, 14.0, 14.0],
        rows,
    }
}

/// The file's name: what, building, resource and period.
pub fn stem(p: &Premises, what: &str) -> String {
    let period = match p.query.by {
        By::Day => p.query.day.clone(),
        By::Month => p.query.month.clone(),
    }
    .unwrap_or_default();
    let resource = p.query.resource.map(|r| format!("-{}", r.as_str())).unwrap_or_default();
    format!("{what}-{}{resource}-{period}", p.query.object.unwrap_or(0))
}
