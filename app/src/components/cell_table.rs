//! A table of typed cells: every column sorts (figures by value, flats as people count them),
//! a search narrows the rows, a row may carry a class and its first cell a link. The
//! balance's days and the buildings compared are drawn with it.

use leptos::prelude::*;

use crate::components::table::all_words_in;
use crate::i18n::{use_i18n, Msg};
use crate::models::cell::Cell;

/// One row: its cells, its class (`verdict-over`), the address its first cell opens and the
/// id a test or a script finds it by (`data-row`).
#[derive(Clone, Debug, PartialEq)]
pub struct CellRow {
    pub cells: Vec<Cell>,
    pub class: String,
    pub link: Option<String>,
    pub id: String,
}

impl CellRow {
    /// A row with no class and no link, found by `id`.
    pub fn plain(id: impl ToString, cells: Vec<Cell>) -> CellRow {
        CellRow { cells, class: String::new(), link: None, id: id.to_string() }
    }
}

#[component]
pub fn CellTable(
    header: Vec<String>,
    rows: Vec<CellRow>,
    /// The words every shown row holds.
    search: RwSignal<String>,
    /// Rows below the body that neither sort nor hide (a period's total).
    #[prop(optional)]
    foot: Vec<Vec<Cell>>,
    #[prop(into)] class: String,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let width = header.len().max(1);
    // a column of figures has its heading over them, to the right; a column of words, left
    let figures: Vec<bool> = (0..header.len())
        .map(|c| rows.iter().any(|r| r.cells.get(c).is_some_and(Cell::is_figure)))
        .collect();
    // each row with the words a search looks in, written once
    let rows = StoredValue::new(
        rows.into_iter()
            .map(|r| {
                let hay = r.cells.iter().map(Cell::shown).collect::<Vec<_>>().join(" ");
                (r, hay)
            })
            .collect::<Vec<_>>(),
    );
    let sort = RwSignal::new(None::<(usize, bool)>);
    let shown = Memo::new(move |_| {
        let words = search.get();
        let mut v: Vec<CellRow> = rows.with_value(|rows| {
            rows.iter().filter(|(_, hay)| all_words_in(hay, words.trim())).map(|(r, _)| r.clone()).collect()
        });
        if let Some((c, ascending)) = sort.get() {
            v.sort_by(|a, b| {
                crate::routes::reports::sorted(a.cells.get(c).unwrap_or(&Cell::Empty), b.cells.get(c).unwrap_or(&Cell::Empty), ascending)
            });
        }
        v
    });
    let head = header
        .into_iter()
        .enumerate()
        .map(|(c, h)| {
            let mark = move || match sort.get() {
                Some((s, true)) if s == c => " ▲",
                Some((s, false)) if s == c => " ▼",
                _ => "",
            };
            let toggle = move |_| {
                sort.update(|s| *s = Some(match *s {
                    Some((col, asc)) if col == c => (c, !asc),
                    _ => (c, true),
                }))
            };
            view! { <th class:num=figures[c]><button type="button" class="th-sort" on:click=toggle>{h}{mark}</button></th> }
        })
        .collect_view();
    let body = move || {
        shown.with(|v| {
            v.iter()
                .map(|r| {
                    let cells = r
                        .cells
                        .iter()
                        .enumerate()
                        .map(|(i, cell)| match (i, &r.link) {
                            (0, Some(href)) => view! { <td><a href=href.clone()>{cell.shown()}</a></td> }.into_any(),
                            _ => view! { <td class:num=cell.is_figure()>{cell.shown()}</td> }.into_any(),
                        })
                        .collect_view();
                    view! { <tr class=r.class.clone() data-row=r.id.clone()>{cells}</tr> }
                })
                .collect_view()
        })
    };
    let foot = foot
        .into_iter()
        .map(|row| {
            let cells = row
                .iter()
                .map(|cell| view! { <td class:num=cell.is_figure()>{cell.shown()}</td> })
                .collect_view();
            view! { <tr class="total">{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class=format!("data {class}") data-testid=testid>
                <thead><tr>{head}</tr></thead>
                <tbody>
                    {move || shown.with(Vec::is_empty).then(|| view! { <tr><td colspan=width.to_string() class="empty">{i18n.tr(Msg::NothingFound)}</td></tr> })}
                    {body}
                </tbody>
                <tfoot>{foot}</tfoot>
            </table>
        </div>
    }
}
