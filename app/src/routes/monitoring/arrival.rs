//! «Поступление данных» (F24, EK 4.2.3): a building's meters, each a row of the records of
//! one archive (hour, day, month) over a period — delivered whole, in part, flagged by the
//! checks, or missing — with the count of meters that delivered each record under the
//! table; a meter picked opens its records parameter by parameter. The filters sit in the
//! address; the list searches, sorts and downloads as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_location;

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::layout::follow_selected_object;
use crate::components::picked::PickedPanel;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::monitoring::{data_arrival, data_arrival_meter};
use crate::i18n::{parameter_name, resource_name, unit_text, use_i18n, Lang, Msg};
use crate::models::arrival::{Archive, Arrival, ArrivalDetail, ArrivalMeter, Slot};
use crate::models::format::{decimal, integer};
use crate::models::{Placement, Resource};
use crate::resource::resource;

#[component]
pub fn ArrivalPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = Memo::new(move |_| location.search.get().trim_start_matches('?').to_string());
    let data = resource(move || query.get(), data_arrival);
    follow_selected_object(move |id| format!("/monitoring/arrival?object={id}"));
    view! {
        <Title text=i18n.tr(Msg::MenuArrival)/>
        <section class="page arrival">
            <h1>{i18n.tr(Msg::MenuArrival)}</h1>
            <p class="lead">{i18n.tr(Msg::ArLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(a) => view! { <ArrivalTable arrival=a/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Place,
    Resource,
    Serial,
    Complete,
    Missing,
}

fn compare(a: &ArrivalMeter, b: &ArrivalMeter, col: Col) -> std::cmp::Ordering {
    let flat = |m: &ArrivalMeter| m.premise.trim_start_matches("кв. ").parse::<i64>().ok();
    match col {
        Col::Place => (flat(a), &a.premise, a.resource.as_str()).cmp(&(flat(b), &b.premise, b.resource.as_str())),
        Col::Resource => (a.resource.as_str(), flat(a)).cmp(&(b.resource.as_str(), flat(b))),
        Col::Serial => a.serial.cmp(&b.serial),
        Col::Complete => (a.completeness(), flat(a)).cmp(&(b.completeness(), flat(b))),
        Col::Missing => (a.count(Slot::Missing), flat(a)).cmp(&(b.count(Slot::Missing), flat(b))),
    }
}

fn place(m: &ArrivalMeter, lang: Lang) -> String {
    if m.placement == Placement::Common {
        Msg::CommonMeter.text(lang).to_string()
    } else {
        m.premise.clone()
    }
}

/// The list as CSV: a row per meter, a column per record with its mark.
fn csv_rows(a: &Arrival, meters: &[ArrivalMeter], lang: Lang) -> Vec<Vec<String>> {
    let mut head: Vec<String> = [Msg::ConPremise, Msg::NpResource, Msg::Model, Msg::Serial, Msg::ArComplete]
        .iter()
        .map(|m| m.text(lang).to_string())
        .collect();
    head.extend(a.slots.iter().cloned());
    let mut rows = vec![head];
    rows.extend(meters.iter().map(|m| {
        let mut r = vec![place(m, lang), resource_name(m.resource).text(lang).to_string(), m.model.clone(), m.serial.clone(), format!("{} %", m.completeness())];
        r.extend(m.slots.iter().map(|s| s.mark().to_string()));
        r
    }));
    rows
}

#[component]
fn ArrivalTable(arrival: Arrival) -> impl IntoView {
    let i18n = use_i18n();
    let q = arrival.query.clone();
    let objects = arrival
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=arrival.object_id == id>{name.clone()}</option> }
        })
        .collect_view();
    let resources = Resource::ALL
        .iter()
        .map(|r| view! { <option value=r.as_str() selected=q.resource == Some(*r)>{move || i18n.t(resource_name(*r))}</option> })
        .collect_view();
    let archives = Archive::ALL
        .iter()
        .map(|a| {
            let a = *a;
            view! {
                <label class="radio">
                    <input type="radio" name="archive" value=a.as_str() checked=q.archive == a data-testid=format!("archive-{}", a.as_str())/>
                    {move || i18n.t(a.label())}
                </label>
            }
        })
        .collect_view();
    let asked = q.placement;
    let placement = move |p: Option<Placement>| asked == p;
    let totals: Vec<usize> = Slot::ALL.iter().map(|s| arrival.meters.iter().map(|m| m.count(*s)).sum()).collect();
    let legend = Slot::ALL
        .iter()
        .zip(totals)
        .map(|(s, n)| view! { <li><span class=format!("slot {}", s.key())></span> {i18n.tr(s.label())} ": " <strong>{integer(n as i64)}</strong></li> })
        .collect_view();
    let delivered = arrival.delivered_per_slot();
    let meter_count = arrival.meters.len();
    let slot_heads = arrival
        .slots
        .iter()
        .map(|s| view! { <th class="slot-head" title=s.clone()><span>{s.clone()}</span></th> })
        .collect_view();
    let delivered_cells = delivered
        .iter()
        .zip(&arrival.slots)
        .map(|(n, s)| {
            let short = *n < meter_count;
            view! { <td class="num slot-count" class:short=short title=format!("{s}: {n} / {meter_count}")>{integer(*n as i64)}</td> }
        })
        .collect_view();
    let slot_labels = StoredValue::new(arrival.slots.clone());
    let total = arrival.meters.len();
    let picked = RwSignal::new(None::<i64>);
    let detail_query = q.query_string();
    let whole = StoredValue::new(arrival.clone());
    let rows = StoredValue::new(arrival.meters);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { key: Col::Place, ascending: true });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let lang = i18n.lang();
        rows.with_value(|r| {
            shown_rows(r, |m| all_words_in(&format!("{} {} {} {}", place(m, lang), m.serial, m.model, resource_name(m.resource).text(lang)), &q), sort.get(), compare)
        })
    });
    let csv = move || whole.with_value(|a| csv_href(&csv_rows(a, &shown.read(), i18n.lang())));
    view! {
        <Form method="GET" action="/monitoring/arrival" attr:class="filters arrival-filters">
            <label>{i18n.tr(Msg::NpObject)}
                <select name="object" data-testid="arrival-object">{objects}</select>
            </label>
            <label>{i18n.tr(Msg::NpResource)}
                <select name="resource" data-testid="arrival-resource">
                    <option value="">{i18n.tr(Msg::EvAllResources)}</option>
                    {resources}
                </select>
            </label>
            <label>{i18n.tr(Msg::ArMeterType)}
                <select name="placement" data-testid="arrival-placement">
                    <option value="" selected=placement(None)>{i18n.tr(Msg::ArAllTypes)}</option>
                    <option value="individual" selected=placement(Some(Placement::Individual))>{i18n.tr(Msg::IndividualMeters)}</option>
                    <option value="common" selected=placement(Some(Placement::Common))>{i18n.tr(Msg::CommonMeters)}</option>
                </select>
            </label>
            <fieldset class="radios">
                <legend>{i18n.tr(Msg::ArArchive)}</legend>
                {archives}
            </fieldset>
            <label>{i18n.tr(Msg::EvFrom)} <input type="date" name="from" value=arrival.from.clone() data-testid="arrival-from"/></label>
            <label>{i18n.tr(Msg::EvTo)} <input type="date" name="to" value=arrival.to.clone() data-testid="arrival-to"/></label>
            <button type="submit" class="button primary" data-testid="show">{i18n.tr(Msg::EvShow)}</button>
        </Form>
        {arrival.cut.then(|| view! { <p class="warning" role="status" data-testid="arrival-cut">{i18n.tr(Msg::ArCut)}</p> })}
        <ul class="arrival-legend" data-testid="arrival-legend">{legend}</ul>
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::NpSearch) aria-label=i18n.tr(Msg::Search)/>
            <span class="count" data-testid="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
            <a class="button" download="arrival.csv" href=csv data-testid="arrival-csv">{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <div class="table-wrap">
            <table class="data arrival-table" data-testid="arrival">
                <thead>
                    <tr>
                        <SortTh label=Msg::ConPremise key=Col::Place sort/>
                        <SortTh label=Msg::NpResource key=Col::Resource sort/>
                        <SortTh label=Msg::Serial key=Col::Serial sort/>
                        <SortTh label=Msg::ArComplete key=Col::Complete sort numeric=true/>
                        <SortTh label=Msg::ArMissing key=Col::Missing sort numeric=true/>
                        {slot_heads}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            let text = if total == 0 { Msg::ArNoMeters } else { Msg::NothingFound };
                            view! { <tr><td colspan="6" class="empty">{move || i18n.t(text)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|m| view! { <MeterLine meter=m labels=slot_labels picked/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
                <tfoot>
                    <tr data-testid="arrival-delivered">
                        <th colspan="5">{i18n.tr(Msg::ArDelivered)} " / " {integer(meter_count as i64)}</th>
                        {delivered_cells}
                    </tr>
                </tfoot>
            </table>
        </div>
        <PickedPanel picked fetch=move |id| data_arrival_meter(id, detail_query.clone()) prompt=Msg::ArPick class="arrival-meter" testid="arrival-meter" show=|detail| view! { <MeterRecords detail/> }/>
    }
}

#[component]
fn MeterLine(meter: ArrivalMeter, labels: StoredValue<Vec<String>>, picked: RwSignal<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = meter.id;
    let lang = i18n.lang();
    let cells = meter
        .slots
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let title = format!("{}: {}", labels.with_value(|l| l.get(i).cloned().unwrap_or_default()), s.label().text(lang));
            view! { <td class=format!("slot {}", s.key()) title=title></td> }
        })
        .collect_view();
    let complete = meter.completeness();
    view! {
        <tr data-meter=id class:picked=move || picked.get() == Some(id)>
            <td>{place(&meter, lang)}</td>
            <td>{move || i18n.t(resource_name(meter.resource))}</td>
            <td>
                <button type="button" class="link" data-testid="arrival-pick" on:click=move |_| picked.set(Some(id))>{meter.serial.clone()}</button>
                " " <a href=format!("/meters/{id}") class="muted" title=i18n.tr(Msg::EvMeterLink)>"↗"</a>
            </td>
            <td class="num complete" class:short=complete < 100>{format!("{complete}\u{a0}%")}</td>
            <td class="num">{integer(meter.count(Slot::Missing) as i64)}</td>
            {cells}
        </tr>
    }
}

#[component]
fn MeterRecords(detail: ArrivalDetail) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let heads = detail
        .parameters
        .iter()
        .map(|(p, u)| view! { <th class="num">{parameter_name(p, lang)} ", " {unit_text(u, lang)}</th> })
        .collect_view();
    let mut csv = vec![std::iter::once(Msg::ArRecord.text(lang).to_string())
        .chain(detail.parameters.iter().map(|(p, u)| format!("{}, {}", parameter_name(p, lang), unit_text(u, lang))))
        .collect::<Vec<_>>()];
    csv.extend(detail.rows.iter().map(|(t, cells)| {
        std::iter::once(t.clone())
            .chain(cells.iter().map(|c| c.value.as_deref().and_then(|v| v.parse().ok()).map(decimal).unwrap_or_default()))
            .collect()
    }));
    let rows = detail
        .rows
        .iter()
        .map(|(t, cells)| {
            let missing = cells.iter().all(|c| c.value.is_none());
            let cells = cells
                .iter()
                .map(|c| {
                    let words: Vec<String> = c.marks.iter().map(|m| m.label().text(lang).to_string()).collect();
                    let flagged = !words.is_empty();
                    let text = c.value.as_deref().and_then(|v| v.parse().ok()).map(decimal).unwrap_or_else(|| "—".into());
                    view! { <td class="num" class:flagged=flagged class:missing=c.value.is_none() title=words.join(", ")>{text} {flagged.then(|| view! { <span class="mark">" !"</span> })}</td> }
                })
                .collect_view();
            view! { <tr class:missing=missing><td>{t.clone()}</td>{cells}</tr> }
        })
        .collect_view();
    let title = if detail.premise.is_empty() { detail.serial.clone() } else { format!("{} — {}", detail.premise, detail.serial) };
    view! {
        <h2>{i18n.tr(Msg::ArRecords)} " — " {title}</h2>
        <div class="toolbar">
            <a class="button" download=format!("arrival-{}.csv", detail.meter_id) href=csv_href(&csv)>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <div class="table-wrap">
            <table class="data" data-testid="arrival-records">
                <thead><tr><th>{i18n.tr(Msg::ArRecord)}</th>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
