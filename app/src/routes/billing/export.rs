//! «Выгрузка в биллинг»: a form that runs the export of a billing period in a template, and
//! every run so far with its status and counts, searchable, sortable, as a file. A run opens
//! its protocol.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::month_value;
use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::billing::{billing_runs, RunBillingExport, SaveBillingSchedule};
use crate::i18n::{month_year, use_i18n, Lang, Msg};
use crate::models::billing::{BillingPage, ExportRun, RunStatus, Template};
use crate::resource::{kept, resource};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Number,
    Period,
    Template,
    Status,
    Sent,
    NotSent,
}

fn compare(a: &ExportRun, b: &ExportRun, col: Col) -> std::cmp::Ordering {
    match col {
        Col::Number => a.id.cmp(&b.id),
        Col::Period => (a.period, a.id).cmp(&(b.period, b.id)),
        Col::Template => a.template.as_str().cmp(b.template.as_str()),
        Col::Status => a.status.as_str().cmp(b.status.as_str()),
        Col::Sent => a.sent.cmp(&b.sent),
        Col::NotSent => a.not_sent.cmp(&b.not_sent),
    }
}

/// The class of a run's status, for its colour.
pub fn status_class(s: RunStatus) -> &'static str {
    match s {
        RunStatus::Success => "tag ok",
        RunStatus::WithErrors => "tag warn",
        RunStatus::Running => "tag",
        RunStatus::Failed => "tag hot",
    }
}

fn text_of(r: &ExportRun, lang: Lang) -> Vec<String> {
    vec![
        r.id.to_string(),
        month_year(lang, r.period),
        r.template.name().to_string(),
        r.started.clone(),
        r.seconds.map(|s| s.to_string()).unwrap_or_default(),
        r.status.name(lang == Lang::En).to_string(),
        r.sent.to_string(),
        r.not_sent.to_string(),
        r.changed.to_string(),
        r.started_by.clone(),
    ]
}

fn csv_rows(rows: &[ExportRun], lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![[
        Msg::BillingNumber,
        Msg::BillingPeriod,
        Msg::BillingTemplate,
        Msg::BillingStarted,
        Msg::BillingDuration,
        Msg::BillingStatus,
        Msg::BillingSent,
        Msg::BillingNotSent,
        Msg::BillingChanged,
        Msg::BillingBy,
    ]
    .iter()
    .map(|m| m.text(lang).to_string())
    .collect()];
    out.extend(rows.iter().map(|r| text_of(r, lang)));
    out
}

#[component]
pub fn BillingExportPage() -> impl IntoView {
    let i18n = use_i18n();
    let run = ServerAction::<RunBillingExport>::new();
    let run_kept = kept(*run);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = run.value().get() {
            navigate(&format!("/billing/export/{id}"), Default::default());
        }
    });
    let save = ServerAction::<SaveBillingSchedule>::new();
    let save_kept = kept(*save);
    let page = resource(move || (run_kept.get(), save_kept.get()), |_| billing_runs());
    view! {
        <Title text=i18n.tr(Msg::MenuBillingExport)/>
        <section class="page billing">
            <h1>{i18n.tr(Msg::MenuBillingExport)}</h1>
            <p class="lead">{i18n.tr(Msg::BillingHint)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(p) => view! { <RunForm p=p.clone() run/> <SchedulePanel p=p.clone() save/> <Runs p/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RunForm(p: BillingPage, run: ServerAction<RunBillingExport>) -> impl IntoView {
    let i18n = use_i18n();
    if !p.may_run {
        return ().into_any();
    }
    let month = month_value(p.period);
    let templates = Template::ALL
        .iter()
        .map(|t| view! { <option value=t.as_str()>{t.name()}</option> })
        .collect_view();
    view! {
        <ActionForm action=run attr:class="billing-form" attr:data-testid="billing-form">
            <fieldset class="panel form-grid">
            <legend>{i18n.tr(Msg::BillingRunTitle)}</legend>
            <label>
                <span>{i18n.tr(Msg::BillingPeriod)}</span>
                <input type="month" name="period" value=month.clone() prop:value=month required/>
            </label>
            <label>
                <span>{i18n.tr(Msg::BillingTemplate)}</span>
                <select name="template">{templates}</select>
            </label>
            <label class="check wide">
                <input type="checkbox" name="again" value="1"/>
                <span>{i18n.tr(Msg::BillingAgain)}</span>
            </label>
            <div class="toolbar wide">
                <button type="submit" class="button primary" disabled=move || run.pending().get()>{i18n.tr(Msg::BillingRun)}</button>
                <Show when=move || run.pending().get()>
                    <span class="loading" role="status">{i18n.tr(Msg::BillingRunning)}</span>
                </Show>
            </div>
            <div class="wide"><ActionError value=run.value()/></div>
            </fieldset>
        </ActionForm>
    }
    .into_any()
}

/// The automatic export: set by whoever may run exports, read by the rest.
#[component]
fn SchedulePanel(p: BillingPage, save: ServerAction<SaveBillingSchedule>) -> impl IntoView {
    let i18n = use_i18n();
    let next = p.next_run.map(crate::models::format::date);
    let state = move || match (p.schedule, &next) {
        (Some(s), Some(on)) => format!("{}: {} — {}", i18n.t(Msg::BillingAutoNext), on, s.template.name()),
        _ => i18n.t(Msg::BillingAutoOff).to_string(),
    };
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    if !p.may_run {
        return view! { <p class="muted" data-testid="billing-auto">{state}</p> }.into_any();
    }
    let day = p.schedule.map(|s| s.day).unwrap_or(p.window_last_day + 1).to_string();
    let chosen = p.schedule.map(|s| s.template);
    let templates = Template::ALL
        .iter()
        .map(|t| view! { <option value=t.as_str() selected=chosen == Some(*t)>{t.name()}</option> })
        .collect_view();
    let min = (p.window_last_day + 1).to_string();
    view! {
        <ActionForm action=save attr:class="billing-auto-form" attr:data-testid="billing-auto-form">
            <fieldset class="panel form-grid">
            <legend>{i18n.tr(Msg::BillingAuto)}</legend>
            <label class="check wide">
                <input type="checkbox" name="enabled" value="1" checked=p.schedule.is_some()/>
                <span>{i18n.tr(Msg::BillingAutoOn)}</span>
            </label>
            <label>
                <span>{i18n.tr(Msg::BillingAutoDay)}</span>
                <input type="number" name="day" min=min max="28" value=day.clone() prop:value=day required/>
            </label>
            <label>
                <span>{i18n.tr(Msg::BillingTemplate)}</span>
                <select name="template">{templates}</select>
            </label>
            <p class="muted small wide">{i18n.tr(Msg::BillingAutoHint)}</p>
            <p class="wide" data-testid="billing-auto">{state}</p>
            <div class="toolbar wide">
                <button type="submit" class="button">{i18n.tr(Msg::Save)}</button>
                <Show when=saved>
                    <span class="ok" role="status">{i18n.tr(Msg::BillingAutoSaved)}</span>
                </Show>
            </div>
            <div class="wide"><ActionError value=save.value()/></div>
            </fieldset>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn Runs(p: BillingPage) -> impl IntoView {
    let i18n = use_i18n();
    let total = p.runs.len();
    let rows = StoredValue::new(p.runs);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { key: Col::Number, ascending: false });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let s = sort.get();
        let lang = i18n.lang();
        rows.with_value(|r| shown_rows(r, |r| all_words_in(&text_of(r, lang).join(" "), &q), s, compare))
    });
    view! {
        <h2>{i18n.tr(Msg::BillingRuns)}</h2>
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::Search) aria-label=i18n.tr(Msg::Search)/>
            <span class="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
            <a class="button" download="billing-exports.csv" href=move || csv_href(&csv_rows(&shown.read(), i18n.lang()))>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <div class="table-wrap">
            <table class="data billing-runs" data-testid="billing-runs">
                <thead>
                    <tr>
                        <SortTh label=Msg::BillingNumber key=Col::Number sort numeric=true/>
                        <SortTh label=Msg::BillingPeriod key=Col::Period sort/>
                        <SortTh label=Msg::BillingTemplate key=Col::Template sort/>
                        <th>{i18n.tr(Msg::BillingStarted)}</th>
                        <th class="num">{i18n.tr(Msg::BillingDuration)}</th>
                        <SortTh label=Msg::BillingStatus key=Col::Status sort/>
                        <SortTh label=Msg::BillingSent key=Col::Sent sort numeric=true/>
                        <SortTh label=Msg::BillingNotSent key=Col::NotSent sort numeric=true/>
                        <th class="num">{i18n.tr(Msg::BillingChanged)}</th>
                        <th>{i18n.tr(Msg::BillingBy)}</th>
                        <th>{i18n.tr(Msg::BillingDownload)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            let text = if total == 0 { Msg::BillingNoRuns } else { Msg::NothingFound };
                            view! { <tr><td colspan="11" class="empty">{move || i18n.t(text)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|r| view! { <RunLine r/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RunLine(r: ExportRun) -> impl IntoView {
    let i18n = use_i18n();
    let (id, period, status, template) = (r.id, r.period, r.status, r.template);
    let made = matches!(status, RunStatus::Success | RunStatus::WithErrors);
    view! {
        <tr data-run=id>
            <td class="num"><a href=format!("/billing/export/{id}")>{id}</a></td>
            <td>{move || month_year(i18n.lang(), period)}</td>
            <td>{template.name()}</td>
            <td>{r.started.clone()}</td>
            <td class="num">{r.seconds.map(|s| s.to_string()).unwrap_or_default()}</td>
            <td><span class=status_class(status)>{move || status.name(i18n.lang() == Lang::En)}</span></td>
            <td class="num">{r.sent}</td>
            <td class="num">{r.not_sent}</td>
            <td class="num">{r.changed} {r.again_of.map(|of| view! { <span class="muted small">" (" {i18n.tr(Msg::BillingAgainOf)} " " {of} ")"</span> })}</td>
            <td>{r.started_by.clone()}</td>
            <td>{made.then(|| view! { <a href=format!("/billing/file/{id}") download title=r.file_name.clone()>{template.extension().to_uppercase()}</a> })}</td>
        </tr>
    }
}
