//! The objects list: search, sort, download; a new building, the archived ones on request.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::objects::list_objects;
use crate::i18n::{use_i18n, Lang, Msg};
use crate::models::format;
use crate::models::views::ObjectRow;
use crate::resource::resource;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Name,
    Address,
    City,
    Premises,
    Meters,
}

fn compare(a: &ObjectRow, b: &ObjectRow, col: Col) -> std::cmp::Ordering {
    match col {
        Col::Name => a.name.cmp(&b.name),
        Col::Address => a.address.cmp(&b.address),
        Col::City => a.city.cmp(&b.city),
        Col::Premises => a.premises.cmp(&b.premises),
        Col::Meters => a.meters.cmp(&b.meters),
    }
}

/// Case-insensitive match on name, address and city; every word must match somewhere.
fn matches(row: &ObjectRow, query: &str) -> bool {
    all_words_in(&format!("{} {} {}", row.name, row.address, row.city), query)
}

fn csv_rows(rows: &[ObjectRow], lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![[
        Msg::Name,
        Msg::Address,
        Msg::City,
        Msg::Premises,
        Msg::Meters,
        Msg::Residents,
        Msg::Area,
    ]
    .iter()
    .map(|m| m.text(lang).to_string())
    .collect()];
    out.extend(rows.iter().map(|r| {
        vec![
            r.name.clone(),
            r.address.clone(),
            r.city.clone(),
            r.premises.to_string(),
            r.meters.to_string(),
            r.residents.to_string(),
            r.total_area.clone(),
        ]
    }));
    out
}

#[component]
pub fn ObjectsPage() -> impl IntoView {
    let i18n = use_i18n();
    let archived = RwSignal::new(false);
    let objects = resource(move || archived.get(), |a| list_objects(Some(a)));
    let can_add = use_context::<crate::models::views::SessionView>()
        .is_some_and(|s| s.role.allows(crate::models::Permission::ManageObjects));
    view! {
        <Title text=i18n.tr(Msg::ObjectsTitle)/>
        <section class="page">
            <h1>{i18n.tr(Msg::ObjectsTitle)}</h1>
            <div class="toolbar">
                {can_add.then(|| view! {
                    <a class="button primary" href="/objects/new" data-testid="new-building">{i18n.tr(Msg::NewBuilding)}</a>
                })}
                <label class="check">
                    <input type="checkbox" data-testid="show-archived" bind:checked=archived/>
                    <span>{i18n.tr(Msg::ShowArchived)}</span>
                </label>
            </div>
            <Suspense fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match objects.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) => view! { <ObjectsTable rows/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ObjectsTable(rows: Vec<ObjectRow>) -> impl IntoView {
    let i18n = use_i18n();
    let total = rows.len();
    let rows = StoredValue::new(rows);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort {
        key: Col::Name,
        ascending: true,
    });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let s = sort.get();
        rows.with_value(|r| shown_rows(r, |r| matches(r, &q), s, compare))
    });
    view! {
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::SearchObjects) aria-label=i18n.tr(Msg::Search)/>
            <span class="count" data-testid="count">
                {move || format!("{} {} {} {}", i18n.t(Msg::Shown), shown.read().len(), "/", total)}
            </span>
            <a class="button" download="objects.csv" href=move || csv_href(&csv_rows(&shown.read(), i18n.lang()))>
                {i18n.tr(Msg::ExportCsv)}
            </a>
        </div>
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <SortTh label=Msg::Name key=Col::Name sort/>
                        <SortTh label=Msg::Address key=Col::Address sort/>
                        <SortTh label=Msg::City key=Col::City sort/>
                        <SortTh label=Msg::Premises key=Col::Premises sort numeric=true/>
                        <SortTh label=Msg::Meters key=Col::Meters sort numeric=true/>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            view! { <tr><td colspan="5" class="empty">{i18n.tr(Msg::NothingFound)}</td></tr> }.into_any()
                        } else {
                            v.into_iter()
                                .map(|r| {
                                    view! {
                                        <tr data-object=r.id.to_string() class:archived=r.archived>
                                            <td>
                                                <a href=format!("/objects/{}", r.id)>{r.name}</a>
                                                {r.archived.then(|| view! { " " <span class="badge muted">{i18n.tr(Msg::InArchive)}</span> })}
                                            </td>
                                            <td>{r.address}</td>
                                            <td>{r.city}</td>
                                            <td class="num"><a href=format!("/subscribers?object={}", r.id) title=i18n.tr(Msg::MenuSubscribers)>{format::integer(r.premises)}</a></td>
                                            <td class="num"><a href=format!("/readings?object={}", r.id) title=i18n.tr(Msg::MenuReadings)>{format::integer(r.meters)}</a></td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, address: &str) -> ObjectRow {
        ObjectRow {
            id: 1,
            name: name.into(),
            address: address.into(),
            city: "Москва".into(),
            time_zone: "Europe/Moscow".into(),
            premises: 0,
            meters: 0,
            residents: 0,
            total_area: "0".into(),
            archived: false,
        }
    }

    #[test]
    fn search_matches_street_and_house_in_any_case_and_order() {
        let r = row("ЖК «Огни», корпус 1", "ул. Мосфильмовская, д. 98 корп. 1");
        assert!(matches(&r, "мосфильмовская 98"));
        assert!(matches(&r, "98 МОСФИЛЬМОВСКАЯ"));
        assert!(matches(&r, "огни, москва"));
        assert!(!matches(&r, "ленина"));
    }
}
