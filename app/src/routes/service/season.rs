//! «Сезон» (`/service/season`, F33, EK 4.5.7): every building's heating season with the day
//! it began and who set it. A dispatcher ticks buildings of one season, picks the first day
//! and moves them all to the other season; the newest change is undone on its own day; each
//! building's history opens under its row. Searched, filtered by season, sorted, downloaded.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::season::{seasons, SetSeason, UndoSeason};
use crate::i18n::{use_i18n, Msg};
use crate::models::season::{SeasonPage as Page, SeasonRow, SeasonState};
use crate::resource::{kept, resource, say_when_kept};

#[component]
pub fn SeasonPage() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetSeason>::new();
    let set_kept = kept(*set);
    let undo = ServerAction::<UndoSeason>::new();
    let undo_kept = kept(*undo);
    let page = resource(move || (set_kept.get(), undo_kept.get()), |_| seasons());
    // what the dispatcher searched, filtered and ticked outlives the list read again after
    // a change; the ticks go once their buildings have moved
    let choice = Choice {
        search: RwSignal::new(String::new()),
        state: RwSignal::new(None),
        chosen: RwSignal::new(BTreeSet::new()),
    };
    Effect::new(move |_| {
        if set.value().with(|v| matches!(v, Some(Ok(_)))) {
            choice.chosen.set(BTreeSet::new());
        }
    });
    // only the last action's word shows: a set after an undo hides «отменена»
    let last = RwSignal::new(None::<Msg>);
    say_when_kept(*set, last, Msg::SeSaved);
    say_when_kept(*undo, last, Msg::SeUndone);
    view! {
        <Title text=i18n.tr(Msg::MenuSeason)/>
        <section class="page season">
            <h1>{i18n.tr(Msg::MenuSeason)}</h1>
            <p class="lead">{i18n.tr(Msg::SeLead)}</p>
            <ActionError value=set.value()/>
            <ActionError value=undo.value()/>
            {move || last.get().map(|m| view! { <p class="ok" role="status" data-testid="season-done">{i18n.tr(m)}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(p) if p.rows.is_empty() => view! { <p class="empty">{i18n.tr(Msg::SeNone)}</p> }.into_any(),
                        Ok(p) => view! { <SeasonTable page=p set undo choice/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What the dispatcher searched for, the season filtered on and the buildings ticked.
#[derive(Clone, Copy)]
struct Choice {
    search: RwSignal<String>,
    state: RwSignal<Option<SeasonState>>,
    chosen: RwSignal<BTreeSet<i64>>,
}

/// The columns a click sorts by.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    State,
    Since,
    SetBy,
}

#[component]
fn SeasonTable(page: Page, set: ServerAction<SetSeason>, undo: ServerAction<UndoSeason>, choice: Choice) -> impl IntoView {
    let i18n = use_i18n();
    let editable = page.editable;
    let today = page.rows.iter().map(|r| r.today.clone()).max().unwrap_or_default();
    let all = StoredValue::new(page.rows);
    let Choice { search, state, chosen } = choice;
    let sort = RwSignal::new(Sort { key: Column::Name, ascending: true });
    let day = RwSignal::new(today.clone());
    let history = RwSignal::new(None::<i64>);
    let shown = Memo::new(move |_| {
        let lang = i18n.lang();
        let words = search.get();
        let state = state.get();
        all.with_value(|rows| {
            let keep = |r: &SeasonRow| state.is_none_or(|s| r.state() == s) && all_words_in(&r.cells(lang).join(" "), words.trim());
            shown_rows(rows, keep, sort.get(), |a, b, column| match column {
                Column::Name => a.name.cmp(&b.name),
                Column::State => a.state().as_str().cmp(b.state().as_str()),
                Column::Since => a.changes.first().map(|c| &c.starts_on).cmp(&b.changes.first().map(|c| &c.starts_on)),
                Column::SetBy => a.cells(lang)[3].cmp(&b.cells(lang)[3]),
            })
        })
    });
    // the chosen buildings' seasons: one season may go to the other, a mix may not
    let chosen_states = move || {
        let ids = chosen.get();
        all.with_value(|rows| rows.iter().filter(|r| ids.contains(&r.object_id)).map(SeasonRow::state).collect::<BTreeSet<_>>())
    };
    let can = move |to_heating: bool| {
        let states = chosen_states();
        !states.is_empty() && states.iter().all(|s| *s == SeasonState::Unset || (*s == SeasonState::Heating) != to_heating)
    };
    let mixed = move || {
        let states = chosen_states();
        states.contains(&SeasonState::Heating) && states.contains(&SeasonState::Between)
    };
    // the first day every chosen building may take: the day after its newest change
    let earliest = move || {
        let ids = chosen.get();
        all.with_value(|rows| rows.iter().filter(|r| ids.contains(&r.object_id)).filter_map(SeasonRow::earliest).max()).unwrap_or_default()
    };
    let run = move |heating: bool| {
        set.dispatch(SetSeason { objects: chosen.get_untracked().into_iter().collect(), heating, starts_on: day.get_untracked() });
    };
    let csv = move || {
        let lang = i18n.lang();
        let header = [Msg::NpObject, Msg::SeState, Msg::SeSince, Msg::SeSetBy].map(|m| m.text(lang).to_string()).to_vec();
        let mut table = vec![header];
        table.extend(shown.get().iter().map(|r| r.cells(lang).to_vec()));
        csv_href(&table)
    };
    let states = [SeasonState::Heating, SeasonState::Between, SeasonState::Unset]
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=move || state.get() == Some(s)>{i18n.tr(s.label())}</option> })
        .collect_view();
    let group = editable.then(|| {
        view! {
            <div class="panel season-group" data-testid="season-group">
                <p class="note">
                    {i18n.tr(Msg::SeChooseHint)} " " {i18n.tr(Msg::SeChosen)} " "
                    <strong data-testid="season-chosen">{move || chosen.with(|c| c.len())}</strong>
                </p>
                {move || mixed().then(|| view! { <p class="warn-text" data-testid="season-mixed">{i18n.tr(Msg::SeMixed)}</p> })}
                <div class="form-grid">
                    <label>
                        <span>{i18n.tr(Msg::SeStartsOn)}</span>
                        <input type="date" data-testid="season-date" max=today.clone() min=earliest
                            prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                    </label>
                    <button type="button" class="primary" data-testid="season-to-heating" disabled=move || !can(true) || set.pending().get()
                        on:click=move |_| run(true)>{i18n.tr(Msg::SeToHeating)}</button>
                    <button type="button" data-testid="season-to-between" disabled=move || !can(false) || set.pending().get()
                        on:click=move |_| run(false)>{i18n.tr(Msg::SeToBetween)}</button>
                </div>
            </div>
        }
    });
    let choose_all = move |on: bool| {
        let ids: Vec<i64> = shown.get_untracked().iter().map(|r| r.object_id).collect();
        chosen.update(|c| {
            for id in ids {
                if on {
                    c.insert(id);
                } else {
                    c.remove(&id);
                }
            }
        });
    };
    view! {
        <div class="toolbar">
            <input type="search" class="search" placeholder=i18n.tr(Msg::SeSearch) aria-label=i18n.tr(Msg::Search)
                prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) data-testid="season-search"/>
            <select data-testid="season-filter" aria-label=i18n.tr(Msg::SeState)
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.set([SeasonState::Heating, SeasonState::Between, SeasonState::Unset].into_iter().find(|s| s.as_str() == v));
                }>
                <option value="">{i18n.tr(Msg::SeAllStates)}</option>
                {states}
            </select>
            <span class="spacer"></span>
            <a class="button" href=csv download="season.csv" data-testid="season-csv">{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        {group}
        <div class="table-wrap">
            <table class="data" data-testid="season-table">
                <thead>
                    <tr>
                        {editable.then(|| view! {
                            <th>
                                <input type="checkbox" aria-label=i18n.tr(Msg::SeChooseAll) data-testid="season-all"
                                    on:change=move |ev| choose_all(event_target_checked(&ev))/>
                            </th>
                        })}
                        <SortTh label=Msg::NpObject key=Column::Name sort/>
                        <SortTh label=Msg::SeState key=Column::State sort/>
                        <SortTh label=Msg::SeSince key=Column::Since sort/>
                        <SortTh label=Msg::SeSetBy key=Column::SetBy sort/>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || shown.get() key=|r| (r.object_id, r.changes.len(), r.undoable) let:r>
                        {season_row(r, editable, chosen, history, undo)}
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One building: its tick, season, first day, who set it, undo, and its history when open.
fn season_row(r: SeasonRow, editable: bool, chosen: RwSignal<BTreeSet<i64>>, history: RwSignal<Option<i64>>, undo: ServerAction<UndoSeason>) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.object_id;
    let state = r.state();
    let class = match state {
        SeasonState::Heating => "tag hot",
        SeasonState::Between => "tag",
        SeasonState::Unset => "tag off",
    };
    let last = r.changes.first().cloned();
    let columns = if editable { 6 } else { 5 };
    let changes = r.changes.clone();
    let lines = move || {
        changes
            .iter()
            .map(|c| {
                let who = if c.set_by.is_empty() { i18n.t(Msg::SeCarried).to_string() } else { c.set_by.clone() };
                view! {
                    <li>
                        <span class={if c.heating { "tag hot" } else { "tag" }}>{i18n.tr(if c.heating { Msg::SeHeating } else { Msg::SeBetween })}</span>
                        " " {c.starts()} " — " {who} ", " {c.set_at.clone()}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <tr data-object=id.to_string() data-state=state.as_str()>
            {editable.then(|| view! {
                <td>
                    <input type="checkbox" data-testid="season-pick" aria-label=r.name.clone()
                        prop:checked=move || chosen.with(|c| c.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                if on {
                                    c.insert(id);
                                } else {
                                    c.remove(&id);
                                }
                            });
                        }/>
                </td>
            })}
            <td><a href=format!("/objects/{id}")>{r.name.clone()}</a></td>
            <td><span class=class data-testid="season-state">{i18n.tr(state.label())}</span></td>
            <td data-testid="season-since">{last.as_ref().map(|c| c.starts()).unwrap_or_default()}</td>
            <td>{last.as_ref().map(|c| if c.set_by.is_empty() { i18n.t(Msg::SeCarried).to_string() } else { format!("{}, {}", c.set_by, c.set_at) }).unwrap_or_default()}</td>
            <td class="actions">
                {r.undoable.then(|| view! {
                    <button type="button" class="small" data-testid="season-undo" disabled=move || undo.pending().get()
                        on:click=move |_| { undo.dispatch(UndoSeason { object: id }); }>{i18n.tr(Msg::SeUndo)}</button>
                })}
                {(!r.changes.is_empty()).then(|| view! {
                    <button type="button" class="small" data-testid="season-history" aria-expanded=move || (history.get() == Some(id)).to_string()
                        on:click=move |_| history.update(|h| *h = if *h == Some(id) { None } else { Some(id) })>{i18n.tr(Msg::SeHistory)}</button>
                })}
            </td>
        </tr>
        {move || (history.get() == Some(id)).then(|| view! {
            <tr class="season-history" data-testid="season-history-row">
                <td colspan=columns>
                    <strong>{i18n.tr(Msg::SeHistoryTitle)}</strong>
                    <ul>{lines()}</ul>
                </td>
            </tr>
        })}
    }
}
