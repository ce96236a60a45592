//! «Приборы учёта» (F29, EK 4.5.1): the company's meters, filtered by building, ИПУ/ОДПУ,
//! resource, line, state and verification due, or found by a serial, barcode, model or flat
//! typed in; each opens its card. The filters live in the address (a filtered list can be
//! bookmarked) and the files hold every meter they leave, the page its first
//! [`INVENTORY_PAGE`](crate::models::inventory::INVENTORY_PAGE).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_location;

use crate::components::cell_table::{CellRow, CellTable};
use crate::components::error_view::ErrorBox;
use crate::functions::inventory::meter_inventory;
use crate::i18n::{resource_name, state_name, use_i18n, Msg};
use crate::models::inventory::{Due, Inventory, LineKind};
use crate::models::{MeterState, Placement, Resource};
use crate::resource::resource;

#[component]
pub fn InventoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = Memo::new(move |_| location.search.get().trim_start_matches('?').to_string());
    let inventory = resource(move || query.get(), meter_inventory);
    view! {
        <Title text=i18n.tr(Msg::MenuMeters)/>
        <section class="page inventory">
            <h1>{i18n.tr(Msg::MenuMeters)}</h1>
            <p class="lead">{i18n.tr(Msg::InvLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match inventory.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => view! { <InventoryTable inventory=v/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A `<select>` of a filter: «all» first, then each choice, the asked one selected.
fn choices<T: Copy + PartialEq + Send + Sync + 'static>(
    name: &'static str,
    all: Msg,
    items: &[T],
    chosen: Option<T>,
    key: fn(T) -> &'static str,
    label: impl Fn(T) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = items
        .iter()
        .map(|t| {
            let t = *t;
            view! { <option value=key(t) selected=chosen == Some(t)>{move || label(t)}</option> }
        })
        .collect_view();
    view! {
        <select name=name data-testid=format!("inventory-{name}")>
            <option value="">{i18n.tr(all)}</option>
            {options}
        </select>
    }
}

#[component]
fn InventoryTable(inventory: Inventory) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let q = inventory.query.clone();
    let export = q.query_string();
    let objects = inventory
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=q.object == Some(id)>{name.clone()}</option> }
        })
        .collect_view();
    let placement = choices("placement", Msg::InvAllPlacements, &[Placement::Individual, Placement::Common], q.placement, Placement::as_str, move |p| {
        i18n.t(if p == Placement::Individual { Msg::InvIndividual } else { Msg::InvCommon }).to_string()
    });
    let resources = choices("resource", Msg::EvAllResources, &Resource::ALL, q.resource, Resource::as_str, move |r| i18n.t(resource_name(r)).to_string());
    let lines = choices("line", Msg::InvAllLines, &LineKind::ALL, q.line, LineKind::as_str, move |l| l.label(i18n.lang()).to_string());
    let states = choices("state", Msg::InvAllStates, &MeterState::ALL, q.state, MeterState::as_str, move |s| i18n.t(state_name(s)).to_string());
    let dues = choices("due", Msg::InvAllDue, &Due::ALL, q.due, Due::as_str, move |d| i18n.t(d.label()).to_string());
    let summary = inventory.summary(lang);
    let truncated = inventory.truncated().then(|| {
        let text = Msg::InvTruncated.text(lang).replace("{n}", &crate::models::format::integer(inventory.rows.len() as i64));
        view! { <p class="warning" role="status" data-testid="inventory-truncated">{text}</p> }
    });
    let today = inventory.today;
    let (header, cells) = inventory.table(lang);
    let rows: Vec<CellRow> = inventory
        .rows
        .iter()
        .zip(cells)
        .map(|(r, cells)| CellRow {
            cells,
            class: if r.overdue(today) { "overdue".into() } else { String::new() },
            link: Some(format!("/meters/{}", r.meter_id)),
            id: r.meter_id.to_string(),
        })
        .collect();
    let empty = rows.is_empty();
    // the page's own search is the form's: it looks through every meter, not the shown ones
    let search = RwSignal::new(String::new());
    view! {
        <Form method="GET" action="/service/meters" attr:class="filters inventory-filters">
            <label>{i18n.tr(Msg::NpObject)}
                <select name="object" data-testid="inventory-object">
                    <option value="">{i18n.tr(Msg::NpAllObjects)}</option>
                    {objects}
                </select>
            </label>
            <label>{i18n.tr(Msg::InvPlacement)} {placement}</label>
            <label>{i18n.tr(Msg::NpResource)} {resources}</label>
            <label>{i18n.tr(Msg::InvLine)} {lines}</label>
            <label>{i18n.tr(Msg::ColState)} {states}</label>
            <label>{i18n.tr(Msg::InvDue)} {dues}</label>
            <label class="field grow">{i18n.tr(Msg::InvSearch)}
                <input type="search" name="q" value=q.q.clone() maxlength=crate::models::inventory::SEARCH_MAX.to_string()
                    placeholder=i18n.tr(Msg::InvSearchHint) data-testid="inventory-q"/>
            </label>
            <button type="submit" class="button primary" data-testid="inventory-show">{i18n.tr(Msg::EvShow)}</button>
            <a class="button" href="/service/meters" data-testid="inventory-reset">{i18n.tr(Msg::InvReset)}</a>
        </Form>
        <div class="toolbar">
            {inventory.editable.then(|| {
                let href = match q.object {
                    Some(o) => format!("/service/meters/new?object={o}"),
                    None => "/service/meters/new".to_string(),
                };
                view! { <a class="button primary" href=href data-testid="inventory-add">"+ " {i18n.tr(Msg::MfAdd)}</a> }
            })}
            <span class="spacer"></span>
            <a class="button" href=format!("/export/meters.xlsx?{export}") download data-testid="inventory-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/meters.pdf?{export}") download data-testid="inventory-pdf">{i18n.tr(Msg::ExportPdf)}</a>
            <a class="button" href=format!("/export/meters.csv?{export}") download data-testid="inventory-csv">{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <p class="summary" data-testid="inventory-summary">{summary}</p>
        {truncated}
        {if empty {
            view! { <p class="empty" data-testid="inventory-empty">{i18n.tr(Msg::InvNone)}</p> }.into_any()
        } else {
            view! { <CellTable header rows search class="inventory-table" testid="inventory-table"/> }.into_any()
        }}
    }
}
