//! «Коды активации» (F41; EK 4.6.3): a building's premises and their keys to the residents'
//! cabinet. Codes for every premise without a resident at once, a new code for one, an
//! invite by email; the list prints as slips to hand out (one per flat).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::export::csv_href;
use crate::components::layout::follow_selected_object;
use crate::components::table::all_words_in;
use crate::functions::activation::{activation_codes, create_codes, invite_resident};
use crate::i18n::{use_i18n, Lang, Msg};
use crate::models::cabinet::{CodeRow, CodeSheet, MailState};
use crate::models::format;
use crate::resource::{kept, resource};

fn href(object: i64) -> String {
    format!("/settings/activation?object={object}")
}

fn csv_rows(rows: &[CodeRow], lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![[Msg::ColFlat, Msg::Account, Msg::CodesResidents, Msg::RegCode, Msg::RegValidUntil, Msg::Email]
        .iter()
        .map(|m| m.text(lang).to_string())
        .collect()];
    out.extend(rows.iter().map(|r| {
        vec![
            r.number.clone(),
            r.accounts.join(", "),
            r.residents.to_string(),
            r.code.clone().unwrap_or_default(),
            r.valid_until.map(format::date).unwrap_or_default(),
            r.email.clone().unwrap_or_default(),
        ]
    }));
    out
}

#[component]
pub fn ActivationPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let object = Memo::new(move |_| q.with(|q| q.get("object").and_then(|v| v.parse::<i64>().ok())));
    let make = Action::new(move |(o, p): &(i64, Option<i64>)| create_codes(*o, *p));
    let make_kept = kept(make);
    let invite = Action::new(move |(p, e): &(i64, String)| invite_resident(*p, e.clone()));
    let invite_kept = kept(invite);
    let sheet = resource(
        move || (object.get(), make_kept.get(), invite_kept.get()),
        |(o, ..)| activation_codes(o),
    );
    follow_selected_object(href);
    view! {
        <Title text=i18n.tr(Msg::MenuActivation)/>
        <section class="page activation">
            <h1 class="no-print">{i18n.tr(Msg::MenuActivation)}</h1>
            <p class="lead no-print">{i18n.tr(Msg::CodesLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(s) => view! { <Codes sheet=s make invite/> }.into_any(),
                    }
                })}
            </Transition>
            <div class="no-print">
                <ActionError value=make.value()/>
                <ActionError value=invite.value()/>
            </div>
        </section>
    }
}

#[component]
fn Codes(
    sheet: CodeSheet,
    make: Action<(i64, Option<i64>), Result<usize, crate::errors::AppError>>,
    invite: Action<(i64, String), Result<(), crate::errors::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let object = sheet.object_id;
    let options = sheet
        .objects
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=*id == object>{name.clone()}</option> })
        .collect_view();
    let without = sheet.rows.iter().filter(|r| r.residents == 0 && r.code.is_none()).count();
    let activated = sheet.rows.iter().filter(|r| r.residents > 0).count();
    let total = sheet.rows.len();
    let rows = StoredValue::new(sheet.rows.clone());
    let search = RwSignal::new(String::new());
    let shown = Memo::new(move |_| {
        let q = search.get();
        rows.with_value(|r| {
            r.iter()
                .filter(|r| all_words_in(&format!("{} {} {}", r.number, r.accounts.join(" "), r.code.clone().unwrap_or_default()), &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let slips = sheet
        .rows
        .iter()
        .filter_map(|r| Some((r.number.clone(), r.code.clone()?, r.valid_until?)))
        .map(|(number, code, until)| view! {
            <div class="slip">
                <p class="slip-company">{sheet.company.clone()}</p>
                <p>{sheet.address.clone()} ", " {i18n.tr(Msg::Flat)} " " {number}</p>
                <p>{i18n.tr(Msg::CodesSlipText)}</p>
                <p class="slip-code">{code}</p>
                <p class="muted small">{i18n.tr(Msg::RegValidUntil)} " " {format::date(until)}</p>
            </div>
        })
        .collect_view();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="toolbar no-print">
            <label>{i18n.tr(Msg::NpObject)} " "
                <select on:change=move |ev| {
                    if let Ok(o) = event_target_value(&ev).parse::<i64>() { navigate(&href(o), Default::default()) }
                }>{options}</select>
            </label>
            <button type="button" class="button primary" data-testid="codes-all" disabled=without == 0
                on:click=move |_| { make.dispatch((object, None)); }>
                {i18n.tr(Msg::CodesForAll)} " (" {without} ")"
            </button>
            <button type="button" class="button" on:click=print>{i18n.tr(Msg::CodesPrint)}</button>
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::FieldFilter)/>
            <a class="button" download="codes.csv" href=move || csv_href(&csv_rows(&shown.read(), i18n.lang()))>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <p class="no-print" role="status">
            {i18n.tr(Msg::CodesActivated)} ": " <strong data-testid="activated">{activated}</strong> " / " {total}
            {move || match make.value().get() {
                Some(Ok(n)) => format!(" · {}: {n}", i18n.t(Msg::CodesMade)),
                _ => String::new(),
            }}
        </p>
        <div class="table-wrap no-print">
            <table class="data codes-table">
                <thead><tr>
                    <th>{i18n.tr(Msg::ColFlat)}</th>
                    <th>{i18n.tr(Msg::Account)}</th>
                    <th>{i18n.tr(Msg::CodesResidents)}</th>
                    <th>{i18n.tr(Msg::RegCode)}</th>
                    <th>{i18n.tr(Msg::RegValidUntil)}</th>
                    <th>{i18n.tr(Msg::CodesInvite)}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    {move || shown.get().into_iter().map(|r| view! { <CodeLine row=r object make invite/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <div class="slips print-only">{slips}</div>
    }
}

#[component]
fn CodeLine(
    row: CodeRow,
    object: i64,
    make: Action<(i64, Option<i64>), Result<usize, crate::errors::AppError>>,
    invite: Action<(i64, String), Result<(), crate::errors::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let premise = row.premise_id;
    let activated = row.residents > 0;
    let email = RwSignal::new(String::new());
    let mail = row.mail.clone().map(|m| match m {
        MailState::Waiting => view! { <span class="muted">{i18n.tr(Msg::CodesMailWaiting)}</span> }.into_any(),
        MailState::Sent => view! { <span class="ok">{i18n.tr(Msg::CodesMailSent)}</span> }.into_any(),
        MailState::Failed(e) => view! { <span class="error-text" title=e>{i18n.tr(Msg::CodesMailFailed)}</span> }.into_any(),
    });
    view! {
        <tr data-premise=premise.to_string() data-flat=row.number.clone() class:activated=activated>
            <td>{row.number.clone()}</td>
            <td>{row.accounts.join(", ")}</td>
            <td class="num">{if activated { format!("✓ {}", row.residents) } else { "—".into() }}</td>
            <td class="code"><code>{row.code.clone().unwrap_or_default()}</code></td>
            <td>{row.valid_until.map(format::date).unwrap_or_default()}</td>
            <td>
                {row.email.clone()} " " {mail}
                {(!activated).then(|| view! {
                    <form class="inline-form" on:submit=move |ev| {
                        ev.prevent_default();
                        invite.dispatch((premise, email.get_untracked()));
                    }>
                        <input type="email" name="email" placeholder="owner@mail.ru" required
                            prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                        <button type="submit" class="button small">{i18n.tr(Msg::CodesInviteButton)}</button>
                    </form>
                })}
            </td>
            <td>
                {(!activated).then(|| view! {
                    <button type="button" class="button small" data-testid="code-one" on:click=move |_| { make.dispatch((object, Some(premise))); }>
                        {move || i18n.t(if row.code.is_some() { Msg::CodesRenew } else { Msg::CodesMake })}
                    </button>
                })}
            </td>
        </tr>
    }
}
