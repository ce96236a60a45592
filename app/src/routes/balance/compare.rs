//! «Сравнение объектов» (F10, EK 4.1.1): the company's buildings side by side for a day or a
//! month — common and flat meters, imbalance, specific consumption — sortable by any column,
//! searched, charted and downloaded. The query lives in the address.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::components::chart::{ChartKind, ConsumptionChart, Series};
use crate::components::error_view::ErrorBox;
use crate::components::cell_toolbar::{cells_csv, CellToolbar};
use crate::components::day_or_month::DayOrMonthForm;
use crate::components::cell_table::{CellRow, CellTable};
use crate::functions::balance::objects_compared;
use crate::i18n::{unit_name, use_i18n, Msg};
use crate::models::balance::Comparison;
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
                        Ok(c) => view! {
                            <DayOrMonthForm action="/balance/compare" query=c.query.clone() objects=vec![] resources=c.resources.clone() prefix="compare"/>
                            <CompareTable c/>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CompareTable(c: Comparison) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let export = c.query.query_string();
    let (header, rows) = c.table(lang);
    let csv = cells_csv(&header, &rows, &[]);
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
        <CellToolbar search table="compare" query=export csv/>
        <CellTable header rows search class="balance-table" testid="compare-table"/>
        <p class="note">{i18n.tr(Msg::BalIncompleteNote)}</p>
    }
}
