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
use crate::models::capacity::DigitCapacity;
use crate::models::entry::{parse_reading, EntryInput, EntryProblem, EntrySheet, TypedValue};
use crate::models::readings_table::waiting_reason;
use crate::models::format;
use crate::resource::resource;

/// What the account field found. Not `Option<Option<_>>`: JSON writes `Some(None)` as
/// `null`, so the browser would read back another answer than the server drew.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
enum Lookup {
    NotAsked,
    NoSuchAccount,
    Sheet(EntrySheet),
}

#[component]
pub fn EntryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let account = Memo::new(move |_| query.with(|q| q.get("account").unwrap_or_default()));
    // What the last send answered, per field; kept here so it survives the reload of the
    // sheet after a send, and cleared when another account is opened.
    let outcome: RwSignal<HashMap<(i64, u8), Outcome>> = RwSignal::new(HashMap::new());
    Effect::new(move |_| {
        account.track();
        outcome.set(HashMap::new());
    });
    let sheet = resource(
        move || account.get(),
        |a| async move {
            if a.trim().is_empty() {
                Ok(Lookup::NotAsked)
            } else {
                entry_sheet(a).await.map(|s| s.map_or(Lookup::NoSuchAccount, Lookup::Sheet))
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
                        Ok(Lookup::NotAsked) => ().into_any(),
                        Ok(Lookup::NoSuchAccount) => view! {
                            <p class="warn-text" role="alert" data-testid="no-account">
                                {i18n.tr(Msg::EntryNoAccount)} " «" {account.get_untracked().trim().to_string()} "»"
                            </p>
                        }.into_any(),
                        Ok(Lookup::Sheet(s)) => view! { <EntryForm sheet=s outcome on_saved=move || sheet.refetch()/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A typed value lower than the register's last confirmed one (and not a turn of the drum
/// past its last digit): the dispatcher is asked before it is stored for a check.
fn went_down(typed: &str, last: Option<rust_decimal::Decimal>, capacity: DigitCapacity) -> Option<(rust_decimal::Decimal, rust_decimal::Decimal)> {
    let value = parse_reading(typed, capacity).ok()?;
    let last = last?;
    let drum = rust_decimal::Decimal::from(10u64.pow(capacity.integer().min(18) as u32));
    (value < last && last - value <= drum / rust_decimal::Decimal::TWO).then_some((value, last))
}

/// What became of a value the last send carried: stored (with the entry's flags) or not.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    text: String,
    stored: bool,
    flags: i64,
    refusal: Option<EntryProblem>,
}

#[component]
fn EntryForm<F>(
    sheet: EntrySheet,
    outcome: RwSignal<HashMap<(i64, u8), Outcome>>,
    on_saved: F,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let values: RwSignal<HashMap<(i64, u8), String>> = RwSignal::new(HashMap::new());
    let nothing = RwSignal::new(false);
    // values lower than the last one, waiting for «Сохранить на проверку»
    let lower: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let send = Action::new(move |entries: &Vec<EntryInput>| submit_readings(entries.clone()));
    let meters = StoredValue::new(sheet.meters.clone());
    // What the last send carried: sent again as it was (same ids) only after a failed trip,
    // so a lost answer stores nothing twice; every other send has new ids.
    let last_sent: StoredValue<Vec<EntryInput>> = StoredValue::new(Vec::new());

    Effect::new(move |_| {
        if let Some(Ok(results)) = send.value().get() {
            let sent = last_sent.get_value();
            let mut seen = HashMap::new();
            for (entry, r) in sent.iter().filter_map(|e| Some((e, results.iter().find(|r| r.entry_id == e.entry_id)?))) {
                for v in &entry.values {
                    let refusal = r.refused.iter().find(|x| x.tariff == v.tariff).map(|x| x.problem);
                    seen.insert(
                        (entry.meter_id, v.tariff),
                        Outcome { text: v.text.clone(), stored: refusal.is_none() && (r.stored || r.duplicate), flags: r.flags, refusal },
                    );
                }
            }
            // stored values leave their fields (they are shown as stored); refused ones stay
            values.update(|vals| vals.retain(|key, _| seen.get(key).is_none_or(|o| !o.stored)));
            last_sent.set_value(Vec::new());
            outcome.set(seen);
            on_saved();
        }
    });

    let entries_now = move || -> Vec<EntryInput> {
        let typed = values.get_untracked();
        let fresh: Vec<EntryInput> = meters.with_value(|ms| {
            ms.iter()
                .filter_map(|m| {
                    let vals: Vec<TypedValue> = m
                        .registers
                        .iter()
                        .filter_map(|r| {
                            let text = typed.get(&(m.meter_id, r.tariff))?.trim().to_string();
                            (!text.is_empty()).then_some(TypedValue { tariff: r.tariff, text })
                        })
                        .collect();
                    (!vals.is_empty()).then(|| EntryInput {
                        entry_id: crate::offline::new_entry_id("desk", m.meter_id),
                        meter_id: m.meter_id,
                        values: vals,
                        typed_at: None,
                    })
                })
                .collect()
        });
        // the same values as a send whose answer never came: the same ids
        let before = last_sent.get_value();
        let same = before.len() == fresh.len()
            && before.iter().zip(&fresh).all(|(a, b)| a.meter_id == b.meter_id && a.values == b.values);
        if same && matches!(send.value().get_untracked(), Some(Err(_))) { before } else { fresh }
    };
    let send_now = move || {
        lower.set(Vec::new());
        let entries = entries_now();
        nothing.set(entries.is_empty());
        if !entries.is_empty() {
            last_sent.set_value(entries.clone());
            send.dispatch(entries);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = values.get_untracked();
        let found: Vec<String> = meters.with_value(|ms| {
            ms.iter()
                .flat_map(|m| m.registers.iter().map(move |r| (m, r)))
                .filter_map(|(m, r)| {
                    let text = typed.get(&(m.meter_id, r.tariff))?;
                    let (value, last) = went_down(text, r.last, m.capacity)?;
                    let fraction = m.capacity.fraction() as u32;
                    let tariff = if r.tariff == 0 { String::new() } else { format!(" T{}", r.tariff) };
                    Some(format!("№ {}{tariff}: {} < {}", m.serial, format::fixed(value, fraction), format::fixed(last, fraction)))
                })
                .collect()
        });
        if found.is_empty() {
            send_now();
        } else {
            lower.set(found);
        }
    };
    let clear = move |_| {
        values.set(HashMap::new());
        outcome.set(HashMap::new());
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
                    let waiting = r.waiting.map(|v| view! {
                        <span class="waiting-value small" data-testid="waiting"><span class="tag warn">{i18n.tr(Msg::UnderReview)}</span> " " {format::fixed(v, fraction)}</span>
                    });
                    let result = move || outcome.with(|o| o.get(&key).cloned());
                    let result_line = move || result().map(|o| match o.refusal {
                        Some(p) => view! { <span class="refusal" role="alert">{p.text(i18n.lang())}</span> }.into_any(),
                        None if o.flags != 0 => view! {
                            <span class="stored flagged" data-testid="stored">
                                {i18n.tr(Msg::EntryStoredForReview)} ": " <b>{o.text.clone()}</b> " — " {move || i18n.t(waiting_reason(o.flags))}
                            </span>
                        }.into_any(),
                        None => view! {
                            <span class="stored" data-testid="stored">{i18n.tr(Msg::EntryStored)} ": " <b>{o.text.clone()}</b></span>
                        }.into_any(),
                    });
                    view! {
                        <div class="register" data-meter=meter_id.to_string() data-tariff=tariff.to_string()>
                            <span class="tariff">{label}</span>
                            <span class="last">{i18n.tr(Msg::EntryPrevious)} ": " {last.clone()} " " {waiting}</span>
                            <span class="expected muted">{i18n.tr(Msg::EntryExpected)} " " {today.clone()} ": " {expected.clone()}</span>
                            <ReadingInput
                                capacity
                                value=Signal::derive(move || values.with(|v| v.get(&key).cloned().unwrap_or_default()))
                                on_change=Callback::new(move |kept: String| values.update(|v| {
                                    v.insert(key, kept);
                                }))
                                label=format!("{} {}", m.serial, tariff)
                                invalid=Signal::derive(move || result().is_some_and(|o| o.refusal.is_some()))
                            />
                            {result_line}
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="entry-meter" data-meter=meter_id.to_string()>
                    <legend>{move || i18n.t(resource)} " · " {m.model.clone()} " № " {m.serial.clone()} " · " {i18n.tr(Msg::Capacity)} " " {capacity.label()}</legend>
                    {registers}
                </fieldset>
            }
            .into_any()
        })
        .collect_view();
    let saved = move || outcome.with(|o| !o.is_empty() && o.values().all(|x| x.stored));
    let header = view! {
        <p class="caption">{sheet.object_name.clone()} " · " {sheet.address.clone()} ", кв. " {sheet.flat.clone()} " · " {i18n.tr(Msg::Account)} " " {sheet.account.clone()}</p>
        {crate::components::entry_sheet::period_line(i18n, sheet.window)}
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
    let ask = view! {
        <Show when=move || !lower.with(|l| l.is_empty())>
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" data-testid="went-down">
                    <p>{i18n.tr(Msg::EntryLowerAsk)}</p>
                    <ul class="lower-list">{move || lower.get().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    <p>{i18n.tr(Msg::EntryLowerQuestion)}</p>
                    <div class="toolbar">
                        <button type="button" class="button" data-testid="back" on:click=move |_| lower.set(Vec::new())>{i18n.tr(Msg::FieldBack)}</button>
                        <button type="button" class="button primary" data-testid="store-for-review" on:click=move |_| send_now()>{i18n.tr(Msg::EntryStoreForReview)}</button>
                    </div>
                </div>
            </div>
        </Show>
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
            {ask}
        </div>
    }
}
