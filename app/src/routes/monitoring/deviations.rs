//! «Отклонения» (F22, EK 4.2.1, 4.6.7): a building's common meters in service, each with a
//! tile per watched parameter at an archive's newest record of a day — its value against
//! the average of the three days before or a constant, red when outside the band; a tile
//! opens to the rule. Below, the building's rules: every parameter of its common meters,
//! off until a dispatcher switches it on (they come with the tiles: one request, no
//! resource inside another). The filters sit in the address; the tiles search and download
//! as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_location;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::export::csv_href;
use crate::components::layout::follow_selected_object;
use crate::components::table::all_words_in;
use crate::functions::deviation::{deviations, SaveDeviationRules};
use crate::i18n::{parameter_name, resource_name, unit_text, use_i18n, Lang, Msg};
use crate::models::deviation::{Band, Basis, BuildingRules, DeviationPage, MeterTiles, Rule, RuleForm, Tile, AVERAGE_DAYS};
use crate::models::format::decimal;
use crate::resource::resource;

#[component]
pub fn DeviationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let query = Memo::new(move |_| location.search.get().trim_start_matches('?').to_string());
    let save = ServerAction::<SaveDeviationRules>::new();
    // the tiles again after rules are kept (not after a refusal: the form keeps what was typed)
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if save.value().with(|v| matches!(v, Some(Ok(_)))) {
            saved.update(|n| *n += 1);
        }
    });
    // the rules panel stays open as the page below it is drawn again
    let rules_open = RwSignal::new(false);
    let data = resource(move || (query.get(), saved.get()), |(q, _)| deviations(q));
    follow_selected_object(move |id| format!("/monitoring/deviations?object={id}"));
    let can_edit = use_context::<crate::models::views::SessionView>().is_some_and(|s| s.role.allows(crate::models::Permission::EditData));
    view! {
        <Title text=i18n.tr(Msg::MenuDeviations)/>
        <section class="page deviations">
            <h1>{i18n.tr(Msg::MenuDeviations)}</h1>
            <p class="lead">{i18n.tr(Msg::DvLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(d) => {
                            let rules = (can_edit && d.object_id.is_some()).then(|| d.rules.clone());
                            view! {
                                <DeviationTiles page=d/>
                                {rules.map(|rules| view! { <RulesPanel rules save open=rules_open/> })}
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

fn num(d: rust_decimal::Decimal) -> String {
    decimal(d.normalize())
}

/// What a tile's rule says: «среднее за 3 сут. ± 10 %», «95 ± 3 °C».
fn rule_text(r: &Rule, unit: &str, lang: Lang) -> String {
    let unit = unit_text(unit, lang);
    let band = match r.band {
        Band::Percent => format!("{} %", num(r.tolerance)),
        Band::Absolute => format!("{} {unit}", num(r.tolerance)),
    };
    match (r.basis, r.constant) {
        (Basis::Constant, Some(c)) => format!("{} {unit} ± {band}", num(c)),
        _ => format!("{} ± {band}", Msg::DvAverageOf.text(lang).replace("{}", &AVERAGE_DAYS.to_string())),
    }
}

/// A tile's state: broken, within, or not judged (no record, no days before).
fn state(t: &Tile) -> (&'static str, Msg) {
    match &t.verdict {
        None => ("none", Msg::DvNoRecord),
        Some(v) if v.base.is_none() => ("none", Msg::DvNoBasis),
        Some(v) if v.broken => ("broken", Msg::DvBroken),
        Some(_) => ("ok", Msg::DvWithin),
    }
}

fn tile_cells(m: &MeterTiles, t: &Tile, lang: Lang) -> Vec<String> {
    let v = t.verdict.as_ref();
    let unit = unit_text(&t.unit, lang);
    let with_unit = |d: Option<rust_decimal::Decimal>| d.map(|d| format!("{} {unit}", num(d))).unwrap_or_default();
    vec![
        resource_name(m.resource).text(lang).to_string(),
        m.serial.clone(),
        parameter_name(&t.parameter, lang),
        t.at.clone().unwrap_or_default(),
        with_unit(v.map(|v| v.value)),
        rule_text(&t.rule, &t.unit, lang),
        with_unit(v.and_then(|v| v.base)),
        with_unit(v.and_then(|v| v.allowed)),
        v.and_then(|v| v.deviation).map(|d| format!("{}{} {unit}", if d.is_sign_positive() && !d.is_zero() { "+" } else { "" }, num(d))).unwrap_or_default(),
        state(t).1.text(lang).to_string(),
    ]
}

const CSV_HEAD: [Msg; 10] = [
    Msg::NpResource,
    Msg::Serial,
    Msg::DvParameter,
    Msg::DvAt,
    Msg::DvValue,
    Msg::DvRule,
    Msg::DvBase,
    Msg::DvAllowed,
    Msg::DvDeviation,
    Msg::State,
];

#[component]
fn DeviationTiles(page: DeviationPage) -> impl IntoView {
    let i18n = use_i18n();
    let objects = page
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=page.object_id == Some(id)>{name.clone()}</option> }
        })
        .collect_view();
    let archive = page.archive.clone();
    let archives = [("hour", Msg::ArHour), ("day", Msg::ArDay)]
        .into_iter()
        .map(|(a, label)| {
            view! {
                <label class="radio">
                    <input type="radio" name="archive" value=a checked=archive == a data-testid=format!("archive-{a}")/>
                    {move || i18n.t(label)}
                </label>
            }
        })
        .collect_view();
    let broken: usize = page.meters.iter().map(|m| m.tiles.iter().filter(|t| state(t).0 == "broken").count()).sum();
    let any_broken = broken > 0;
    let search = RwSignal::new(String::new());
    let meters = StoredValue::new(page.meters.clone());
    let shown = Memo::new(move |_| {
        let q = search.get();
        let lang = i18n.lang();
        meters.with_value(|ms| {
            ms.iter()
                .filter_map(|m| {
                    let tiles: Vec<Tile> = m.tiles.iter().filter(|t| all_words_in(&tile_cells(m, t, lang).join(" "), &q)).cloned().collect();
                    (!tiles.is_empty()).then(|| MeterTiles { tiles, ..m.clone() })
                })
                .collect::<Vec<_>>()
        })
    });
    let csv = move || {
        let lang = i18n.lang();
        let mut rows = vec![CSV_HEAD.iter().map(|m| m.text(lang).to_string()).collect::<Vec<_>>()];
        for m in shown.read().iter() {
            rows.extend(m.tiles.iter().map(|t| tile_cells(m, t, lang)));
        }
        csv_href(&rows)
    };
    let empty = if page.objects.is_empty() {
        Some(Msg::DvNoBuildings)
    } else if page.rules_on == 0 {
        Some(Msg::DvNoRules)
    } else if page.meters.is_empty() {
        Some(Msg::DvNoMeters)
    } else {
        None
    };
    view! {
        <Form method="GET" action="/monitoring/deviations" attr:class="filters deviation-filters">
            <label>{i18n.tr(Msg::NpObject)}
                <select name="object" data-testid="deviation-object">{objects}</select>
            </label>
            <fieldset class="radios">
                <legend>{i18n.tr(Msg::ArArchive)}</legend>
                {archives}
            </fieldset>
            <label>{i18n.tr(Msg::Date)} <input type="date" name="day" value=page.day.clone() data-testid="deviation-day"/></label>
            <button type="submit" class="button primary" data-testid="show">{i18n.tr(Msg::EvShow)}</button>
        </Form>
        {match empty {
            Some(m) => view! { <p class="muted" data-testid="deviations-empty">{i18n.tr(m)}</p> }.into_any(),
            None => view! {
                <div class="toolbar">
                    <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::DvSearch) aria-label=i18n.tr(Msg::Search)/>
                    <span class="count" data-testid="deviations-broken" class:alarm=any_broken>
                        {move || format!("{}: {broken}", i18n.t(Msg::DvBrokenCount))}
                    </span>
                    <a class="button" download="отклонения.csv" href=csv data-testid="deviations-csv">{i18n.tr(Msg::ExportCsv)}</a>
                </div>
                <div class="deviation-meters" data-testid="deviation-meters">
                    <For each=move || shown.get() key=|m| (m.meter_id, m.tiles.len()) let:m>
                        <MeterRow m/>
                    </For>
                </div>
            }
            .into_any(),
        }}
    }
}

#[component]
fn MeterRow(m: MeterTiles) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let tiles = m
        .tiles
        .iter()
        .map(|t| {
            let (class, label) = state(t);
            let c = tile_cells(&m, t, lang);
            view! {
                <details class=format!("deviation-tile {class}") data-parameter=t.parameter.clone() data-state=class>
                    <summary>
                        <span class="tile-name">{c[2].clone()}</span>
                        <strong class="tile-value">{if c[4].is_empty() { "—".to_string() } else { c[4].clone() }}</strong>
                        <span class="tile-state">{i18n.tr(label)}</span>
                    </summary>
                    <dl>
                        <dt>{i18n.tr(Msg::DvAt)}</dt><dd>{c[3].clone()}</dd>
                        <dt>{i18n.tr(Msg::DvRule)}</dt><dd>{c[5].clone()}</dd>
                        <dt>{i18n.tr(Msg::DvBase)}</dt><dd>{c[6].clone()}</dd>
                        <dt>{i18n.tr(Msg::DvAllowed)}</dt><dd>{c[7].clone()}</dd>
                        <dt>{i18n.tr(Msg::DvDeviation)}</dt><dd data-testid="tile-deviation">{c[8].clone()}</dd>
                    </dl>
                </details>
            }
        })
        .collect_view();
    let (serial, href) = (m.serial.clone(), format!("/meters/{}", m.meter_id));
    view! {
        <div class="deviation-meter" data-meter=m.serial.clone()>
            <div class="deviation-meter-name">
                <span class="muted">{resource_name(m.resource).text(lang).to_string()}</span>
                <A href=href>{serial}</A>
            </div>
            <div class="deviation-tiles">{tiles}</div>
        </div>
    }
}

/// One parameter's row of the rules form, as typed.
#[derive(Clone, Copy)]
struct RowSignals {
    enabled: RwSignal<bool>,
    basis: RwSignal<String>,
    constant: RwSignal<String>,
    band: RwSignal<String>,
    tolerance: RwSignal<String>,
}

#[component]
fn RulesPanel(rules: BuildingRules, save: ServerAction<SaveDeviationRules>, open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="panel deviation-rules" data-testid="deviation-rules" open=open.get_untracked()
            on:toggle=move |ev| open.set(event_target::<leptos::web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{i18n.tr(Msg::DvRules)}</summary>
            <RulesForm rules save/>
        </details>
    }
}

#[component]
fn RulesForm(rules: BuildingRules, save: ServerAction<SaveDeviationRules>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    if rules.parameters.is_empty() {
        return view! { <p class="muted">{i18n.tr(Msg::DvNoMeters)}</p> }.into_any();
    }
    let object = rules.object_id;
    let rows: Vec<(String, String, crate::models::Resource, RowSignals)> = rules
        .parameters
        .iter()
        .map(|(p, unit, resource)| {
            let r = rules.rules.iter().find(|r| r.parameter == *p).cloned().unwrap_or_else(|| Rule::off(p));
            let s = RowSignals {
                enabled: RwSignal::new(r.enabled),
                basis: RwSignal::new(r.basis.as_str().to_string()),
                constant: RwSignal::new(r.constant.map(num).unwrap_or_default()),
                band: RwSignal::new(r.band.as_str().to_string()),
                tolerance: RwSignal::new(num(r.tolerance)),
            };
            (p.clone(), unit.clone(), *resource, s)
        })
        .collect();
    let all = StoredValue::new(rows.iter().map(|(p, _, _, s)| (p.clone(), *s)).collect::<Vec<_>>());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let rules = all.with_value(|rows| {
            rows.iter()
                .map(|(p, s)| RuleForm {
                    parameter: p.clone(),
                    enabled: s.enabled.get_untracked(),
                    basis: s.basis.get_untracked(),
                    constant: s.constant.get_untracked(),
                    band: s.band.get_untracked(),
                    tolerance: s.tolerance.get_untracked(),
                })
                .collect()
        });
        save.dispatch(SaveDeviationRules { object, rules });
    };
    let body = rows
        .into_iter()
        .map(|(p, unit, resource, s)| {
            let unit_shown = unit_text(&unit, lang);
            view! {
                <tr data-parameter=p.clone()>
                    <td><label class="check"><input type="checkbox" data-testid="rule-on" bind:checked=s.enabled/> " " {parameter_name(&p, lang)}</label></td>
                    <td class="muted">{resource_name(resource).text(lang).to_string()} ", " {unit_shown.clone()}</td>
                    <td>
                        <select data-testid="rule-basis" prop:value=move || s.basis.get() on:change=move |ev| s.basis.set(event_target_value(&ev))>
                            {Basis::ALL.iter().map(|b| view! { <option value=b.as_str() selected=s.basis.get_untracked() == b.as_str()>{move || i18n.t(b.label())}</option> }).collect_view()}
                        </select>
                    </td>
                    <td><input type="text" inputmode="decimal" class="number" data-testid="rule-constant" bind:value=s.constant
                        disabled=move || s.basis.get() != Basis::Constant.as_str()/></td>
                    <td><input type="text" inputmode="decimal" class="number" data-testid="rule-tolerance" bind:value=s.tolerance/></td>
                    <td>
                        <select data-testid="rule-band" prop:value=move || s.band.get() on:change=move |ev| s.band.set(event_target_value(&ev))>
                            <option value=Band::Percent.as_str() selected=s.band.get_untracked() == Band::Percent.as_str()>"%"</option>
                            <option value=Band::Absolute.as_str() selected=s.band.get_untracked() == Band::Absolute.as_str()>{unit_shown}</option>
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form class="deviation-rules-form" data-testid="rules-form" on:submit=send>
            <p class="muted">{i18n.tr(Msg::DvRulesHint)}</p>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th>{i18n.tr(Msg::DvParameter)}</th>
                        <th>{i18n.tr(Msg::NpResource)}</th>
                        <th>{i18n.tr(Msg::DvBasis)}</th>
                        <th>{i18n.tr(Msg::DvConstantValue)}</th>
                        <th>{i18n.tr(Msg::DvTolerance)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <button type="submit" class="button primary" data-testid="rules-save" disabled=move || save.pending().get()>{i18n.tr(Msg::DvSave)}</button>
            <ActionError value=save.value()/>
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p class="ok" role="status" data-testid="rules-saved">{i18n.tr(Msg::DvSaved)}</p> })}
        </form>
    }
    .into_any()
}
