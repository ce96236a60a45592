//! The form of the pages that show a day or a month (objects compared, the consumption
//! registry, consumption by premises): building, resource, a day or a month. A GET form, so
//! the address says what is shown and a link or a reload shows it again.

use leptos::prelude::*;
use leptos_router::components::Form;

use crate::i18n::{resource_name, use_i18n, Msg};
use crate::models::balance::{By, CompareQuery};
use crate::models::Resource;

/// The options of a resource picker, the chosen one selected.
pub fn resource_options(resources: &[Resource], chosen: Option<Resource>) -> impl IntoView {
    let i18n = use_i18n();
    resources
        .iter()
        .copied()
        .map(|r| view! { <option value=r.as_str() selected=Some(r) == chosen>{move || i18n.t(resource_name(r))}</option> })
        .collect_view()
}

/// `objects` empty: no building field; `resources` empty: no resource field. The test ids
/// are `{prefix}-form`, `{prefix}-object`, `{prefix}-resource`, `{prefix}-by`,
/// `{prefix}-day`, `{prefix}-month` and `{prefix}-show`.
#[component]
pub fn DayOrMonthForm(
    action: &'static str,
    query: CompareQuery,
    objects: Vec<(i64, String)>,
    resources: Vec<Resource>,
    prefix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let q = query;
    let id = move |what: &str| format!("{prefix}-{what}");
    let object = (!objects.is_empty()).then(|| {
        let options = objects
            .iter()
            .map(|(id, name)| view! { <option value=id.to_string() selected=Some(*id) == q.object>{name.clone()}</option> })
            .collect_view();
        view! {
            <label class="field">
                <span>{i18n.tr(Msg::Building)}</span>
                <select name="object" data-testid=id("object")>{options}</select>
            </label>
        }
    });
    let resource = (!resources.is_empty()).then(|| {
        let options = resource_options(&resources, q.resource);
        view! {
            <label class="field">
                <span>{i18n.tr(Msg::NpResource)}</span>
                <select name="resource" data-testid=id("resource")>{options}</select>
            </label>
        }
    });
    let day = q.day.clone().unwrap_or_default();
    let month = q.month.clone().unwrap_or_default();
    view! {
        <Form method="GET" action=action attr:class="filters" attr:data-testid=id("form")>
            {object}
            {resource}
            <label class="field">
                <span>{i18n.tr(Msg::RepView)}</span>
                <select name="by" data-testid=id("by")>
                    <option value="day" selected=q.by == By::Day>{i18n.tr(Msg::CmpByDay)}</option>
                    <option value="month" selected=q.by == By::Month>{i18n.tr(Msg::CmpByMonth)}</option>
                </select>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::CmpDay)}</span>
                <input type="date" name="day" value=day.clone() prop:value=day data-testid=id("day")/>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::BalMonth)}</span>
                <input type="month" name="month" value=month.clone() prop:value=month data-testid=id("month")/>
            </label>
            <button type="submit" class="button primary" data-testid=id("show")>{i18n.tr(Msg::EvShow)}</button>
        </Form>
    }
}
