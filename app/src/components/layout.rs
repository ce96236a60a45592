//! The signed-in frame: top bar, side menu, page. Loads who is signed in once and hands it
//! to every page through context. A chunk of its own (`routes::split::FrameRoute`): the
//! field screen has a lighter frame (`field_frame`).

use leptos::prelude::*;
use leptos_router::components::Outlet;

use super::session_gate::SessionGate;
use super::side_menu::SideMenu;
use super::top_bar::TopBar;
use crate::functions::auth::session_info;
use crate::models::views::SessionView;
use crate::prefs;

pub const OBJECT_COOKIE: &str = "uchet_object";

/// The building chosen in the top bar (None: all buildings). Remembered in a cookie.
#[derive(Clone, Copy)]
pub struct SelectedObject(pub RwSignal<Option<i64>>);

impl SelectedObject {
    pub fn set(self, id: Option<i64>) {
        prefs::write_cookie(
            OBJECT_COOKIE,
            &id.map(|i| i.to_string()).unwrap_or_default(),
            365 * 24 * 3600,
        );
        self.0.set(id);
    }
}

/// Opens the page for the building picked in the top bar: `href` gives the page's address
/// for a building. Call from a page component.
pub fn follow_selected_object(href: impl Fn(i64) -> String + 'static) {
    if let Some(selected) = use_context::<SelectedObject>() {
        let navigate = leptos_router::hooks::use_navigate();
        Effect::new(move |before: Option<Option<i64>>| {
            let now = selected.0.get();
            if let (Some(before), Some(id)) = (before, now) {
                if before != Some(id) {
                    navigate(&href(id), Default::default());
                }
            }
            now
        });
    }
}

/// Whether the side menu is open on a phone.
#[derive(Clone, Copy)]
pub struct MenuOpen(pub RwSignal<bool>);

#[component]
pub fn Layout() -> impl IntoView {
    view! { <SessionGate load=session_info frame=|info| view! { <Frame info/> }/> }
}

#[component]
fn Frame(info: SessionView) -> impl IntoView {
    let chosen = prefs::read_cookie(OBJECT_COOKIE)
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|id| info.objects.iter().any(|o| o.id == *id));
    provide_context(SelectedObject(RwSignal::new(chosen)));
    let menu_open = MenuOpen(RwSignal::new(false));
    provide_context(menu_open);
    provide_context(info.clone());
    // the device queue of typed readings drains from whatever page is open
    crate::offline::sync::EntryQueue::provide(info.user_id);
    super::side_menu::BadgesChanged::provide();
    view! {
        <div class="app" class:menu-open=move || menu_open.0.get()>
            <TopBar info=info.clone()/>
            <SideMenu info=info.clone()/>
            <main class="content" on:click=move |_| menu_open.0.set(false)>
                <Outlet/>
            </main>
        </div>
    }
}
