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
        <Title text=i18n.tr(Msg::NotFoundTitle)/>
        <section class="not-found">
            <p class="code">"404"</p>
            <h1>{i18n.tr(Msg::NotFoundTitle)}</h1>
            <p>{i18n.tr(Msg::NotFoundText)}</p>
            <a class="button" href="/">{i18n.tr(Msg::GoHome)}</a>
        </section>
    }
}
