//! The cabinet's first page (F44): my premises with their meters — last readings per tariff,
//! verification dates, retired meters shown as such — the way in to readings, consumption
//! and requests, another premise added by its code, and how to reach the company. Kept on
//! the device, so it opens with no network.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::cabinet::my_cabinet;
use crate::functions::registration::ClaimCode;
use crate::i18n::{resource_name, state_name, unit_name, use_i18n, Msg};
use crate::models::cabinet::{registers_text, CabinetMeter, CabinetPremise, CabinetView, CompanyContacts};
use crate::models::{format, MeterState};
use crate::offline::or_kept;
use crate::offline::store::{self, Store};
use crate::offline::sync::EntryQueue;
use crate::resource::{kept, resource};

/// Verification within this many days is shown as due.
const DUE_DAYS: i64 = 30;

#[component]
pub fn MyPremisesPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    let claim = ServerAction::<ClaimCode>::new();
    let claim_kept = kept(*claim);
    let key = store::key(sync.user_id, "cabinet");
    let cabinet = resource(
        move || claim_kept.get(),
        move |_| {
            let key = key.clone();
            async move { or_kept(my_cabinet().await, Store::Sheets, &key).await }
        },
    );
    view! {
        <Title text=i18n.tr(Msg::MyPremisesTitle)/>
        <section class="page cabinet">
            <h1>{i18n.tr(Msg::MyPremisesTitle)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match cabinet.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(kept) => view! { <Cabinet view=kept.value from_device=kept.from_device/> }.into_any(),
                    }
                })}
            </Transition>
            <details class="panel claim">
                <summary>{i18n.tr(Msg::CabAddPremise)}</summary>
                <ActionForm action=claim attr:class="inline-form">
                    <label class="field">
                        <span>{i18n.tr(Msg::RegCode)}</span>
                        <input name="code" autocomplete="off" autocapitalize="characters" placeholder="XXXX-XXXX-XXXX" required/>
                    </label>
                    <button type="submit" class="button">{i18n.tr(Msg::CabAddButton)}</button>
                </ActionForm>
                <ActionError value=claim.value()/>
            </details>
        </section>
    }
}

#[component]
fn Cabinet(view: CabinetView, from_device: bool) -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    if !from_device {
        // the cabinet opens with no network next time
        let kept = view.clone();
        Effect::new(move |_| {
            let kept = kept.clone();
            leptos::task::spawn_local(async move {
                let key = store::key(sync.user_id, "cabinet");
                if let Err(e) = store::put(Store::Sheets, &key, &kept).await {
                    sync.device_problem.set(Some(e.to_string()));
                }
                let _ = store::keep_page("/my").await;
            });
        });
    }
    let empty = view.premises.is_empty();
    view! {
        {from_device.then(|| view! { <p class="warn-text" data-testid="from-device">{i18n.tr(Msg::CabOfflineCopy)}</p> })}
        {empty.then(|| view! { <p class="empty">{i18n.tr(Msg::NoPremises)}</p> })}
        {view.premises.into_iter().map(|p| view! { <PremiseCard premise=p/> }).collect_view()}
        <Contacts company=view.company/>
    }
}

#[component]
fn PremiseCard(premise: CabinetPremise) -> impl IntoView {
    let i18n = use_i18n();
    let id = premise.id;
    let today = crate::offline::device_today();
    let meters = premise
        .meters
        .into_iter()
        .map(|m| view! { <MeterLine meter=m today/> })
        .collect_view();
    view! {
        <article class="panel premise-card" data-premise=id.to_string()>
            <h2>{format!("{}, {} {}", premise.address, i18n.t(Msg::Flat), premise.number)}</h2>
            <p class="muted">
                {premise.object_name} " · " {i18n.tr(Msg::Account)} ": " {premise.accounts.join(", ")}
            </p>
            <div class="toolbar">
                <a class="button primary" href="/my/readings">{i18n.tr(Msg::MenuSubmitReadings)}</a>
                <a class="button" href=format!("/my/consumption?premise={id}")>{i18n.tr(Msg::Consumption)}</a>
                <a class="button" href=format!("/my/requests?premise={id}")>{i18n.tr(Msg::MenuRequests)}</a>
            </div>
            <ul class="meter-cards">{meters}</ul>
        </article>
    }
}

#[component]
fn MeterLine(meter: CabinetMeter, today: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let m = meter;
    let retired = m.state == MeterState::Retired;
    let due = !retired && m.verification_due(today, DUE_DAYS);
    let resource = m.resource;
    let fraction = m.fraction as u32;
    let last = match m.last.clone() {
        None => view! { <p class="muted">{i18n.tr(Msg::NoReading)}</p> }.into_any(),
        Some(l) => {
            let values = registers_text(&l.values, m.tariffs, fraction);
            let waiting = l.waiting.map(|w| view! {
                <p class="waiting-value small" data-testid="waiting">
                    <span class="tag warn">{i18n.tr(Msg::UnderReview)}</span> " "
                    <strong>{registers_text(&w.values, m.tariffs, fraction)}</strong>
                    <span class="muted">" · " {w.at}</span>
                </p>
            });
            view! {
                <p class="last-reading">
                    {if values.is_empty() {
                        view! { <span class="muted">{i18n.tr(Msg::NoReading)}</span> }.into_any()
                    } else {
                        view! {
                            <strong class="value" data-testid="last-value">{values}</strong>
                            " " {move || i18n.t(unit_name(resource))}
                            <span class="muted small">" · " {l.at.clone()}</span>
                        }.into_any()
                    }}
                </p>
                {waiting}
            }
            .into_any()
        }
    };
    view! {
        <li class="meter-card" class:retired=retired data-meter=m.id.to_string()>
            <div class="meter-head">
                <strong>{move || i18n.t(resource_name(resource))}</strong>
                <span class="muted">{m.model.clone()} ", " {i18n.tr(Msg::Serial)} " " {m.serial.clone()}</span>
                {retired.then(|| view! { <span class="badge-soft">{move || i18n.t(state_name(MeterState::Retired))}</span> })}
            </div>
            {last}
            <p class="muted small meter-life">
                {m.installed_on.map(|d| format!("{} {}", i18n.t(Msg::Installed), format::date(d)))}
                {m.verified_on.map(|d| format!(" · {} {}", i18n.t(Msg::Verified), format::date(d)))}
                {m.next_verification_on.map(|d| view! {
                    <span class:warn-text=due>" · " {i18n.tr(Msg::NextVerification)} " " {format::date(d)}</span>
                })}
            </p>
        </li>
    }
}

#[component]
fn Contacts(company: CompanyContacts) -> impl IntoView {
    let i18n = use_i18n();
    let phone_href = format!("tel:{}", company.phone.replace([' ', '(', ')', '-'], ""));
    let mail_href = format!("mailto:{}", company.email);
    view! {
        <aside class="panel contacts" data-testid="contacts">
            <h2>{i18n.tr(Msg::CabContacts)}</h2>
            <p><strong>{company.name.clone()}</strong></p>
            {(!company.address.is_empty()).then(|| view! { <p>{company.address.clone()}</p> })}
            {(!company.phone.is_empty()).then(|| view! { <p>{i18n.tr(Msg::Phone)} ": " <a href=phone_href.clone()>{company.phone.clone()}</a></p> })}
            {(!company.email.is_empty()).then(|| view! { <p>{i18n.tr(Msg::Email)} ": " <a href=mail_href.clone()>{company.email.clone()}</a></p> })}
            {(!company.working_hours.is_empty()).then(|| view! { <p>{i18n.tr(Msg::WorkingHours)} ": " {company.working_hours.clone()}</p> })}
        </aside>
    }
}
