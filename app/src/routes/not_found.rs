//! The 404 page (with a real 404 status on the server).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{use_i18n, Msg};

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t(Msg::NotFoundTitle)/>
        <section class="not-found">
            <p class="code">"404"</p>
            <h1>{move || i18n.t(Msg::NotFoundTitle)}</h1>
            <p>{move || i18n.t(Msg::NotFoundText)}</p>
            <a class="button" href="/">{move || i18n.t(Msg::GoHome)}</a>
        </section>
    }
}
