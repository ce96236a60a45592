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
            <CompanyPicker info=info.clone()/>
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

/// The company the session works in: a choice when the user belongs to several (the top
/// bar on a desk, the side menu on a phone).
#[component]
pub fn CompanyPicker(info: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let company_id = info.company_id;
    let on_company = move |ev: leptos::ev::Event| {
        let Ok(id) = event_target_value(&ev).parse::<i64>() else {
            return;
        };
        if id == company_id {
            return;
        }
        leptos::task::spawn_local(async move {
            if switch_company(id).await.is_ok() {
                open_in_new_company();
            }
        });
    };
    view! {
        <label class="picker company-picker">
            <span class="sr">{i18n.tr(Msg::Company)}</span>
            {if info.companies.len() > 1 {
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
    }
}

/// Where a page goes when the company changes under it: the same page without what named
/// the old company's records (a building, meter, account or request), which the new company
/// does not have; a record's own page goes back to its list.
pub fn page_after_company_switch(path: &str, query: &str) -> String {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let path = match parts.as_slice() {
        ["meters", ..] => "/readings".to_string(),
        ["subscribers", _, ..] => "/subscribers".to_string(),
        ["service", view, _, ..] => format!("/service/{view}"),
        _ => path.to_string(),
    };
    const OLD_COMPANY: [&str; 5] = ["object", "meter", "account", "premise", "id"];
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !OLD_COMPANY.contains(&key) && !key.starts_with("query[object]")
        })
        .collect();
    if kept.is_empty() {
        path
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

fn open_in_new_company() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let l = w.location();
        let (path, query) = (l.pathname().unwrap_or_default(), l.search().unwrap_or_default());
        let _ = l.assign(&page_after_company_switch(&path, &query));
    }
}

#[cfg(test)]
mod tests {
    use super::page_after_company_switch as after;

    #[test]
    fn a_page_of_the_old_companys_building_opens_without_it_in_the_new_company() {
        assert_eq!(after("/readings", "?object=5&resource=water&page=3"), "/readings?resource=water&page=3");
        assert_eq!(after("/subscribers", "?object=5"), "/subscribers");
        assert_eq!(after("/monitoring/polling", "?object=2&category=ElectricityFlats"), "/monitoring/polling?category=ElectricityFlats");
        assert_eq!(after("/", ""), "/");
    }

    #[test]
    fn a_record_of_the_old_company_goes_back_to_its_list() {
        assert_eq!(after("/meters/42", "?month=2026-11"), "/readings?month=2026-11");
        assert_eq!(after("/meters/42/archive", "?kind=day"), "/readings?kind=day");
        assert_eq!(after("/subscribers/0100100012", ""), "/subscribers");
        assert_eq!(after("/service/dispatch/17", ""), "/service/dispatch");
    }
}
