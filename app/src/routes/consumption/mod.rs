//! «Потребление» (issue 24; F11–F13, EK 4.1.2–4.1.5): a building's consumption premise by
//! premise — the registry of every resource, one resource over the premises — and the row
//! of tabs that joins a building's consumption pages (EK's horizontal menu): its balance,
//! premises, registry, balance groups and meters.

pub mod premises;
pub mod registry;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::components::day_or_month::DayOrMonthForm;
use crate::components::error_view::ErrorBox;
use crate::components::layout::follow_selected_object;
use crate::functions::consumption::premises_consumption;
use crate::i18n::{use_i18n, Msg};
use crate::models::balance::CompareQuery;
use crate::models::consumption::Premises;
use crate::models::Resource;
use crate::resource::resource;

/// Which of a building's pages is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Balance,
    Premises,
    Registry,
    Groups,
}

/// The table's rows, each found by its premise (`data-row`).
pub(super) fn premise_rows(p: &Premises, cells: Vec<Vec<crate::models::cell::Cell>>) -> Vec<crate::components::cell_table::CellRow> {
    p.rows.iter().zip(cells).map(|(r, cells)| crate::components::cell_table::CellRow::plain(r.premise_id, cells)).collect()
}

/// The building's pages side by side; each keeps the building and, where it has one, the
/// resource.
#[component]
pub fn ObjectTabs(object: Option<i64>, resource: Option<Resource>, current: Tab) -> impl IntoView {
    let i18n = use_i18n();
    let o = object.map(|o| format!("object={o}")).unwrap_or_default();
    let r = resource.map(|r| format!("&resource={}", r.as_str())).unwrap_or_default();
    let tabs = [
        (Tab::Balance, format!("/balance?{o}{r}"), Msg::ConTabBalance),
        (Tab::Premises, format!("/consumption/premises?{o}{r}"), Msg::ConPremisesTitle),
        (Tab::Registry, format!("/consumption?{o}"), Msg::ConRegistry),
        (Tab::Groups, format!("/balance/groups?{o}{r}"), Msg::BalGroupsTitle),
    ];
    let links = tabs
        .into_iter()
        .map(|(tab, href, label)| {
            let here = tab == current;
            view! {
                <a href=href class="tab" class:active=here aria-current=here.then_some("page")>{i18n.tr(label)}</a>
            }
        })
        .collect_view();
    view! {
        <nav class="object-tabs" data-testid="object-tabs" aria-label=i18n.tr(Msg::Building)>
            {links}
            <a href=format!("/service/meters?{o}") class="tab">{i18n.tr(Msg::ConTabMeters)}</a>
        </nav>
    }
}

/// A consumption page of a building: the query in the address, the building followed from
/// the top bar, the tabs, the form, and what `body` makes of the answer.
#[component]
fn ConsumptionPage(
    path: &'static str,
    /// Every resource as a column (the registry), else the one asked.
    registry: bool,
    title: Msg,
    lead: Msg,
    class: &'static str,
    tab: Tab,
    body: fn(Premises) -> AnyView,
) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = Memo::new(move |_| location.search.get().trim_start_matches('?').to_string());
    let made = resource(move || query.get(), move |q| premises_consumption(q, registry));
    follow_selected_object(move |id| {
        let q = query.get_untracked();
        let asked = CompareQuery::from_pairs(q.split('&').filter_map(|p| p.split_once('=')));
        format!("{path}?{}", CompareQuery { object: Some(id), ..asked }.query_string())
    });
    view! {
        <Title text=i18n.tr(title)/>
        <section class=format!("page consumption {class}")>
            <h1>{i18n.tr(title)}</h1>
            <p class="lead">{i18n.tr(lead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match made.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(p) => {
                            let resources = if registry { Vec::new() } else { p.resources.clone() };
                            view! {
                                <ObjectTabs object=p.query.object resource=p.shown.first().copied() current=tab/>
                                <DayOrMonthForm action=path query=p.query.clone() objects=p.objects.clone() resources prefix="consumption"/>
                                {body(p)}
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// Why a building's page has no table: a period still to come, or no premise with a meter.
fn nothing_to_show(p: &Premises, testid: &'static str) -> Option<AnyView> {
    let i18n = use_i18n();
    let why = match (p.begun, p.rows.is_empty()) {
        (false, _) => Msg::BalNoRows,
        (true, true) => Msg::ConNoPremises,
        (true, false) => return None,
    };
    Some(view! { <p class="empty" data-testid=testid>{i18n.tr(why)}</p> }.into_any())
}
