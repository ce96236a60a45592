//! The two fields of a new password and its rules, the same on every form that sets one:
//! the first start, sign-up, reset and change. The names are what the server functions take.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// `label` names the first field («Пароль» on sign-up, «Новый пароль» on a change).
#[component]
pub fn NewPasswordFields(label: Msg) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>
            <span>{i18n.tr(label)}</span>
            <input type="password" name="password" autocomplete="new-password" minlength="10" required/>
        </label>
        <label>
            <span>{i18n.tr(Msg::PasswordAgain)}</span>
            <input type="password" name="password_again" autocomplete="new-password" minlength="10" required/>
        </label>
        <p class="muted small">{i18n.tr(Msg::PasswordRules)}</p>
    }
}
