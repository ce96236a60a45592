//! The panel beside a list that shows the picked row's details: a building's meters on the
//! map, a LoRa device's packets, a meter's records of «Поступление данных».

use std::future::Future;

use leptos::prelude::*;

use crate::components::error_view::ErrorBox;
use crate::errors::AppError;
use crate::i18n::{use_i18n, Msg};

/// Asks for the picked row's details when a row is picked, into a plain signal (the page's
/// own resource is already resolved); an answer that comes after another pick is dropped.
#[component]
pub fn PickedPanel<T, F, Fut, V>(
    picked: RwSignal<Option<i64>>,
    fetch: F,
    /// What the panel says before a row is picked.
    prompt: Msg,
    class: &'static str,
    testid: &'static str,
    show: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(i64) -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let answer = RwSignal::new(None::<Result<T, AppError>>);
    Effect::new(move |_| {
        let Some(id) = picked.get() else { return };
        answer.set(None);
        let got = fetch(id);
        leptos::task::spawn_local(async move {
            let got = got.await;
            if picked.get_untracked() == Some(id) {
                answer.set(Some(got));
            }
        });
    });
    view! {
        <section class=class data-testid=testid>
            {move || match (picked.get(), answer.get()) {
                (None, _) => view! { <p class="muted">{i18n.tr(prompt)}</p> }.into_any(),
                (Some(_), None) => view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }.into_any(),
                (Some(_), Some(Err(e))) => view! { <ErrorBox error=e/> }.into_any(),
                (Some(_), Some(Ok(d))) => show(d).into_any(),
            }}
        </section>
    }
}
