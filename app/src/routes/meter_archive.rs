//! «Архивы прибора» (F15): a meter's hourly archive for a day, daily archive for a month
//! and monthly archive for a year; a table with a column per parameter and tariff as the
//! meter stored it, a chart of the chosen column, previous / next span, Excel and CSV.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::chart::{ChartKind, ConsumptionChart, Series};
use crate::components::error_view::ErrorBox;
use crate::functions::meters::get_meter_archive;
use crate::i18n::{month_year, unit_text, use_i18n, Lang, Msg};
use crate::models::archive::{ArchiveColumn, ArchiveKind, MeterArchive};
use crate::models::format;
use crate::resource::resource;

/// The span's name: «21.11.2026», «ноябрь 2026», «2026 год».
fn span_name(lang: Lang, kind: ArchiveKind, d: NaiveDate) -> String {
    match kind {
        ArchiveKind::Hour => format::date(d),
        ArchiveKind::Day => month_year(lang, d),
        ArchiveKind::Month => match lang {
            Lang::Ru => format!("{} год", d.year()),
            Lang::En => d.year().to_string(),
        },
    }
}

/// A date as links carry it (`2026-03-15`) or as the month picker sends it (`2026-03`).
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d"))
        .ok()
}

fn href(id: i64, kind: ArchiveKind, date: NaiveDate, col: usize, totals: bool) -> String {
    format!(
        "/meters/{id}/archive?kind={}&date={}&col={col}{}",
        kind.as_str(),
        date.format("%Y-%m-%d"),
        if totals { "&show=totals" } else { "" }
    )
}

/// The file download's query: the same meter, archive and span.
fn export_query(a: &MeterArchive) -> String {
    format!(
        "meter={}&kind={}&date={}",
        a.meter_id,
        a.kind.as_str(),
        a.date.format("%Y-%m-%d")
    )
}

#[component]
pub fn MeterArchivePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
        query.with(|q| {
            let kind = q.get("kind").and_then(|k| ArchiveKind::parse(&k)).unwrap_or_default();
            let date = q.get("date").and_then(|d| parse_date(&d));
            let col = q.get("col").and_then(|c| c.parse::<usize>().ok()).unwrap_or(0);
            let totals = q.get("show").as_deref() == Some("totals");
            (id, kind, date, col, totals)
        })
    });
    let data = resource(
        move || {
            let (id, kind, date, _, _) = key.get();
            (id, kind, date)
        },
        |(id, kind, date)| get_meter_archive(id, kind, date),
    );
    view! {
        <Title text=i18n.tr(Msg::ArchiveTitle)/>
        <section class="page meter-archive">
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || {
                    // the column and the view change the page without fetching again
                    let (_, _, _, col, totals) = key.get();
                    Suspend::new(async move {
                        match data.await {
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                            Ok(a) => view! { <ArchiveView a col totals/> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn ArchiveView(a: MeterArchive, col: usize, totals: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let id = a.meter_id;
    let col = col.min(a.columns.len().saturating_sub(1));
    let kinds = ArchiveKind::ALL
        .into_iter()
        .map(|k| {
            let label = match k {
                ArchiveKind::Hour => Msg::ArchiveHour,
                ArchiveKind::Day => Msg::ArchiveDay,
                ArchiveKind::Month => Msg::ArchiveMonth,
            };
            view! {
                <a href=href(id, k, a.date, col, totals) class:active=k == a.kind data-kind=k.as_str()>{move || i18n.t(label)}</a>
            }
        })
        .collect_view();
    let prev = href(id, a.kind, a.prev, col, totals);
    let next = a.next.map(|n| (href(id, a.kind, n, col, totals), span_name(lang, a.kind, n)));
    // a running total is charted as what was used per interval, unless its values are asked
    let integral = a.columns.get(col).is_some_and(|c| c.integral);
    let usage = integral && !totals;
    let picker_type = match a.kind {
        ArchiveKind::Hour => "date",
        _ => "month",
    };
    let picker_value = match a.kind {
        ArchiveKind::Hour => a.date.format("%Y-%m-%d").to_string(),
        _ => a.date.format("%Y-%m").to_string(),
    };
    let head = a
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let name = c.name(lang);
            view! { <th class="num"><a href=href(id, a.kind, a.date, i, totals) class:active=i == col>{name}</a></th> }
        })
        .collect_view();
    let fraction = |c: &ArchiveColumn| if c.integral { a.fraction as u32 } else { 2 };
    let body = a
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .values
                .iter()
                .zip(&a.columns)
                .map(|(v, c)| view! { <td class="num">{v.map(|v| format::fixed(v, fraction(c))).unwrap_or_default()}</td> })
                .collect_view();
            let used = integral.then(|| {
                let v = r.usage.get(col).copied().flatten();
                view! { <td class="num usage">{v.map(|v| format::fixed(v, a.fraction as u32)).unwrap_or_default()}</td> }
            });
            view! { <tr><td>{r.at.clone()}</td>{cells}{used}</tr> }
        })
        .collect_view();
    let chart = a.columns.get(col).map(|c| {
        let labels: Vec<String> = a.rows.iter().map(|r| r.at.clone()).collect();
        let values = a
            .rows
            .iter()
            .map(|r| {
                let v = if usage { r.usage.get(col).copied().flatten() } else { r.values[col] };
                v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
            })
            .collect();
        let name = if usage { format!("{}: {}", i18n.t(Msg::ArchiveUsage), c.name(lang)) } else { c.name(lang) };
        let series = vec![Series { name: name.clone(), values }];
        let kind = if usage { ChartKind::Grouped } else { ChartKind::Lines };
        let show = integral.then(|| view! {
            <nav class="spans" data-testid="archive-show">
                <a href=href(id, a.kind, a.date, col, false) class:active=usage data-show="usage">{i18n.tr(Msg::ArchiveUsage)}</a>
                <a href=href(id, a.kind, a.date, col, true) class:active=!usage data-show="totals">{i18n.tr(Msg::ArchiveTotals)}</a>
            </nav>
        });
        view! {
            <div class="toolbar">
                <p class="caption">{i18n.tr(Msg::ArchiveChartOf)} ": " <strong data-testid="archive-charted">{name}</strong></p>
                {show}
            </div>
            <ConsumptionChart labels series unit=unit_text(&c.unit, lang) kind=Signal::derive(move || kind)/>
        }
    });
    let usage_unit = a.columns.get(col).map(|c| unit_text(&c.unit, lang)).unwrap_or_default();
    let export = export_query(&a);
    let empty = a.rows.is_empty();
    view! {
        <p class="crumbs"><a href=format!("/meters/{id}")>{a.model.clone()} " № " {a.serial.clone()}</a></p>
        <h1>{i18n.tr(Msg::ArchiveTitle)} " № " {a.serial.clone()}</h1>
        <p class="muted">{a.object_name.clone()} " · " {a.where_.clone()}</p>
        <div class="toolbar">
            <nav class="spans" data-testid="archive-kinds">{kinds}</nav>
        </div>
        <div class="toolbar period">
            <a class="button" rel="prev" href=prev data-testid="archive-prev">"‹ " {span_name(lang, a.kind, a.prev)}</a>
            <strong class="period-name" data-testid="archive-span">{span_name(lang, a.kind, a.date)}</strong>
            {next.map(|(h, name)| view! { <a class="button" rel="next" href=h data-testid="archive-next">{name} " ›"</a> })}
            {(a.kind != ArchiveKind::Month).then(|| view! {
                <form method="get" action=format!("/meters/{id}/archive") class="inline">
                    <input type="hidden" name="kind" value=a.kind.as_str()/>
                    <input type=picker_type name="date" value=picker_value aria-label=i18n.tr(Msg::Date)/>
                    <button type="submit" class="button">"OK"</button>
                </form>
            })}
            <span class="spacer"></span>
            <a class="button" href=format!("/export/archive.xlsx?{export}") download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/archive.csv?{export}") download>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        {if empty {
            view! { <p class="note" data-testid="archive-empty">{i18n.tr(Msg::ArchiveEmpty)}</p> }.into_any()
        } else {
            view! {
                {chart}
                <div class="table-wrap">
                    <table class="data" data-testid="archive">
                        <thead><tr><th>{i18n.tr(Msg::Time)}</th>{head}{integral.then(|| view! { <th class="num">{i18n.tr(Msg::ArchiveUsageCol)} ", " {usage_unit.clone()}</th> })}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <p class="note">{i18n.tr(Msg::ArchiveRecords)} ": " {a.rows.len()} ". " {i18n.tr(Msg::ArchiveIntegralNote)}</p>
            }.into_any()
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_picker_and_links_both_give_a_date() {
        assert_eq!(parse_date("2026-03"), NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(parse_date("2026-03-15"), NaiveDate::from_ymd_opt(2026, 3, 15));
        assert_eq!(parse_date("март"), None);
    }
}
