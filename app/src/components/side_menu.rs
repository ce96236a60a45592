//! The side menu, built from the role (see `models::menu`).

use leptos::prelude::*;
use leptos_router::components::A;

use super::layout::MenuOpen;
use crate::i18n::{use_i18n, Msg};
use crate::models::menu::menu_for;
use crate::models::Role;

#[component]
pub fn SideMenu(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let open = expect_context::<MenuOpen>();
    let sections = menu_for(role);
    view! {
        <nav class="side-menu" aria-label="menu" data-role=role.as_str()>
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
                                            view! {
                                                <li>
                                                    <A href=item.path exact=true on:click=move |_| open.0.set(false)>
                                                        {move || i18n.t(item.label)}
                                                    </A>
                                                </li>
                                            }
                                                .into_any()
                                        } else {
                                            view! {
                                                <li class="soon" title=move || i18n.t(Msg::Soon)>
                                                    <span>{move || i18n.t(item.label)}</span>
                                                </li>
                                            }
                                                .into_any()
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
