//! The field screen's own frame: a bar with the company, language, the user and «Выйти»,
//! and the device queue. The dispatcher's frame (pickers, side menu with counts) is a chunk
//! of its own (`routes::split::FrameRoute`), so a phone opening the field screen first loads
//! neither.

use leptos::prelude::*;

use super::session_gate::SessionGate;
use super::user_box::UserBox;
use crate::i18n::{use_i18n, Msg};
use crate::functions::auth::signed_in;
use crate::models::views::SignedInUser;
use crate::routes::field::FieldPage;

#[component]
pub fn FieldFrame() -> impl IntoView {
    view! { <SessionGate load=signed_in frame=|info| view! { <FieldShell info/> }/> }
}

#[component]
fn FieldShell(info: SignedInUser) -> impl IntoView {
    let i18n = use_i18n();
    crate::offline::sync::EntryQueue::provide(info.user_id);
    view! {
        <div class="app field-frame">
            <header class="top-bar">
                // back to the full application: the start page with the menu
                <a class="brand" href="/">
                    <img src="/icons/icon-192.png" alt="" width="28" height="28"/>
                    <span>{i18n.tr(Msg::AppName)}</span>
                </a>
                <span class="company-name">{info.company_name.clone()}</span>
                <span class="spacer"></span>
                <UserBox full_name=info.full_name.clone() role=info.role/>
            </header>
            <main class="content">
                <FieldPage/>
            </main>
        </div>
    }
}
