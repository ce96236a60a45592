//! The bar above a typed-cell table: a search that narrows its rows and its downloads —
//! Excel and PDF written on the server from the page's own query, CSV from the rows shown
//! (a `data:` link, so it works before hydration too).

use leptos::prelude::*;

use crate::components::export::csv_href;
use crate::i18n::{use_i18n, Msg};
use crate::models::cell::Cell;

/// The CSV of a table as the page holds it: its header, its rows and the rows below.
pub fn cells_csv(header: &[String], rows: &[Vec<Cell>], foot: &[Vec<Cell>]) -> String {
    let mut text = vec![header.to_vec()];
    text.extend(rows.iter().chain(foot).map(|r| r.iter().map(Cell::shown).collect()));
    csv_href(&text)
}

/// `table` names the download (`/export/{table}.xlsx?{query}`) and the test ids
/// (`{table}-search`, `{table}-xlsx`, `{table}-csv`).
#[component]
pub fn CellToolbar(search: RwSignal<String>, table: &'static str, query: String, csv: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="toolbar">
            <input type="search" class="search" placeholder=i18n.tr(Msg::Search) aria-label=i18n.tr(Msg::Search)
                on:input=move |ev| search.set(event_target_value(&ev)) data-testid=format!("{table}-search")/>
            <span class="spacer"></span>
            <a class="button" href=format!("/export/{table}.xlsx?{query}") download data-testid=format!("{table}-xlsx")>{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/{table}.pdf?{query}") download>{i18n.tr(Msg::ExportPdf)}</a>
            <a class="button" href=csv download=format!("{table}.csv") data-testid=format!("{table}-csv")>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
    }
}
