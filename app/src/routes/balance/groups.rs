//! «Балансовые группы» (EK 4.6.5–4.6.6): a building's groups of a resource, each meter's
//! part in the chosen one — root, «+», «−», left out — set in one form with the building's
//! allowed imbalance; groups of its own made and deleted. Read-only without the right.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::layout::follow_selected_object;
use crate::components::table::all_words_in;
use crate::functions::balance::{balance_groups, CreateBalanceGroup, DeleteBalanceGroup, SaveBalanceGroup};
use crate::i18n::{use_i18n, Msg};
use crate::models::balance::{GroupMeter, GroupsView, Part};
use crate::resource::{kept, resource};

#[component]
pub fn BalanceGroupsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let asked = Memo::new(move |_| {
        params.with(|m| {
            (
                m.get("object").and_then(|v| v.parse::<i64>().ok()),
                m.get("resource").unwrap_or_default(),
                m.get("group").and_then(|v| v.parse::<i64>().ok()),
            )
        })
    });
    let save = ServerAction::<SaveBalanceGroup>::new();
    let save_kept = kept(*save);
    let delete = ServerAction::<DeleteBalanceGroup>::new();
    let view_of = resource(
        move || (asked.get(), save_kept.get()),
        |((object, r, group), _)| async move {
            match object {
                Some(o) => balance_groups(o, r, group).await,
                None => Err(crate::errors::AppError::NotFound),
            }
        },
    );
    follow_selected_object(|id| format!("/balance/groups?object={id}"));
    view! {
        <Title text=i18n.tr(Msg::BalGroupsTitle)/>
        <section class="page balance-groups">
            <h1>{i18n.tr(Msg::BalGroupsTitle)}</h1>
            <p class="lead">{i18n.tr(Msg::BalGroupsLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match view_of.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => view! {
                            <crate::routes::consumption::ObjectTabs object=Some(v.object_id) resource=Some(v.resource)
                                current=crate::routes::consumption::Tab::Groups/>
                            <Editor v save delete/>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Editor(
    v: GroupsView,
    save: ServerAction<SaveBalanceGroup>,
    delete: ServerAction<DeleteBalanceGroup>,
) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateBalanceGroup>::new();
    let navigate = use_navigate();
    let (object, resource) = (v.object_id, v.resource);
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/balance/groups?object={object}&resource={}&group={id}", resource.as_str()), Default::default());
        }
    });
    let back = use_navigate();
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            back(&format!("/balance/groups?object={object}&resource={}", resource.as_str()), Default::default());
        }
    });
    let objects = v
        .objects
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=*id == v.object_id>{name.clone()}</option> })
        .collect_view();
    let resources = super::resource_options(&v.resources, Some(v.resource));
    let groups = super::group_options(&v.groups, v.group);
    let balance_href = format!(
        "/balance?object={}&resource={}{}",
        v.object_id,
        v.resource.as_str(),
        v.group.map(|g| format!("&group={g}")).unwrap_or_default()
    );
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let editable = v.editable;
    let own_group = v.group.is_none();
    let group_id = v.group;
    view! {
        <Form method="GET" action="/balance/groups" attr:class="filters" attr:data-testid="groups-form">
            <label class="field">
                <span>{i18n.tr(Msg::Building)}</span>
                <select name="object">{objects}</select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::NpResource)}</span>
                <select name="resource" data-testid="groups-resource">{resources}</select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::BalGroup)}</span>
                <select name="group" data-testid="groups-group">{groups}</select>
            </label>
            <button type="submit" class="button primary">{i18n.tr(Msg::EvShow)}</button>
            <a class="button" href=balance_href data-testid="groups-balance-link">{i18n.tr(Msg::MenuBalance)}</a>
        </Form>
        <ActionForm action=save attr:class="panel group-editor" attr:data-testid="group-editor">
            <input type="hidden" name="object" value=v.object_id.to_string()/>
            <input type="hidden" name="resource" value=v.resource.as_str()/>
            {group_id.map(|g| view! { <input type="hidden" name="group" value=g.to_string()/> })}
            <div class="form-grid">
                {(!own_group).then(|| view! {
                    <label>
                        <span>{i18n.tr(Msg::BalGroupName)}</span>
                        <input type="text" name="name" maxlength="100" value=v.group_name.clone() disabled=!editable data-testid="group-name"/>
                    </label>
                })}
                <label>
                    <span>{i18n.tr(Msg::BalNorm)} " — " {v.object_name.clone()}</span>
                    <input type="text" inputmode="decimal" name="norm" value=v.own_norm.clone() placeholder=v.inherited_norm.clone()
                        disabled=!editable data-testid="group-norm"/>
                    <small class="muted">{i18n.tr(Msg::BalNormHint)}</small>
                </label>
            </div>
            <MeterParts meters=v.meters.clone() own_group editable/>
            <ActionError value=save.value()/>
            <Show when=saved>
                <p class="ok" role="status" data-testid="group-saved">{i18n.tr(Msg::BalSaved)}</p>
            </Show>
            {editable.then(|| view! {
                <div class="toolbar">
                    <button type="submit" class="button primary" data-testid="group-save">{i18n.tr(Msg::Save)}</button>
                </div>
            })}
        </ActionForm>
        {(editable && !own_group).then(|| view! {
            <ActionForm action=delete attr:class="inline" attr:data-testid="group-delete-form">
                <input type="hidden" name="id" value=group_id.unwrap_or(0).to_string()/>
                <button type="submit" class="button danger" data-testid="group-delete">{i18n.tr(Msg::BalDeleteGroup)}</button>
                <ActionError value=delete.value()/>
            </ActionForm>
        })}
        {editable.then(|| view! {
            <ActionForm action=create attr:class="panel new-group" attr:data-testid="group-create-form">
                <h2>{i18n.tr(Msg::BalNewGroup)}</h2>
                <input type="hidden" name="object" value=v.object_id.to_string()/>
                <input type="hidden" name="resource" value=v.resource.as_str()/>
                <label>
                    <span>{i18n.tr(Msg::BalGroupName)}</span>
                    <input type="text" name="name" maxlength="100" data-testid="new-group-name"/>
                </label>
                <button type="submit" class="button" data-testid="group-create">{i18n.tr(Msg::BalCreate)}</button>
                <ActionError value=create.value()/>
            </ActionForm>
        })}
    }
}

/// The resource's meters, each with its part in the group: a choice where it may be changed.
#[component]
fn MeterParts(meters: Vec<GroupMeter>, own_group: bool, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let rows = meters
        .into_iter()
        .map(|m| {
            let hay = format!("{} {}", m.serial, m.place);
            let hidden = move || !all_words_in(&hay, search.get().trim());
            let current = m.part;
            let options = Part::ALL
                .iter()
                .map(|p| view! { <option value=p.as_str() selected=current == Some(*p)>{move || i18n.t(p.label())}</option> })
                .collect_view();
            view! {
                <tr class:hidden=hidden data-meter=m.meter_id.to_string()>
                    <td><a href=format!("/meters/{}", m.meter_id)>{m.serial.clone()}</a></td>
                    <td>{m.place.clone()}</td>
                    <td>
                        <select name=format!("parts[m{}]", m.meter_id) disabled=!editable aria-label=i18n.tr(Msg::BalPart)>
                            {(!own_group).then(|| view! { <option value="" selected=current.is_none()>{i18n.tr(Msg::BalNotInGroup)}</option> })}
                            {options}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="toolbar">
            <input type="search" class="search" placeholder=i18n.tr(Msg::Search) aria-label=i18n.tr(Msg::Search)
                on:input=move |ev| search.set(event_target_value(&ev)) data-testid="group-search"/>
        </div>
        <div class="table-wrap">
            <table class="data" data-testid="group-meters">
                <thead>
                    <tr>
                        <th>{i18n.tr(Msg::ColMeter)}</th>
                        <th>{i18n.tr(Msg::ColPlace)}</th>
                        <th>{i18n.tr(Msg::BalPart)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
