//! The right end of a top bar: language, who is signed in, «Выйти».

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::confirm::confirmed as confirm;
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
            <a class="user-name" href="/settings/password" title=i18n.tr(Msg::PasswordChangeTitle)>{full_name}</a>
            <span class="user-role" data-testid="role">{move || i18n.t(role_name(role))}</span>
        </div>
        // a plain form (works before hydration), sent by a call once hydrated; the server
        // answers with the way to the sign-in page, which the router follows. Not
        // `ActionForm` nor `ServerAction`, whose form and error decoding would be linked
        // into the bundle every page loads.
        <form class="sign-out" method="post" action=SignOut::url()
            on:submit=move |ev| {
                ev.prevent_default();
                // values typed on this device and not sent yet stay for the next sign-in:
                // say so before leaving, never drop them silently
                let sync = use_context::<crate::offline::sync::EntryQueue>();
                let waiting = sync.map(|s| s.waiting.get_untracked()).unwrap_or(0);
                if waiting > 0 && !confirm(&format!("{}: {waiting}. {}", i18n.t(Msg::SyncWaiting), i18n.t(Msg::SignOutKeepsQueue))) {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Some(s) = sync {
                        let _ = crate::offline::store::forget_user(s.user_id).await;
                    }
                    let _ = sign_out().await;
                });
            }>
            <button type="submit">{i18n.tr(Msg::SignOut)}</button>
        </form>
    }
}
