//! «Расчётный период и нормативы» (issue 27): the days of a month whose readings count for it
//! and the norms per resource that stand in for readings missing too long. The company's
//! administrator changes them; the rest of the staff read them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::period::{period_terms, SavePeriodTerms};
use crate::i18n::{resource_name, unit_name, use_i18n, Msg};
use crate::models::period::{norm_field, BillingTerms, NormRow};
use crate::models::Resource;
use crate::resource::resource;

#[component]
pub fn PeriodPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePeriodTerms>::new();
    let stored = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            stored.update(|n| *n += 1);
        }
    });
    let terms = resource(move || stored.get(), |_| period_terms());
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Title text=i18n.tr(Msg::MenuPeriod)/>
        <section class="page">
            <h1>{i18n.tr(Msg::MenuPeriod)}</h1>
            <Suspense fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match terms.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(t) => view! {
                            <ActionForm action=save attr:class="period-form" attr:data-testid="period-form">
                                <Fields t/>
                                <ActionError value=save.value()/>
                                <Show when=saved>
                                    <p class="ok" role="status" data-testid="period-saved">{i18n.tr(Msg::PeriodSaved)}</p>
                                </Show>
                            </ActionForm>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The form's fields: read-only for whoever may not change them.
#[component]
fn Fields(t: BillingTerms) -> impl IntoView {
    let i18n = use_i18n();
    let locked = !t.editable;
    let head = Resource::ALL
        .iter()
        .map(|r| {
            let r = *r;
            let per = if r == Resource::Heat { Msg::NormPerArea } else { Msg::NormPerResident };
            view! { <th>{move || i18n.t(resource_name(r))} ", " {move || i18n.t(unit_name(r))} <br/><span class="muted small">{move || i18n.t(per)}</span></th> }
        })
        .collect_view();
    let rows = t
        .norms
        .iter()
        .cloned()
        .map(|row: NormRow| {
            let city_id = row.city_id;
            let name = if city_id == 0 { i18n.t(Msg::NormsEveryCity).to_string() } else { row.city.clone() };
            let cells = row
                .values
                .into_iter()
                .map(|(r, v)| view! {
                    <td>
                        <input type="text" inputmode="decimal" name=format!("norms[{}]", norm_field(city_id, r)) value=v.clone() prop:value=v
                            disabled=locked data-resource=r.as_str() aria-label=move || format!("{} — {}", name_for(i18n, city_id), i18n.t(resource_name(r)))/>
                    </td>
                })
                .collect_view();
            view! { <tr data-city=city_id.to_string()><th>{name}</th>{cells}</tr> }
        })
        .collect_view();
    let (first, last) = (t.window.first_day.to_string(), t.window.last_day.to_string());
    view! {
        <fieldset class="panel form-grid">
            <legend>{i18n.tr(Msg::PeriodWindowTitle)}</legend>
            <label>
                <span>{i18n.tr(Msg::PeriodWindowFirst)}</span>
                <input type="number" min="1" max="28" name="first_day" value=first.clone() prop:value=first disabled=locked required/>
            </label>
            <label>
                <span>{i18n.tr(Msg::PeriodWindowLast)}</span>
                <input type="number" min="1" max="28" name="last_day" value=last.clone() prop:value=last disabled=locked required/>
            </label>
            <p class="muted small wide">{i18n.tr(Msg::PeriodWindowHint)}</p>
        </fieldset>
        <fieldset class="panel">
            <legend>{i18n.tr(Msg::NormsTitle)}</legend>
            <div class="table-wrap">
                <table class="data norms-table" data-testid="norms">
                    <thead><tr><th>{i18n.tr(Msg::NormsWhere)}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="muted small">{i18n.tr(Msg::NormsHint)} " " {i18n.tr(Msg::NormsCities)}</p>
        </fieldset>
        {t.editable.then(|| view! {
            <div class="toolbar">
                <button type="submit" class="button primary">{i18n.tr(Msg::Save)}</button>
            </div>
        })}
    }
}

/// A norm row's name for a screen reader: the city, or every city.
fn name_for(i18n: crate::i18n::I18n, city_id: i64) -> String {
    if city_id == 0 {
        i18n.t(Msg::NormsEveryCity).to_string()
    } else {
        i18n.t(Msg::NormsCity).to_string()
    }
}
