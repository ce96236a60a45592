//! A resident's premises and their meters.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::ErrorBox;
use crate::functions::resident::my_premises;
use crate::i18n::{resource_name, use_i18n, Msg};
use crate::models::format;

#[component]
pub fn MyPremisesPage() -> impl IntoView {
    let i18n = use_i18n();
    let premises = Resource::new(|| (), |_| my_premises());
    view! {
        <Title text=move || i18n.t(Msg::MyPremisesTitle)/>
        <section class="page">
            <h1>{move || i18n.t(Msg::MyPremisesTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match premises.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{move || i18n.t(Msg::NoPremises)}</p> }.into_any(),
                        Ok(list) => {
                            list.into_iter()
                                .map(|p| {
                                    view! {
                                        <article class="panel premise" data-premise=p.id.to_string()>
                                            <h2>{format!("{}, {} {}", p.address, i18n.t(Msg::Flat), p.number)}</h2>
                                            <p class="muted">
                                                {p.object_name} " · " {move || i18n.t(Msg::Account)} ": " {p.accounts.join(", ")}
                                            </p>
                                            <div class="table-wrap">
                                                <table class="data">
                                                    <thead>
                                                        <tr>
                                                            <th>{move || i18n.t(Msg::MenuMeters)}</th>
                                                            <th>{move || i18n.t(Msg::Model)}</th>
                                                            <th>{move || i18n.t(Msg::Serial)}</th>
                                                            <th class="num">{move || i18n.t(Msg::Tariffs)}</th>
                                                            <th>{move || i18n.t(Msg::NextVerification)}</th>
                                                        </tr>
                                                    </thead>
                                                    <tbody>
                                                        {p
                                                            .meters
                                                            .into_iter()
                                                            .map(|m| {
                                                                view! {
                                                                    <tr>
                                                                        <td>{move || i18n.t(resource_name(m.resource))}</td>
                                                                        <td>{m.model}</td>
                                                                        <td>{m.serial}</td>
                                                                        <td class="num">{m.tariffs}</td>
                                                                        <td>{m.next_verification_on.map(format::date).unwrap_or_default()}</td>
                                                                    </tr>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </tbody>
                                                </table>
                                            </div>
                                        </article>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
