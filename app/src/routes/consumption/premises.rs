//! «Потребление по помещениям» (F12, EK 4.1.4): one resource over a building's premises for
//! a day or a month — what each consumed, per m² (heat) or per resident (the rest), and its
//! share of what the common meters counted (only where they counted the whole period) —
//! charted by the measure chosen, sortable, searched and downloaded.

use leptos::prelude::*;

use super::{ConsumptionPage, Tab};
use crate::components::cell_table::CellTable;
use crate::components::cell_toolbar::{cells_csv, CellToolbar};
use crate::components::chart::{ChartKind, ConsumptionChart, Series};
use crate::i18n::{resource_name, unit_name, use_i18n, Msg};
use crate::models::consumption::Premises;
use crate::models::Amount;

#[component]
pub fn PremisesPage() -> impl IntoView {
    view! {
        <ConsumptionPage path="/consumption/premises" registry=false title=Msg::ConPremisesTitle lead=Msg::ConPremisesLead
            class="premises" tab=Tab::Premises body=|p| view! { <Breakdown p/> }.into_any()/>
    }
}

/// What the chart shows: the figure, the specific figure or the share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Absolute,
    Specific,
    Share,
}

/// A figure as a chart takes it: the whole value, or a gap.
fn chart_value(a: Option<Amount>) -> String {
    match a {
        Some(Amount::Full(v)) => v.normalize().to_string(),
        _ => "-".into(),
    }
}

#[component]
fn Breakdown(p: Premises) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let Some(resource) = p.resource() else {
        return view! { <p class="empty" data-testid="premises-empty">{i18n.tr(Msg::BalNoMeters)}</p> }.into_any();
    };
    if let Some(empty) = super::nothing_to_show(&p, "premises-empty") {
        return empty;
    }
    let export = p.query.query_string();
    let (header, rows, foot) = p.breakdown_table(lang);
    let csv = cells_csv(&header, &rows, &foot);
    let has_share = p.rows.iter().any(|r| p.share(r).is_some());
    let measure = RwSignal::new(Measure::Absolute);
    let unit = i18n.t(unit_name(resource)).to_string();
    let chart = {
        let p = p.clone();
        move || {
            let m = measure.get();
            let labels: Vec<String> = p.rows.iter().map(|r| r.number.clone()).collect();
            let (name, values, unit) = match m {
                Measure::Absolute => (Msg::ConAbsolute, p.rows.iter().map(|r| chart_value(r.values.first().copied().flatten())).collect(), unit.clone()),
                Measure::Specific => (p.per(), p.rows.iter().map(|r| chart_value(p.specific(r))).collect(), unit.clone()),
                Measure::Share => (Msg::ConShare, p.rows.iter().map(|r| chart_value(p.share(r))).collect(), "%".to_string()),
            };
            let series = vec![Series { name: i18n.t(name).to_string(), values }];
            view! { <ConsumptionChart labels series unit kind=Signal::derive(|| ChartKind::Grouped)/> }
        }
    };
    let choice = move |m: Measure, label: Msg, testid: &'static str| {
        view! {
            <button type="button" class="button" class:primary=move || measure.get() == m
                aria-pressed=move || (measure.get() == m).to_string()
                on:click=move |_| measure.set(m) data-testid=testid>{i18n.tr(label)}</button>
        }
    };
    let rows = super::premise_rows(&p, rows);
    let search = RwSignal::new(String::new());
    view! {
        <p class="summary" data-testid="premises-summary">
            <strong>{p.object_name()}</strong> ", " {move || i18n.t(resource_name(resource))} ", " {i18n.t(unit_name(resource)).to_string()}
            " — " {p.period_text(lang)}
        </p>
        <div class="toolbar" role="group" aria-label=i18n.tr(Msg::ConChartOf)>
            <span class="muted">{i18n.tr(Msg::ConChartOf)} ":"</span>
            {choice(Measure::Absolute, Msg::ConAbsolute, "premises-absolute")}
            {choice(Measure::Specific, p.per(), "premises-specific")}
            {has_share.then(|| choice(Measure::Share, Msg::ConShare, "premises-share"))}
        </div>
        {chart}
        {(!has_share).then(|| view! { <p class="note" data-testid="premises-no-share">{i18n.tr(Msg::ConNoCommon)}</p> })}
        <CellToolbar search table="premises" query=export csv/>
        <CellTable header rows search foot class="consumption-table" testid="premises-table"/>
        <p class="note">{i18n.tr(Msg::BalIncompleteNote)}</p>
    }
    .into_any()
}
