//! The top bar: company and building pickers, language, the user and sign-out.

use leptos::either::Either;
use leptos::prelude::*;

use super::layout::{MenuOpen, SelectedObject};
use super::user_box::UserBox;
use crate::functions::auth::switch_company;
use crate::i18n::{use_i18n, Msg};
use crate::models::views::SessionView;

#[component]
pub fn TopBar(info: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let selected = expect_context::<SelectedObject>();
    let menu = expect_context::<MenuOpen>();
    let company_id = info.company_id;
    let several_companies = info.companies.len() > 1;
    let on_company = move |ev: leptos::ev::Event| {
        let Ok(id) = event_target_value(&ev).parse::<i64>() else {
            return;
        };
        if id == company_id {
            return;
        }
        leptos::task::spawn_local(async move {
            if switch_company(id).await.is_ok() {
                reload();
            }
        });
    };
    let on_object =
        move |ev: leptos::ev::Event| selected.set(event_target_value(&ev).parse::<i64>().ok());
    let role = info.role;
    view! {
        <header class="top-bar">
            <button type="button" class="menu-toggle" aria-label="menu" on:click=move |_| menu.0.update(|o| *o = !*o)>
                "☰"
            </button>
            <a class="brand" href="/">
                <img src="/icons/icon-192.png" alt="" width="28" height="28"/>
                <span>{i18n.tr(Msg::AppName)}</span>
            </a>
            <label class="picker company-picker">
                <span class="sr">{i18n.tr(Msg::Company)}</span>
                {if several_companies {
                    Either::Left(view! {
                        <select name="company" on:change=on_company>
                            {info
                                .companies
                                .iter()
                                .map(|c| view! { <option value=c.id.to_string() selected=c.id == company_id>{c.name.clone()}</option> })
                                .collect_view()}
                        </select>
                    })
                } else {
                    Either::Right(view! { <span class="company-name">{info.company_name.clone()}</span> })
                }}
            </label>
            {(!info.objects.is_empty())
                .then(|| {
                    view! {
                        <label class="picker object-picker">
                            <span class="sr">{i18n.tr(Msg::Building)}</span>
                            <select name="object" on:change=on_object>
                                <option value="" selected=move || selected.0.get().is_none()>{i18n.tr(Msg::AllBuildings)}</option>
                                {info
                                    .objects
                                    .iter()
                                    .map(|o| {
                                        let id = o.id;
                                        view! { <option value=id.to_string() selected=move || selected.0.get() == Some(id)>{o.name.clone()}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                })}
            <span class="spacer"></span>
            <UserBox full_name=info.full_name.clone() role/>
        </header>
    }
}

fn reload() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
