//! «Передача показаний по дому» (seed 004, Novosibirskenergosbyt mobile entry): field staff
//! pick a building, walk it flat by flat and type what each meter shows. Made for a phone in
//! a basement: the sheet is kept on the device when opened, every typed value is kept at
//! once, and «Отправить» puts the building's values in the device queue that goes to the
//! server when the network allows (`offline::sync`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ErrorBox;
use crate::components::reading_input::ReadingInput;
use crate::components::sync_status::{device_time, SyncStatus};
use crate::functions::entry::{field_buildings, field_sheet};
use crate::i18n::{resource_name, use_i18n, Msg};
use crate::models::entry::EntryMeter;
use crate::models::field::{Draft, FieldBuilding, FieldSheet};
use crate::models::format;
use crate::offline::store::{self, Store};
use crate::offline::sync::EntryQueue;
use crate::offline::{device_now, new_entry_id, or_kept};
use crate::prefs;

/// The building last opened on this device: listed first.
pub const PINNED_COOKIE: &str = "uchet_field_object";
/// Whether the «previous reading» column is on.
pub const PREVIOUS_COOKIE: &str = "uchet_field_previous";
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
        <Title text=move || i18n.t(Msg::MenuFieldEntry)/>
        <section class="page field">
            <h1>{move || i18n.t(Msg::MenuFieldEntry)}</h1>
            <SyncStatus/>
            {move || match object.get() {
                None => view! { <BuildingList/> }.into_any(),
                Some(id) => view! { <BuildingSheet object_id=id/> }.into_any(),
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
    let list = Resource::new(
        || (),
        move |_| {
            let key = key.clone();
            async move { or_kept(field_buildings().await, Store::Sheets, &key).await }
        },
    );
    let typed = RwSignal::new(String::new());
    view! {
        <label class="field grow">
            <span>{move || i18n.t(Msg::FieldFindBuilding)}</span>
            <input type="search" name="building" autocomplete="off" prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))/>
        </label>
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            {move || {
                Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(kept) => view! { <Buildings buildings=kept.value from_device=kept.from_device typed/> }.into_any(),
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
                        {is_pinned.then(|| view! { <span class="badge">{move || i18n.t(Msg::FieldLastOpened)}</span> })}
                        <a href=sheet_url(id) class="building-link">
                            <strong>{b.name.clone()}</strong>
                            <span class="muted">{b.address.clone()}</span>
                            <span class="muted small">
                                {move || i18n.t(Msg::Premises)} " " {format::integer(b.premises)} " · "
                                {format::integer(b.meters)} " " {move || i18n.t(Msg::MetersShown)}
                            </span>
                        </a>
                        {move || if kept.with(|k| k.contains(&id)) {
                            view! { <span class="ok small" data-testid="kept">"✓ " {move || i18n.t(Msg::FieldSavedOffline)}</span> }.into_any()
                        } else {
                            view! { <button type="button" class="button small" on:click=save.clone()>{move || i18n.t(Msg::FieldSaveOffline)}</button> }.into_any()
                        }}
                    </li>
                }
                .into_any()
            })
            .collect_view()
    });
    view! {
        {move || failed.get().map(|e| view! { <p class="error-text" role="alert">{i18n.t(Msg::FieldKeepFailed)} ": " {e}</p> })}
        <ul class="building-list">{rows}</ul>
        <Show when=none_found><p class="muted">{move || i18n.t(Msg::FieldNoBuildings)}</p></Show>
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
    let sheet = Resource::new(
        move || object_id,
        move |id| async move {
            or_kept(field_sheet(id).await, Store::Sheets, &sync.sheet_key(id)).await
        },
    );
    view! {
        <p class="pinned-bar"><a href="/field" class="button small">"← " {move || i18n.t(Msg::FieldChangeBuilding)}</a></p>
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(kept) => view! { <SheetForm sheet=kept.value from_device=kept.from_device/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SheetForm(sheet: FieldSheet, from_device: bool) -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    let object_id = sheet.object_id;
    let draft = RwSignal::new(Draft::default());
    // Typing waits for the kept draft: an empty draft must never overwrite a kept one.
    let loaded = RwSignal::new(false);
    let saved_offline = RwSignal::new(from_device);
    let show_previous = RwSignal::new(prefs::read_cookie(PREVIOUS_COOKIE).as_deref() == Some("1"));
    let filter = RwSignal::new(String::new());
    let ask = RwSignal::new(false);
    let note: RwSignal<Option<Msg>> = RwSignal::new(None);
    let total = sheet.field_count();

    // Opened online: keep the sheet and the page on the device, and pin the building.
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
    // The kept draft, at opening and whenever a send returned refused values to it.
    Effect::new(move |_| {
        sync.drafts_changed.track();
        leptos::task::spawn_local(async move {
            let d = sync.load_draft(object_id).await;
            draft.set(d);
            loaded.set(true);
        });
    });

    let on_value = move |meter_id: i64, tariff: u8, text: String| {
        if !loaded.get_untracked() {
            return;
        }
        draft.update(|d| {
            d.set(meter_id, tariff, &text, device_now(), || {
                new_entry_id("field", meter_id)
            })
        });
        let d = draft.get_untracked();
        leptos::task::spawn_local(async move { sync.save_draft(object_id, &d).await });
    };

    let send_now = move || {
        ask.set(false);
        let entries = draft.with_untracked(|d| d.entries());
        if entries.is_empty() {
            note.set(Some(Msg::EntryNothing));
            return;
        }
        leptos::task::spawn_local(async move {
            match sync.enqueue(object_id, entries).await {
                Ok(()) => {
                    draft.update(|d| d.clear_sent());
                    let d = draft.get_untracked();
                    sync.save_draft(object_id, &d).await;
                    note.set(Some(Msg::FieldQueued));
                }
                Err(e) => sync.device_problem.set(Some(e)),
            }
        });
    };
    let on_send = move |_| {
        let filled = draft.with_untracked(|d| d.filled());
        if filled == 0 {
            note.set(Some(Msg::EntryNothing));
        } else if filled < total {
            ask.set(true);
        } else {
            send_now();
        }
    };

    let header = view! {
        <div class="sheet-head" data-testid="sheet" data-object=object_id.to_string() data-ready=move || saved_offline.get().to_string()>
            <h2>{sheet.object_name.clone()}</h2>
            <p class="muted">{sheet.address.clone()}</p>
            {from_device.then(|| view! {
                <p class="warn-text" data-testid="from-device">{move || i18n.t(Msg::FieldOfflineCopy)} " " {device_time(sheet.made_at)}</p>
            })}
            <Show when=move || saved_offline.get() && !from_device>
                <p class="ok small">"✓ " {move || i18n.t(Msg::FieldReady)}</p>
            </Show>
        </div>
        <div class="sheet-tools">
            <input type="search" class="grow" autocomplete="off" placeholder=move || i18n.t(Msg::FieldFilter)
                prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev))/>
            <details class="column-settings">
                <summary>"⚙ " {move || i18n.t(Msg::Columns)}</summary>
                <label class="check">
                    <input type="checkbox" name="previous" prop:checked=move || show_previous.get()
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            show_previous.set(on);
                            prefs::write_cookie(PREVIOUS_COOKIE, if on { "1" } else { "0" }, YEAR);
                        }/>
                    {move || i18n.t(Msg::FieldPrevColumn)}
                </label>
            </details>
        </div>
    }
    .into_any();

    let empty = sheet.premises.is_empty();
    let premises = sheet
        .premises
        .iter()
        .map(|p| {
            let flat = p.flat.clone();
            let serials: Vec<String> = p.meters.iter().map(|m| m.serial.to_lowercase()).collect();
            let flat_for_filter = flat.to_lowercase();
            let shown = move || {
                let f = filter.get().trim().to_lowercase();
                let f = f.trim_start_matches("кв.").trim_start_matches("кв").trim();
                f.is_empty() || flat_for_filter == f || serials.iter().any(|s| s.contains(f))
            };
            let title = if flat.is_empty() {
                view! { <h3>{move || i18n.t(Msg::FieldCommon)}</h3> }.into_any()
            } else {
                let f = flat.clone();
                view! { <h3>{move || i18n.t(Msg::FieldFlat)} " " {f.clone()}</h3> }.into_any()
            };
            let meters = p
                .meters
                .iter()
                .map(|m| meter_view(m, draft, show_previous, on_value))
                .collect_view();
            view! {
                <div class="premise" data-flat=flat style:display=move || if shown() { "" } else { "none" }>
                    {title}
                    {meters}
                </div>
            }
            .into_any()
        })
        .collect_view()
        .into_any();

    let footer = view! {
        <div class="send-bar">
            <span class="filled" data-testid="filled">
                {move || i18n.t(Msg::FieldFilled)} " " {move || draft.with(|d| d.filled())} " " {move || i18n.t(Msg::FieldOf)} " " {total}
            </span>
            <button type="button" class="button primary" data-testid="field-send" on:click=on_send disabled=move || !loaded.get()>
                {move || i18n.t(Msg::FieldSend)}
            </button>
        </div>
        {move || note.get().map(|m| view! { <p class="note" data-testid="field-note">{move || i18n.t(m)}</p> })}
        {move || sync.report.get().map(|r| view! {
            <p class="muted" data-testid="field-report">
                {move || i18n.t(Msg::FieldAccepted)} ": " {r.stored} " · " {move || i18n.t(Msg::FieldAlready)} ": " {r.duplicates}
                " · " {move || i18n.t(Msg::FieldFlaggedCount)} ": " {r.flagged}
            </p>
        })}
        <Show when=move || ask.get()>
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" data-testid="not-all-filled">
                    <p>{move || i18n.t(Msg::FieldNotAllFilled)}</p>
                    <div class="toolbar">
                        <button type="button" class="button" data-testid="back" on:click=move |_| ask.set(false)>{move || i18n.t(Msg::FieldBack)}</button>
                        <button type="button" class="button primary" data-testid="send-anyway" on:click=move |_| send_now()>{move || i18n.t(Msg::FieldSendAnyway)}</button>
                    </div>
                </div>
            </div>
        </Show>
    }
    .into_any();

    view! {
        <div class="panel field-sheet">
            {header}
            {empty.then(|| view! { <p class="muted">{move || i18n.t(Msg::FieldNoMeters)}</p> })}
            {premises}
            {footer}
        </div>
    }
}

/// One meter of the sheet: what it is, and one field per register.
fn meter_view(
    m: &EntryMeter,
    draft: RwSignal<Draft>,
    show_previous: RwSignal<bool>,
    on_value: impl Fn(i64, u8, String) + Copy + Send + Sync + 'static,
) -> AnyView {
    let i18n = use_i18n();
    let meter_id = m.meter_id;
    let capacity = m.capacity;
    let fraction = capacity.fraction() as u32;
    let resource = resource_name(m.resource);
    let registers = m
        .registers
        .iter()
        .map(|r| {
            let tariff = r.tariff;
            let previous = match (r.last, r.last_date) {
                (Some(v), Some(d)) => format!("{} · {}", format::date(d), format::fixed(v, fraction)),
                _ => "—".to_string(),
            };
            let label = format!("{} {} T{tariff}", i18n.t(resource), m.serial);
            view! {
                <div class="field-register" data-meter=meter_id.to_string() data-tariff=tariff.to_string()>
                    <span class="tariff">{(tariff > 0).then(|| format!("T{tariff}"))}</span>
                    <Show when=move || show_previous.get()>
                        <span class="previous muted" data-testid="previous">{previous.clone()}</span>
                    </Show>
                    <ReadingInput
                        capacity
                        value=Signal::derive(move || draft.with(|d| d.value(meter_id, tariff)))
                        on_change=Callback::new(move |text: String| on_value(meter_id, tariff, text))
                        label
                        invalid=Signal::derive(move || draft.with(|d| d.refusal(meter_id, tariff).is_some()))
                    />
                    <span class="refusal" role="alert">
                        {move || draft.with(|d| d.refusal(meter_id, tariff)).map(|p| p.text(i18n.lang()))}
                    </span>
                </div>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <div class="field-meter" data-meter=meter_id.to_string()>
            <div class="meter-head">
                <span class="resource">{move || i18n.t(resource)}</span>
                <span>{move || i18n.t(Msg::FieldSerial)} " " {m.serial.clone()}</span>
                <span class="muted">{move || i18n.t(Msg::FieldDigits)} " " {capacity.label()}</span>
            </div>
            {registers}
        </div>
    }
    .into_any()
}
