//! Who is signed in, loaded once for a frame. Both frames stand on it: the full one
//! (`layout`, with the pickers' lists) and the field screen's (`field_frame`, with the user
//! and the company's name only).

use leptos::either::Either;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;

use super::error_view::ErrorBox;
use crate::errors::AppError;
use crate::i18n::{use_i18n, Msg};
use crate::resource::resource;

/// Draws `frame` for the signed-in user that `load` answers with; asks to sign in
/// otherwise. The answer is rendered into the page, so a page kept on the device opens with
/// no network.
#[component]
pub fn SessionGate<T, L, Fut, F, V>(load: L, frame: F) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    L: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<T>, AppError>> + Send + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let info = resource(|| (), move |_| load());
    view! {
        <Suspense fallback=move || view! { <div class="boot">{i18n.tr(Msg::Loading)}</div> }>
            {move || {
                let frame = frame.clone();
                Suspend::new(async move {
                    match info.await {
                        Ok(Some(info)) => Either::Left(frame(info)),
                        Ok(None) => Either::Right(view! { <ErrorBox error=AppError::NotSignedIn/> }),
                        Err(e) => Either::Right(view! { <ErrorBox error=e/> }),
                    }
                })
            }}
        </Suspense>
    }
}
