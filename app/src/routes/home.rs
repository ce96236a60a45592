//! The first screen after sign-in, by role: a dispatcher's summary, field staff's buildings,
//! a resident's premises, an administrator's company card.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::ErrorBox;
use crate::functions::home::home_summary;
use crate::i18n::{use_i18n, Msg};
use crate::models::format;
use crate::models::views::SessionView;
use crate::models::Role;
use crate::routes::dashboard::DashboardBlock;
use crate::routes::field::FieldPage;
use crate::routes::resident::premises::MyPremisesPage;
use crate::routes::settings::company::CompanyPage;
use crate::resource::resource;

#[component]
pub fn HomePage() -> impl IntoView {
    let info = expect_context::<SessionView>();
    match info.role {
        Role::Resident => view! { <MyPremisesPage/> }.into_any(),
        // field staff come to walk a building
        Role::FieldStaff => view! { <FieldPage/> }.into_any(),
        Role::Administrator => view! { <CompanyPage/> }.into_any(),
        _ => view! { <Summary/> }.into_any(),
    }
}

#[component]
fn Summary() -> impl IntoView {
    let i18n = use_i18n();
    let summary = resource(|| (), |_| home_summary());
    view! {
        <Title text=i18n.tr(Msg::HomeTitle)/>
        <section class="page">
            <h1>{i18n.tr(Msg::HomeTitle)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match summary.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(s) => {
                            let silent_warn = s.silent_meters > 0;
                            view! {
                                <div class="cards">
                                    <Card label=Msg::Objects value=s.objects href="/objects"/>
                                    <Card label=Msg::Premises value=s.premises/>
                                    <Card label=Msg::IndividualMeters value=s.meters_individual/>
                                    <Card label=Msg::CommonMeters value=s.meters_common/>
                                    <Card label=Msg::HeardLastDay value=s.meters_heard_last_day/>
                                    <div class="card" class:warn=silent_warn>
                                        <span class="card-label">{i18n.tr(Msg::SilentMeters)}</span>
                                        <span class="card-value" data-testid="silent">{format::integer(s.silent_meters)}</span>
                                    </div>
                                </div>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
            <DashboardBlock/>
        </section>
    }
}

#[component]
fn Card(label: Msg, value: i64, #[prop(optional)] href: Option<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    let body = view! {
        <span class="card-label">{move || i18n.t(label)}</span>
        <span class="card-value">{format::integer(value)}</span>
    };
    match href {
        Some(h) => view! { <a class="card link" href=h>{body}</a> }.into_any(),
        None => view! { <div class="card">{body}</div> }.into_any(),
    }
}
