//! The company card (SPEC F43).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::ErrorBox;
use crate::functions::company::company_card;
use crate::i18n::{use_i18n, Msg};
use crate::resource::resource;

#[component]
pub fn CompanyPage() -> impl IntoView {
    let i18n = use_i18n();
    let card = resource(|| (), |_| company_card());
    view! {
        <Title text=i18n.tr(Msg::CompanyTitle)/>
        <section class="page">
            <h1>{i18n.tr(Msg::CompanyTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => {
                            let fields = [
                                (Msg::Name, c.name),
                                (Msg::Inn, c.inn),
                                (Msg::Kpp, c.kpp),
                                (Msg::Ogrn, c.ogrn),
                                (Msg::LegalAddress, c.legal_address),
                                (Msg::ActualAddress, c.actual_address),
                                (Msg::Phone, c.phone),
                                (Msg::Email, c.email),
                                (Msg::WorkingHours, c.working_hours),
                                (Msg::Cities, c.cities.join(", ")),
                            ];
                            view! {
                                <dl class="card-list">
                                    {fields
                                        .into_iter()
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
