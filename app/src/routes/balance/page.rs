//! «Баланс» (F28, EK 4.1.8): a building's balance group — the common meters against the
//! signed sum of the flats' — by day of a month or by month of a year, with a chart, the
//! allowed imbalance, each day judged, and what each meter counted. The query lives in the
//! address; the page follows the building picked in the top bar.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_location;

use crate::components::chart::{ChartKind, ConsumptionChart, Series};
use crate::components::error_view::ErrorBox;
use crate::components::cell_toolbar::{cells_csv, CellToolbar};
use crate::components::layout::follow_selected_object;
use crate::components::cell_table::{CellRow, CellTable};
use crate::routes::consumption::{ObjectTabs, Tab};
use crate::functions::balance::group_balance;
use crate::i18n::{resource_name, unit_name, use_i18n, Msg};
use crate::models::balance::{Balance, BalanceQuery, By, PhaseRow, Verdict};
use crate::models::cell::Cell;
use crate::models::{format, Amount};
use crate::resource::resource;

fn href(q: &BalanceQuery) -> String {
    format!("/balance?{}", q.query_string())
}

#[component]
pub fn BalancePage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = Memo::new(move |_| location.search.get().trim_start_matches('?').to_string());
    let balance = resource(move || query.get(), group_balance);
    follow_selected_object(move |id| {
        let q = query.get_untracked();
        let asked = BalanceQuery::from_pairs(q.split('&').filter_map(|p| p.split_once('=')));
        // another building has its own groups
        href(&BalanceQuery { object: Some(id), group: None, ..asked })
    });
    view! {
        <Title text=i18n.tr(Msg::MenuBalance)/>
        <section class="page balance">
            <h1>{i18n.tr(Msg::MenuBalance)}</h1>
            <p class="lead">{i18n.tr(Msg::BalLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match balance.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(b) => view! {
                            <ObjectTabs object=b.query.object resource=b.query.resource current=Tab::Balance/>
                            <Picker b=b.clone()/>
                            <BalanceView b/>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Building, resource, group, days or months and the period: a GET form, so the address
/// says what is shown.
#[component]
fn Picker(b: Balance) -> impl IntoView {
    let i18n = use_i18n();
    let q = b.query.clone();
    let objects = b
        .objects
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=Some(*id) == q.object>{name.clone()}</option> })
        .collect_view();
    let resources = super::resource_options(&b.resources, q.resource);
    let groups = super::group_options(&b.groups, q.group);
    let month = q.month.clone().unwrap_or_default();
    let year = q.year.clone().unwrap_or_default();
    view! {
        <Form method="GET" action="/balance" attr:class="filters" attr:data-testid="balance-form">
            <label class="field">
                <span>{i18n.tr(Msg::Building)}</span>
                <select name="object" data-testid="balance-object">{objects}</select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::NpResource)}</span>
                <select name="resource" data-testid="balance-resource">{resources}</select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::BalGroup)}</span>
                <select name="group" data-testid="balance-group">{groups}</select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::RepView)}</span>
                <select name="by" data-testid="balance-by">
                    <option value="day" selected=q.by == By::Day>{i18n.tr(Msg::BalByDay)}</option>
                    <option value="month" selected=q.by == By::Month>{i18n.tr(Msg::BalByMonth)}</option>
                </select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::BalMonth)}</span>
                <input type="month" name="month" value=month.clone() prop:value=month data-testid="balance-month"/>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::BalYear)}</span>
                <input type="number" name="year" min="1990" max="2100" value=year.clone() prop:value=year data-testid="balance-year"/>
            </label>
            <button type="submit" class="button primary" data-testid="balance-show">{i18n.tr(Msg::EvShow)}</button>
        </Form>
    }
}

/// A figure as a chart takes it: the value, or a gap where nothing or only part is known.
fn chart_value(a: Amount) -> String {
    match a {
        Amount::Full(v) => v.normalize().to_string(),
        _ => "-".into(),
    }
}

#[component]
fn BalanceView(b: Balance) -> impl IntoView {
    let i18n = use_i18n();
    let Some(resource) = b.query.resource else {
        return view! { <p class="empty" data-testid="balance-empty">{i18n.tr(Msg::BalNoMeters)}</p> }.into_any();
    };
    let lang = i18n.lang();
    let export = b.query.query_string();
    let (header, rows) = b.table(lang);
    let total_row = rows.last().cloned().unwrap_or_default();
    let day_rows: Vec<(Vec<Cell>, Verdict)> = rows
        .iter()
        .take(rows.len().saturating_sub(1))
        .cloned()
        .zip(b.rows.iter().map(|r| r.verdict))
        .collect();
    let csv = cells_csv(&header, &rows, &[]);
    let labels: Vec<String> = b
        .rows
        .iter()
        .filter_map(|r| r.day)
        .map(|d| match b.query.by {
            By::Day => d.format("%d.%m").to_string(),
            By::Month => crate::i18n::month_name(lang, chrono::Datelike::month0(&d)).to_string(),
        })
        .collect();
    let series = vec![
        Series { name: i18n.t(Msg::BalRootSum).to_string(), values: b.rows.iter().map(|r| chart_value(r.root)).collect() },
        Series { name: i18n.t(Msg::BalChildrenSum).to_string(), values: b.rows.iter().map(|r| chart_value(r.children)).collect() },
        Series { name: i18n.t(Msg::BalImbalance).to_string(), values: b.rows.iter().map(|r| chart_value(r.imbalance)).collect() },
    ];
    let unit = i18n.t(unit_name(resource)).to_string();
    let norm = match b.norm {
        Some(n) => format!("{} %", format::decimal(n)),
        None => i18n.t(Msg::BalNormNone).to_string(),
    };
    let groups_href = format!(
        "/balance/groups?object={}&resource={}{}",
        b.query.object.unwrap_or(0),
        resource.as_str(),
        b.query.group.map(|g| format!("&group={g}")).unwrap_or_default()
    );
    let over = b.over();
    let search = RwSignal::new(String::new());
    let day_rows: Vec<CellRow> = day_rows
        .into_iter()
        .enumerate()
        .map(|(i, (cells, verdict))| CellRow { cells, class: format!("verdict-{}", verdict.as_str()), link: None, id: i.to_string() })
        .collect();
    view! {
        <div class="balance-summary" data-testid="balance-summary">
            <p>
                <strong>{b.group_title(lang)}</strong> ", " {move || i18n.t(resource_name(resource))} ", " {unit.clone()} " — " {b.query.period_text(lang)}
            </p>
            <p>
                {i18n.tr(Msg::BalAllowedIs)} ": " <strong data-testid="balance-norm">{norm}</strong>
                " · " {i18n.tr(Msg::BalOverCount)} ": " <strong data-testid="balance-over">{over}</strong>
                " · " <a href=groups_href data-testid="balance-groups-link">{i18n.tr(Msg::BalEditGroups)}</a>
            </p>
        </div>
        {(!b.rows.is_empty()).then(|| view! {
            <ConsumptionChart labels series unit=i18n.t(unit_name(resource)).to_string() kind=Signal::derive(|| ChartKind::Grouped)/>
        })}
        <CellToolbar search table="balance" query=export csv/>
        {b.rows.is_empty().then(|| view! { <p class="empty">{i18n.tr(Msg::BalNoRows)}</p> })}
        <CellTable header rows=day_rows search foot=vec![total_row] class="balance-table" testid="balance-table"/>
        <p class="note">{i18n.tr(Msg::BalIncompleteNote)}</p>
        <Phases phases=b.phases.clone() unit=i18n.t(unit_name(resource)).to_string()/>
        <Members b/>
    }
    .into_any()
}

/// What each meter of the group counted over the period, and how it takes part.
#[component]
fn Members(b: Balance) -> impl IntoView {
    let i18n = use_i18n();
    let rows = b
        .members
        .iter()
        .map(|m| {
            let part = m.part;
            view! {
                <tr class:excluded=part == crate::models::balance::Part::Excluded>
                    <td><a href=format!("/meters/{}", m.meter_id)>{m.serial.clone()}</a></td>
                    <td>{m.place.clone()}</td>
                    <td>{move || i18n.t(part.label())}</td>
                    <td class="num">{m.amount.display()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>{i18n.tr(Msg::BalMembersTitle)}</h2>
        <div class="table-wrap">
            <table class="data" data-testid="balance-members">
                <thead>
                    <tr>
                        <th>{i18n.tr(Msg::ColMeter)}</th>
                        <th>{i18n.tr(Msg::ColPlace)}</th>
                        <th>{i18n.tr(Msg::BalPart)}</th>
                        <th class="num">{i18n.tr(Msg::BalAmount)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The input's three lines as the flats' single-phase meters load them.
#[component]
fn Phases(phases: Vec<PhaseRow>, unit: String) -> impl IntoView {
    let i18n = use_i18n();
    if phases.is_empty() {
        return ().into_any();
    }
    let asymmetry = crate::models::balance::asymmetry(&phases).map(|a| format!("{} %", a.display())).unwrap_or_else(|| "–*".into());
    let percent = |v: Option<Amount>| v.map(Amount::display).unwrap_or_default();
    let rows = phases
        .iter()
        .map(|p| {
            view! {
                <tr data-line=p.line.to_string()>
                    <td>{format!("L{}", p.line)}</td>
                    <td class="num">{p.meters}</td>
                    <td class="num">{p.amount.display()}</td>
                    <td class="num">{percent(p.share)}</td>
                    <td class="num">{percent(p.deviation)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>{i18n.tr(Msg::BalPhasesTitle)}</h2>
        <p class="lead">{i18n.tr(Msg::BalPhasesLead)}</p>
        <p>{i18n.tr(Msg::BalPhaseAsymmetry)} ": " <strong data-testid="balance-asymmetry">{asymmetry}</strong></p>
        <div class="table-wrap">
            <table class="data" data-testid="balance-phases">
                <thead>
                    <tr>
                        <th>{i18n.tr(Msg::BalPhaseLine)}</th>
                        <th class="num">{i18n.tr(Msg::BalPhaseMeters)}</th>
                        <th class="num">{i18n.tr(Msg::BalAmount)} ", " {unit}</th>
                        <th class="num">{i18n.tr(Msg::BalPhaseShare)}</th>
                        <th class="num">{i18n.tr(Msg::BalPhaseDeviation)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
