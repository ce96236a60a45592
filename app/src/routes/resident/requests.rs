//! «Вызов мастера» in the cabinet (F35, F44): call a technician to one of my premises — who
//! is needed, what happened, a photo — and follow my requests: stage and answers.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::components::attach::AttachInput;
use crate::components::request_fields::RequestFields;
use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::side_menu::BadgesChanged;
use crate::components::thread::{ReplyForm, StageTrack, Thread};
use crate::functions::cabinet::my_cabinet;
use crate::functions::requests::{
    cancel_my_request, file_request, my_request, my_requests, reply_my_request,
};
use crate::i18n::{specialist_name, stage_name, use_i18n, Msg};
use crate::models::request::{AttachmentRef, Category, RequestRow, Specialist, Stage};
use crate::resource::{kept, resource};

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = resource(|| (), |_| my_requests());
    view! {
        <Title text=i18n.tr(Msg::MenuRequests)/>
        <section class="page my-requests">
            <h1>{i18n.tr(Msg::MenuRequests)}</h1>
            <NewRequest on_filed=move || list.refetch()/>
            <h2>{i18n.tr(Msg::ReqMine)}</h2>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">{i18n.tr(Msg::ReqNoneYet)}</p> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="request-list">
                                {rows.into_iter().map(|r| view! { <RequestItem row=r/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RequestItem(row: RequestRow) -> impl IntoView {
    let i18n = use_i18n();
    let (stage, specialist) = (row.stage, row.specialist);
    view! {
        <li class="request-item" class:unread=row.unread data-request=row.id.to_string()>
            <a href=format!("/my/requests/{}", row.id)>
                <span class="number">"№ " {row.number}</span>
                <span class=format!("stage stage-{}", stage.as_str())>{move || i18n.t(stage_name(stage))}</span>
                <span>{move || i18n.t(specialist_name(specialist))}</span>
                <span class="muted small">{row.created.clone()} " · " {row.place(i18n.t(Msg::Flat))}</span>
                <span class="excerpt">{row.excerpt.clone()}</span>
                {row.unread.then(|| view! { <span class="badge">{i18n.tr(Msg::ReqNewAnswer)}</span> })}
            </a>
        </li>
    }
}

/// The form of a new request: which premise, who is needed, what happened, a photo.
#[component]
fn NewRequest<F>(on_filed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let navigate = use_navigate();
    let q = use_query_map();
    let chosen = q.with_untracked(|q| q.get("premise").and_then(|v| v.parse::<i64>().ok()));
    let cabinet = resource(|| (), |_| my_cabinet());
    let premise: RwSignal<Option<i64>> = RwSignal::new(chosen);
    let specialist = RwSignal::new(Specialist::Plumber);
    let category = RwSignal::new(Category::Repair);
    let text = RwSignal::new(String::new());
    let file: RwSignal<Option<AttachmentRef>> = RwSignal::new(None);
    let send = Action::new(move |(p, s, t, a, c): &(i64, Specialist, String, Option<i64>, Category)| {
        file_request(*p, *s, t.clone(), *a, Some(*c))
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = send.value().get() {
            text.set(String::new());
            file.set(None);
            on_filed();
            navigate(&format!("/my/requests/{id}"), Default::default());
        }
    });
    view! {
        <details class="panel new-request" open=chosen.is_some()>
            <summary>{i18n.tr(Msg::ReqNew)}</summary>
            <form on:submit=move |ev| {
                ev.prevent_default();
                let Some(p) = premise.get_untracked() else { return };
                send.dispatch((p, specialist.get_untracked(), text.get_untracked(), file.get_untracked().map(|a| a.id), category.get_untracked()));
            }>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let premises = cabinet.await.map(|c| c.premises).unwrap_or_default();
                        if premise.get_untracked().is_none() {
                            premise.set(premises.first().map(|p| p.id));
                        }
                        let options = premises
                            .into_iter()
                            .map(|p| {
                                let id = p.id;
                                view! { <option value=id.to_string() selected=move || premise.get() == Some(id)>{format!("{}, {} {}", p.address, i18n.t(Msg::Flat), p.number)}</option> }
                            })
                            .collect_view();
                        view! {
                            <label class="field">
                                <span>{i18n.tr(Msg::ReqPremise)}</span>
                                <select name="premise" on:change=move |ev| premise.set(event_target_value(&ev).parse().ok())>{options}</select>
                            </label>
                        }
                    })}
                </Suspense>
                <RequestFields specialist category message=text/>
                <div class="toolbar">
                    <AttachInput file/>
                    <button type="submit" class="button primary" data-testid="request-send" disabled=move || send.pending().get()>
                        {i18n.tr(Msg::ReqFile)}
                    </button>
                </div>
                <ActionError value=send.value()/>
            </form>
        </details>
    }
}

#[component]
pub fn MyRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)));
    let reply = Action::new(move |(body, file): &(String, Option<i64>)| {
        reply_my_request(id.get_untracked(), body.clone(), *file)
    });
    let reply_kept = kept(reply);
    let cancel = Action::new(move |_: &()| cancel_my_request(id.get_untracked()));
    let cancel_kept = kept(cancel);
    let card = resource(
        move || (id.get(), reply_kept.get(), cancel_kept.get()),
        |(id, _, _)| my_request(id),
    );
    // opening it read the answers: the menu's count goes down
    Effect::new(move |_| {
        if card.get().is_some() {
            BadgesChanged::bump();
        }
    });
    view! {
        <Title text=i18n.tr(Msg::MenuRequests)/>
        <section class="page my-request">
            <p><a href="/my/requests">"← " {i18n.tr(Msg::ReqMine)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => {
                            let stage = c.row.stage;
                            let may_cancel = matches!(stage, Stage::Registration | Stage::Qualification);
                            view! {
                                <h1>{i18n.tr(Msg::ReqRequest)} " № " {c.row.number}</h1>
                                <p class="muted">{c.address.clone()} {(!c.row.flat.is_empty()).then(|| format!(", {} {}", i18n.t(Msg::Flat), c.row.flat))}</p>
                                <StageTrack stage/>
                                <Thread card=c.clone()/>
                                {stage.is_open().then(|| view! { <ReplyForm send=reply/> })}
                                {may_cancel.then(|| view! {
                                    <button type="button" class="button danger" data-testid="cancel-request"
                                        on:click=move |_| { cancel.dispatch(()); }>
                                        {i18n.tr(Msg::ReqCancel)}
                                    </button>
                                })}
                                <ActionError value=cancel.value()/>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
