//! My consumption (F44): a premise's year by month, or a month by day, per resource — a chart
//! of one resource and a table of all. Gaps are never filled: «–*» where nothing is known,
//! «1,77*» where part is.

use chrono::{Datelike, Months, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::chart::{ChartKind, ConsumptionChart, Series};
use crate::components::error_view::ErrorBox;
use crate::functions::cabinet::my_consumption;
use crate::i18n::{month_year, resource_name, unit_name, use_i18n, Lang, Msg};
use crate::models::period::Basis;
use crate::models::cabinet::PremiseConsumption;
use crate::models::Resource as Res;
use crate::resource::resource;

/// The address of a period: a year, or a month (by day).
fn href(premise: i64, year: i32, month: Option<NaiveDate>) -> String {
    match month {
        Some(m) => format!("/my/consumption?premise={premise}&month={}", m.format("%Y-%m-%d")),
        None => format!("/my/consumption?premise={premise}&year={year}"),
    }
}

#[component]
pub fn MyConsumptionPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let args = Memo::new(move |_| {
        q.with(|q| {
            (
                q.get("premise").and_then(|v| v.parse::<i64>().ok()),
                q.get("year").and_then(|v| v.parse::<i32>().ok()),
                q.get("month")
                    .and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()),
            )
        })
    });
    let data = resource(move || args.get(), |(p, y, m)| my_consumption(p, y, m));
    view! {
        <Title text=i18n.tr(Msg::Consumption)/>
        <section class="page my-consumption">
            <h1>{i18n.tr(Msg::Consumption)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <ConsumptionView c/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ConsumptionView(c: PremiseConsumption) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let premise = c.premise_id;
    let (year, month) = (c.year, c.month);
    let (prev, next, period) = match month {
        Some(m) => (
            href(premise, year, Some(m - Months::new(1))),
            href(premise, year, Some(m + Months::new(1))),
            month_year(i18n.lang(), m),
        ),
        None => (
            href(premise, year - 1, None),
            href(premise, year + 1, None),
            year.to_string(),
        ),
    };
    let switch = match month {
        Some(_) => (href(premise, year, None), Msg::DashForYear),
        None => {
            let today = crate::offline::device_today();
            let m = if today.year() == year {
                today.with_day(1)
            } else {
                NaiveDate::from_ymd_opt(year, 12, 1)
            };
            (href(premise, year, m), Msg::CabByDay)
        }
    };
    let go = navigate.clone();
    let on_premise = move |ev: leptos::ev::Event| {
        if let Ok(p) = event_target_value(&ev).parse::<i64>() {
            go(&href(p, year, month), Default::default());
        }
    };
    let resources: Vec<Res> = c.resources.iter().map(|l| l.resource).collect();
    let charted = RwSignal::new(resources.first().copied());
    let premise_options = c
        .premises
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=*id == premise>{name.clone()}</option> })
        .collect_view();
    let lines = StoredValue::new(c.resources.clone());
    let periods = StoredValue::new(c.periods.clone());
    let open_from = c.periods_open_from;
    let labels = c.labels.clone();
    let chart = move || {
        let Some(r) = charted.get() else {
            return ().into_any();
        };
        let Some(line) = lines.with_value(|l| l.iter().find(|x| x.resource == r).cloned()) else {
            return ().into_any();
        };
        // a year is charted by billing period (what a hand-read flat is billed for), a month by day
        let values: Vec<Option<rust_decimal::Decimal>> = match periods.with_value(|p| p.iter().find(|x| x.resource == r).cloned()) {
            Some(p) => p.values.iter().enumerate().map(|(i, v)| v.amount.known().filter(|_| i < open_from)).collect(),
            None => line.values.iter().map(|a| a.known()).collect(),
        };
        let series = vec![Series {
            name: i18n.t(resource_name(r)).to_string(),
            values: values
                .into_iter()
                .map(|a| a.map(|v| v.normalize().to_string()).unwrap_or_else(|| "-".into()))
                .collect(),
        }];
        let unit = i18n.t(unit_name(r)).to_string();
        view! { <ConsumptionChart labels=labels.clone() series unit kind=Signal::derive(|| ChartKind::Grouped)/> }.into_any()
    };
    let head = c
        .resources
        .iter()
        .map(|l| {
            let r = l.resource;
            view! { <th class="num">{move || i18n.t(resource_name(r))} ", " {move || i18n.t(unit_name(r))}</th> }
        })
        .collect_view();
    let rows = c
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let label = match month {
                Some(m) => format!("{label}.{:02}", m.month()),
                None => label.clone(),
            };
            let cells = c
                .resources
                .iter()
                .map(|l| view! { <td class="num">{if i < c.not_yet_from { l.values[i].display() } else { String::new() }}</td> })
                .collect_view();
            view! { <tr><td>{label}</td>{cells}</tr> }
        })
        .collect_view();
    let totals = c
        .resources
        .iter()
        .map(|l| view! { <td class="num"><strong>{l.total.display()}</strong></td> })
        .collect_view();
    view! {
        <div class="toolbar">
            {(c.premises.len() > 1).then(|| view! {
                <label>{i18n.tr(Msg::Flat)} " " <select on:change=on_premise>{premise_options}</select></label>
            })}
            <a class="button small" href=prev>"← "</a>
            <strong class="period" data-testid="period">{period}</strong>
            <a class="button small" href=next>" →"</a>
            <a class="button small" href=switch.0>{move || i18n.t(switch.1)}</a>
        </div>
        <p class="muted">{c.title.clone()}</p>
        {(resources.len() > 1).then(|| {
            let buttons = resources
                .iter()
                .map(|r| {
                    let r = *r;
                    view! {
                        <button type="button" class="button small" class:primary=move || charted.get() == Some(r)
                            on:click=move |_| charted.set(Some(r))>
                            {move || i18n.t(resource_name(r))}
                        </button>
                    }
                })
                .collect_view();
            view! { <div class="toolbar chart-resources">{buttons}</div> }
        })}
        {chart}
        {(!c.periods.is_empty()).then(|| view! { <PeriodTable c=c.clone()/> <h2>{i18n.tr(Msg::CalendarMonths)}</h2> })}
        <div class="table-wrap">
            <table class="data my-consumption-table">
                <thead><tr><th>{move || if month.is_some() { i18n.t(Msg::Date) } else { i18n.t(Msg::Month) }}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
                <tfoot><tr><td>{i18n.tr(Msg::Total)}</td>{totals}</tr></tfoot>
            </table>
        </div>
        <p class="muted small">{i18n.tr(Msg::GapNote)}</p>
    }
}

/// The year's billing periods: what the flat is billed for, each figure with what it stands on.
#[component]
fn PeriodTable(c: PremiseConsumption) -> impl IntoView {
    let i18n = use_i18n();
    let english = i18n.lang() == Lang::En;
    let head = c
        .periods
        .iter()
        .map(|l| {
            let r = l.resource;
            view! { <th class="num">{move || i18n.t(resource_name(r))} ", " {move || i18n.t(unit_name(r))}</th> }
        })
        .collect_view();
    let rows = (0..12usize)
        .map(|i| {
            let month = NaiveDate::from_ymd_opt(c.year, i as u32 + 1, 1).expect("a month");
            let cells = c
                .periods
                .iter()
                .map(|l| {
                    let v = l.values[i];
                    let shown = i < c.periods_open_from;
                    let mark = (shown && v.basis != Basis::Measured && v.amount.known().is_some())
                        .then(|| view! { " " <span class="tag basis-tag" data-basis=v.basis.as_str()>{v.basis.name(english)}</span> });
                    view! { <td class="num">{if shown { v.amount.display() } else { String::new() }}{mark}</td> }
                })
                .collect_view();
            view! { <tr><td>{month_year(i18n.lang(), month)}</td>{cells}</tr> }
        })
        .collect_view();
    view! {
        <h2>{i18n.tr(Msg::PeriodView)}</h2>
        <div class="table-wrap">
            <table class="data my-periods-table" data-testid="my-periods">
                <thead><tr><th>{i18n.tr(Msg::Month)}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="muted small">{i18n.tr(Msg::PeriodWindowDays)} " " {c.window.first_day} "–" {c.window.last_day} ". " {i18n.tr(Msg::PeriodNote)}</p>
    }
}
