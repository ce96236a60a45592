//! «Передача показаний по дому» (seed 004, Novosibirskenergosbyt mobile entry): field staff
//! pick a building, walk it flat by flat and type what each meter shows. Made for a phone in
//! a basement: the sheet is kept on the device when opened, every typed value is kept at
//! once, and «Отправить» puts the building's values in the device queue that goes to the
//! server when the network allows (`offline::sync`).

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::entry_sheet::SheetForm;
use crate::components::error_view::ErrorBox;
use crate::components::sync_status::SyncStatus;
use crate::functions::entry::{field_buildings, field_sheet};
use crate::i18n::{use_i18n, Msg};
use crate::models::field::{FieldBuilding, FieldSheet};
use crate::models::format;
use crate::offline::or_kept;
use crate::offline::store::{self, Store};
use crate::offline::sync::EntryQueue;
use crate::prefs;
use crate::resource::resource;

/// The building last opened on this device: listed first.
pub const PINNED_COOKIE: &str = "uchet_field_object";
const YEAR: u32 = 365 * 24 * 3600;

fn sheet_url(object_id: i64) -> String {
    format!("/field?object={object_id}")
}

#[component]
pub fn FieldPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let object =
        Memo::new(move |_| query.with(|q| q.get("object").and_then(|v| v.parse::<i64>().ok())));
    view! {
        <Title text=i18n.tr(Msg::MenuFieldEntry)/>
        <section class="page field">
            <h1>{i18n.tr(Msg::MenuFieldEntry)}</h1>
            <SyncStatus/>
            {move || match object.get() {
                None => Either::Left(view! { <BuildingList/> }),
                Some(id) => Either::Right(view! { <BuildingSheet object_id=id/> }),
            }}
        </section>
    }
}

/// The company's buildings, searchable by street and house; the last opened one first.
#[component]
fn BuildingList() -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    let key = store::key(sync.user_id, "buildings");
    let list = resource(
        || (),
        move |_| {
            let key = key.clone();
            async move { or_kept(field_buildings().await, Store::Sheets, &key).await }
        },
    );
    let typed = RwSignal::new(String::new());
    view! {
        <label class="field grow">
            <span>{i18n.tr(Msg::FieldFindBuilding)}</span>
            <input type="search" name="building" autocomplete="off" prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))/>
        </label>
        <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
            {move || {
                Suspend::new(async move {
                    match list.await {
                        Err(e) => Either::Left(view! { <ErrorBox error=e/> }),
                        Ok(kept) => Either::Right(view! { <Buildings buildings=kept.value from_device=kept.from_device typed/> }),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn Buildings(
    buildings: Vec<FieldBuilding>,
    from_device: bool,
    typed: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    if !from_device {
        // the list opens with no network next time
        let list = buildings.clone();
        Effect::new(move |_| {
            let list = list.clone();
            leptos::task::spawn_local(async move {
                let key = store::key(sync.user_id, "buildings");
                if let Err(e) = store::put(Store::Sheets, &key, &list).await {
                    sync.device_problem.set(Some(e.to_string()));
                }
            });
        });
    }
    let pinned = prefs::read_cookie(PINNED_COOKIE).and_then(|v| v.parse::<i64>().ok());
    let mut buildings = buildings;
    buildings.sort_by_key(|b| Some(b.id) != pinned);
    let kept = RwSignal::new(Vec::<i64>::new());
    // why «Сохранить для работы без сети» failed, if it did
    let failed: RwSignal<Option<String>> = RwSignal::new(None);
    let kept_key = store::key(sync.user_id, "kept");
    {
        let kept_key = kept_key.clone();
        Effect::new(move |_| {
            let key = kept_key.clone();
            leptos::task::spawn_local(async move {
                if let Ok(Some(ids)) = store::get::<Vec<i64>>(Store::Meta, &key).await {
                    kept.set(ids);
                }
            });
        });
    }
    let all = StoredValue::new(buildings);
    let none_found = move || all.with_value(|b| !b.iter().any(|b| b.matches(&typed.get())));
    let rows = all.with_value(|bs| {
        bs.iter()
            .map(|b| {
                let b2 = b.clone();
                let id = b.id;
                let shown = move || b2.matches(&typed.get());
                let is_pinned = Some(id) == pinned;
                let kept_key = kept_key.clone();
                let save = move |_| {
                    let key = kept_key.clone();
                    leptos::task::spawn_local(async move {
                        let sheet = match field_sheet(id).await {
                            Ok(sheet) => sheet,
                            Err(e) => return failed.set(Some(e.text(i18n.lang()))),
                        };
                        if let Err(e) = keep_on_device(sync, &sheet).await {
                            return failed.set(Some(e.to_string()));
                        }
                        failed.set(None);
                        kept.update(|k| {
                            if !k.contains(&id) {
                                k.push(id);
                            }
                        });
                        let _ = store::put(Store::Meta, &key, &kept.get_untracked()).await;
                    });
                };
                view! {
                    <li class="building" class:pinned=is_pinned data-object=id.to_string() style:display=move || if shown() { "" } else { "none" }>
                        {is_pinned.then(|| view! { <span class="badge">{i18n.tr(Msg::FieldLastOpened)}</span> })}
                        <a href=sheet_url(id) class="building-link">
                            <strong>{b.name.clone()}</strong>
                            <span class="muted">{b.address.clone()}</span>
                            <span class="muted small">
                                {i18n.tr(Msg::Premises)} " " {format::integer(b.premises)} " · "
                                {format::integer(b.meters)} " " {i18n.tr(Msg::MetersShown)}
                            </span>
                        </a>
                        {move || if kept.with(|k| k.contains(&id)) {
                            Either::Left(view! { <span class="ok small" data-testid="kept">"✓ " {i18n.tr(Msg::FieldSavedOffline)}</span> })
                        } else {
                            Either::Right(view! { <button type="button" class="button small" on:click=save.clone()>{i18n.tr(Msg::FieldSaveOffline)}</button> })
                        }}
                    </li>
                }
            })
            .collect_view()
    });
    view! {
        {move || failed.get().map(|e| view! { <p class="error-text" role="alert">{i18n.t(Msg::FieldKeepFailed)} ": " {e}</p> })}
        <ul class="building-list">{rows}</ul>
        <Show when=none_found><p class="muted">{i18n.tr(Msg::FieldNoBuildings)}</p></Show>
    }
}

/// Keeps a building's sheet and its page on the device, for opening with no network.
async fn keep_on_device(sync: EntryQueue, sheet: &FieldSheet) -> Result<(), store::StoreError> {
    store::put(Store::Sheets, &sync.sheet_key(sheet.object_id), sheet).await?;
    store::keep_page(&sheet_url(sheet.object_id)).await
}

#[component]
fn BuildingSheet(object_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    let sheet = resource(
        move || object_id,
        move |id| async move {
            or_kept(field_sheet(id).await, Store::Sheets, &sync.sheet_key(id)).await
        },
    );
    view! {
        <p class="pinned-bar"><a href="/field" class="button small">"← " {i18n.tr(Msg::FieldChangeBuilding)}</a></p>
        <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Err(e) => Either::Left(view! { <ErrorBox error=e/> }),
                    Ok(kept) => Either::Right(view! { <PinnedSheet sheet=kept.value from_device=kept.from_device/> }),
                }
            })}
        </Transition>
    }
}

/// A building opened online is pinned and kept on the device with its page.
#[component]
fn PinnedSheet(sheet: FieldSheet, from_device: bool) -> impl IntoView {
    let sync = expect_context::<EntryQueue>();
    let object_id = sheet.object_id;
    let saved_offline = RwSignal::new(from_device);
    {
        let sheet = sheet.clone();
        Effect::new(move |_| {
            prefs::write_cookie(PINNED_COOKIE, &object_id.to_string(), YEAR);
            if from_device {
                return;
            }
            let sheet = sheet.clone();
            leptos::task::spawn_local(async move {
                match keep_on_device(sync, &sheet).await {
                    Ok(()) => saved_offline.set(true),
                    Err(e) => sync.device_problem.set(Some(e.to_string())),
                }
            });
        });
    }
    view! { <SheetForm sheet from_device saved_offline/> }
}

