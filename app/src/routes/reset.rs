//! «Восстановление пароля»: without a token, the form that asks for a link by login or
//! e-mail; with the link's token, the form that sets the new password. Open to the signed
//! out, like sign-in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ActionError;
use crate::functions::auth::{reset_link_valid, RequestPasswordReset, ResetPassword};
use crate::components::new_password::NewPasswordFields;
use crate::i18n::{use_i18n, Msg};
use crate::resource::resource;

#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text=i18n.tr(Msg::ResetTitle)/>
        <div class="login-page">
            <div class="login-card">
                <h1>{i18n.tr(Msg::ResetTitle)}</h1>
                {move || if token().is_empty() {
                    view! { <AskForLink/> }.into_any()
                } else {
                    view! { <NewPassword token=token()/> }.into_any()
                }}
                <p class="muted small"><a href="/login">{i18n.tr(Msg::SignIn)}</a></p>
            </div>
        </div>
    }
}

#[component]
fn AskForLink() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <ActionForm action=action attr:class="login-form" attr:data-testid="reset-ask">
            <label>
                <span>{i18n.tr(Msg::ResetAsk)}</span>
                <input type="text" name="login" autocomplete="username" autocapitalize="none" required/>
            </label>
            <ActionError value=action.value()/>
            <Show when=sent><p class="ok" role="status" data-testid="reset-sent">{i18n.tr(Msg::ResetSent)}</p></Show>
            <button type="submit" class="primary" disabled=move || action.pending().get()>{i18n.tr(Msg::ResetSend)}</button>
        </ActionForm>
    }
}

#[component]
fn NewPassword(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let t = token.clone();
    let valid = resource(move || t.clone(), reset_link_valid);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    if !matches!(valid.await, Ok(true)) && !done() {
                        return view! { <p class="warn-text" data-testid="reset-expired">{i18n.tr(Msg::ResetExpired)}</p> }.into_any();
                    }
                    view! {
                        <ActionForm action=action attr:class="login-form" attr:data-testid="reset-form">
                            <input type="hidden" name="token" value=token/>
                            <NewPasswordFields label=Msg::PasswordNew/>
                            <ActionError value=action.value()/>
                            <Show when=done><p class="ok" role="status" data-testid="reset-done">{i18n.tr(Msg::ResetDone)}</p></Show>
                            <button type="submit" class="primary" disabled=move || action.pending().get() || done()>{i18n.tr(Msg::Save)}</button>
                        </ActionForm>
                    }.into_any()
                })
            }}
        </Suspense>
    }
}
