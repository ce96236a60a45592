//! «Помещения дома» (`/objects/{id}/premises`, F41): the building's flats and
//! non-residential premises with their accounts and meters — searched, sorted, downloaded —
//! and, for whoever manages buildings, a range of flats laid out over entrances and floors,
//! one premise by its name, and a chosen premise's edit and delete.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::cell_table::{CellRow, CellTable};
use crate::components::cell_toolbar::cells_csv;
use crate::components::confirm::confirmed;
use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::premises::{building_premises, AddPremiseRange, DeletePremise, SavePremise};
use crate::i18n::{use_i18n, Msg};
use crate::models::premises::{kind_name, PremiseForm, PremisesPage as Page, RangeForm};
use crate::resource::{kept, resource, say_when_kept};

#[component]
pub fn PremisesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let object = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)));
    let chosen = Memo::new(move |_| query.with(|q| q.get("premise").and_then(|v| v.parse::<i64>().ok())));
    let range = ServerAction::<AddPremiseRange>::new();
    let save = ServerAction::<SavePremise>::new();
    let remove = ServerAction::<DeletePremise>::new();
    let (range_kept, save_kept, remove_kept) = (kept(*range), kept(*save), kept(*remove));
    let done = RwSignal::new(None::<Msg>);
    say_when_kept(*save, done, Msg::PrSaved);
    say_when_kept(*remove, done, Msg::PrDeleted);
    let page = resource(
        move || (object.get(), range_kept.get(), save_kept.get(), remove_kept.get()),
        |(o, ..)| building_premises(o),
    );
    view! {
        <Title text=i18n.tr(Msg::PrTitle)/>
        <section class="page premises-page">
            <p class="muted small"><a href=move || format!("/objects/{}", object.get()) data-testid="premises-building">{i18n.tr(Msg::BuildingCardTitle)}</a></p>
            <h1>{i18n.tr(Msg::PrTitle)}</h1>
            <p class="lead">{i18n.tr(Msg::PrLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(p) => view! { <Premises page=p chosen range save remove done/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A text input bound to one field of a form in a signal.
fn field<F: Send + Sync + 'static>(
    form: RwSignal<F>,
    label: Msg,
    testid: &'static str,
    get: fn(&F) -> &String,
    set: fn(&mut F, String),
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>
            <span>{i18n.tr(label)}</span>
            <input type="text" data-testid=testid prop:value=move || form.with(|f| get(f).clone())
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
        </label>
    }
}

/// The kind of a premise as a choice.
fn kind_select(form: RwSignal<PremiseForm>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>
            <span>{i18n.tr(Msg::PrKind)}</span>
            <select data-testid=testid on:change=move |ev| form.update(|f| f.kind = event_target_value(&ev))>
                {["flat", "non_residential"].map(|k| view! {
                    <option value=k selected=move || form.with(|f| f.kind == k || (f.kind.is_empty() && k == "flat"))>{i18n.tr(kind_name(k))}</option>
                }).to_vec()}
            </select>
        </label>
    }
}

/// The premise's fields but its number (the same for a new one and an edit).
fn premise_fields(form: RwSignal<PremiseForm>, prefix: &'static str) -> impl IntoView {
    let id = |s: &'static str| -> &'static str {
        match (prefix, s) {
            ("new", "entrance") => "new-entrance",
            ("new", "floor") => "new-floor",
            ("new", "area") => "new-area",
            ("new", "residents") => "new-residents",
            (_, "entrance") => "edit-entrance",
            (_, "floor") => "edit-floor",
            (_, "area") => "edit-area",
            _ => "edit-residents",
        }
    };
    view! {
        {kind_select(form, if prefix == "new" { "new-kind" } else { "edit-kind" })}
        {field(form, Msg::PrEntrance, id("entrance"), |f| &f.entrance, |f, v| f.entrance = v)}
        {field(form, Msg::PrFloor, id("floor"), |f| &f.floor, |f, v| f.floor = v)}
        {field(form, Msg::PrArea, id("area"), |f| &f.area, |f, v| f.area = v)}
        {field(form, Msg::ResidentsCount, id("residents"), |f| &f.residents, |f, v| f.residents = v)}
    }
    .into_any()
}

#[component]
fn Premises(
    page: Page,
    chosen: Memo<Option<i64>>,
    range: ServerAction<AddPremiseRange>,
    save: ServerAction<SavePremise>,
    remove: ServerAction<DeletePremise>,
    /// The word of the latest kept change, saved or deleted.
    done: RwSignal<Option<Msg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let object = page.object_id;
    let (header, cells) = page.table(lang);
    let csv = cells_csv(&header, &cells, &[]);
    let rows: Vec<CellRow> = page
        .rows
        .iter()
        .zip(cells)
        .map(|(r, cells)| CellRow {
            cells,
            class: String::new(),
            link: page.editable.then(|| format!("/objects/{object}/premises?premise={}", r.id)),
            id: r.id.to_string(),
        })
        .collect();
    let empty = rows.is_empty();
    let search = RwSignal::new(String::new());
    let premises = StoredValue::new(page.rows.clone());
    let editable = page.editable;
    let editor = move || chosen.get().and_then(|id| premises.with_value(|rows| rows.iter().find(|r| r.id == id).cloned())).filter(|_| editable).map(|r| {
        let id = r.id;
        let number = r.premise.number.clone();
        let busy = !r.accounts.is_empty() || r.meters > 0;
        let form = RwSignal::new(PremiseForm::of(&r.premise));
        let delete = move |_| {
            if confirmed(i18n.t(Msg::PrDeleteAsk)) {
                remove.dispatch(DeletePremise { object, id });
            }
        };
        view! {
            <form class="panel form-grid premise-editor" data-testid="premise-editor" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SavePremise { object, id: Some(id), form: form.get_untracked() });
            }>
                <p class="wide"><strong>{i18n.tr(Msg::PrThis)} " «" {number} "»"</strong></p>
                {premise_fields(form, "edit")}
                <div class="toolbar wide">
                    <button type="submit" class="button primary" data-testid="edit-save" disabled=move || save.pending().get()>{i18n.tr(Msg::Save)}</button>
                    <span class="spacer"></span>
                    <button type="button" class="button danger" data-testid="premise-delete" on:click=delete disabled=busy
                        title=move || if busy { i18n.t(Msg::ErrHasDependents).to_string() } else { String::new() }>
                        {i18n.tr(Msg::Delete)}
                    </button>
                </div>
            </form>
        }
        .into_any()
    });
    view! {
        <h2 data-testid="premises-object">{page.object.clone()}</h2>
        {page.editable.then(|| view! { <AddForms object floors=page.floors range save/> }.into_any())}
        <ActionError value=save.value()/>
        <ActionError value=remove.value()/>
        {move || done.get().map(|m| {
            let testid = if m == Msg::PrDeleted { "premise-deleted" } else { "premise-saved" };
            view! { <p class="ok" role="status" data-testid=testid>{i18n.tr(m)}</p> }
        })}
        {editor}
        <div class="toolbar">
            <input type="search" class="search" placeholder=i18n.tr(Msg::Search) aria-label=i18n.tr(Msg::Search)
                on:input=move |ev| search.set(event_target_value(&ev)) data-testid="premises-search"/>
            <span class="spacer"></span>
            <a class="button" href=csv download="premises.csv" data-testid="premises-csv">{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <p class="summary" data-testid="premises-summary">{page.summary(lang)}</p>
        {if empty {
            view! { <p class="empty" data-testid="premises-empty">{i18n.tr(Msg::PrNone)}</p> }.into_any()
        } else {
            view! { <CellTable header rows search class="premises-table" testid="premises-table"/> }.into_any()
        }}
    }
}

/// A range of flats, and one premise by its name.
#[component]
fn AddForms(object: i64, floors: Option<i64>, range: ServerAction<AddPremiseRange>, save: ServerAction<SavePremise>) -> impl IntoView {
    let i18n = use_i18n();
    let flats = RwSignal::new(RangeForm { floors: floors.map(|f| f.to_string()).unwrap_or_default(), ..Default::default() });
    let one = RwSignal::new(PremiseForm { kind: "non_residential".into(), ..Default::default() });
    let added = move || {
        range.value().get().and_then(|r| r.ok()).map(|a| {
            i18n.t(Msg::PrRangeAdded).replace("{added}", &a.added.to_string()).replace("{existing}", &a.existing.to_string())
        })
    };
    view! {
        <details class="panel" data-testid="premise-range">
            <summary>{i18n.tr(Msg::PrRange)}</summary>
            <p class="note">{i18n.tr(Msg::PrRangeHint)}</p>
            <form class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                range.dispatch(AddPremiseRange { object, form: flats.get_untracked() });
            }>
                {field(flats, Msg::PrFrom, "range-from", |f| &f.from, |f, v| f.from = v)}
                {field(flats, Msg::PrTo, "range-to", |f| &f.to, |f, v| f.to = v)}
                {field(flats, Msg::PrPerEntrance, "range-per-entrance", |f| &f.per_entrance, |f, v| f.per_entrance = v)}
                {field(flats, Msg::Floors, "range-floors", |f| &f.floors, |f, v| f.floors = v)}
                {field(flats, Msg::PrFirstEntrance, "range-first-entrance", |f| &f.first_entrance, |f, v| f.first_entrance = v)}
                <button type="submit" class="button primary" data-testid="range-add" disabled=move || range.pending().get()>{i18n.tr(Msg::PrRangeAdd)}</button>
            </form>
            <ActionError value=range.value()/>
            {move || added().map(|t| view! { <p class="ok" role="status" data-testid="range-added">{t}</p> })}
        </details>
        <details class="panel" data-testid="premise-one">
            <summary>{i18n.tr(Msg::PrOne)}</summary>
            <p class="note">{i18n.tr(Msg::PrOneHint)}</p>
            <form class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SavePremise { object, id: None, form: one.get_untracked() });
            }>
                {field(one, Msg::PrNumber, "new-number", |f| &f.number, |f, v| f.number = v)}
                {premise_fields(one, "new")}
                <button type="submit" class="button primary" data-testid="new-add" disabled=move || save.pending().get()>{i18n.tr(Msg::UsAdd)}</button>
            </form>
        </details>
    }
    .into_any()
}
