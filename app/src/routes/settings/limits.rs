//! «Сроки заявок» (EK 4.6 «Сроки»; F35): how long a request of each category may stay at each
//! open stage before the desk marks it overdue. The company's administrator changes them;
//! the rest of the staff read them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::requests::{request_limits, SaveRequestLimits};
use crate::i18n::{category_name, stage_name, use_i18n, Msg};
use crate::models::request::{limit_field, Category, LimitUnit, LimitsView, StageLimits, TIMED_STAGES};
use crate::resource::resource;

#[component]
pub fn LimitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveRequestLimits>::new();
    let stored = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            stored.update(|n| *n += 1);
        }
    });
    let limits = resource(move || stored.get(), |_| request_limits());
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Title text=i18n.tr(Msg::MenuLimits)/>
        <section class="page limits">
            <h1>{i18n.tr(Msg::MenuLimits)}</h1>
            <p class="lead">{i18n.tr(Msg::LimitsLead)}</p>
            <Suspense fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match limits.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => view! { <LimitsForm v save/> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionError value=save.value()/>
            <Show when=saved>
                <p class="ok" role="status" data-testid="limits-saved">{i18n.tr(Msg::LimitsSaved)}</p>
            </Show>
        </section>
    }
}

#[component]
fn LimitsForm(v: LimitsView, save: ServerAction<SaveRequestLimits>) -> impl IntoView {
    let i18n = use_i18n();
    let locked = !v.editable;
    let head = TIMED_STAGES
        .into_iter()
        .map(|s| view! { <th>{move || i18n.t(stage_name(s))}</th> })
        .collect_view();
    let rows = Category::ALL
        .into_iter()
        .map(|c| {
            let cells = TIMED_STAGES
                .into_iter()
                .map(|s| {
                    let field = limit_field(c, s);
                    let (count, unit) = LimitUnit::split(v.limits.minutes(c, s).unwrap_or(0));
                    let units = LimitUnit::ALL
                        .into_iter()
                        .map(|u| view! { <option value=u.as_str() selected=u == unit>{move || i18n.t(unit_word(u))}</option> })
                        .collect_view();
                    view! {
                        <td class="limit-cell" data-label=move || i18n.t(stage_name(s)).to_string()>
                            <input type="number" min="1" max="129600" step="1" name=format!("limits[{field}]") value=count.to_string()
                                prop:value=count.to_string() disabled=locked required data-limit=field.clone()
                                aria-label=move || format!("{} — {}", i18n.t(category_name(c)), i18n.t(stage_name(s)))/>
                            <select name=format!("units[{field}]") disabled=locked data-unit=field.clone()>{units}</select>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr data-category=c.as_str()><th>{move || i18n.t(category_name(c))}</th>{cells}</tr> }
        })
        .collect_view();
    // the defaults as a form of their own: one press puts them back
    let defaults = StageLimits::default()
        .0
        .into_iter()
        .map(|(c, s, m)| {
            let field = limit_field(c, s);
            view! {
                <input type="hidden" name=format!("limits[{field}]") value=m.to_string()/>
                <input type="hidden" name=format!("units[{field}]") value=LimitUnit::Minutes.as_str()/>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=save attr:class="panel limits-form" attr:data-testid="limits-form">
            <div class="table-wrap">
                <table class="data limits-table">
                    <thead><tr><th>{i18n.tr(Msg::ReqCategory)}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {v.editable.then(|| view! {
                <div class="toolbar">
                    <button type="submit" class="button primary" data-testid="limits-save">{i18n.tr(Msg::Save)}</button>
                </div>
            })}
        </ActionForm>
        {v.editable.then(|| view! {
            <ActionForm action=save attr:class="limits-defaults">
                {defaults}
                <button type="submit" class="button" data-testid="limits-defaults">{i18n.tr(Msg::LimitsDefaults)}</button>
            </ActionForm>
        })}
    }
}

fn unit_word(u: LimitUnit) -> Msg {
    match u {
        LimitUnit::Minutes => Msg::UnitMinutes,
        LimitUnit::Hours => Msg::UnitHours,
        LimitUnit::Days => Msg::UnitDays,
    }
}
