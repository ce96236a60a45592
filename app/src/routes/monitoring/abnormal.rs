//! «Нештатные ситуации» (F21): what Uchet's checks found and nobody resolved yet — silent and
//! unanswering meters, readings that went down or jumped, lapsed verification — with the
//! payer's account and the meter a click away; resolved with a comment that is journaled.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::export::csv_href;
use crate::components::layout::follow_selected_object;
use crate::components::table::{shown_rows, Sort};
use crate::functions::monitoring::{abnormal_situations, ResolveSituation};
use crate::i18n::{use_i18n, Msg};
use crate::models::format;
use crate::models::monitoring::{text_rows, EventRow, Situations};
use crate::resource::{kept, resource};

use super::events::{compare, matches, Col, EventCells, EventHead};

fn href(object: Option<i64>, resolved: bool) -> String {
    let mut parts = Vec::new();
    if let Some(o) = object {
        parts.push(format!("object={o}"));
    }
    if resolved {
        parts.push("resolved=1".to_string());
    }
    if parts.is_empty() {
        "/monitoring/abnormal".into()
    } else {
        format!("/monitoring/abnormal?{}", parts.join("&"))
    }
}

#[component]
pub fn AbnormalPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let object = Memo::new(move |_| params.with(|m| m.get("object").and_then(|v| v.parse::<i64>().ok())));
    let resolved = Memo::new(move |_| params.with(|m| m.get("resolved").as_deref() == Some("1")));
    let resolve = ServerAction::<ResolveSituation>::new();
    let resolve_kept = kept(*resolve);
    let list = resource(
        move || (object.get(), resolved.get(), resolve_kept.get()),
        |(o, r, _)| abnormal_situations(o, r),
    );
    follow_selected_object(move |id| href(Some(id), resolved.get_untracked()));
    view! {
        <Title text=i18n.tr(Msg::MenuAbnormal)/>
        <section class="page abnormal">
            <h1>{i18n.tr(Msg::MenuAbnormal)}</h1>
            <p class="lead">{i18n.tr(Msg::EvSituationsLead)}</p>
            <ActionError value=resolve.value()/>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(l) => view! { <SituationTable list=l resolve/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SituationTable(list: Situations, resolve: ServerAction<ResolveSituation>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let (object, resolved) = (list.object_id, list.resolved);
    let total = list.rows.len();
    let counts = list.counts;
    let (alarms, warnings, infos) = (format::integer(counts.alarms as i64), format::integer(counts.warnings as i64), format::integer(counts.infos as i64));
    // a company's worst morning is more than a page: the newest show, the counts and the
    // files are of all
    let cut = (counts.matching as usize > total).then(|| {
        let text = move || {
            i18n.t(Msg::EvCut).replace("{shown}", &format::integer(total as i64)).replace("{all}", &format::integer(counts.matching as i64))
        };
        view! { <p class="note" data-testid="situations-cut">{text}</p> }
    });
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
    let sort = RwSignal::new(Sort { key: Col::Started, ascending: false });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let s = sort.get();
        let lang = i18n.lang();
        rows.with_value(|r| shown_rows(r, |r| matches(r, &q, lang), s, compare))
    });
    let go = navigate.clone();
    let on_object = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev).parse::<i64>().ok();
        go(&href(v, resolved), Default::default());
    };
    let on_resolved = move |ev: leptos::ev::Event| {
        navigate(&href(object, event_target_checked(&ev)), Default::default());
    };
    let query = href(object, resolved).split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="toolbar">
            <label>{i18n.tr(Msg::NpObject)} " "
                <select class="ev-object" on:change=on_object>
                    <option value="" selected=object.is_none()>{i18n.tr(Msg::NpAllObjects)}</option>
                    {options}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" data-testid="show-resolved" checked=resolved on:change=on_resolved/>
                " " {i18n.tr(Msg::EvShowResolved)}
            </label>
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::EvSearch) aria-label=i18n.tr(Msg::Search)/>
            <span class="count" data-testid="count">
                {move || format!("{} {} / {}", i18n.t(Msg::Shown), format::integer(shown.read().len() as i64), format::integer(counts.matching as i64))}
            </span>
            <a class="button" download="abnormal.csv" href=move || csv_href(&text_rows(&shown.read(), i18n.lang()))>
                {i18n.tr(Msg::ExportCsv)}
            </a>
            <a class="button" href=format!("/export/abnormal.xlsx?{query}") download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/abnormal.pdf?{query}") download data-testid="export-pdf">{i18n.tr(Msg::ExportPdf)}</a>
            <button type="button" class="button print" on:click=print>{i18n.tr(Msg::Print)}</button>
        </div>
        <p class="ev-summary" role="status">
            <span class="sev alarm">{i18n.tr(Msg::SevAlarm)} ": " <strong data-testid="alarms">{alarms}</strong></span>
            " · "
            <span class="sev warning">{i18n.tr(Msg::SevWarning)} ": " <strong data-testid="warnings">{warnings}</strong></span>
            " · "
            <span class="sev info">{i18n.tr(Msg::SevInfo)} ": " <strong>{infos}</strong></span>
        </p>
        {cut}
        <div class="table-wrap">
            <table class="data events-table" data-testid="situations">
                <EventHead sort last=None/>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            let text = if total == 0 { Msg::EvSituationsNone } else { Msg::NothingFound };
                            view! { <tr><td colspan="9" class="empty">{move || i18n.t(text)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|r| view! { <SituationLine row=r resolve/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SituationLine(row: EventRow, resolve: ServerAction<ResolveSituation>) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.id;
    let done = row.resolved.is_some();
    let comment = row.comment.clone();
    let who = row.resolved_by.clone();
    let (class, kind) = (format!("ev-row {}", row.severity.as_str()), row.kind.as_str());
    view! {
        <tr class=class data-event=id data-kind=kind>
            <EventCells row=row.clone()/>
            <td class="ev-action">
                {if done {
                    view! { <span class="muted" title=comment.clone()>{who} ": " {comment.clone()}</span> }.into_any()
                } else {
                    view! {
                        <details class="resolve">
                            <summary class="button small" data-testid="resolve">{i18n.tr(Msg::EvResolve)}</summary>
                            <ActionForm action=resolve attr:class="resolve-form">
                                <input type="hidden" name="id" value=id.to_string()/>
                                <label>
                                    <span>{i18n.tr(Msg::EvComment)}</span>
                                    <textarea name="comment" required maxlength="1000" rows="3" placeholder=i18n.tr(Msg::EvResolveHint)></textarea>
                                </label>
                                <button type="submit" class="button primary" disabled=move || resolve.pending().get()>{i18n.tr(Msg::Save)}</button>
                            </ActionForm>
                        </details>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}
