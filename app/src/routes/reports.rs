//! «Отчёты» (F38): pick a report, a building (or all) and a month; the report shows on the
//! page — searchable, sortable by any column, a hundred rows a page, its totals below — and
//! downloads as Excel, PDF (A4 with the company's requisites, page numbers, the header on
//! every page) or CSV, the files holding every row. The whole query lives in the address.

use chrono::Months;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ErrorBox;
use crate::components::layout::follow_selected_object;
use crate::components::table::{all_words_in, page_numbers};
use crate::functions::reports::make_report;
use crate::i18n::{month_year, use_i18n, Msg};
use crate::models::format;
use crate::models::reports::{Report, ReportKind, ReportQuery, Cell};
use crate::models::text::natural_key;
use crate::resource::resource;

const PER_PAGE: usize = 100;

fn href(q: &ReportQuery) -> String {
    format!("/reports?{}", q.to_query())
}

/// Two cells of a column in order: figures and dates by value, words as people count flats
/// (2 before 10); empty cells last.
pub(crate) fn compare(a: &Cell, b: &Cell) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    if let (Some(x), Some(y)) = (a.figure(), b.figure()) {
        return x.cmp(&y);
    }
    match (a, b) {
        (Cell::Date(x), Cell::Date(y)) => x.cmp(y),
        (Cell::Empty, Cell::Empty) => Equal,
        (Cell::Empty, _) => Greater,
        (_, Cell::Empty) => Less,
        _ => natural_key(&a.shown()).cmp(&natural_key(&b.shown())),
    }
}

/// A column in the order asked for, the cells with no figure (empty, or «–*» where a figure
/// belongs) last either way: a building without a share is not the «worst» in a descending
/// sort.
pub(crate) fn sorted(a: &Cell, b: &Cell, ascending: bool) -> std::cmp::Ordering {
    let missing = |c: &Cell| matches!(c, Cell::Empty) || (c.is_figure() && c.figure().is_none());
    match (missing(a), missing(b)) {
        (false, false) if ascending => compare(a, b),
        (false, false) => compare(a, b).reverse(),
        (x, y) => x.cmp(&y),
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|m| {
            let pairs: Vec<(String, String)> = m.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            ReportQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    let made = resource(move || (query.get(), i18n.lang()), |(q, lang)| make_report(q.to_query(), lang.code().to_string()));
    follow_selected_object(move |id| href(&ReportQuery { object: Some(id), ..query.get_untracked() }));
    view! {
        <Title text=i18n.tr(Msg::MenuReports)/>
        <section class="page reports">
            <h1>{i18n.tr(Msg::MenuReports)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match made.await {
                        Err(e) => view! { <Picker r=None/> <ErrorBox error=e/> }.into_any(),
                        Ok(r) => view! { <Picker r=Some(r.clone())/> <Table r/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The report, building and month to show: a GET form, so the address says what is shown.
#[component]
fn Picker(r: Option<Report>) -> impl IntoView {
    let i18n = use_i18n();
    let q = r.as_ref().map(|r| r.query.clone()).unwrap_or_default();
    let objects = r.as_ref().map(|r| r.objects.clone()).unwrap_or_default();
    let kinds = ReportKind::ALL
        .iter()
        .map(|k| view! { <option value=k.as_str() selected=*k == q.kind>{i18n.tr(k.title())}</option> })
        .collect_view();
    let options = objects
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=Some(*id) == q.object>{name.clone()}</option> })
        .collect_view();
    let month = q.month.map(|m| m.format("%Y-%m").to_string()).unwrap_or_default();
    view! {
        <Form method="GET" action="/reports" attr:class="filters" attr:data-testid="report-form">
            <label class="field">
                <span>{i18n.tr(Msg::RepKind)}</span>
                <select name="kind" data-testid="report-kind">{kinds}</select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::Building)}</span>
                <select name="object" data-testid="report-object">
                    <option value="" selected=q.object.is_none()>{i18n.tr(Msg::NpAllObjects)}</option>
                    {options}
                </select>
            </label>
            {q.kind.has_period().then(|| view! {
                <label class="field">
                    <span>{i18n.tr(Msg::RepView)}</span>
                    <select name="by" data-testid="report-view">
                        <option value="" selected=!q.by_period>{i18n.tr(Msg::MonthView)}</option>
                        <option value="period" selected=q.by_period>{i18n.tr(Msg::PeriodView)}</option>
                    </select>
                </label>
            })}
            {q.kind.has_month().then(|| view! {
                <label class="field">
                    <span>{i18n.tr(Msg::RepMonth)}</span>
                    <input type="month" name="month" value=month.clone() prop:value=month data-testid="report-month"/>
                </label>
            })}
            <button type="submit" class="button primary">{i18n.tr(Msg::RepShow)}</button>
        </Form>
        <p class="lead">{i18n.tr(q.kind.about())}</p>
    }
}

#[component]
fn Table(r: Report) -> impl IntoView {
    let i18n = use_i18n();
    let export = r.query.to_query();
    let search = RwSignal::new(String::new());
    // (column, ascending); none: the report's own order
    let sort = RwSignal::new(None::<(usize, bool)>);
    let page = RwSignal::new(0usize);
    // each row with the words a search looks in, written once, not on every keystroke
    let rows = StoredValue::new(
        r.rows
            .iter()
            .map(|row| (row.clone(), row.iter().map(Cell::shown).collect::<Vec<_>>().join(" ")))
            .collect::<Vec<_>>(),
    );
    let shown = Memo::new(move |_| {
        let words = search.get();
        let mut v: Vec<Vec<Cell>> = rows.with_value(|rows| {
            rows.iter()
                .filter(|(_, hay)| all_words_in(hay, words.trim()))
                .map(|(row, _)| row.clone())
                .collect()
        });
        if let Some((c, ascending)) = sort.get() {
            v.sort_by(|a, b| sorted(a.get(c).unwrap_or(&Cell::Empty), b.get(c).unwrap_or(&Cell::Empty), ascending));
        }
        v
    });
    let pages = move || shown.with(|v| v.len().div_ceil(PER_PAGE).max(1));
    let numeric: Vec<bool> = (0..r.header.len())
        .map(|c| r.rows.iter().any(|row| matches!(row.get(c), Some(Cell::Number(_)))))
        .collect();
    let numeric = StoredValue::new(numeric);
    let head = r
        .header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let mark = move || match sort.get() {
                Some((s, true)) if s == c => " ▲",
                Some((s, false)) if s == c => " ▼",
                _ => "",
            };
            let toggle = move |_| {
                sort.update(|s| *s = Some(match *s {
                    Some((col, asc)) if col == c => (c, !asc),
                    _ => (c, true),
                }));
                page.set(0);
            };
            view! {
                <th class:num=numeric.with_value(|n| n[c])>
                    <button type="button" class="th-sort" on:click=toggle>{h.clone()}{mark}</button>
                </th>
            }
        })
        .collect_view();
    let span = r.header.len().max(1);
    let body = move || {
        let from = page.get().min(pages() - 1) * PER_PAGE;
        shown.with(|v| {
            v.iter()
                .skip(from)
                .take(PER_PAGE)
                .map(|row| {
                    let cells = row
                        .iter()
                        .map(|cell| view! { <td class:num=matches!(cell, Cell::Number(_))>{cell.shown()}</td> })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view()
        })
    };
    let totals = r
        .totals
        .iter()
        .map(|row| {
            let cells = row
                .iter()
                .map(|cell| view! { <td class:num=matches!(cell, Cell::Number(_))>{cell.shown()}</td> })
                .collect_view();
            view! { <tr class="total">{cells}</tr> }
        })
        .collect_view();
    let pager = move || {
        let current = page.get().min(pages() - 1) as u32 + 1;
        page_numbers(current, pages() as u32)
            .into_iter()
            .map(|n| match n {
                None => view! { <span class="gap">"…"</span> }.into_any(),
                Some(n) => view! {
                    <button type="button" class="page-link" class:on=n == current on:click=move |_| page.set(n as usize - 1)>{n}</button>
                }
                .into_any(),
            })
            .collect_view()
    };
    let (prev, next) = match r.month {
        Some(m) => (
            Some(href(&ReportQuery { month: Some(m - Months::new(1)), ..r.query.clone() })),
            Some(href(&ReportQuery { month: Some(m + Months::new(1)), ..r.query.clone() })),
        ),
        None => (None, None),
    };
    view! {
        <div class="toolbar period">
            {r.month.map(|m| view! {
                <a class="button small" href=prev.clone() data-testid="prev-month">"←"</a>
                <strong class="period-name" data-testid="month">{month_year(i18n.lang(), m)}</strong>
                <a class="button small" href=next.clone() data-testid="next-month">"→"</a>
            })}
            <label class="field grow inline">
                <input type="search" placeholder=i18n.tr(Msg::Search) data-testid="report-search"
                    on:input=move |ev| { search.set(event_target_value(&ev)); page.set(0); }/>
            </label>
            <span class="spacer"></span>
            <a class="button" href=format!("/export/report.xlsx?{export}") download data-testid="report-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/report.pdf?{export}") download data-testid="report-pdf">{i18n.tr(Msg::ExportPdf)}</a>
            <a class="button" href=format!("/export/report.csv?{export}") download>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <div class="caption" data-testid="report-title">
            {r.title.iter().map(|t| view! { <p>{t.clone()}</p> }).collect_view()}
        </div>
        <div class="table-wrap">
            <table class="data report-table" data-testid="report">
                <thead><tr>{head}</tr></thead>
                <tbody>
                    {move || shown.with(Vec::is_empty).then(|| view! { <tr><td colspan=span.to_string() class="empty">{i18n.tr(Msg::NothingFound)}</td></tr> })}
                    {body}
                </tbody>
                <tfoot data-testid="report-totals">{totals}</tfoot>
            </table>
        </div>
        <div class="table-foot">
            <span class="count" data-testid="report-count">{i18n.tr(Msg::RepRows)} " " {move || format::integer(shown.with(Vec::len) as i64)}</span>
            <nav class="pager" aria-label=i18n.tr(Msg::Page)>{pager}</nav>
        </div>
        {r.note.clone().map(|n| view! { <p class="note">{n}</p> })}
    }
}
