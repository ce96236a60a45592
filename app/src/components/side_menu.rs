//! The side menu, built from the role (see `models::menu`), with counts of what waits: new
//! requests on the desk, unread answers and notices in the cabinet. The counts are asked for
//! in the browser at every page change and each minute.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::layout::MenuOpen;
use crate::functions::badges::menu_badges;
use super::top_bar::CompanyPicker;
use crate::i18n::{role_name, use_i18n, Msg};
use crate::models::menu::menu_for;
use crate::models::views::SessionView;

/// Bumped by a page whose action changes a count (a request answered, a notice read), so the
/// menu asks again at once.
#[derive(Clone, Copy)]
pub struct BadgesChanged(pub RwSignal<u32>);

impl BadgesChanged {
    /// Made by the signed-in frame, for the menu and every page.
    pub fn provide() {
        provide_context(BadgesChanged(RwSignal::new(0)));
    }

    pub fn bump() {
        if let Some(b) = use_context::<BadgesChanged>() {
            b.0.update(|n| *n = n.wrapping_add(1));
        }
    }
}

#[component]
pub fn SideMenu(info: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let role = info.role;
    let open = expect_context::<MenuOpen>();
    let sections = menu_for(role);
    let badges: RwSignal<Vec<(String, i64)>> = RwSignal::new(Vec::new());
    let location = use_location();
    let tick = RwSignal::new(0u32);
    let changed = use_context::<BadgesChanged>();
    Effect::new(move |_| {
        location.pathname.track();
        tick.track();
        if let Some(c) = changed {
            c.0.track();
        }
        leptos::task::spawn_local(async move {
            if let Ok(b) = menu_badges().await {
                badges.set(b);
            }
        });
    });
    #[cfg(feature = "hydrate")]
    {
        if let Ok(h) = set_interval_with_handle(
            move || tick.update(|t| *t = t.wrapping_add(1)),
            std::time::Duration::from_secs(60),
        ) {
            on_cleanup(move || h.clear());
        }
    }
    let count = move |path: &'static str| {
        badges.with(|b| b.iter().find(|(p, _)| p == path).map(|(_, n)| *n))
    };
    view! {
        <nav class="side-menu" aria-label="menu" data-role=role.as_str()>
            // on a phone the top bar has no room for who is signed in and where
            <div class="menu-who" data-testid="menu-who">
                <strong class="user-name">{info.full_name.clone()}</strong>
                <span class="user-role muted small">{move || i18n.t(role_name(role))}</span>
                <CompanyPicker info=info.clone()/>
            </div>
            {sections
                .into_iter()
                .map(|section| {
                    view! {
                        <div class="menu-section">
                            <h2>{move || i18n.t(section.title)}</h2>
                            <ul>
                                {section
                                    .items
                                    .into_iter()
                                    .map(|item| {
                                        if item.ready {
                                            let path = item.path;
                                            Either::Left(view! {
                                                <li>
                                                    <A href=path exact=true on:click=move |_| open.0.set(false)>
                                                        {move || i18n.t(item.label)}
                                                        {move || count(path).map(|n| view! {
                                                            <span class="menu-badge" data-badge=path>{n}</span>
                                                        })}
                                                    </A>
                                                </li>
                                            })
                                        } else {
                                            Either::Right(view! {
                                                <li class="soon" title=i18n.tr(Msg::Soon)>
                                                    <span>{move || i18n.t(item.label)}</span>
                                                </li>
                                            })
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })
                .collect_view()}
        </nav>
    }
}
