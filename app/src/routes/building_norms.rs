//! A building's own norms of consumption (issue 27), under its card: empty fields leave the
//! city's or the company's norm in force (shown greyed as the placeholder).

use leptos::prelude::*;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::period::{object_norms, SaveObjectNorms};
use crate::i18n::{resource_name, unit_name, use_i18n, Msg};
use crate::models::period::ObjectNormsView;
use crate::models::Resource;
use crate::resource::resource;

#[component]
pub fn BuildingNorms(object: i64) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveObjectNorms>::new();
    let stored = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            stored.update(|n| *n += 1);
        }
    });
    let norms = resource(move || (object, stored.get()), |(o, _)| object_norms(o));
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match norms.await {
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    Ok(n) => view! {
                        <ActionForm action=save attr:class="panel building-norms" attr:data-testid="building-norms">
                            <Fields n/>
                            <ActionError value=save.value()/>
                            <Show when=saved>
                                <p class="ok" role="status" data-testid="norms-saved">{i18n.tr(Msg::NormsSaved)}</p>
                            </Show>
                        </ActionForm>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Fields(n: ObjectNormsView) -> impl IntoView {
    let i18n = use_i18n();
    let locked = !n.editable;
    let inputs = n
        .values
        .into_iter()
        .map(|(r, own, holding): (Resource, String, String)| {
            let per = if r == Resource::Heat { Msg::NormPerArea } else { Msg::NormPerResident };
            view! {
                <label>
                    <span>{move || i18n.t(resource_name(r))} ", " {move || i18n.t(unit_name(r))} " " {move || i18n.t(per)}</span>
                    <input type="text" inputmode="decimal" name=format!("norms[{}]", r.as_str()) value=own.clone() prop:value=own
                        placeholder=holding disabled=locked data-resource=r.as_str()/>
                </label>
            }
        })
        .collect_view();
    view! {
        <h2>{i18n.tr(Msg::NormsOfBuilding)}</h2>
        <input type="hidden" name="object" value=n.object_id.to_string()/>
        <div class="form-grid">{inputs}</div>
        <p class="muted small">{i18n.tr(Msg::NormsOfBuildingHint)}</p>
        {n.editable.then(|| view! {
            <div class="toolbar">
                <button type="submit" class="button">{i18n.tr(Msg::Save)}</button>
            </div>
        })}
    }
}
