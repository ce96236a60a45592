//! What a new request says, whoever files it — the resident in the cabinet or staff at the
//! desk: the specialist needed, the kind of work (its stages' time limits follow it) and
//! what happened.

use leptos::prelude::*;

use crate::i18n::{category_name, specialist_name, use_i18n, Msg};
use crate::models::request::{Category, Specialist};

#[component]
pub fn RequestFields(
    specialist: RwSignal<Specialist>,
    category: RwSignal<Category>,
    message: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let specialists = Specialist::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=move || specialist.get() == s>{move || i18n.t(specialist_name(s))}</option> })
        .collect_view();
    let categories = Category::ALL
        .into_iter()
        .map(|c| view! { <option value=c.as_str() selected=move || category.get() == c>{move || i18n.t(category_name(c))}</option> })
        .collect_view();
    view! {
        <label class="field">
            <span>{i18n.tr(Msg::ReqSpecialist)}</span>
            <select name="specialist" on:change=move |ev| {
                if let Some(s) = Specialist::parse(&event_target_value(&ev)) { specialist.set(s) }
            }>{specialists}</select>
        </label>
        <label class="field">
            <span>{i18n.tr(Msg::ReqCategory)}</span>
            <select name="category" on:change=move |ev| {
                if let Some(c) = Category::parse(&event_target_value(&ev)) { category.set(c) }
            }>{categories}</select>
        </label>
        <label class="field wide">
            <span>{i18n.tr(Msg::ReqMessage)}</span>
            <textarea name="message" rows="4" required prop:value=move || message.get()
                placeholder=i18n.tr(Msg::ReqMessageHint)
                on:input=move |ev| message.set(event_target_value(&ev))></textarea>
        </label>
    }
}
