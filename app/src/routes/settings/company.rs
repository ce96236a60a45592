//! The company card (SPEC F43): read by the staff, edited by the company's administrator —
//! requisites, contacts and bank details, each number checked as the bank would check it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::company::{company_card, SaveCompany};
use crate::i18n::{use_i18n, Msg};
use crate::models::company::CompanyForm;
use crate::resource::resource;

/// The card's fields in the order of a Russian company's requisites sheet: (label, form
/// name, value, input type).
fn fields(c: &CompanyForm) -> [(Msg, &'static str, String, &'static str); 13] {
    [
        (Msg::Name, "name", c.name.clone(), "text"),
        (Msg::Inn, "inn", c.inn.clone(), "text"),
        (Msg::Kpp, "kpp", c.kpp.clone(), "text"),
        (Msg::Ogrn, "ogrn", c.ogrn.clone(), "text"),
        (Msg::LegalAddress, "legal_address", c.legal_address.clone(), "text"),
        (Msg::ActualAddress, "actual_address", c.actual_address.clone(), "text"),
        (Msg::Phone, "phone", c.phone.clone(), "tel"),
        (Msg::Email, "email", c.email.clone(), "email"),
        (Msg::WorkingHours, "working_hours", c.working_hours.clone(), "text"),
        (Msg::BankName, "bank_name", c.bank_name.clone(), "text"),
        (Msg::Bik, "bik", c.bik.clone(), "text"),
        (Msg::SettlementAccount, "settlement_account", c.settlement_account.clone(), "text"),
        (Msg::CorrespondentAccount, "correspondent_account", c.correspondent_account.clone(), "text"),
    ]
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCompany>::new();
    // read again after a save that went through (the stored card, numbers as digits); a
    // refused one keeps what was typed on the form
    let stored = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            stored.update(|n| *n += 1);
        }
    });
    let card = resource(move || stored.get(), |_| company_card());
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Title text=i18n.tr(Msg::CompanyTitle)/>
        <section class="page">
            <h1>{i18n.tr(Msg::CompanyTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) if c.editable => {
                            let groups = fields(&c.card);
                            let group = move |from: usize, to: usize, title: Msg| {
                                let inputs = groups.clone()[from..to]
                                    .iter()
                                    .cloned()
                                    // the attribute for the page before hydration; the property
                                    // so a saved card shows what was stored (a number typed with
                                    // spaces comes back as its digits), not what was typed
                                    .map(|(label, name, value, kind)| view! {
                                        <label>
                                            <span>{move || i18n.t(label)}</span>
                                            <input type=kind name=name value=value.clone() prop:value=value required=name == "name" || name == "inn"/>
                                        </label>
                                    })
                                    .collect_view();
                                view! { <fieldset class="panel form-grid"><legend>{i18n.tr(title)}</legend>{inputs}</fieldset> }
                            };
                            view! {
                                <ActionForm action=save attr:class="company-form" attr:data-testid="company-form">
                                    {group(0, 6, Msg::CompanyRequisites)}
                                    {group(6, 9, Msg::CompanyContacts)}
                                    {group(9, 13, Msg::CompanyBank)}
                                    <p class="muted small">{i18n.tr(Msg::Cities)} ": " {c.cities.join(", ")}</p>
                                    <ActionError value=save.value()/>
                                    <Show when=saved>
                                        <p class="ok" role="status" data-testid="company-saved">{i18n.tr(Msg::CompanySaved)}</p>
                                    </Show>
                                    <div class="toolbar">
                                        <button type="submit" class="button primary" disabled=move || save.pending().get()>
                                            {i18n.tr(Msg::Save)}
                                        </button>
                                    </div>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        Ok(c) => {
                            let rows = fields(&c.card)
                                .into_iter()
                                .map(|(k, _, v, _)| (k, v))
                                .chain([(Msg::Cities, c.cities.join(", "))]);
                            view! {
                                <dl class="card-list">
                                    {rows
                                        .map(|(k, v)| view! { <dt>{move || i18n.t(k)}</dt><dd>{v}</dd> })
                                        .collect_view()}
                                </dl>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
