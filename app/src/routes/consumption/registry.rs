//! «Реестр потребления» (F13, EK 4.1.5, menu «Потребление»): every premise of a building ×
//! every resource it meters, for a day from the daily archives or a month from the monthly
//! ones; `–*` where a premise's only meter has no archive, `1,77*` where one of two has.

use leptos::prelude::*;

use super::{nothing_to_show, ConsumptionPage, Tab};
use crate::components::cell_table::CellTable;
use crate::components::cell_toolbar::{cells_csv, CellToolbar};
use crate::i18n::{use_i18n, Msg};
use crate::models::consumption::Premises;

#[component]
pub fn RegistryPage() -> impl IntoView {
    view! {
        <ConsumptionPage path="/consumption" registry=true title=Msg::ConRegistry lead=Msg::ConRegistryLead
            class="registry" tab=Tab::Registry body=registry/>
    }
}

fn registry(p: Premises) -> AnyView {
    if let Some(empty) = nothing_to_show(&p, "registry-empty") {
        return empty;
    }
    let i18n = use_i18n();
    let lang = i18n.lang();
    let (header, rows, foot) = p.registry_table(lang);
    let csv = cells_csv(&header, &rows, &foot);
    let rows = super::premise_rows(&p, rows);
    let search = RwSignal::new(String::new());
    view! {
        <p class="summary" data-testid="registry-summary">
            <strong>{p.object_name()}</strong> " — " {p.period_text(lang)}
        </p>
        <CellToolbar search table="registry" query=p.query.query_string() csv/>
        <CellTable header rows search foot class="consumption-table" testid="registry-table"/>
        <p class="note">{i18n.tr(Msg::BalIncompleteNote)}</p>
    }
    .into_any()
}
