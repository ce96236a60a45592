//! A billing export's protocol: when it ran, how it ended, the file as it was handed over, and
//! a line per meter — sent, or not and why; a re-run's lines say what the repeated run sent.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::export::status_class;
use crate::components::error_view::ErrorBox;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::billing::billing_protocol;
use crate::i18n::{month_year, resource_name, use_i18n, Lang, Msg};
use crate::models::billing::{ExportLine, Protocol, RunStatus};
use crate::models::format;
use crate::resource::resource;
use crate::models::text::natural_key;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Place,
    Account,
    Serial,
    Sent,
}

fn compare(a: &ExportLine, b: &ExportLine, col: Col) -> std::cmp::Ordering {
    let place = |l: &ExportLine| (l.object.clone(), natural_key(&l.flat));
    match col {
        Col::Place => place(a).cmp(&place(b)),
        Col::Account => a.account.cmp(&b.account),
        Col::Serial => a.serial.cmp(&b.serial),
        Col::Sent => (a.sent, a.reason.map(|r| r.as_str())).cmp(&(b.sent, b.reason.map(|r| r.as_str()))),
    }
    .then_with(|| place(a).cmp(&place(b)))
}

fn values(l: &ExportLine) -> String {
    l.values.iter().flatten().map(|v| format::decimal(*v)).collect::<Vec<_>>().join(" / ")
}

#[component]
pub fn BillingProtocolPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)));
    let protocol = resource(move || id.get(), billing_protocol);
    view! {
        <Title text=i18n.tr(Msg::BillingProtocol)/>
        <section class="page billing-protocol">
            <p class="crumbs"><a href="/billing/export">{i18n.tr(Msg::MenuBillingExport)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match protocol.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(p) => view! { <Head p=p.clone()/> <Lines p/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Head(p: Protocol) -> impl IntoView {
    let i18n = use_i18n();
    let r = p.run;
    let (id, period, status) = (r.id, r.period, r.status);
    let made = matches!(status, RunStatus::Success | RunStatus::WithErrors);
    view! {
        <h1>{i18n.tr(Msg::BillingProtocol)} " № " {id} " — " {move || month_year(i18n.lang(), period)}</h1>
        <dl class="card-list billing-head" data-testid="billing-head">
            <dt>{i18n.tr(Msg::BillingTemplate)}</dt><dd>{r.template.name()}</dd>
            <dt>{i18n.tr(Msg::BillingStatus)}</dt>
            <dd><span class=status_class(status) data-testid="billing-status">{move || status.name(i18n.lang() == Lang::En)}</span></dd>
            <dt>{i18n.tr(Msg::BillingStarted)}</dt><dd>{r.started.clone()}</dd>
            <dt>{i18n.tr(Msg::BillingFinished)}</dt><dd>{r.finished.clone()}</dd>
            <dt>{i18n.tr(Msg::BillingDuration)}</dt><dd>{r.seconds.map(|s| s.to_string()).unwrap_or_default()}</dd>
            <dt>{i18n.tr(Msg::BillingBy)}</dt><dd>{r.started_by.clone()}</dd>
            <dt>{i18n.tr(Msg::BillingSent)}</dt><dd data-testid="billing-sent">{r.sent}</dd>
            <dt>{i18n.tr(Msg::BillingNotSent)}</dt><dd data-testid="billing-not-sent">{r.not_sent}</dd>
            {r.again_of.map(|of| view! {
                <dt>{i18n.tr(Msg::BillingChanged)}</dt>
                <dd data-testid="billing-changed">{r.changed} " (" {i18n.tr(Msg::BillingAgainOf)} " " <a href=format!("/billing/export/{of}")>{of}</a> ")"</dd>
            })}
            {(!p.fault.is_empty()).then(|| view! { <dt>{i18n.tr(Msg::BillingFault)}</dt><dd class="bad">{p.fault.clone()}</dd> })}
        </dl>
        {made.then(|| view! {
            <div class="toolbar">
                <a class="button primary" href=format!("/billing/file/{id}") download data-testid="billing-file">{i18n.tr(Msg::BillingDownload)} ": " {r.file_name.clone()}</a>
                <a class="button" href=format!("/export/billing-protocol.xlsx?id={id}") download data-testid="billing-protocol-xlsx">{i18n.tr(Msg::BillingProtocolFile)}</a>
                <a class="button" href=format!("/export/billing-protocol.pdf?id={id}") download data-testid="billing-protocol-pdf">{i18n.tr(Msg::ExportPdf)}</a>
            </div>
        })}
    }
}

#[component]
fn Lines(p: Protocol) -> impl IntoView {
    let i18n = use_i18n();
    let total = p.lines.len();
    let rows = StoredValue::new(p.lines);
    let search = RwSignal::new(String::new());
    let only_not_sent = RwSignal::new(false);
    let sort = RwSignal::new(Sort { key: Col::Sent, ascending: true });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let s = sort.get();
        let lang = i18n.lang();
        let only = only_not_sent.get();
        rows.with_value(|r| {
            shown_rows(
                r,
                |l| {
                    let hay = format!(
                        "{} кв. {} {} {} {} {}",
                        l.object,
                        l.flat,
                        l.account,
                        l.serial,
                        resource_name(l.resource).text(lang),
                        l.reason.map(|r| r.name(lang == Lang::En)).unwrap_or("")
                    );
                    (!only || !l.sent) && all_words_in(&hay, &q)
                },
                s,
                compare,
            )
        })
    });
    view! {
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::Search) aria-label=i18n.tr(Msg::Search)/>
            <label class="check"><input type="checkbox" bind:checked=only_not_sent data-testid="only-not-sent"/> {i18n.tr(Msg::BillingOnlyNotSent)}</label>
            <span class="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
        </div>
        <div class="table-wrap">
            <table class="data billing-lines" data-testid="billing-lines">
                <thead>
                    <tr>
                        <SortTh label=Msg::ColPlace key=Col::Place sort/>
                        <SortTh label=Msg::ColAccount key=Col::Account sort/>
                        <th>{i18n.tr(Msg::NpResource)}</th>
                        <SortTh label=Msg::Serial key=Col::Serial sort/>
                        <th>{i18n.tr(Msg::Date)}</th>
                        <th class="num">{i18n.tr(Msg::BillingValues)}</th>
                        <th class="num">{i18n.tr(Msg::BillingVolume)}</th>
                        <SortTh label=Msg::BillingSent key=Col::Sent sort/>
                        <th>{i18n.tr(Msg::BillingWas)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            view! { <tr><td colspan="9" class="empty">{move || i18n.t(Msg::NothingFound)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|l| view! { <Line l/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Line(l: ExportLine) -> impl IntoView {
    let i18n = use_i18n();
    let (resource, basis, reason, sent) = (l.resource, l.basis, l.reason, l.sent);
    let volume = l.volume.map(format::decimal).unwrap_or_default();
    view! {
        <tr class:not-sent=!sent data-serial=l.serial.clone() data-reason=reason.map(|r| r.as_str()).unwrap_or("")>
            <td>{l.object.clone()} ", кв. " {l.flat.clone()}</td>
            <td>{l.account.clone()}</td>
            <td>{move || i18n.t(resource_name(resource))}</td>
            <td>{l.serial.clone()}</td>
            <td>{l.taken_on.map(format::date).unwrap_or_default()}</td>
            <td class="num">{values(&l)}</td>
            <td class="num">{volume} {move || {
                let mark = basis.mark(i18n.lang() == Lang::En);
                (!mark.is_empty()).then(|| view! { " " <sup class="basis" title=basis.name(i18n.lang() == Lang::En)>{mark}</sup> })
            }}</td>
            <td class="reason">{move || match reason {
                None => i18n.t(Msg::BillingSent).to_string(),
                Some(r) => format!("{}: {}", i18n.t(Msg::BillingNotSent), r.name(i18n.lang() == Lang::En)),
            }}</td>
            <td>{l.was.clone()}</td>
        </tr>
    }
}
