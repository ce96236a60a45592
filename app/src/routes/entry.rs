//! «Ввод показаний» for dispatchers (Kvant-Energo 3.3.4): find a personal account, type the
//! readings per meter and tariff next to the last and the expected value, clear or save and
//! send. Values are checked where they are stored; what was refused or flagged is shown on
//! the field it belongs to.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ErrorBox;
use crate::components::reading_input::ReadingInput;
use crate::functions::entry::{entry_sheet, submit_readings};
use crate::i18n::{resource_name, use_i18n, Msg};
use crate::models::entry::{EntryInput, EntryResult, EntrySheet, TypedValue};
use crate::models::format;
use crate::resource::resource;

#[component]
pub fn EntryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let account = Memo::new(move |_| query.with(|q| q.get("account").unwrap_or_default()));
    // What the last send answered; kept here so it survives the reload of the sheet after
    // a send, and cleared when another account is opened.
    let outcome: RwSignal<Vec<EntryResult>> = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        account.track();
        outcome.set(Vec::new());
    });
    let sheet = resource(
        move || account.get(),
        |a| async move {
            if a.trim().is_empty() {
                Ok(None)
            } else {
                entry_sheet(a).await.map(Some)
            }
        },
    );
    view! {
        <Title text=i18n.tr(Msg::EntryTitle)/>
        <section class="page entry">
            <h1>{i18n.tr(Msg::EntryTitle)}</h1>
            <Form method="GET" action="/entry" attr:class="filters">
                <label class="field grow">
                    <span>{i18n.tr(Msg::EntryAccountPrompt)}</span>
                    <input type="search" name="account" inputmode="numeric" value=move || account.get() autocomplete="off"/>
                </label>
                <button type="submit" class="button primary">{i18n.tr(Msg::EntryFind)}</button>
            </Form>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Ok(Some(s)) => view! { <EntryForm sheet=s outcome on_saved=move || sheet.refetch()/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EntryForm<F>(
    sheet: EntrySheet,
    outcome: RwSignal<Vec<EntryResult>>,
    on_saved: F,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let values: RwSignal<HashMap<(i64, u8), String>> = RwSignal::new(HashMap::new());
    let ids: RwSignal<HashMap<i64, String>> = RwSignal::new(HashMap::new());
    let nothing = RwSignal::new(false);
    let send = Action::new(move |entries: &Vec<EntryInput>| submit_readings(entries.clone()));
    let meters = StoredValue::new(sheet.meters.clone());

    Effect::new(move |_| {
        if let Some(Ok(results)) = send.value().get() {
            let all_ok = results.iter().all(|r| r.refused.is_empty());
            outcome.set(results);
            if all_ok {
                values.set(HashMap::new());
                ids.set(HashMap::new());
                on_saved();
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = values.get_untracked();
        let entries: Vec<EntryInput> = meters.with_value(|ms| {
            ms.iter()
                .filter_map(|m| {
                    let vals: Vec<TypedValue> = m
                        .registers
                        .iter()
                        .filter_map(|r| {
                            let text = typed.get(&(m.meter_id, r.tariff))?.trim().to_string();
                            (!text.is_empty()).then_some(TypedValue {
                                tariff: r.tariff,
                                text,
                            })
                        })
                        .collect();
                    if vals.is_empty() {
                        return None;
                    }
                    let id = ids
                        .with_untracked(|i| i.get(&m.meter_id).cloned())
                        .unwrap_or_else(|| {
                            let id = crate::offline::new_entry_id("desk", m.meter_id);
                            ids.update(|i| {
                                i.insert(m.meter_id, id.clone());
                            });
                            id
                        });
                    Some(EntryInput {
                        entry_id: id,
                        meter_id: m.meter_id,
                        values: vals,
                        typed_at: None,
                    })
                })
                .collect()
        });
        nothing.set(entries.is_empty());
        if !entries.is_empty() {
            send.dispatch(entries);
        }
    };
    let clear = move |_| {
        values.set(HashMap::new());
        ids.set(HashMap::new());
        outcome.set(Vec::new());
        nothing.set(false);
    };

    let empty = sheet.meters.is_empty();
    let rows = sheet
        .meters
        .iter()
        .map(|m| {
            let resource = resource_name(m.resource);
            let meter_id = m.meter_id;
            let capacity = m.capacity;
            let fraction = capacity.fraction() as u32;
            let registers = m
                .registers
                .iter()
                .map(|r| {
                    let tariff = r.tariff;
                    let key = (meter_id, tariff);
                    let last = r
                        .last
                        .map(|v| format!("{} ({})", format::fixed(v, fraction), r.last_date.map(format::date).unwrap_or_default()))
                        .unwrap_or_else(|| "—".into());
                    let expected = r.expected.map(|v| format::fixed(v, fraction)).unwrap_or_else(|| "—".into());
                    let today = r.last_date.map(format::date).unwrap_or_default();
                    let label = if tariff == 0 { String::new() } else { format!("T{tariff}") };
                    let refusal = move || {
                        outcome.with(|o| {
                            o.iter()
                                .flat_map(|res| res.refused.iter().map(move |x| (res, x)))
                                .find(|(_, x)| x.tariff == tariff)
                                .filter(|(res, _)| res.entry_id.ends_with(&format!("-{meter_id}")))
                                .map(|(_, x)| x.problem.text(i18n.lang()))
                        })
                    };
                    view! {
                        <div class="register" data-meter=meter_id.to_string() data-tariff=tariff.to_string()>
                            <span class="tariff">{label}</span>
                            <span class="last">{i18n.tr(Msg::EntryPrevious)} ": " {last.clone()}</span>
                            <span class="expected muted">{i18n.tr(Msg::EntryExpected)} " " {today.clone()} ": " {expected.clone()}</span>
                            <ReadingInput
                                capacity
                                value=Signal::derive(move || values.with(|v| v.get(&key).cloned().unwrap_or_default()))
                                on_change=Callback::new(move |kept: String| values.update(|v| {
                                    v.insert(key, kept);
                                }))
                                label=format!("{} {}", m.serial, tariff)
                            />
                            <span class="refusal" role="alert">{refusal}</span>
                        </div>
                    }
                })
                .collect_view();
            let flagged = move || {
                outcome.with(|o| {
                    o.iter().any(|r| r.entry_id.ends_with(&format!("-{meter_id}")) && r.flags != 0)
                })
            };
            view! {
                <fieldset class="entry-meter" data-meter=meter_id.to_string()>
                    <legend>{move || i18n.t(resource)} " · " {m.model.clone()} " № " {m.serial.clone()} " · " {i18n.tr(Msg::Capacity)} " " {capacity.label()}</legend>
                    {registers}
                    <Show when=flagged>
                        <p class="warn-text" data-testid="flagged">{i18n.tr(Msg::EntryFlagged)}</p>
                    </Show>
                </fieldset>
            }
            .into_any()
        })
        .collect_view();
    let saved = move || {
        outcome.with(|o| {
            !o.is_empty()
                && o.iter()
                    .all(|r| r.refused.is_empty() && (r.stored || r.duplicate))
        })
    };
    let header = view! {
        <p class="caption">{sheet.object_name.clone()} " · " {sheet.address.clone()} ", кв. " {sheet.flat.clone()} " · " {i18n.tr(Msg::Account)} " " {sheet.account.clone()}</p>
        {empty.then(|| view! { <p class="muted">{i18n.tr(Msg::EntryNoMeters)}</p> })}
    }
    .into_any();
    let buttons = view! {
        <div class="toolbar">
            <button type="button" class="button" on:click=clear>{i18n.tr(Msg::EntryClear)}</button>
            <button type="submit" class="button primary" data-testid="send" disabled=move || send.pending().get()>{i18n.tr(Msg::EntrySend)}</button>
            <Show when=saved><span class="ok" data-testid="saved">{i18n.tr(Msg::EntrySaved)}</span></Show>
            <Show when=move || nothing.get()><span class="warn-text">{i18n.tr(Msg::EntryNothing)}</span></Show>
            {move || send.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        </div>
    }
    .into_any();
    let rows = rows.into_any();
    view! {
        <div class="panel">
            {header}
            <form class="entry-form" on:submit=submit>
                {rows}
                {buttons}
            </form>
        </div>
    }
}
