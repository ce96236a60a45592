//! «Коммуникаторы» (`/service/communicators`, F32): the company's lines — gateways, GPRS
//! modems, LoRaWAN devices, serial ports — with their address, SIM, timing, the meters on
//! each and when one of them was last heard. Filtered by building and kind in the address;
//! searched, sorted and downloaded like every list; a row opens its card.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_location;

use crate::components::cell_table::{CellRow, CellTable};
use crate::components::cell_toolbar::{cells_csv, CellToolbar};
use crate::components::error_view::ErrorBox;
use crate::functions::communicators::list_communicators;
use crate::i18n::{use_i18n, Msg};
use crate::models::communicators::{CommunicatorList, KINDS};
use crate::resource::resource;

#[component]
pub fn CommunicatorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = Memo::new(move |_| location.search.get().trim_start_matches('?').to_string());
    let list = resource(move || query.get(), list_communicators);
    view! {
        <Title text=i18n.tr(Msg::MenuCommunicators)/>
        <section class="page communicators">
            <h1>{i18n.tr(Msg::MenuCommunicators)}</h1>
            <p class="lead">{i18n.tr(Msg::CmLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => view! { <CommunicatorTable list=v/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CommunicatorTable(list: CommunicatorList) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let q = list.query.clone();
    let export = q.query_string();
    let objects = list
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=q.object == Some(id)>{name.clone()}</option> }
        })
        .collect_view();
    let kinds = KINDS
        .iter()
        .map(|k| view! { <option value=k.as_str() selected=q.line == Some(*k)>{k.label(lang)}</option> })
        .collect_view();
    let summary = list.summary(lang);
    let (header, cells) = list.table(lang);
    let csv = cells_csv(&header, &cells, &[]);
    let rows: Vec<CellRow> = list
        .rows
        .iter()
        .zip(cells)
        .map(|(r, cells)| CellRow { cells, class: String::new(), link: Some(format!("/service/communicators/{}", r.id)), id: r.id.to_string() })
        .collect();
    let empty = rows.is_empty();
    let search = RwSignal::new(String::new());
    let add = list.editable.then(|| {
        let href = match q.object {
            Some(o) => format!("/service/communicators/new?object={o}"),
            None => "/service/communicators/new".to_string(),
        };
        view! { <a class="button primary" href=href data-testid="communicators-add">"+ " {i18n.tr(Msg::CmAdd)}</a> }
    });
    view! {
        <Form method="GET" action="/service/communicators" attr:class="filters">
            <label>{i18n.tr(Msg::NpObject)}
                <select name="object" data-testid="communicators-object">
                    <option value="">{i18n.tr(Msg::NpAllObjects)}</option>
                    {objects}
                </select>
            </label>
            <label>{i18n.tr(Msg::InvLine)}
                <select name="line" data-testid="communicators-line">
                    <option value="">{i18n.tr(Msg::CmAllLines)}</option>
                    {kinds}
                </select>
            </label>
            <button type="submit" class="button primary" data-testid="communicators-show">{i18n.tr(Msg::EvShow)}</button>
            {add}
        </Form>
        <CellToolbar search table="communicators" query=export csv/>
        <p class="summary" data-testid="communicators-summary">{summary}</p>
        {if empty {
            view! { <p class="empty" data-testid="communicators-empty">{i18n.tr(Msg::CmNone)}</p> }.into_any()
        } else {
            view! { <CellTable header rows search class="communicators-table" testid="communicators-table"/> }.into_any()
        }}
    }
}
