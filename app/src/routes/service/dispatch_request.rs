//! One request at the desk: who asked, from where, the thread; reply (with a file), give it
//! to a dispatcher or engineer, move it to the next stage, complete or cancel it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::side_menu::BadgesChanged;
use crate::components::thread::{ReplyForm, StageTrack, Thread};
use crate::functions::requests::{assign_request, desk_request, set_request_stage, staff_reply};
use crate::i18n::{stage_name, use_i18n, Msg};
use crate::models::request::{RequestCard, Stage};
use crate::resource::{kept, resource};

#[component]
pub fn DispatchRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)));
    let reply = Action::new(move |(body, file): &(String, Option<i64>)| {
        staff_reply(id.get_untracked(), body.clone(), *file)
    });
    let reply_kept = kept(reply);
    let stage = Action::new(move |s: &Stage| set_request_stage(id.get_untracked(), *s));
    let stage_kept = kept(stage);
    let assign = Action::new(move |a: &Option<i64>| assign_request(id.get_untracked(), *a));
    let assign_kept = kept(assign);
    let card = resource(
        move || (id.get(), reply_kept.get(), stage_kept.get(), assign_kept.get()),
        |(id, ..)| desk_request(id),
    );
    // a request taken into work is no longer new in the menu
    Effect::new(move |_| {
        stage.version().track();
        BadgesChanged::bump();
    });
    view! {
        <Title text=i18n.tr(Msg::MenuDispatch)/>
        <section class="page dispatch-request">
            <p><a href="/service/dispatch">"← " {i18n.tr(Msg::MenuDispatch)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <Card card=c reply stage assign/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionError value=stage.value()/>
            <ActionError value=assign.value()/>
        </section>
    }
}

#[component]
fn Card(
    card: RequestCard,
    reply: Action<(String, Option<i64>), Result<(), crate::errors::AppError>>,
    stage: Action<Stage, Result<(), crate::errors::AppError>>,
    assign: Action<Option<i64>, Result<(), crate::errors::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = card.row.stage;
    let moves: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|s| current.may_become(*s))
        .collect();
    let buttons = moves
        .into_iter()
        .map(|s| {
            let primary = Some(s) == current.next();
            let danger = s == Stage::Cancelled;
            view! {
                <button type="button" class="button" class:primary=primary class:danger=danger
                    data-to=s.as_str() on:click=move |_| { stage.dispatch(s); }>
                    {move || i18n.t(stage_name(s))}
                </button>
            }
        })
        .collect_view();
    let assignee = card.assignee_id;
    let people = card
        .assignees
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=assignee == Some(*id)>{name.clone()}</option> })
        .collect_view();
    let phone = card.phone.clone();
    view! {
        <h1>{i18n.tr(Msg::ReqRequest)} " № " {card.row.number}</h1>
        <p class="muted">
            {card.address.clone()} ", " {i18n.tr(Msg::Flat)} " " {card.row.flat.clone()} " · " {card.row.author.clone()}
            {(!phone.is_empty()).then(|| view! { " · " <a href=format!("tel:{phone}")>{phone.clone()}</a> })}
        </p>
        <StageTrack stage=current/>
        <div class="toolbar stage-moves">
            {buttons}
            <label class="assignee">{i18n.tr(Msg::ReqAssignee)} " "
                <select name="assignee" on:change=move |ev| { assign.dispatch(event_target_value(&ev).parse::<i64>().ok()); }>
                    <option value="" selected=assignee.is_none()>"—"</option>
                    {people}
                </select>
            </label>
        </div>
        <Thread card=card.clone()/>
        {current.is_open().then(|| view! { <ReplyForm send=reply/> })}
    }
}
