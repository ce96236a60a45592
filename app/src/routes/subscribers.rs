//! «Абоненты и потребление» (F9; Kvant-Energo 3.3.2): a building's personal accounts, one
//! row each, with the month's consumption per resource and tariff, and below the sums of
//! individual meters and, apart, of the common ones. Building, month, search, sort and page
//! live in the URL; Excel and CSV carry the same query, all pages.

use chrono::Months;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ErrorBox;
use crate::components::layout::follow_selected_object;
use crate::components::table::page_numbers;
use crate::functions::subscribers::subscribers;
use crate::i18n::{month_year, period_caption, resource_name, unit_name, use_i18n, Lang, Msg};
use crate::models::period::Basis;
use crate::models::amount::slot_label;
use crate::models::format;
use crate::models::subscribers::{SubscriberRow, SubscriberSort, SubscribersPage, SubscribersQuery, PAGE_SIZES};
use crate::models::Amount;
use crate::resource::resource;

fn href(q: &SubscribersQuery) -> String {
    let s = q.to_query();
    if s.is_empty() {
        "/subscribers".into()
    } else {
        format!("/subscribers?{s}")
    }
}

#[component]
pub fn SubscribersListPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|m| {
            let pairs: Vec<(String, String)> = m.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            SubscribersQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    let page = resource(move || query.get(), subscribers);
    follow_selected_object(move |id| {
        href(&SubscribersQuery {
            object: Some(id),
            page: 1,
            ..query.get_untracked()
        })
    });
    view! {
        <Title text=i18n.tr(Msg::MenuSubscribers)/>
        <section class="page subscribers">
            <h1>{i18n.tr(Msg::SubTitle)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(p) => view! { <List page=p query=query.get_untracked()/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A figure as the seeds write it, with the column's fraction digits; empty where the
/// premise has no such register.
fn amount(a: Option<Amount>, fraction: u8) -> String {
    a.map(|a| a.display_fixed(fraction as u32)).unwrap_or_default()
}

#[component]
fn List(page: SubscribersPage, query: SubscribersQuery) -> impl IntoView {
    let i18n = use_i18n();
    let resolved = SubscribersQuery {
        object: Some(page.object_id),
        month: Some(page.month),
        page: page.page,
        per_page: page.per_page,
        ..query.clone()
    };
    let export = SubscribersQuery { page: 1, ..resolved.clone() }.to_query();
    let at_month = |m| href(&SubscribersQuery { month: Some(m), page: 1, ..resolved.clone() });
    let (prev, next) = (at_month(page.month - Months::new(1)), at_month(page.month + Months::new(1)));
    let object_id = page.object_id;
    let sort_link = |s: SubscriberSort| {
        let desc = resolved.sort == s && !resolved.desc;
        href(&SubscribersQuery { sort: s, desc, page: 1, ..resolved.clone() })
    };
    let mark = |s: SubscriberSort| {
        if resolved.sort != s {
            ""
        } else if resolved.desc {
            " ▼"
        } else {
            " ▲"
        }
    };
    let groups = page.columns.clone();
    let head_groups = groups
        .iter()
        .enumerate()
        .map(|(g, c)| {
            let r = c.resource;
            let s = SubscriberSort::Resource(g as u8);
            view! {
                <th colspan=c.slots.len().to_string() class="group">
                    <a class="th-sort" href=sort_link(s)>{move || i18n.t(resource_name(r))} ", " {move || i18n.t(unit_name(r))}{mark(s)}</a>
                </th>
            }
        })
        .collect_view();
    let head_slots = groups
        .iter()
        .flat_map(|c| c.slots.clone())
        .map(|s| view! { <th class="num">{move || slot_label(s, i18n.t(Msg::Total))}</th> })
        .collect_view();
    let english = i18n.lang() == Lang::En;
    let cells = {
        let groups = groups.clone();
        move |v: &[[Option<Amount>; 5]], bases: &[Basis]| {
            let bases = bases.to_vec();
            groups
                .iter()
                .enumerate()
                .flat_map(|(g, c)| c.slots.iter().map(move |s| (g, *s, c.fraction, c.resource)))
                .map(|(g, s, fraction, resource)| {
                    let a = v[g][s];
                    // what a period's figure stands on, where it is not a measured one
                    let basis = bases.get(g).copied().filter(|b| *b != Basis::Measured && a.is_some());
                    let mark = basis.map(|b| view! { <sup class="basis" title=b.name(english) data-basis=b.as_str()>{b.mark(english)}</sup> });
                    view! { <td class="num" class:partial=a.is_some_and(|a| !a.is_full()) data-resource=resource.as_str() data-slot=s.to_string()>{amount(a, fraction)}{mark}</td> }
                })
                .collect_view()
        }
    };
    let month_param = page.month.format("%Y-%m-%d").to_string();
    let window = page.window;
    let by_period = window.is_some();
    let view_link = |period: bool| href(&SubscribersQuery { by_period: period, month: None, page: 1, ..resolved.clone() });
    let rows = page
        .rows
        .iter()
        .map(|r: &SubscriberRow| {
            let link = format!("/subscribers/{}?month={month_param}", format::url_encode(&r.account));
            view! {
                <tr data-account=r.account.clone() data-flat=r.flat.clone()>
                    <td>{r.flat.clone()}</td>
                    <td>{if r.account.is_empty() { view! { <span class="muted">"—"</span> }.into_any() } else { view! { <a href=link>{r.account.clone()}</a> }.into_any() }}</td>
                    <td class="owner">{r.owner.clone()}</td>
                    {cells(&r.values, &r.bases)}
                </tr>
            }
        })
        .collect_view();
    let span = 3 + groups.iter().map(|c| c.slots.len()).sum::<usize>();
    let totals = view! {
        <tr class="total" data-testid="individual"><th colspan="3">{i18n.tr(Msg::SubIndividual)}</th>{cells(&page.individual, &page.individual_bases)}</tr>
        <tr class="total common" data-testid="common"><th colspan="3">{i18n.tr(Msg::SubCommon)}</th>{cells(&page.common, &[])}</tr>
    };
    let pages = page.total_rows.div_ceil(page.per_page).max(1) as u32;
    let current = page.page as u32;
    let pager = page_numbers(current, pages)
        .into_iter()
        .map(|p| match p {
            Some(n) => {
                let target = href(&SubscribersQuery { page: n as usize, ..resolved.clone() });
                view! { <a href=target class="page-link" class:on=n == current aria-current=(n == current).then_some("page")>{n}</a> }.into_any()
            }
            None => view! { <span class="gap">"…"</span> }.into_any(),
        })
        .collect_view();
    let sizes = PAGE_SIZES
        .into_iter()
        .map(|s| {
            let target = href(&SubscribersQuery { per_page: s, page: 1, ..resolved.clone() });
            view! { <a href=target class="seg small" class:on=s == page.per_page>{s}</a> }
        })
        .collect_view();
    let options = page
        .objects
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=*id == object_id>{name.clone()}</option> })
        .collect_view();
    let form = view! {
        <Form method="GET" action="/subscribers" attr:class="filters">
            <label class="field">
                <span>{i18n.tr(Msg::Building)}</span>
                <select name="object">{options}</select>
            </label>
            <label class="field grow">
                <span>{i18n.tr(Msg::Search)}</span>
                <input type="search" name="q" value=query.q.clone() placeholder=i18n.tr(Msg::SubSearch)/>
            </label>
            <input type="hidden" name="month" value=month_param.clone()/>
            {by_period.then(|| view! { <input type="hidden" name="by" value="period"/> })}
            <button type="submit" class="button primary">{i18n.tr(Msg::Show)}</button>
        </Form>
    }
    .into_any();
    view! {
        {form}
        <div class="toolbar period">
            <nav class="segmented" data-testid="view">
                <a href=view_link(false) class="seg small" class:on=!by_period>{i18n.tr(Msg::MonthView)}</a>
                <a href=view_link(true) class="seg small" class:on=by_period data-testid="by-period">{i18n.tr(Msg::PeriodView)}</a>
            </nav>
            <a class="button small" href=prev data-testid="prev-month">"←"</a>
            <strong class="period-name" data-testid="month">{month_year(i18n.lang(), page.month)}</strong>
            <a class="button small" href=next data-testid="next-month">"→"</a>
            <span class="spacer"></span>
            <a class="button" href=format!("/export/subscribers.xlsx?{export}") download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/subscribers.pdf?{export}") download data-testid="export-pdf">{i18n.tr(Msg::ExportPdf)}</a>
            <a class="button" href=format!("/export/subscribers.csv?{export}") download>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <p class="caption" data-testid="caption">
            {page.object_name.clone()}
            {window.map(|w| view! { " · " {period_caption(i18n.lang(), page.month, w)} })}
            {(!page.whole).then(|| view! { " · " <span class="warn-text">{i18n.tr(if by_period { Msg::PeriodNotOver } else { Msg::SubMonthNotOver })}</span> })}
        </p>
        <div class="table-wrap">
            <table class="data subscribers-table" data-testid="subscribers">
                <thead>
                    <tr>
                        <th rowspan="2"><a class="th-sort" href=sort_link(SubscriberSort::Flat)>{i18n.tr(Msg::ColFlat)}{mark(SubscriberSort::Flat)}</a></th>
                        <th rowspan="2"><a class="th-sort" href=sort_link(SubscriberSort::Account)>{i18n.tr(Msg::ColAccount)}{mark(SubscriberSort::Account)}</a></th>
                        <th rowspan="2"><a class="th-sort" href=sort_link(SubscriberSort::Owner)>{i18n.tr(Msg::SubOwner)}{mark(SubscriberSort::Owner)}</a></th>
                        {head_groups}
                    </tr>
                    <tr>{head_slots}</tr>
                </thead>
                <tbody>
                    {page.rows.is_empty().then(|| view! { <tr><td colspan=span.to_string() class="empty">{i18n.tr(Msg::NothingFound)}</td></tr> })}
                    {rows}
                </tbody>
                <tfoot>{totals}</tfoot>
            </table>
        </div>
        <div class="table-foot">
            <span class="count" data-testid="total">{i18n.tr(Msg::Total)} " " {format::integer(page.total_rows as i64)}</span>
            <nav class="pager" aria-label=i18n.tr(Msg::Page)>{pager}</nav>
            <span class="label">{i18n.tr(Msg::PerPage)}</span>
            <nav class="segmented">{sizes}</nav>
        </div>
        <p class="note">{i18n.tr(Msg::GapNote)} " " {i18n.tr(Msg::SubCommonApart)}</p>
        {by_period.then(|| view! { <p class="note" data-testid="period-note">{i18n.tr(Msg::PeriodNote)}</p> })}
    }
}
