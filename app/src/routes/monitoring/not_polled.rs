//! «Не опрашиваются» (F5): meters on lines that did not answer their latest poll or have
//! been silent for more than N days, with their last contact; for one building or all.
//! Search, sort, CSV and Excel like every list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::layout::follow_selected_object;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::polling::not_polled;
use crate::i18n::{resource_name, use_i18n, Lang, Msg};
use crate::models::not_polled::{Silence, SilentList, SilentRow, DAY_CHOICES, DEFAULT_DAYS};
use crate::resource::resource;

fn href(object: Option<i64>, days: i64) -> String {
    match object {
        Some(o) => format!("/monitoring/not-polled?object={o}&days={days}"),
        None => format!("/monitoring/not-polled?days={days}"),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Object,
    Place,
    Resource,
    Serial,
    Line,
    Days,
    Polled,
}

fn compare(a: &SilentRow, b: &SilentRow, col: Col) -> std::cmp::Ordering {
    let flat = |r: &SilentRow| r.place.trim_start_matches("кв. ").parse::<i64>().ok();
    match col {
        Col::Object => (&a.object, flat(a)).cmp(&(&b.object, flat(b))),
        Col::Place => (flat(a), &a.place).cmp(&(flat(b), &b.place)),
        Col::Resource => a.resource.as_str().cmp(b.resource.as_str()),
        Col::Serial => a.serial.cmp(&b.serial),
        Col::Line => a.line.cmp(&b.line),
        // Never heard from is the longest silence.
        Col::Days => a.days.unwrap_or(i64::MAX).cmp(&b.days.unwrap_or(i64::MAX)),
        Col::Polled => a.polled.cmp(&b.polled),
    }
}

/// Every word must match the building, place, serial, model, line or resource.
fn matches(r: &SilentRow, query: &str, lang: Lang) -> bool {
    let hay = format!(
        "{} {} {} {} {} {}",
        r.object,
        r.place,
        r.serial,
        r.model,
        r.line,
        resource_name(r.resource).text(lang)
    );
    all_words_in(&hay, query)
}

fn csv_rows(rows: &[SilentRow], lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![[
        Msg::NpObject,
        Msg::ColPlace,
        Msg::NpResource,
        Msg::Model,
        Msg::ColMeter,
        Msg::ColLine,
        Msg::LastContact,
        Msg::NpDaysSilent,
        Msg::ColPolled,
        Msg::NpWhy,
    ]
    .iter()
    .map(|m| m.text(lang).to_string())
    .collect()];
    out.extend(rows.iter().map(|r| {
        vec![
            r.object.clone(),
            r.place.clone(),
            resource_name(r.resource).text(lang).to_string(),
            r.model.clone(),
            r.serial.clone(),
            r.line.clone(),
            r.last_contact.clone().unwrap_or_default(),
            r.days.map(|d| d.to_string()).unwrap_or_default(),
            r.polled.clone().unwrap_or_default(),
            r.reason(lang),
        ]
    }));
    out
}

#[component]
pub fn NotPolledPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let object =
        Memo::new(move |_| params.with(|m| m.get("object").and_then(|v| v.parse::<i64>().ok())));
    let days = Memo::new(move |_| {
        params.with(|m| {
            m.get("days")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(DEFAULT_DAYS)
        })
    });
    let list = resource(
        move || (object.get(), days.get()),
        |(o, d)| not_polled(o, d),
    );
    follow_selected_object(move |id| href(Some(id), days.get_untracked()));
    view! {
        <Title text=i18n.tr(Msg::NpTitle)/>
        <section class="page not-polled">
            <h1>{i18n.tr(Msg::NpTitle)}</h1>
            <p class="lead">{i18n.tr(Msg::NpLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(l) => view! { <SilentTable list=l/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SilentTable(list: SilentList) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let (object, days) = (list.object_id, list.days);
    let total = list.rows.len();
    let count = |s: Silence| list.rows.iter().filter(|r| r.silence == s).count();
    let (no_answer, quiet, never) = (
        count(Silence::NoAnswer),
        count(Silence::Quiet),
        count(Silence::Never),
    );
    let options = list
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=object == Some(id)>{name.clone()}</option> }
        })
        .collect_view();
    let rows = StoredValue::new(list.rows);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort {
        key: Col::Object,
        ascending: true,
    });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let s = sort.get();
        let lang = i18n.lang();
        rows.with_value(|r| shown_rows(r, |r| matches(r, &q, lang), s, compare))
    });
    let go = navigate.clone();
    let on_object = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev).parse::<i64>().ok();
        go(&href(v, days), Default::default());
    };
    let on_days = move |ev: leptos::ev::Event| {
        let d = event_target_value(&ev)
            .parse::<i64>()
            .unwrap_or(DEFAULT_DAYS);
        navigate(&href(object, d), Default::default());
    };
    let excel = match object {
        Some(o) => format!("/export/not-polled.xlsx?object={o}&days={days}"),
        None => format!("/export/not-polled.xlsx?days={days}"),
    };
    let day_options = DAY_CHOICES
        .iter()
        .map(|d| view! { <option value=d.to_string() selected=*d == days>{d.to_string()}</option> })
        .collect_view();
    view! {
        <div class="toolbar">
            <label>{i18n.tr(Msg::NpObject)} " "
                <select class="np-object" on:change=on_object>
                    <option value="" selected=object.is_none()>{i18n.tr(Msg::NpAllObjects)}</option>
                    {options}
                </select>
            </label>
            <label>{i18n.tr(Msg::NpDays)} " "
                <select class="np-days" on:change=on_days>{day_options}</select>
            </label>
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::NpSearch) aria-label=i18n.tr(Msg::Search)/>
            <span class="count" data-testid="count">
                {move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}
            </span>
            <a class="button" download="not-polled.csv" href=move || csv_href(&csv_rows(&shown.read(), i18n.lang()))>
                {i18n.tr(Msg::ExportCsv)}
            </a>
            <a class="button" href=excel download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
        </div>
        <p class="np-summary" role="status">
            <span>{i18n.tr(Msg::NpNoAnswer)} ": " <strong class="np-no-answer">{no_answer}</strong></span>
            " · "
            <span>{i18n.tr(Msg::NpQuiet)} ": " <strong class="np-quiet">{quiet}</strong></span>
            " · "
            <span>{i18n.tr(Msg::NpNever)} ": " <strong class="np-never">{never}</strong></span>
        </p>
        <div class="table-wrap">
            <table class="data not-polled-table">
                <thead>
                    <tr>
                        <SortTh label=Msg::NpObject key=Col::Object sort/>
                        <SortTh label=Msg::ColPlace key=Col::Place sort/>
                        <SortTh label=Msg::NpResource key=Col::Resource sort/>
                        <th>{i18n.tr(Msg::Model)}</th>
                        <SortTh label=Msg::ColMeter key=Col::Serial sort/>
                        <SortTh label=Msg::ColLine key=Col::Line sort/>
                        <th>{i18n.tr(Msg::LastContact)}</th>
                        <SortTh label=Msg::NpDaysSilent key=Col::Days sort numeric=true/>
                        <SortTh label=Msg::ColPolled key=Col::Polled sort/>
                        <th>{i18n.tr(Msg::NpWhy)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            let text = if total == 0 { Msg::NpNone } else { Msg::NothingFound };
                            view! { <tr><td colspan="10" class="empty">{move || i18n.t(text)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|r| view! { <SilentLine row=r/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SilentLine(row: SilentRow) -> impl IntoView {
    let i18n = use_i18n();
    let meter = row.meter_id;
    let class = match row.silence {
        Silence::NoAnswer => "np-row no-answer",
        Silence::Quiet => "np-row quiet",
        Silence::Never => "np-row never",
    };
    let resource = row.resource;
    let reason = row.clone();
    view! {
        <tr class=class data-meter=meter>
            <td>{row.object.clone()}</td>
            <td class="place">{row.place.clone()}</td>
            <td>{move || i18n.t(resource_name(resource))}</td>
            <td>{row.model.clone()}</td>
            <td><a href=format!("/meters/{meter}")>{row.serial.clone()}</a></td>
            <td>{row.line.clone()}</td>
            <td class="last-contact">{row.last_contact.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="num days">{row.days.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
            <td>{row.polled.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="reason">{move || reason.reason(i18n.lang())}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Resource;

    fn row(place: &str, days: Option<i64>) -> SilentRow {
        SilentRow {
            meter_id: 1,
            object_id: 1,
            object: "ЖК «Огни», корпус 1".into(),
            place: place.into(),
            resource: Resource::Electricity,
            model: "Меркурий 230".into(),
            serial: "41234007".into(),
            line: "Шлюз RS-485/TCP".into(),
            last_contact: None,
            days,
            polled: None,
            silence: if days.is_some() {
                Silence::Quiet
            } else {
                Silence::Never
            },
            message: String::new(),
        }
    }

    #[test]
    fn flats_sort_by_number_and_never_heard_is_the_longest_silence() {
        use std::cmp::Ordering::*;
        assert_eq!(compare(&row("кв. 9", None), &row("кв. 10", None), Col::Place), Less);
        assert_eq!(compare(&row("кв. 1", None), &row("кв. 1", Some(400)), Col::Days), Greater);
    }

    #[test]
    fn search_finds_flat_serial_and_resource_words() {
        let r = row("кв. 7", Some(20));
        assert!(matches(&r, "кв. 7", Lang::Ru));
        assert!(matches(&r, "огни 41234007", Lang::Ru));
        assert!(matches(&r, "электроэнергия", Lang::Ru));
        assert!(!matches(&r, "ХВС", Lang::Ru));
    }
}
