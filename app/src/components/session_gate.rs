//! Who is signed in, loaded once for a frame. Both frames stand on it: the full one
//! (`layout`) and the field screen's (`field_frame`).

use leptos::either::Either;
use leptos::prelude::*;

use super::error_view::ErrorBox;
use crate::errors::AppError;
use crate::functions::auth::session_info;
use crate::i18n::{use_i18n, Msg};
use crate::models::views::SessionView;

/// Draws `frame` for the signed-in user; asks to sign in otherwise. The answer is rendered
/// into the page, so a page kept on the device opens with no network.
#[component]
pub fn SessionGate<F, V>(frame: F) -> impl IntoView
where
    F: Fn(SessionView) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let info = Resource::new(|| (), |_| session_info());
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
