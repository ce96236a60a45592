//! «Журнал событий» (F23): every event of a period, from meters and from Uchet's checks,
//! filtered by building, kind, severity and meter type in the address (so a filtered journal
//! can be bookmarked and its file holds the same rows); each opens the meter's card.
//! The row cells, search and sort are shared with «Нештатные ситуации».

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_location;

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::monitoring::event_journal;
use crate::i18n::{resource_name, use_i18n, Lang, Msg};
use crate::models::monitoring::{text_rows, EventKind, EventRow, EventSource, Journal, Severity};
use crate::models::Resource;
use crate::resource::resource;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    Started,
    Severity,
    Kind,
    Object,
}

pub(super) fn compare(a: &EventRow, b: &EventRow, col: Col) -> std::cmp::Ordering {
    let flat = |r: &EventRow| r.place.trim_start_matches("кв. ").parse::<i64>().ok();
    match col {
        Col::Started => (a.started_at, a.id).cmp(&(b.started_at, b.id)),
        Col::Severity => (a.severity, a.started_at).cmp(&(b.severity, b.started_at)),
        Col::Kind => (a.kind, a.started_at).cmp(&(b.kind, b.started_at)),
        Col::Object => (&a.object, flat(a)).cmp(&(&b.object, flat(b))),
    }
}

/// Every word must match the building, place, account, serial, resource, kind or data.
pub(super) fn matches(r: &EventRow, query: &str, lang: Lang) -> bool {
    let hay = format!(
        "{} {} {} {} {} {} {} {}",
        r.object,
        r.place,
        r.account,
        r.serial,
        r.resource.map(|x| resource_name(x).text(lang)).unwrap_or_default(),
        r.kind.label().text(lang),
        r.values.describe(r.kind, lang),
        r.comment
    );
    all_words_in(&hay, query)
}

/// The cells every event list shows: when, how bad, what, where, whose, which meter, the
/// values around it and its state.
#[component]
pub(super) fn EventCells(row: EventRow) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, severity, resource) = (row.kind, row.severity, row.resource);
    let describe = row.values.clone();
    let state = row.clone();
    let account = (!row.account.is_empty()).then(|| {
        let a = row.account.clone();
        view! { <a href=format!("/subscribers/{a}")>{a.clone()}</a> }
    });
    let meter = row.meter_id.map(|m| {
        view! { <a href=format!("/meters/{m}") title=i18n.tr(Msg::EvMeterLink)>{row.serial.clone()}</a> }
    });
    // the building and the flat in one cell, the meter's resource under its number: a
    // dispatcher's screen holds the whole row, its resolve button included
    view! {
        <td class="started">{row.started.clone()}</td>
        <td class=format!("sev {}", severity.as_str())>{move || i18n.t(severity.label())}</td>
        <td class="kind">{move || i18n.t(kind.label())}</td>
        <td class="where">{row.object.clone()} <span class="place">{row.place.clone()}</span></td>
        <td>{account}</td>
        <td class="meter">{meter} <small class="muted">{move || resource.map(|r| i18n.t(resource_name(r))).unwrap_or_default()}</small></td>
        <td class="values">{move || describe.describe(kind, i18n.lang())}</td>
        <td class="state">{move || state.state(i18n.lang())}</td>
    }
}

/// The header of every event list: sortable when, how bad, what and where; `last` names the
/// list's own last column.
#[component]
pub(super) fn EventHead(sort: RwSignal<Sort<Col>>, last: Option<Msg>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <thead>
            <tr>
                <SortTh label=Msg::EvStarted key=Col::Started sort/>
                <SortTh label=Msg::EvSeverity key=Col::Severity sort/>
                <SortTh label=Msg::EvKind key=Col::Kind sort/>
                <SortTh label=Msg::NpObject key=Col::Object sort/>
                <th>{i18n.tr(Msg::Account)}</th>
                <th>{i18n.tr(Msg::ColMeter)}</th>
                <th>{i18n.tr(Msg::EvValues)}</th>
                <th>{i18n.tr(Msg::EvState)}</th>
                <th>{move || last.map(|m| i18n.t(m))}</th>
            </tr>
        </thead>
    }
}

#[component]
pub fn EventJournalPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = Memo::new(move |_| location.search.get().trim_start_matches('?').to_string());
    let journal = resource(move || query.get(), event_journal);
    view! {
        <Title text=i18n.tr(Msg::MenuEvents)/>
        <section class="page events">
            <h1>{i18n.tr(Msg::MenuEvents)}</h1>
            <p class="lead">{i18n.tr(Msg::EvJournalLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match journal.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(j) => view! { <JournalTable journal=j/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn JournalTable(journal: Journal) -> impl IntoView {
    let i18n = use_i18n();
    let q = journal.query.clone();
    let export = q.query_string();
    let total = journal.rows.len();
    let objects = journal
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=q.object == Some(id)>{name.clone()}</option> }
        })
        .collect_view();
    let kinds = EventKind::ALL
        .iter()
        .map(|k| view! { <option value=k.as_str() selected=q.kind == Some(*k)>{move || i18n.t(k.label())}</option> })
        .collect_view();
    let severities = Severity::ALL
        .iter()
        .map(|s| view! { <option value=s.as_str() selected=q.severity == Some(*s)>{move || i18n.t(s.label())}</option> })
        .collect_view();
    let resources = Resource::ALL
        .iter()
        .map(|r| view! { <option value=r.as_str() selected=q.resource == Some(*r)>{move || i18n.t(resource_name(*r))}</option> })
        .collect_view();
    let rows = StoredValue::new(journal.rows);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { key: Col::Started, ascending: false });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let s = sort.get();
        let lang = i18n.lang();
        rows.with_value(|r| shown_rows(r, |r| matches(r, &q, lang), s, compare))
    });
    view! {
        <Form method="GET" action="/monitoring/events" attr:class="filters ev-filters">
            <label>{i18n.tr(Msg::NpObject)}
                <select name="object">
                    <option value="">{i18n.tr(Msg::NpAllObjects)}</option>
                    {objects}
                </select>
            </label>
            <label>{i18n.tr(Msg::EvKind)}
                <select name="kind" data-testid="kind">
                    <option value="">{i18n.tr(Msg::EvAllKinds)}</option>
                    {kinds}
                </select>
            </label>
            <label>{i18n.tr(Msg::EvSeverity)}
                <select name="severity" data-testid="severity">
                    <option value="">{i18n.tr(Msg::EvAllSeverities)}</option>
                    {severities}
                </select>
            </label>
            <label>{i18n.tr(Msg::NpResource)}
                <select name="resource">
                    <option value="">{i18n.tr(Msg::EvAllResources)}</option>
                    {resources}
                </select>
            </label>
            <label>{i18n.tr(Msg::EvFrom)} <input type="date" name="from" value=journal.from.clone()/></label>
            <label>{i18n.tr(Msg::EvTo)} <input type="date" name="to" value=journal.to.clone()/></label>
            <button type="submit" class="button primary" data-testid="show">{i18n.tr(Msg::EvShow)}</button>
        </Form>
        {journal.truncated.then(|| view! { <p class="warning" role="status">{i18n.tr(Msg::EvTruncated)}</p> })}
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::EvSearch) aria-label=i18n.tr(Msg::Search)/>
            <span class="count" data-testid="count">
                {move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}
            </span>
            <a class="button" download="events.csv" href=move || csv_href(&text_rows(&shown.read(), i18n.lang()))>
                {i18n.tr(Msg::ExportCsv)}
            </a>
            <a class="button" href=format!("/export/events.xlsx?{export}") download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/events.pdf?{export}") download data-testid="export-pdf">{i18n.tr(Msg::ExportPdf)}</a>
        </div>
        <div class="table-wrap">
            <table class="data events-table" data-testid="journal">
                <EventHead sort last=Some(Msg::EvSource)/>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            let text = if total == 0 { Msg::EvJournalNone } else { Msg::NothingFound };
                            view! { <tr><td colspan="9" class="empty">{move || i18n.t(text)}</td></tr> }.into_any()
                        } else {
                            v.into_iter()
                                .map(|r| {
                                    let source = match r.source {
                                        EventSource::Meter => Msg::EvFromMeter,
                                        EventSource::Computed => Msg::EvFromChecks,
                                    };
                                    let (class, id, kind) = (format!("ev-row {}", r.severity.as_str()), r.id, r.kind.as_str());
                                    view! {
                                        <tr class=class data-event=id data-kind=kind>
                                            <EventCells row=r/>
                                            <td class="source">{move || i18n.t(source)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::monitoring::EventValues;

    fn row(place: &str, started_at: i64, kind: EventKind) -> EventRow {
        EventRow {
            id: started_at,
            object_id: 1,
            object: "ЖК «Огни», корпус 1".into(),
            meter_id: Some(1),
            place: place.into(),
            resource: Some(Resource::ColdWater),
            serial: "41234007".into(),
            account: "1000123".into(),
            kind,
            severity: kind.severity(),
            source: EventSource::Computed,
            started: String::new(),
            started_at,
            ended: None,
            resolved: None,
            resolved_by: String::new(),
            comment: String::new(),
            values: EventValues::default(),
        }
    }

    #[test]
    fn events_sort_by_flat_number_and_by_how_bad_they_are() {
        use std::cmp::Ordering::*;
        let a = row("кв. 9", 1, EventKind::Silent);
        let b = row("кв. 10", 2, EventKind::Decreased);
        assert_eq!(compare(&a, &b, Col::Object), Less, "the same building: flat 9 before flat 10");
        assert_eq!(compare(&a, &b, Col::Severity), Less, "a warning is less bad than an alarm");
    }

    #[test]
    fn search_finds_account_kind_and_resource_words() {
        let r = row("кв. 7", 1, EventKind::Decreased);
        assert!(matches(&r, "1000123", Lang::Ru));
        assert!(matches(&r, "уменьшилось кв. 7", Lang::Ru));
        assert!(matches(&r, "холодная", Lang::Ru) || matches(&r, "ХВС", Lang::Ru));
        assert!(!matches(&r, "скачок", Lang::Ru));
    }
}
