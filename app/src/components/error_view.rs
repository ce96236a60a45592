//! The one place an `AppError` is shown to a person.

use leptos::prelude::*;

use crate::errors::AppError;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let signed_out = error == AppError::NotSignedIn;
    view! {
        <div class="error-box" role="alert">
            <strong>{i18n.tr(Msg::ErrorTitle)}</strong>
            <p>{let e = error.clone(); move || e.text(i18n.lang())}</p>
            {signed_out.then(|| view! { <a href="/login">{i18n.tr(Msg::SignIn)}</a> })}
        </div>
    }
}

/// The error of a finished action, if it failed.
#[component]
pub fn ActionError<T: Clone + Send + Sync + 'static>(
    #[prop(into)] value: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    move || match value.get() {
        Some(Err(e)) => Some(view! { <ErrorBox error=e/> }),
        _ => None,
    }
}
