//! «Передать показания» in the cabinet: my meters on the same entry sheet field staff use —
//! no more digits than the meter shows, the same checks on the server — kept on the device
//! with every typed value, and sent through the device queue when the network allows.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::entry_sheet::SheetForm;
use crate::components::error_view::ErrorBox;
use crate::components::sync_status::SyncStatus;
use crate::functions::cabinet::my_sheets;
use crate::i18n::{use_i18n, Msg};
use crate::models::field::FieldSheet;
use crate::offline::or_kept;
use crate::offline::store::{self, Store};
use crate::offline::sync::EntryQueue;
use crate::resource::resource;

const PAGE: &str = "/my/readings";

#[component]
pub fn MyReadingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    let key = store::key(sync.user_id, "my_sheets");
    let sheets = resource(
        || (),
        move |_| {
            let key = key.clone();
            async move { or_kept(my_sheets().await, Store::Sheets, &key).await }
        },
    );
    view! {
        <Title text=i18n.tr(Msg::MenuSubmitReadings)/>
        <section class="page field my-readings">
            <h1>{i18n.tr(Msg::MenuSubmitReadings)}</h1>
            <p class="lead">{i18n.tr(Msg::CabReadingsLead)}</p>
            <SyncStatus/>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match sheets.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(kept) => view! { <Sheets sheets=kept.value from_device=kept.from_device/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Sheets(sheets: Vec<FieldSheet>, from_device: bool) -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    let saved_offline = RwSignal::new(from_device);
    if !from_device {
        // the sheets and this page open with no network next time
        let kept = sheets.clone();
        Effect::new(move |_| {
            let kept = kept.clone();
            leptos::task::spawn_local(async move {
                let key = store::key(sync.user_id, "my_sheets");
                let stored = match store::put(Store::Sheets, &key, &kept).await {
                    Ok(()) => store::keep_page(PAGE).await,
                    Err(e) => Err(e),
                };
                match stored {
                    Ok(()) => saved_offline.set(true),
                    Err(e) => sync.device_problem.set(Some(e.to_string())),
                }
            });
        });
    }
    if sheets.iter().all(|s| s.premises.is_empty()) {
        return view! { <p class="empty">{i18n.tr(Msg::EntryNoMeters)}</p> }.into_any();
    }
    sheets
        .into_iter()
        .filter(|s| !s.premises.is_empty())
        .map(|sheet| view! { <SheetForm sheet from_device saved_offline previous_by_default=true/> })
        .collect_view()
        .into_any()
}
