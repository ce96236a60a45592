//! «Расход ресурсов» on the dispatcher's home (Kvant-Energo 3.2): a widget per resource with
//! the period's total and its tariffs, then a chart or a table by day (by month for a year),
//! previous / next period, month / billing period / year / date, and printing to PDF. Every
//! figure comes from the same server answer, so widgets, chart and table always agree. The
//! billing period (issue 27) charts and lists a row per building, and each widget says what
//! its meters' figures stand on.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::chart::{ChartKind, ConsumptionChart, Series};
use crate::components::error_view::ErrorBox;
use crate::components::layout::SelectedObject;
use crate::functions::dashboard::get_dashboard;
use crate::i18n::{month_year, resource_name, unit_name, use_i18n, Lang, Msg};
use crate::models::dashboard::{DashRow, Dashboard, ResourceTotal, Span};
use crate::models::amount::{shown_slots, slot_label};
use crate::models::format;
use crate::models::Resource as Res;
use rust_decimal::Decimal;
use crate::resource::resource;

fn value_text(v: Option<Decimal>) -> String {
    v.map(|v| format::fixed(v, 2)).unwrap_or_else(|| "—".into())
}

/// A table cell: the value, or `–*` where nothing was measured, as the seeds mark it.
fn cell_text(v: Option<Decimal>) -> String {
    v.map(|v| format::fixed(v, 2)).unwrap_or_else(|| "–*".into())
}

/// The slots a resource shows: T1..Tn then the total, or just the total.
fn slots_of(t: &ResourceTotal) -> Vec<usize> {
    shown_slots(&t.tariffs())
}

/// The period's name: «ноябрь 2026», «2026 год», «21.11.2026».
fn period_name(lang: Lang, span: Span, d: NaiveDate) -> String {
    use chrono::Datelike;
    match span {
        Span::Month => month_year(lang, d),
        Span::Period => format!("{}, {}", month_year(lang, d), Msg::DashBillingPeriod.text(lang)),
        Span::Year => match lang {
            Lang::Ru => format!("{} год", d.year()),
            Lang::En => d.year().to_string(),
        },
        Span::Date => format::date(d),
    }
}

/// A row's first cell: its day or month, or its building in the billing period's view.
fn row_label(span: Span, row: &DashRow, lang: Lang) -> String {
    match (span, &row.name) {
        (_, Some(name)) => name.clone(),
        (Span::Year, None) => month_year(lang, row.date),
        _ => format::date(row.date),
    }
}

/// The link to the same page with one query value changed.
fn href(span: Span, date: NaiveDate, view: &str, res: Option<Res>) -> String {
    let mut s = format!("/?span={}&date={}&view={view}", span.as_str(), date.format("%Y-%m-%d"));
    if let Some(r) = res {
        s.push_str("&res=");
        s.push_str(r.as_str());
    }
    s
}

/// The link to another span: the billing period from a calendar view opens the last closed
/// period (the server picks it), not the month shown, whose readings may still be coming.
fn span_href(to: Span, from: Span, date: NaiveDate, view: &str, res: Option<Res>) -> String {
    if to != Span::Period || from == Span::Period {
        return href(to, date, view, res);
    }
    let mut s = format!("/?span=period&view={view}");
    if let Some(r) = res {
        s.push_str("&res=");
        s.push_str(r.as_str());
    }
    s
}

#[component]
pub fn DashboardBlock() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // the building chosen in the top bar narrows the figures to it; none: the whole company
    let selected = use_context::<SelectedObject>();
    let object = move || selected.and_then(|s| s.0.get());
    let key = Memo::new(move |_| {
        query.with(|q| {
            let span = q.get("span").and_then(|s| Span::parse(&s)).unwrap_or_default();
            let date = q
                .get("date")
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
            // the view and the charted resource are in the key too, so the block is drawn
            // anew when they change (the answer is small)
            (span, date, q.get("view"), q.get("res"), object())
        })
    });
    let data = resource(
        move || key.get(),
        |(span, date, _, _, object)| get_dashboard(span, date, object),
    );
    view! {
        <section class="dashboard" data-testid="dashboard">
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || {
                    // the whole block is drawn again in the other language: its notes, month
                    // names, units and the chart's labels are all words of the page
                    i18n.0.track();
                    Suspend::new(async move {
                        match data.await {
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                            Ok(d) => view! { <DashboardView d/> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let lang = i18n.lang();
    let view_kind = query.with_untracked(|q| q.get("view")).unwrap_or_else(|| "chart".into());
    let chart_res = query
        .with_untracked(|q| q.get("res").and_then(|r| Res::parse(&r)))
        .filter(|r| d.resources.iter().any(|t| t.resource == *r))
        .or_else(|| d.resources.first().map(|t| t.resource));
    let kind = RwSignal::new(ChartKind::default());
    let is_table = view_kind == "table";
    let view_name = if is_table { "table" } else { "chart" };

    let widgets = d
        .resources
        .iter()
        .map(|t| view! { <Widget t=t.clone()/> })
        .collect_view();
    let counted_note = match (d.window, d.counted) {
        (Some((from, to)), counted) => format!(
            "{} {} {} {}{}. {}",
            i18n.t(Msg::DashPeriodWindow),
            format::date(from),
            i18n.t(Msg::DashPeriodTo),
            format::date(to),
            if counted.is_none() { format!(" — {}", i18n.t(Msg::PeriodNotOver)) } else { String::new() },
            i18n.t(Msg::DashPeriodRule)
        ),
        (None, Some((from, to))) => format!(
            "{}: {} — {}. {}",
            i18n.t(Msg::DashCountedTill),
            format::date(from),
            format::date(to),
            i18n.t(Msg::DashOnlyWholeDays)
        ),
        (None, None) => i18n.t(Msg::DashNothingYet).to_string(),
    };
    let gaps_note = if d.span == Span::Period { Msg::DashPeriodGaps } else { Msg::DashGaps };
    let any_gaps = d.resources.iter().any(|t| t.gaps);

    let span_links = Span::ALL
        .into_iter()
        .map(|s| {
            let label = match s {
                Span::Month => Msg::DashForMonth,
                Span::Period => Msg::DashForPeriod,
                Span::Year => Msg::DashForYear,
                Span::Date => Msg::DashForDate,
            };
            let date = if s == Span::Date { d.last.min(d.counted.map_or(d.last, |c| c.1)) } else { d.date };
            view! {
                <a href=span_href(s, d.span, date, view_name, chart_res) class:active=s == d.span data-span=s.as_str()>
                    {move || i18n.t(label)}
                </a>
            }
        })
        .collect_view();
    let prev_href = href(d.span, d.prev, view_name, chart_res);
    let next = d.next.map(|n| (href(d.span, n, view_name, chart_res), period_name(lang, d.span, n)));
    let date_picker = (d.span == Span::Date).then(|| {
        view! {
            <form method="get" action="/" class="inline">
                <input type="hidden" name="span" value="date"/>
                <input type="hidden" name="view" value=view_name/>
                <input type="date" name="date" value=d.date.format("%Y-%m-%d").to_string() aria-label=i18n.tr(Msg::DashForDate)/>
                <button type="submit" class="button">"OK"</button>
            </form>
        }
    });

    let body = if is_table {
        view! { <DashTable d=d.clone()/> }.into_any()
    } else {
        chart_of(&d, chart_res, kind, lang).into_any()
    };
    let res_links = d
        .resources
        .iter()
        .map(|t| {
            let r = t.resource;
            view! {
                <a href=href(d.span, d.date, "chart", Some(r)) class:active=Some(r) == chart_res data-res=r.as_str()>
                    {move || i18n.t(resource_name(r))}
                </a>
            }
        })
        .collect_view();
    let kinds = ChartKind::ALL
        .into_iter()
        .map(|k| {
            let label = match k {
                ChartKind::Grouped => Msg::DashGrouped,
                ChartKind::Stacked => Msg::DashStacked,
                ChartKind::Lines => Msg::DashLines,
                ChartKind::Areas => Msg::DashAreas,
            };
            view! {
                <button type="button" class:active=move || kind.get() == k data-kind=k.as_str() on:click=move |_| kind.set(k)>
                    {move || i18n.t(label)}
                </button>
            }
        })
        .collect_view();
    let common = (!d.common.is_empty()).then(|| {
        let items = d
            .common
            .iter()
            .map(|t| {
                let r = t.resource;
                view! {
                    <li data-common=r.as_str()>
                        {move || i18n.t(resource_name(r))} ": " <strong>{value_text(t.values[0])}</strong> " " {move || i18n.t(unit_name(r))}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="dash-common">
                <h3>{i18n.tr(Msg::DashCommon)}</h3>
                <ul>{items}</ul>
            </div>
        }
    });

    view! {
        <h2 class="dash-title" data-testid="dash-period">
            {i18n.tr(Msg::DashConsumption)} " — " {period_name(lang, d.span, d.date)}
        </h2>
        <p class="dash-scope" data-testid="dash-scope">
            {match d.object.clone() {
                Some((_, name)) => name.into_any(),
                None => (i18n.tr(Msg::AllBuildings)).into_any(),
            }}
        </p>
        <div class="widgets">{widgets}</div>
        <p class="note" data-testid="dash-note">{counted_note}</p>
        {any_gaps.then(|| view! { <p class="note">{i18n.tr(gaps_note)}</p> })}
        {(d.pending > 0).then(|| view! {
            <p class="note warn" data-testid="dash-pending">
                {i18n.tr(Msg::DashPending)} " " {format::integer(d.pending)}
            </p>
        })}
        <div class="dash-controls no-print">
            <nav class="periods">
                <a href=prev_href data-testid="dash-prev">"‹ " {period_name(lang, d.span, d.prev)}</a>
                <strong>{period_name(lang, d.span, d.date)}</strong>
                {next.map(|(h, name)| view! { <a href=h data-testid="dash-next">{name} " ›"</a> })}
            </nav>
            <nav class="spans">{span_links}</nav>
            {date_picker}
            <nav class="views">
                <a href=href(d.span, d.date, "chart", chart_res) class:active=!is_table data-view="chart">{i18n.tr(Msg::DashChart)}</a>
                <a href=href(d.span, d.date, "table", chart_res) class:active=is_table data-view="table">{i18n.tr(Msg::DashTable)}</a>
            </nav>
            <button type="button" class="button print" on:click=move |_| print_page()>{i18n.tr(Msg::DashSavePdf)}</button>
        </div>
        {(!is_table).then(|| view! {
            <div class="dash-controls no-print">
                <nav class="resources" aria-label=i18n.tr(Msg::DashChartResource)>{res_links}</nav>
                <nav class="kinds">{kinds}</nav>
            </div>
        })}
        {body}
        {common}
    }
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

#[component]
fn Widget(t: ResourceTotal) -> impl IntoView {
    let i18n = use_i18n();
    let r = t.resource;
    // one tariff is the total itself: only a multi-tariff resource lists them
    let slots = t.tariffs();
    let shown = if slots.len() > 1 { slots } else { Vec::new() };
    let tariffs = shown
        .into_iter()
        .map(|s| {
            view! { <li><span>{format!("T{s}")}</span> <span data-slot=s.to_string()>{value_text(t.values[s])}</span></li> }
        })
        .collect_view();
    let star = if t.gaps { "*" } else { "" };
    // the billing period says what its figures stand on; the calendar, who was heard lately
    let meters = match t.bases {
        Some(b) => {
            let english = i18n.lang() == Lang::En;
            let parts = b
                .parts()
                .into_iter()
                .map(|(basis, n)| {
                    let name = basis.map_or_else(|| Msg::DashNoFigure.text(i18n.lang()), |b| b.name(english));
                    format!("{name} {}", format::integer(n))
                })
                .collect::<Vec<_>>()
                .join(" · ");
            view! { <span class="widget-meters" data-testid=format!("bases-{}", r.as_str())>{parts}</span> }.into_any()
        }
        None => view! {
            <span class="widget-meters">
                {i18n.tr(Msg::DashMetersHeard)} " " {format::integer(t.meters_heard)} " "
                {i18n.tr(Msg::DashOf)} " " {format::integer(t.meters)}
            </span>
        }
        .into_any(),
    };
    view! {
        <div class="widget" data-resource=r.as_str()>
            <span class="widget-label">{move || i18n.t(resource_name(r))} ", " {move || i18n.t(unit_name(r))}</span>
            <span class="widget-value" data-testid=format!("total-{}", r.as_str())>{value_text(t.values[0])}{star}</span>
            <ul class="tariffs">{tariffs}</ul>
            {meters}
        </div>
    }
}

fn chart_of(d: &Dashboard, res: Option<Res>, kind: RwSignal<ChartKind>, lang: Lang) -> impl IntoView {
    let i18n = use_i18n();
    let Some((i, t)) = d.resources.iter().enumerate().find(|(_, t)| Some(t.resource) == res) else {
        return view! { <p class="note">{i18n.tr(Msg::DashNothingYet)}</p> }.into_any();
    };
    let labels: Vec<String> = d.rows.iter().map(|r| row_label(d.span, r, lang)).collect();
    let series: Vec<Series> = slots_of(t)
        .into_iter()
        .filter(|&s| s != 0 || t.tariffs().len() <= 1)
        .map(|s| Series {
            name: slot_label(s, Msg::Total.text(lang)),
            values: d
                .rows
                .iter()
                .map(|row| row.values[i][s].map(|v| v.normalize().to_string()).unwrap_or_else(|| "-".into()))
                .collect(),
        })
        .collect();
    let unit = Msg::text(unit_name(t.resource), lang).to_string();
    view! { <ConsumptionChart labels series unit kind=kind.into()/> }.into_any()
}

#[component]
fn DashTable(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let cols: Vec<(usize, Vec<usize>)> = d
        .resources
        .iter()
        .enumerate()
        .map(|(i, t)| (i, slots_of(t)))
        .collect();
    let head1 = d
        .resources
        .iter()
        .zip(cols.iter())
        .map(|(t, (_, slots))| {
            let r = t.resource;
            view! {
                <th colspan=slots.len().to_string() class="num">
                    {move || i18n.t(resource_name(r))} ", " {move || i18n.t(unit_name(r))}
                </th>
            }
        })
        .collect_view();
    let head2 = cols
        .iter()
        .flat_map(|(_, slots)| slots.clone())
        .map(|s| view! { <th class="num">{move || slot_label(s, i18n.t(Msg::Total))}</th> })
        .collect_view();
    let first_heading = if d.span == Span::Period { Msg::Building } else { Msg::DashPeriod };
    let rows = d
        .rows
        .iter()
        .map(|row| {
            // today and later are not over yet: empty, not «–*» (which means missing data)
            // (a building's row of the billing period is its figures so far)
            let not_yet = d.span != Span::Period && d.counted.is_none_or(|(_, last)| row.date > last);
            let cells = cols
                .iter()
                .flat_map(|(i, slots)| slots.iter().map(move |&s| (*i, s)))
                .map(|(i, s)| {
                    let text = if not_yet { String::new() } else { cell_text(row.values[i][s]) };
                    view! { <td class="num" data-res=d.resources[i].resource.as_str() data-slot=s.to_string()>{text}</td> }
                })
                .collect_view();
            view! {
                <tr data-date=row.date.format("%Y-%m-%d").to_string() data-building=row.name.clone()>
                    <td>{row_label(d.span, row, lang)}</td>{cells}
                </tr>
            }
        })
        .collect_view();
    let totals = cols
        .iter()
        .flat_map(|(i, slots)| slots.iter().map(move |&s| (*i, s)))
        .map(|(i, s)| view! { <td class="num">{value_text(d.resources[i].values[s])}</td> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data dash-table" data-testid="dash-table">
                <thead>
                    <tr><th rowspan="2">{i18n.tr(first_heading)}</th>{head1}</tr>
                    <tr>{head2}</tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot><tr><th>{i18n.tr(Msg::Total)}</th>{totals}</tr></tfoot>
            </table>
        </div>
    }
}
