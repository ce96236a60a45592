//! «Новая заявка» at the desk (F35; EK 4.5.9: «обращения от сервис-инженеров и от владельцев
//! помещений»): staff take a request themselves — a phone call, a walk-round finding, a
//! visit — for a building or a flat of it, on behalf of the flat's registered resident (who
//! then follows it in the cabinet) or of whoever called, with their name and phone.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::request_fields::RequestFields;
use crate::components::side_menu::BadgesChanged;
use crate::errors::AppError;
use crate::functions::requests::{desk_request_choices, file_desk_request};
use crate::i18n::{channel_name, use_i18n, Msg};
use crate::models::request::{Category, Channel, DeskChoices, DeskDraft, Specialist};
use crate::resource::resource;

/// What is typed, kept above the form: choosing a building draws the form again with that
/// building's flats, and nothing typed is lost.
#[derive(Clone, Copy)]
struct Draft {
    object: RwSignal<Option<i64>>,
    premise: RwSignal<Option<i64>>,
    resident: RwSignal<Option<i64>>,
    applicant: RwSignal<String>,
    phone: RwSignal<String>,
    channel: RwSignal<Channel>,
    specialist: RwSignal<Specialist>,
    category: RwSignal<Category>,
    message: RwSignal<String>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            object: RwSignal::new(None),
            premise: RwSignal::new(None),
            resident: RwSignal::new(None),
            applicant: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            channel: RwSignal::new(Channel::Phone),
            specialist: RwSignal::new(Specialist::Plumber),
            category: RwSignal::new(Category::Repair),
            message: RwSignal::new(String::new()),
        }
    }

    /// The draft as the server takes it, once a building is chosen.
    fn taken(self) -> Option<DeskDraft> {
        Some(DeskDraft {
            object: self.object.get_untracked()?,
            premise: self.premise.get_untracked(),
            resident: self.resident.get_untracked(),
            applicant: self.applicant.get_untracked(),
            phone: self.phone.get_untracked(),
            channel: self.channel.get_untracked(),
            specialist: self.specialist.get_untracked(),
            category: self.category.get_untracked(),
            message: self.message.get_untracked(),
        })
    }
}

#[component]
pub fn DispatchNewPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let draft = Draft::new();
    // the flat is in the key too: its residents are drawn with the form, not inside a select
    let choices = resource(move || (draft.object.get(), draft.premise.get()), |(object, _)| desk_request_choices(object));
    let send = Action::new(move |d: &DeskDraft| file_desk_request(d.clone()));
    Effect::new(move |_| {
        if let Some(Ok(id)) = send.value().get() {
            BadgesChanged::bump();
            navigate(&format!("/service/dispatch/{id}"), Default::default());
        }
    });
    view! {
        <Title text=i18n.tr(Msg::ReqNew)/>
        <section class="page dispatch-new">
            <p><a href="/service/dispatch">"← " {i18n.tr(Msg::MenuDispatch)}</a></p>
            <h1>{i18n.tr(Msg::ReqNew)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <DraftForm c draft send/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The form itself, one element, drawn again whole when the building changes.
#[component]
fn DraftForm(c: DeskChoices, draft: Draft, send: Action<DeskDraft, Result<i64, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let Draft { object, premise, resident, applicant, phone, channel, specialist, category, message } = draft;
    let objects = c
        .objects
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=move || object.get() == Some(id)>{name}</option> })
        .collect_view();
    let premises = c
        .premises
        .into_iter()
        .map(|(id, number)| {
            view! { <option value=id.to_string() selected=move || premise.get() == Some(id)>{i18n.t(Msg::Flat)} " " {number}</option> }
        })
        .collect_view();
    let flat = premise.get_untracked();
    let residents_of_flat = c
        .residents
        .iter()
        .filter(|(p, _, _)| Some(*p) == flat)
        .map(|(_, u, name)| {
            let u = *u;
            view! { <option value=u.to_string() selected=move || resident.get() == Some(u)>{name.clone()}</option> }
        })
        .collect_view();
    let residents = StoredValue::new(c.residents);
    let channels = Channel::BY_STAFF
        .into_iter()
        .map(|ch| view! { <option value=ch.as_str() selected=move || channel.get() == ch>{move || i18n.t(channel_name(ch))}</option> })
        .collect_view();
    view! {
        <form class="panel form-grid" data-testid="desk-draft" on:submit=move |ev| {
            ev.prevent_default();
            if let Some(d) = draft.taken() { send.dispatch(d); }
        }>
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
                    {residents_of_flat}
                </select>
                <small class="muted">{i18n.tr(Msg::ReqResidentHint)}</small>
            </label>
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
            <RequestFields specialist category message/>
            <div class="toolbar">
                <button type="submit" class="button primary" data-testid="desk-request-send" disabled=move || send.pending().get()>
                    {i18n.tr(Msg::ReqTake)}
                </button>
            </div>
            <ActionError value=send.value()/>
        </form>
    }
}
