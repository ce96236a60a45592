//! «Показания приборов учёта» (SANEXT main window, F7): a building's meters with their
//! current readings. Every filter, the sort and the page live in the URL: the server renders
//! the page a link names, links and the filter form work before hydration, and the Excel and
//! CSV downloads carry the same query.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ErrorBox;
use crate::components::layout::follow_selected_object;
use crate::components::table::page_numbers;
use crate::functions::meters::ReviewReading;
use crate::functions::readings::{readings_table, save_readings_columns};
use crate::i18n::{use_i18n, Msg};
use crate::models::format;
use crate::models::readings_table::{
    waiting_reason, PlacementFilter, ReadingsColumn, ReadingsPage, ReadingsQuery, ReadingsRow,
    ResourceGroup, PAGE_SIZES,
};
use crate::models::views::SessionView;
use crate::resource::resource;

fn href(q: &ReadingsQuery) -> String {
    let s = q.to_query_string();
    if s.is_empty() {
        "/readings".into()
    } else {
        format!("/readings?{s}")
    }
}

fn column_label(c: ReadingsColumn) -> Msg {
    match c {
        ReadingsColumn::Flat => Msg::ColFlat,
        ReadingsColumn::Address => Msg::Address,
        ReadingsColumn::Account => Msg::ColAccount,
        ReadingsColumn::Serial => Msg::ColMeter,
        ReadingsColumn::Model => Msg::Model,
        ReadingsColumn::Code => Msg::ColCode,
        ReadingsColumn::Value => Msg::ColValue,
        ReadingsColumn::ValueDate => Msg::ColValueDate,
        ReadingsColumn::Tariff => Msg::ColTariff,
    }
}

fn group_label(g: ResourceGroup) -> Msg {
    match g {
        ResourceGroup::Electricity => Msg::ResElectricity,
        ResourceGroup::Heat => Msg::ResHeat,
        ResourceGroup::Water => Msg::ResWater,
        ResourceGroup::Gas => Msg::ResGas,
    }
}

fn placement_label(p: PlacementFilter) -> Msg {
    match p {
        PlacementFilter::All => Msg::KindAll,
        PlacementFilter::Flats => Msg::KindFlats,
        PlacementFilter::Common => Msg::KindCommon,
    }
}

#[component]
pub fn ReadingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|m| {
            let pairs: Vec<(String, String)> = m
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            ReadingsQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    // a confirmation or rejection from a row reloads the page: the value it shows changes
    let review = ServerAction::<ReviewReading>::new();
    let page = resource(move || (query.get(), review.version().get()), |(q, _)| readings_table(q));
    // A building picked in the top bar opens that building's table.
    follow_selected_object(move |id| {
        href(&ReadingsQuery {
            object: Some(id),
            page: 1,
            ..query.get_untracked()
        })
    });
    view! {
        <Title text=i18n.tr(Msg::ReadingsTitle)/>
        <section class="page readings">
            <h1>{i18n.tr(Msg::ReadingsTitle)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(p) => view! { <ReadingsView page=p review/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ReadingsView(page: ReadingsPage, review: ServerAction<ReviewReading>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_context::<SessionView>();
    let can_review = session
        .as_ref()
        .is_some_and(|s| s.role.allows(crate::models::Permission::EditData));
    let q = page.query.clone();
    let resolved = ReadingsQuery {
        object: Some(page.object_id),
        date: Some(page.date),
        ..q.clone()
    };
    let export = resolved.with_page(1).to_query_string();
    let columns = RwSignal::new(page.columns.clone());
    let show = move |c: ReadingsColumn| columns.with(|cs| cs.contains(&c));
    let settings_open = RwSignal::new(false);
    let save = Action::new(move |cols: &Vec<ReadingsColumn>| save_readings_columns(cols.clone()));
    let toggle = move |c: ReadingsColumn| {
        columns.update(|cs| {
            if cs.contains(&c) {
                cs.retain(|x| *x != c);
            } else {
                cs.push(c);
                cs.sort_by_key(|x| ReadingsColumn::ALL.iter().position(|y| y == x));
            }
        });
        save.dispatch(columns.get_untracked());
    };
    let objects = session.map(|s| s.objects).unwrap_or_default();
    let object_id = page.object_id;
    let date_value = page.date.format("%Y-%m-%d").to_string();

    let switch_resource = ResourceGroup::ALL
        .into_iter()
        .map(|g| {
            let target = href(&ReadingsQuery {
                resource: g,
                page: 1,
                ..resolved.clone()
            });
            let current = g == q.resource;
            view! {
                <a href=target class="seg" class:on=current aria-current=current.then_some("true") data-resource=g.as_str()>
                    {move || i18n.t(group_label(g))}
                </a>
            }
        })
        .collect_view();
    let switch_placement = PlacementFilter::ALL
        .into_iter()
        .map(|p| {
            let target = href(&ReadingsQuery {
                placement: p,
                page: 1,
                ..resolved.clone()
            });
            let current = p == q.placement;
            view! {
                <a href=target class="seg" class:on=current aria-current=current.then_some("true") data-type=p.as_str()>
                    {move || i18n.t(placement_label(p))}
                </a>
            }
        })
        .collect_view();

    let header = ReadingsColumn::ALL
        .into_iter()
        .map(|c| {
            let target = href(&resolved.sorted_by(c));
            let mark = if q.sort != c {
                ""
            } else if q.descending {
                " ▼"
            } else {
                " ▲"
            };
            let aria = if q.sort != c {
                "none"
            } else if q.descending {
                "descending"
            } else {
                "ascending"
            };
            let numeric = matches!(c, ReadingsColumn::Value);
            view! {
                <Show when=move || show(c)>
                    <th class:num=numeric aria-sort=aria data-col=c.as_str()>
                        <a class="th-sort" href=target.clone()>{move || i18n.t(column_label(c))}{mark}</a>
                    </th>
                </Show>
            }
        })
        .collect_view();

    let rows = page.rows.clone();
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|r| view! { <Row row=r show review can_review/> }.into_any())
        .collect_view();

    let pages = page.pages;
    let current = page.query.page;
    let pager = page_numbers(current, pages)
        .into_iter()
        .map(|p| match p {
            Some(n) => {
                let target = href(&resolved.with_page(n));
                view! {
                    <a href=target class="page-link" class:on=n == current aria-current=(n == current).then_some("page")>{n}</a>
                }
                .into_any()
            }
            None => view! { <span class="gap">"…"</span> }.into_any(),
        })
        .collect_view();
    let prev = (current > 1).then(|| href(&resolved.with_page(current - 1)));
    let next = (current < pages).then(|| href(&resolved.with_page(current + 1)));
    let sizes = PAGE_SIZES
        .into_iter()
        .map(|s| {
            let target = href(&ReadingsQuery {
                page_size: s,
                page: 1,
                ..resolved.clone()
            });
            let on = s == page.query.page_size;
            view! { <a href=target class="seg small" class:on=on>{s}</a> }
        })
        .collect_view();
    let hideable = ReadingsColumn::ALL
        .into_iter()
        .filter(|c| c.can_hide())
        .map(|c| {
            view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || show(c) on:change=move |_| toggle(c) data-col=c.as_str()/>
                    {move || i18n.t(column_label(c))}
                </label>
            }
        })
        .collect_view();

    // Each part's view type is erased: one nested type for the whole page is deeper than
    // the compiler follows.
    let form = view! {
        <Form method="GET" action="/readings" attr:class="filters">
            <label class="field">
                <span>{i18n.tr(Msg::Building)}</span>
                <select name="object">
                    {objects
                        .into_iter()
                        .map(|o| view! { <option value=o.id.to_string() selected=o.id == object_id>{o.name}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::Date)}</span>
                <input type="date" name="date" value=date_value/>
            </label>
            <label class="field grow">
                <span>{i18n.tr(Msg::Search)}</span>
                <input type="search" name="q" value=q.search.clone() placeholder=i18n.tr(Msg::SearchReadings)/>
            </label>
            <input type="hidden" name="resource" value=q.resource.as_str()/>
            <input type="hidden" name="type" value=q.placement.as_str()/>
            <input type="hidden" name="sort" value=q.sort.as_str()/>
            <input type="hidden" name="desc" value=if q.descending { "1" } else { "0" }/>
            <input type="hidden" name="size" value=q.page_size.to_string()/>
            <button type="submit" class="button primary">{i18n.tr(Msg::Show)}</button>
        </Form>
    }
    .into_any();
    let toolbar = view! {
        <div class="toolbar">
            <span class="label">{i18n.tr(Msg::MeterType)}</span>
            <nav class="segmented" aria-label=i18n.tr(Msg::MeterType)>{switch_resource}</nav>
            <span class="label">{i18n.tr(Msg::Kind)}</span>
            <nav class="segmented" aria-label=i18n.tr(Msg::Kind)>{switch_placement}</nav>
            <span class="spacer"></span>
            <a class="button" href=format!("/export/readings.xlsx?{export}") download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/readings.pdf?{export}") download data-testid="export-pdf">{i18n.tr(Msg::ExportPdf)}</a>
            <a class="button" href=format!("/export/readings.csv?{export}") download data-testid="export-csv">{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <p class="caption">
            {page.object_name.clone()} " · " {i18n.tr(Msg::ReadingsAsOf)} " " {format::date(page.date)}
        </p>
    }
    .into_any();
    let table = view! {
        <div class="table-wrap">
            <table class="data" data-testid="readings" data-query=resolved.to_query_string()>
                <thead><tr>{header}</tr></thead>
                <tbody>
                    {if empty {
                        Some(view! { <tr><td colspan="9" class="empty">{i18n.tr(Msg::NothingFound)}</td></tr> })
                    } else {
                        None
                    }}
                    {body}
                </tbody>
            </table>
        </div>
    }
    .into_any();
    let foot = view! {
        <div class="table-foot">
            <button type="button" class="icon-button" title=i18n.tr(Msg::Columns) aria-expanded=move || settings_open.get().to_string() on:click=move |_| settings_open.update(|o| *o = !*o) data-testid="columns">"⚙"</button>
            <span class="count" data-testid="total">{i18n.tr(Msg::Total)} " " {format::integer(page.total as i64)}</span>
            <nav class="pager" aria-label=i18n.tr(Msg::Page)>
                {prev.map(|h| view! { <a href=h class="page-link" rel="prev" aria-label=i18n.tr(Msg::PrevPage)>"‹"</a> })}
                {pager}
                {next.map(|h| view! { <a href=h class="page-link" rel="next" aria-label=i18n.tr(Msg::NextPage)>"›"</a> })}
            </nav>
            <span class="label">{i18n.tr(Msg::PerPage)}</span>
            <nav class="segmented">{sizes}</nav>
        </div>
        <Show when=move || settings_open.get()>
            <fieldset class="column-settings" data-testid="column-settings">
                <legend>{i18n.tr(Msg::Columns)}</legend>
                {hideable.clone()}
            </fieldset>
        </Show>
    }
    .into_any();
    view! { {form} {toolbar} {table} {foot} }
}

#[component]
fn Row<F>(
    row: ReadingsRow,
    show: F,
    review: ServerAction<ReviewReading>,
    can_review: bool,
) -> impl IntoView
where
    F: Fn(ReadingsColumn) -> bool + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let flat = row.flat.clone();
    let has_waiting = row.waiting.is_some();
    let waiting = row.waiting.clone().map(|w| {
        let (meter_id, period, ts) = (row.meter_id, w.period, w.ts);
        let decide = move |accept: bool| {
            review.dispatch(ReviewReading { meter_id, period, ts, accept });
        };
        let why = waiting_reason(w.flags);
        view! {
            <div class="waiting-value" data-testid="waiting">
                <span class="tag warn">{i18n.tr(Msg::UnderReview)}</span> " "
                <span class="num">{format::fixed(w.value, row.fraction as u32)}</span> " "
                <span class="muted small">{format::date(w.date)} " · " {move || i18n.t(why)}</span>
                {can_review.then(|| view! {
                    <span class="review">
                        <button type="button" class="button small" data-testid="confirm" on:click=move |_| decide(true)>{i18n.tr(Msg::Confirm)}</button>
                        <button type="button" class="button small" data-testid="reject" on:click=move |_| decide(false)>{i18n.tr(Msg::Reject)}</button>
                    </span>
                })}
            </div>
        }
    });
    let is_common = flat.is_empty();
    let value = row.value.map(|v| format::fixed(v, row.fraction as u32));
    let water = match row.resource {
        crate::models::Resource::ColdWater => Some(Msg::ResColdWater),
        crate::models::Resource::HotWater => Some(Msg::ResHotWater),
        _ => None,
    };
    let value_date = row.value_date.map(format::date).unwrap_or_default();
    // only electricity has tariffs; a heat or water meter has one register
    let tariff_text = if row.resource == crate::models::Resource::Electricity {
        format!("{} {}", i18n.t(Msg::TariffN), row.tariff)
    } else {
        "—".to_string()
    };
    view! {
        <tr data-meter=row.meter_id.to_string() data-tariff=row.tariff.to_string()>
            <td>{if is_common { view! { <span class="tag">{i18n.tr(Msg::CommonMeter)}</span> }.into_any() } else { flat.into_any() }}</td>
            <Show when=move || show(ReadingsColumn::Address)><td class="address">{row.address.clone()}</td></Show>
            <Show when=move || show(ReadingsColumn::Account)><td>{row.account.clone()}</td></Show>
            <td>
                <a href=format!("/meters/{}", row.meter_id)>{row.serial.clone()}</a>
                {water.map(|m| view! { " " <span class="tag" class:hot=m == Msg::ResHotWater>{move || i18n.t(m)}</span> })}
            </td>
            <Show when=move || show(ReadingsColumn::Model)><td>{row.model.clone()}</td></Show>
            <Show when=move || show(ReadingsColumn::Code)><td class="num">{row.code.clone()}</td></Show>
            <td class="num value" class:has-waiting=has_waiting>
                {match value.clone() {
                    Some(v) => v.into_any(),
                    None => view! { <span class="muted">{i18n.tr(Msg::NoReading)}</span> }.into_any(),
                }}
                {waiting}
            </td>
            <Show when=move || show(ReadingsColumn::ValueDate)><td>{value_date.clone()}</td></Show>
            <Show when=move || show(ReadingsColumn::Tariff)><td>{tariff_text.clone()}</td></Show>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_shows_ends_and_neighbours_with_gaps() {
        assert_eq!(
            page_numbers(1, 54),
            vec![Some(1), Some(2), Some(3), None, Some(54)]
        );
        assert_eq!(
            page_numbers(10, 54),
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(54)
            ]
        );
        assert_eq!(page_numbers(1, 1), vec![Some(1)]);
    }

    #[test]
    fn a_default_query_links_to_the_bare_page() {
        assert_eq!(href(&ReadingsQuery::default().normalized()), "/readings");
    }
}
