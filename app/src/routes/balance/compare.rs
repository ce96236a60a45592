//! «Сравнение объектов» (F10, EK 4.1.1): the company's buildings side by side for a day or a
//! month — common and flat meters, imbalance, specific consumption — sortable by any column,
//! searched, charted and downloaded. The query lives in the address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_location;

use crate::components::chart::{ChartKind, ConsumptionChart, Series};
use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::cell_table::{CellRow, CellTable};
use crate::functions::balance::objects_compared;
use crate::i18n::{unit_name, use_i18n, Msg};
use crate::models::balance::{By, Comparison};
use crate::models::cell::Cell;
use crate::models::Amount;
use crate::resource::resource;

#[component]
pub fn ComparePage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = Memo::new(move |_| location.search.get().trim_start_matches('?').to_string());
    let made = resource(move || query.get(), objects_compared);
    view! {
        <Title text=i18n.tr(Msg::MenuCompare)/>
        <section class="page balance compare">
            <h1>{i18n.tr(Msg::MenuCompare)}</h1>
            <p class="lead">{i18n.tr(Msg::CmpLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match made.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <Picker c=c.clone()/> <CompareTable c/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Picker(c: Comparison) -> impl IntoView {
    let i18n = use_i18n();
    let q = c.query.clone();
    let resources = super::resource_options(&c.resources, q.resource);
    let day = q.day.clone().unwrap_or_default();
    let month = q.month.clone().unwrap_or_default();
    view! {
        <Form method="GET" action="/balance/compare" attr:class="filters" attr:data-testid="compare-form">
            <label class="field">
                <span>{i18n.tr(Msg::NpResource)}</span>
                <select name="resource" data-testid="compare-resource">{resources}</select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::RepView)}</span>
                <select name="by" data-testid="compare-by">
                    <option value="day" selected=q.by == By::Day>{i18n.tr(Msg::CmpByDay)}</option>
                    <option value="month" selected=q.by == By::Month>{i18n.tr(Msg::CmpByMonth)}</option>
                </select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::CmpDay)}</span>
                <input type="date" name="day" value=day.clone() prop:value=day data-testid="compare-day"/>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::BalMonth)}</span>
                <input type="month" name="month" value=month.clone() prop:value=month data-testid="compare-month"/>
            </label>
            <button type="submit" class="button primary" data-testid="compare-show">{i18n.tr(Msg::EvShow)}</button>
        </Form>
    }
}

#[component]
fn CompareTable(c: Comparison) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let export = c.query.query_string();
    let (header, rows) = c.table(lang);
    let csv = {
        let mut text = vec![header.clone()];
        text.extend(rows.iter().map(|r| r.iter().map(Cell::shown).collect()));
        csv_href(&text)
    };
    let unit = c.query.resource.map(|r| i18n.t(unit_name(r)).to_string()).unwrap_or_default();
    let value = |a: Option<Amount>| match a.and_then(Amount::known) {
        Some(v) => v.normalize().to_string(),
        None => "-".into(),
    };
    let labels: Vec<String> = c.rows.iter().map(|r| r.name.clone()).collect();
    let series = vec![
        Series { name: i18n.t(Msg::BalRootSum).to_string(), values: c.rows.iter().map(|r| value(r.common)).collect() },
        Series { name: i18n.t(Msg::BalChildrenSum).to_string(), values: c.rows.iter().map(|r| value(r.individual)).collect() },
    ];
    let q = c.query.clone();
    let rows: Vec<CellRow> = c
        .rows
        .iter()
        .zip(rows)
        .map(|(r, cells)| CellRow {
            cells,
            class: format!("verdict-{}", r.verdict.as_str()),
            // a building's days of the month in its balance
            link: Some(format!(
                "/balance?object={}&resource={}&by=day&month={}",
                r.object_id,
                q.resource.map(|r| r.as_str()).unwrap_or_default(),
                q.month.clone().unwrap_or_default()
            )),
            id: r.object_id.to_string(),
        })
        .collect();
    let search = RwSignal::new(String::new());
    view! {
        {(!c.rows.is_empty()).then(|| view! {
            <ConsumptionChart labels series unit kind=Signal::derive(|| ChartKind::Grouped)/>
        })}
        <div class="toolbar">
            <input type="search" class="search" placeholder=i18n.tr(Msg::Search) aria-label=i18n.tr(Msg::Search)
                on:input=move |ev| search.set(event_target_value(&ev)) data-testid="compare-search"/>
            <span class="spacer"></span>
            <a class="button" href=format!("/export/compare.xlsx?{export}") download data-testid="compare-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/compare.pdf?{export}") download>{i18n.tr(Msg::ExportPdf)}</a>
            <a class="button" href=csv download="compare.csv">{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <CellTable header rows search class="balance-table" testid="compare-table"/>
        <p class="note">{i18n.tr(Msg::BalIncompleteNote)}</p>
    }
}
