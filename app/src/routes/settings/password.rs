//! «Смена пароля»: every signed-in person changes their own password here — and must, after
//! signing in with one an administrator gave. A plain form posted to `change_password`.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::ActionError;
use crate::functions::auth::ChangePassword;
use crate::components::new_password::NewPasswordFields;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn PasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text=i18n.tr(Msg::PasswordChangeTitle)/>
        <section class="page narrow">
            <h1>{i18n.tr(Msg::PasswordChangeTitle)}</h1>
            <ActionForm action=action attr:class="panel form-grid" attr:data-testid="password-form">
                <label>
                    <span>{i18n.tr(Msg::PasswordCurrent)}</span>
                    <input type="password" name="current" autocomplete="current-password" required/>
                </label>
                <NewPasswordFields label=Msg::PasswordNew/>
                <ActionError value=action.value()/>
                <Show when=done>
                    <p class="ok" role="status" data-testid="password-changed">{i18n.tr(Msg::PasswordChanged)}</p>
                </Show>
                <div class="toolbar">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>{i18n.tr(Msg::Save)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
