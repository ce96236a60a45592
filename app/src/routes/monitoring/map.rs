//! «Карта приборов» (F20): the company's buildings on a map (Leaflet with marker clusters,
//! served by Uchet itself; tiles from the configured server), each a ring of its meters'
//! last-contact statuses; the same buildings in a table under it, and a picked building's
//! meters worst first. Without tiles or without the map script the page still answers: it
//! says so, and the table holds everything.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::layout::follow_selected_object;
use crate::components::picked::PickedPanel;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::monitoring::{map_building_meters, map_of_meters};
use crate::i18n::{resource_name, use_i18n, Lang, Msg};
use crate::models::format::integer;
use crate::models::meter_map::{Contact, MapBuilding, MapMeter, MapPlace, MeterMap};
use crate::models::Resource;
use crate::resource::resource;

const MAP_ID: &str = "meter-map";

/// A building's meters shown before «Показать все».
const FIRST: usize = 200;

fn href(object: Option<i64>, resource: Option<Resource>) -> String {
    let mut parts = Vec::new();
    if let Some(o) = object {
        parts.push(format!("object={o}"));
    }
    if let Some(r) = resource {
        parts.push(format!("resource={}", r.as_str()));
    }
    if parts.is_empty() {
        "/monitoring/map".into()
    } else {
        format!("/monitoring/map?{}", parts.join("&"))
    }
}

/// What the map reports back to the page. Owned by the page, not by a filter's view: the
/// map element and its Leaflet map stay while the filters change, and only the points are
/// drawn again, so a click on the map reaches the page whatever the filter.
#[derive(Clone, Copy)]
struct MapState {
    canvas: NodeRef<leptos::html::Div>,
    picked: RwSignal<Option<i64>>,
    tiles_failed: RwSignal<bool>,
    script_failed: RwSignal<bool>,
    drawn: RwSignal<bool>,
}

#[component]
pub fn MapPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let object = Memo::new(move |_| params.with(|m| m.get("object").and_then(|v| v.parse::<i64>().ok())));
    let kind = Memo::new(move |_| params.with(|m| m.get("resource").and_then(|v| Resource::parse(&v))));
    let data = resource(
        move || (object.get(), kind.get()),
        |(o, r)| map_of_meters(o, r.map(|r| r.as_str().to_string()).unwrap_or_default()),
    );
    follow_selected_object(move |id| href(Some(id), kind.get_untracked()));
    let state = MapState {
        canvas: NodeRef::new(),
        picked: RwSignal::new(None),
        tiles_failed: RwSignal::new(false),
        script_failed: RwSignal::new(false),
        drawn: RwSignal::new(false),
    };
    #[cfg(feature = "hydrate")]
    draw::follow(state, data);
    let loading = move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> };
    // the map's parts around its element, each from the same answer
    let part = move |f: fn(MeterMap, MapState) -> AnyView| {
        view! {
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(m) => f(m, state),
                    }
                })}
            </Transition>
        }
    };
    let (drawn, tiles_failed, script_failed) = (state.drawn, state.tiles_failed, state.script_failed);
    view! {
        <Title text=i18n.tr(Msg::MenuMap)/>
        <section class="page meter-map-page">
            <h1>{i18n.tr(Msg::MenuMap)}</h1>
            <p class="lead">{i18n.tr(Msg::MapLead)}</p>
            {part(|m, _| view! { <MapFilters map=m/> }.into_any())}
            <div class="map-frame">
                <div id=MAP_ID node_ref=state.canvas class="map-canvas" data-testid="meter-map" data-drawn=move || drawn.get().to_string()
                    data-tiles=move || if tiles_failed.get() { "failed" } else { "" }></div>
                <aside class="map-legend">
                    <h2>{i18n.tr(Msg::MapStatuses)}</h2>
                    {part(|m, _| view! { <MapLegend map=m/> }.into_any())}
                </aside>
            </div>
            <p class="warn-text" role="status" data-testid="map-no-tiles" class:hidden=move || !tiles_failed.get()>{i18n.tr(Msg::MapNoTiles)}</p>
            <p class="warn-text" role="status" class:hidden=move || !script_failed.get()>{i18n.tr(Msg::MapNoScript)}</p>
            {part(|m, state| view! { <MapPlaces map=m state/> }.into_any())}
        </section>
    }
}

/// The building table's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Name,
    Address,
    Meters,
    Status(usize),
}

fn compare(a: &MapPlace, b: &MapPlace, c: Col) -> std::cmp::Ordering {
    match c {
        Col::Name => a.name.cmp(&b.name),
        Col::Address => a.address.cmp(&b.address),
        Col::Meters => a.meters().cmp(&b.meters()),
        Col::Status(i) => a.counts[i].cmp(&b.counts[i]),
    }
}

/// The building table as CSV rows, header first.
fn place_rows(places: &[MapPlace], lang: Lang) -> Vec<Vec<String>> {
    let mut head = vec![Msg::NpObject.text(lang).to_string(), Msg::Address.text(lang).to_string(), Msg::MapMeters.text(lang).to_string()];
    head.extend(Contact::ALL.iter().map(|c| c.label().text(lang).to_string()));
    head.push(Msg::MapCoordinates.text(lang).to_string());
    let mut rows = vec![head];
    rows.extend(places.iter().map(|p| {
        let mut r = vec![p.name.clone(), p.address.clone(), p.meters().to_string()];
        r.extend(p.counts.iter().map(|n| n.to_string()));
        r.push(p.at.map(|(lat, lon)| format!("{lat}, {lon}")).unwrap_or_default());
        r
    }));
    rows
}

/// The filters and the count of meters without coordinates, above the map.
#[component]
fn MapFilters(map: MeterMap) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let (object, kind) = (map.object_id, map.resource);
    let without = Msg::MapWithout
        .text(i18n.lang())
        .replace("{n}", &integer(map.without_coordinates() as i64))
        .replace("{m}", &integer(map.meters() as i64));
    let options = map
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=object == Some(id)>{name.clone()}</option> }
        })
        .collect_view();
    let kinds = Resource::ALL
        .iter()
        .map(|r| {
            let r = *r;
            view! { <option value=r.as_str() selected=kind == Some(r)>{move || i18n.t(resource_name(r))}</option> }
        })
        .collect_view();
    let go = navigate.clone();
    let on_object = move |ev: leptos::ev::Event| go(&href(event_target_value(&ev).parse().ok(), kind), Default::default());
    let on_kind = move |ev: leptos::ev::Event| navigate(&href(object, Resource::parse(&event_target_value(&ev))), Default::default());
    view! {
        <div class="toolbar">
            <label>{i18n.tr(Msg::NpObject)} " "
                <select data-testid="map-object" on:change=on_object>
                    <option value="" selected=object.is_none()>{i18n.tr(Msg::NpAllObjects)}</option>
                    {options}
                </select>
            </label>
            <label>{i18n.tr(Msg::NpResource)} " "
                <select data-testid="map-resource" on:change=on_kind>
                    <option value="" selected=kind.is_none()>{i18n.tr(Msg::EvAllResources)}</option>
                    {kinds}
                </select>
            </label>
            <span class="count" data-testid="map-without">{without}</span>
        </div>
    }
}

/// The count of meters in each status, beside the map.
#[component]
fn MapLegend(map: MeterMap) -> impl IntoView {
    let i18n = use_i18n();
    let totals = map.totals();
    let legend = Contact::ALL
        .iter()
        .map(|c| {
            let style = format!("background:{}", c.colour());
            view! {
                <li data-contact=c.key()>
                    <span class="swatch" style=style></span>
                    {i18n.tr(c.label())} ": " <strong>{integer(totals[c.index()] as i64)}</strong>
                </li>
            }
        })
        .collect_view();
    view! { <ul data-testid="map-legend">{legend}</ul> }
}

/// The buildings under the map, and the picked one's meters.
#[component]
fn MapPlaces(map: MeterMap, state: MapState) -> impl IntoView {
    let i18n = use_i18n();
    let kind = map.resource;
    let on_map = map.places.iter().any(|p| p.at.is_some());
    let MapState { canvas, picked, .. } = state;
    let places = StoredValue::new(map.places);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { key: Col::Name, ascending: true });
    let shown = Memo::new(move |_| {
        let q = search.get();
        places.with_value(|p| shown_rows(p, |p| all_words_in(&format!("{} {}", p.name, p.address), &q), sort.get(), compare))
    });
    let total = places.with_value(Vec::len);
    let pick = move |id: i64| {
        picked.set(Some(id));
        #[cfg(feature = "hydrate")]
        draw::focus(canvas, id);
        #[cfg(not(feature = "hydrate"))]
        let _ = canvas;
    };
    let status_heads = Contact::ALL
        .iter()
        .map(|c| view! { <SortTh label=c.label() key=Col::Status(c.index()) sort numeric=true/> })
        .collect_view();
    view! {
        {(!on_map).then(|| view! { <p class="note" data-testid="map-no-places">{i18n.tr(Msg::MapNoPlaces)}</p> })}
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::SearchObjects) aria-label=i18n.tr(Msg::Search)/>
            <span class="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
            <a class="button" download="map.csv" href=move || csv_href(&place_rows(&shown.read(), i18n.lang()))>{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <div class="table-wrap">
            <table class="data map-places" data-testid="map-places">
                <thead>
                    <tr>
                        <SortTh label=Msg::NpObject key=Col::Name sort/>
                        <SortTh label=Msg::Address key=Col::Address sort/>
                        <SortTh label=Msg::MapMeters key=Col::Meters sort numeric=true/>
                        {status_heads}
                        <th>{i18n.tr(Msg::MapCoordinates)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            view! { <tr><td colspan="12" class="empty">{i18n.tr(Msg::NothingFound)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|p| view! { <PlaceLine place=p picked pick/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
        <PickedPanel picked fetch=move |id| map_building_meters(id, kind.map(|r| r.as_str().to_string()).unwrap_or_default()) prompt=Msg::MapPick class="map-building" testid="map-building" show=|building| view! { <BuildingMeters building/> }/>
    }
}

#[component]
fn PlaceLine(place: MapPlace, picked: RwSignal<Option<i64>>, pick: impl Fn(i64) + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let id = place.object_id;
    let counts = place
        .counts
        .iter()
        .map(|n| view! { <td class="num">{(*n > 0).then(|| integer(*n as i64))}</td> })
        .collect_view();
    let at = place.at.map(|(lat, lon)| format!("{lat:.5}, {lon:.5}").replace('.', ","));
    view! {
        <tr data-object=id class:picked=move || picked.get() == Some(id)>
            <td><button type="button" class="link" on:click=move |_| pick(id)>{place.name.clone()}</button></td>
            <td>{place.address.clone()}</td>
            <td class="num">{integer(place.meters() as i64)}</td>
            {counts}
            <td>{match at {
                Some(a) => a.into_any(),
                None => view! { <span class="warn-text">{i18n.tr(Msg::MapNoCoordinates)}</span> }.into_any(),
            }}</td>
        </tr>
    }
}

#[component]
fn BuildingMeters(building: MapBuilding) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let total = building.meters.len();
    let meters = StoredValue::new(building.meters);
    let lang = i18n.lang();
    let hay = move |m: &MapMeter| format!("{} {} {} {} {}", m.premise, m.model, m.serial, resource_name(m.resource).text(lang), m.contact.label().text(lang));
    let shown = Memo::new(move |_| {
        let q = search.get();
        meters.with_value(|v| v.iter().filter(|m| all_words_in(&hay(m), &q)).cloned().collect::<Vec<_>>())
    });
    // a large building's thousand meters: the worst first on screen, all on asking
    let all = RwSignal::new(false);
    let csv = move || {
        let mut rows = vec![[Msg::MapStatus, Msg::ConPremise, Msg::NpResource, Msg::Model, Msg::Serial, Msg::LastContact]
            .iter()
            .map(|m| m.text(lang).to_string())
            .collect::<Vec<_>>()];
        rows.extend(shown.read().iter().map(|m| {
            vec![m.contact.label().text(lang).to_string(), m.premise.clone(), resource_name(m.resource).text(lang).to_string(), m.model.clone(), m.serial.clone(), m.last_contact.clone()]
        }));
        csv_href(&rows)
    };
    view! {
        <h2>{i18n.tr(Msg::MapBuildingMeters)} " — " {building.name.clone()}</h2>
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::NpSearch) aria-label=i18n.tr(Msg::Search)/>
            <span class="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
            <a class="button" download="map-meters.csv" href=csv>{i18n.tr(Msg::ExportCsv)}</a>
            <button type="button" class="button" class:hidden=move || all.get() || shown.read().len() <= FIRST on:click=move |_| all.set(true)>
                {i18n.tr(Msg::ShowAll)}
            </button>
        </div>
        <div class="table-wrap">
            <table class="data" data-testid="map-meters">
                <thead>
                    <tr>
                        <th>{i18n.tr(Msg::MapStatus)}</th>
                        <th>{i18n.tr(Msg::ConPremise)}</th>
                        <th>{i18n.tr(Msg::NpResource)}</th>
                        <th>{i18n.tr(Msg::Model)}</th>
                        <th>{i18n.tr(Msg::Serial)}</th>
                        <th>{i18n.tr(Msg::LastContact)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let n = if all.get() { usize::MAX } else { FIRST };
                        shown
                            .get()
                            .into_iter()
                            .take(n)
                            .map(|m| {
                                let style = format!("background:{}", m.contact.colour());
                                let last = if m.last_contact.is_empty() && m.contact != Contact::ByHand { i18n.t(Msg::MapNever).to_string() } else { m.last_contact.clone() };
                                view! {
                                    <tr data-meter=m.id data-contact=m.contact.key()>
                                        <td><span class="swatch" style=style></span> " " {i18n.tr(m.contact.label())}</td>
                                        <td>{m.premise.clone()}</td>
                                        <td>{move || i18n.t(resource_name(m.resource))}</td>
                                        <td>{m.model.clone()}</td>
                                        <td><a href=format!("/meters/{}", m.id)>{m.serial.clone()}</a></td>
                                        <td>{last}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// The browser's side: `public/map.js` (Leaflet and its clusters, loaded the first time)
/// draws the points; a click on a building picks it here.
#[cfg(feature = "hydrate")]
mod draw {
    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    /// Draws each answer's points into the page's one map element: the first answer makes
    /// the map, a new filter's answer replaces its points (the map and its tiles stay).
    pub fn follow(state: super::MapState, data: Resource<Result<super::MeterMap, crate::errors::AppError>, crate::resource::Json>) {
        let super::MapState { canvas, picked, tiles_failed, script_failed, drawn } = state;
        Effect::new(move |_| {
            let Some(Ok(map)) = data.get() else { return };
            let Some(el) = canvas.get() else { return };
            let el: web_sys::Element = el.into();
            let script = map.script_data().to_string();
            // a building of the last filter may not be in this one
            if picked.get_untracked().is_some_and(|id| !map.places.iter().any(|p| p.object_id == id)) {
                picked.set(None);
            }
            drawn.set(false);
            leptos::task::spawn_local(async move {
                let Some(window) = web_sys::window() else { return };
                let Some(draw) = crate::components::script::global(&window, "uchetMap", "/map.js").await else {
                    script_failed.set(true);
                    return;
                };
                let Ok(parsed) = js_sys::JSON::parse(&script) else { return };
                let on_pick = Closure::<dyn Fn(f64)>::new(move |id: f64| picked.set(Some(id as i64))).into_js_value();
                let on_tiles = Closure::<dyn Fn()>::new(move || tiles_failed.set(true)).into_js_value();
                let args = js_sys::Array::of4(&el, &parsed, &on_pick, &on_tiles);
                // the script answers a promise: Leaflet loads first
                let done = match draw.apply(&JsValue::NULL, &args).map(|p| p.dyn_into::<js_sys::Promise>()) {
                    Ok(Ok(p)) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
                    _ => false,
                };
                if done {
                    drawn.set(true)
                } else {
                    script_failed.set(true)
                }
            });
        });
    }

    /// Brings building `id` into view and opens its label.
    pub fn focus(canvas: NodeRef<leptos::html::Div>, id: i64) {
        let Some(el) = canvas.get_untracked() else { return };
        if let Ok(f) = js_sys::Reflect::get(&el, &JsValue::from_str("uchetFocus")).and_then(|f| f.dyn_into::<js_sys::Function>().map_err(JsValue::from)) {
            let _ = f.call1(&el, &JsValue::from_f64(id as f64));
        }
    }
}
