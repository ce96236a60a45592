//! «Новая заявка» at the desk (F35; EK 4.5.9: «обращения от сервис-инженеров и от владельцев
//! помещений»): staff take a request themselves — a phone call, a walk-round finding, a
//! visit — for a building or a flat of it, on behalf of the flat's registered resident (who
//! then follows it in the cabinet) or of whoever called, with their name and phone.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::side_menu::BadgesChanged;
use crate::functions::requests::{desk_request_choices, file_desk_request};
use crate::i18n::{category_name, channel_name, specialist_name, use_i18n, Msg};
use crate::models::request::{Category, Channel, DeskDraft, Specialist};
use crate::resource::resource;

#[component]
pub fn DispatchNewPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let object: RwSignal<Option<i64>> = RwSignal::new(None);
    let premise: RwSignal<Option<i64>> = RwSignal::new(None);
    let resident: RwSignal<Option<i64>> = RwSignal::new(None);
    let applicant = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let channel = RwSignal::new(Channel::Phone);
    let specialist = RwSignal::new(Specialist::Plumber);
    let category = RwSignal::new(Category::Repair);
    let message = RwSignal::new(String::new());
    let choices = resource(move || object.get(), desk_request_choices);
    let send = Action::new(move |d: &DeskDraft| file_desk_request(d.clone()));
    Effect::new(move |_| {
        if let Some(Ok(id)) = send.value().get() {
            BadgesChanged::bump();
            navigate(&format!("/service/dispatch/{id}"), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(object) = object.get_untracked() else { return };
        send.dispatch(DeskDraft {
            object,
            premise: premise.get_untracked(),
            resident: resident.get_untracked(),
            applicant: applicant.get_untracked(),
            phone: phone.get_untracked(),
            channel: channel.get_untracked(),
            specialist: specialist.get_untracked(),
            category: category.get_untracked(),
            message: message.get_untracked(),
        });
    };
    let channels = Channel::BY_STAFF
        .into_iter()
        .map(|c| view! { <option value=c.as_str() selected=move || channel.get() == c>{move || i18n.t(channel_name(c))}</option> })
        .collect_view();
    let specialists = Specialist::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=move || specialist.get() == s>{move || i18n.t(specialist_name(s))}</option> })
        .collect_view();
    let categories = Category::ALL
        .into_iter()
        .map(|c| view! { <option value=c.as_str() selected=move || category.get() == c>{move || i18n.t(category_name(c))}</option> })
        .collect_view();
    view! {
        <Title text=i18n.tr(Msg::ReqNew)/>
        <section class="page dispatch-new">
            <p><a href="/service/dispatch">"← " {i18n.tr(Msg::MenuDispatch)}</a></p>
            <h1>{i18n.tr(Msg::ReqNew)}</h1>
            <form class="panel form-grid" on:submit=submit>
                <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match choices.await {
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                            Ok(c) => {
                                let objects = c.objects.into_iter().map(|(id, name)| {
                                    view! { <option value=id.to_string() selected=move || object.get() == Some(id)>{name}</option> }
                                }).collect_view();
                                let premises = c.premises.into_iter().map(|(id, number)| {
                                    view! { <option value=id.to_string() selected=move || premise.get() == Some(id)>{i18n.t(Msg::Flat)} " " {number}</option> }
                                }).collect_view();
                                let residents = StoredValue::new(c.residents);
                                view! {
                                    <label class="field">
                                        <span>{i18n.tr(Msg::NpObject)}</span>
                                        <select name="object" required on:change=move |ev| {
                                            object.set(event_target_value(&ev).parse().ok());
                                            premise.set(None);
                                            resident.set(None);
                                        }>
                                            <option value="" selected=move || object.get().is_none()>"—"</option>
                                            {objects}
                                        </select>
                                    </label>
                                    <label class="field">
                                        <span>{i18n.tr(Msg::ReqPremise)}</span>
                                        <select name="premise" disabled=move || object.get().is_none() on:change=move |ev| {
                                            premise.set(event_target_value(&ev).parse().ok());
                                            resident.set(None);
                                        }>
                                            <option value="" selected=move || premise.get().is_none()>{i18n.tr(Msg::ReqWholeBuilding)}</option>
                                            {premises}
                                        </select>
                                    </label>
                                    <label class="field">
                                        <span>{i18n.tr(Msg::ReqResident)}</span>
                                        <select name="resident" disabled=move || premise.get().is_none() on:change=move |ev| {
                                            let chosen: Option<i64> = event_target_value(&ev).parse().ok();
                                            resident.set(chosen);
                                            let name = residents.with_value(|r| r.iter().find(|(_, u, _)| Some(*u) == chosen).map(|(_, _, n)| n.clone()));
                                            if let Some(name) = name {
                                                if applicant.get_untracked().trim().is_empty() { applicant.set(name) }
                                            }
                                        }>
                                            <option value="" selected=move || resident.get().is_none()>{i18n.tr(Msg::ReqNoResident)}</option>
                                            {move || residents.with_value(|r| r.iter()
                                                .filter(|(p, _, _)| Some(*p) == premise.get())
                                                .map(|(_, u, name)| {
                                                    let u = *u;
                                                    view! { <option value=u.to_string() selected=move || resident.get() == Some(u)>{name.clone()}</option> }
                                                })
                                                .collect_view())}
                                        </select>
                                        <small class="muted">{i18n.tr(Msg::ReqResidentHint)}</small>
                                    </label>
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
                <label class="field">
                    <span>{i18n.tr(Msg::ReqAuthor)}</span>
                    <input name="applicant" maxlength="200" placeholder=i18n.tr(Msg::ReqApplicantHint)
                        prop:value=move || applicant.get() on:input=move |ev| applicant.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{i18n.tr(Msg::ReqPhone)}</span>
                    <input name="phone" type="tel" maxlength="40" inputmode="tel" placeholder="+7 900 000-00-00"
                        prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{i18n.tr(Msg::ReqChannel)}</span>
                    <select name="channel" on:change=move |ev| {
                        if let Some(c) = Channel::parse(&event_target_value(&ev)) { channel.set(c) }
                    }>{channels}</select>
                </label>
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
                <div class="toolbar">
                    <button type="submit" class="button primary" data-testid="desk-request-send" disabled=move || send.pending().get()>
                        {i18n.tr(Msg::ReqTake)}
                    </button>
                </div>
                <ActionError value=send.value()/>
            </form>
        </section>
    }
}
