//! The right end of a top bar: language, who is signed in, «Выйти».

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::functions::auth::{sign_out, SignOut};
use crate::i18n::{role_name, use_i18n};
use crate::i18n::Msg;
use crate::models::Role;

#[component]
pub fn UserBox(full_name: String, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="lang" data-testid="lang" on:click=move |_| i18n.set(i18n.lang().other())>
            {i18n.tr(Msg::Language)}
        </button>
        <div class="user">
            <span class="user-name">{full_name}</span>
            <span class="user-role" data-testid="role">{move || i18n.t(role_name(role))}</span>
        </div>
        // a plain form (works before hydration), sent by a call once hydrated; the server
        // answers with the way to the sign-in page, which the router follows. Not
        // `ActionForm` nor `ServerAction`, whose form and error decoding would be linked
        // into the bundle every page loads.
        <form class="sign-out" method="post" action=SignOut::url()
            on:submit=move |ev| {
                ev.prevent_default();
                leptos::task::spawn_local(async move {
                    let _ = sign_out().await;
                });
            }>
            <button type="submit">{i18n.tr(Msg::SignOut)}</button>
        </form>
    }
}
