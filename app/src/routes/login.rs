//! The sign-in page. A plain form posted to the `sign_in` server function, so it works
//! before (and without) hydration.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ActionError;
use crate::functions::auth::SignIn;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=i18n.tr(Msg::SignInTitle)/>
        <div class="login-page">
            <div class="login-card">
                <div class="login-brand">
                    <img src="/icons/icon-192.png" alt="" width="56" height="56"/>
                    <div>
                        <h1>{i18n.tr(Msg::AppName)}</h1>
                        <p>{i18n.tr(Msg::AppTagline)}</p>
                    </div>
                </div>
                <ActionForm action=action attr:class="login-form">
                    <input type="hidden" name="next" prop:value=next/>
                    <label>
                        <span>{i18n.tr(Msg::Login)}</span>
                        <input type="text" name="login" autocomplete="username" autocapitalize="none" required autofocus/>
                    </label>
                    <label>
                        <span>{i18n.tr(Msg::Password)}</span>
                        <input type="password" name="password" autocomplete="current-password" required/>
                    </label>
                    <ActionError value=action.value()/>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        {i18n.tr(Msg::SignIn)}
                    </button>
                </ActionForm>
                <p class="muted small"><a href="/reset" data-testid="forgot-link">{i18n.tr(Msg::PasswordForgot)}</a></p>
                <p class="muted small"><a href="/register" data-testid="register-link">{i18n.tr(Msg::RegInvitation)}</a></p>
                <button type="button" class="link lang" data-testid="lang" on:click=move |_| i18n.set(i18n.lang().other())>
                    {i18n.tr(Msg::Language)}
                </button>
            </div>
        </div>
    }
}
