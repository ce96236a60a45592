//! One request at the desk: who asked, from where and how, the thread; reply (with a file),
//! give it to a dispatcher or engineer, set its category, move it to the next stage, complete
//! or cancel it; gather the building's requests under it as one group request.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::side_menu::BadgesChanged;
use crate::components::thread::{ReplyForm, StageTrack, Thread};
use crate::errors::AppError;
use crate::functions::requests::{
    assign_request, attach_requests, desk_request, detach_request, set_request_category, set_request_stage,
    staff_reply,
};
use crate::i18n::{category_name, channel_name, stage_name, use_i18n, Msg};
use crate::models::request::{Category, Channel, Grouping, RequestCard, RequestRow, Stage};
use crate::resource::{kept, resource};

/// What the card can do, each a server call whose success reloads it.
#[derive(Clone, Copy)]
struct Moves {
    reply: Action<(String, Option<i64>), Result<(), AppError>>,
    stage: Action<Stage, Result<(), AppError>>,
    assign: Action<Option<i64>, Result<(), AppError>>,
    category: Action<Category, Result<(), AppError>>,
    attach: Action<Vec<i64>, Result<(), AppError>>,
    detach: Action<i64, Result<(), AppError>>,
}

#[component]
pub fn DispatchRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)));
    let moves = Moves {
        reply: Action::new(move |(body, file): &(String, Option<i64>)| staff_reply(id.get_untracked(), body.clone(), *file)),
        stage: Action::new(move |s: &Stage| set_request_stage(id.get_untracked(), *s)),
        assign: Action::new(move |a: &Option<i64>| assign_request(id.get_untracked(), *a)),
        category: Action::new(move |c: &Category| set_request_category(id.get_untracked(), *c)),
        attach: Action::new(move |ids: &Vec<i64>| attach_requests(id.get_untracked(), ids.clone())),
        detach: Action::new(move |member: &i64| detach_request(*member)),
    };
    let kept_all = [
        kept(moves.reply),
        kept(moves.stage),
        kept(moves.assign),
        kept(moves.category),
        kept(moves.attach),
        kept(moves.detach),
    ];
    let card = resource(
        move || (id.get(), kept_all.map(|k| k.get())),
        |(id, _)| desk_request(id),
    );
    // a request taken into work is no longer new in the menu
    Effect::new(move |_| {
        moves.stage.version().track();
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
                        Ok(c) => view! { <Card card=c moves/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionError value=moves.stage.value()/>
            <ActionError value=moves.assign.value()/>
            <ActionError value=moves.category.value()/>
            <ActionError value=moves.detach.value()/>
        </section>
    }
}

#[component]
fn Card(card: RequestCard, moves: Moves) -> impl IntoView {
    let i18n = use_i18n();
    let current = card.row.stage;
    let buttons = Stage::ALL
        .into_iter()
        .filter(|s| current.may_become(*s))
        .map(|s| {
            let primary = Some(s) == current.next();
            let danger = s == Stage::Cancelled;
            view! {
                <button type="button" class="button" class:primary=primary class:danger=danger
                    data-to=s.as_str() on:click=move |_| { moves.stage.dispatch(s); }>
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
    let category = card.row.category;
    let categories = Category::ALL
        .into_iter()
        .map(|c| view! { <option value=c.as_str() selected=category == c>{move || i18n.t(category_name(c))}</option> })
        .collect_view();
    let phone = card.phone.clone();
    let channel = card.row.channel;
    let taken = (channel != Channel::Cabinet).then(|| {
        view! {
            <p class="muted small" data-testid="taken">
                {move || i18n.t(channel_name(channel))} " · " {i18n.tr(Msg::ReqFiledBy)} ": " {card.filed_by.clone()}
            </p>
        }
    });
    let flat = (!card.row.flat.is_empty()).then(|| format!(", {} {}", i18n.t(Msg::Flat), card.row.flat));
    let due = card.row.due.clone().map(|d| {
        let overdue = card.row.overdue;
        view! {
            <p class="due" class:overdue=overdue data-testid="due">
                {i18n.tr(Msg::ReqDue)} ": " {d}
                {overdue.then(|| view! { " · " <strong>{i18n.tr(Msg::ReqOverdue)}</strong> })}
            </p>
        }
    });
    view! {
        <h1>{i18n.tr(Msg::ReqRequest)} " № " {card.row.number}</h1>
        <p class="muted">
            {card.address.clone()} {flat} " · " {card.row.author.clone()}
            {(!phone.is_empty()).then(|| view! { " · " <a href=format!("tel:{phone}")>{phone.clone()}</a> })}
        </p>
        {taken}
        <StageTrack stage=current/>
        {due}
        <div class="toolbar stage-moves">
            {buttons}
            <label class="assignee">{i18n.tr(Msg::ReqAssignee)} " "
                <select name="assignee" on:change=move |ev| { moves.assign.dispatch(event_target_value(&ev).parse::<i64>().ok()); }>
                    <option value="" selected=assignee.is_none()>"—"</option>
                    {people}
                </select>
            </label>
            <label class="category">{i18n.tr(Msg::ReqCategory)} " "
                <select name="category" on:change=move |ev| {
                    if let Some(c) = Category::parse(&event_target_value(&ev)) { moves.category.dispatch(c); }
                }>{categories}</select>
            </label>
        </div>
        // a closed request with nothing attached has no group to show
        {(current.is_open() || card.row.grouping != Grouping::Alone).then(|| view! { <Group card=card.clone() moves/> })}
        <Thread card=card.clone()/>
        {current.is_open().then(|| view! { <ReplyForm send=moves.reply/> })}
    }
}

/// The request's group: the group it is attached to, or the requests attached to it and the
/// building's open ones that may join.
#[component]
fn Group(card: RequestCard, moves: Moves) -> impl IntoView {
    let i18n = use_i18n();
    if let Grouping::Member { id, number } = card.row.grouping {
        let me = card.row.id;
        return view! {
            <p class="group-of" data-testid="member-of">
                {i18n.tr(Msg::ReqMemberOf)} " " <a href=format!("/service/dispatch/{id}")>"№ " {number}</a> " "
                <button type="button" class="button small" on:click=move |_| { moves.detach.dispatch(me); }>{i18n.tr(Msg::ReqDetach)}</button>
            </p>
        }
        .into_any();
    }
    let chosen: RwSignal<Vec<i64>> = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        if let Some(Ok(())) = moves.attach.value().get() {
            chosen.set(Vec::new());
        }
    });
    let members = card
        .members
        .into_iter()
        .map(|r| {
            let member = r.id;
            view! {
                <li data-member=member.to_string()>
                    <MemberLine row=r/>
                    " " <button type="button" class="button small" on:click=move |_| { moves.detach.dispatch(member); }>{i18n.tr(Msg::ReqDetach)}</button>
                </li>
            }
        })
        .collect_view();
    let has_members = card.row.grouping != Grouping::Alone;
    let candidates = card.candidates;
    let none_to_attach = candidates.is_empty();
    let candidate_lines = candidates
        .into_iter()
        .map(|r| {
            let rid = r.id;
            view! {
                <li>
                    <label class="check">
                        <input type="checkbox" data-candidate=rid.to_string()
                            prop:checked=move || chosen.with(|c| c.contains(&rid))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { c.retain(|x| *x != rid); if on { c.push(rid); } });
                            }/>
                        " " <MemberLine row=r/>
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="panel request-group" open=has_members data-testid="group">
            <summary>
                {i18n.tr(Msg::ReqGroup)}
                {has_members.then(|| view! { ": " {i18n.tr(Msg::ReqGroupSize)} " " {card_count(&card.row)} })}
            </summary>
            <p class="muted small">{i18n.tr(Msg::ReqGroupHint)}</p>
            {has_members.then(|| view! {
                <h3>{i18n.tr(Msg::ReqAttached)}</h3>
                <ul class="members">{members}</ul>
            })}
            {card.row.stage.is_open().then(|| view! {
                <h3>{i18n.tr(Msg::ReqCandidates)}</h3>
                {if none_to_attach {
                    view! { <p class="empty">{i18n.tr(Msg::ReqNoCandidates)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="candidates">{candidate_lines}</ul>
                        <button type="button" class="button primary" data-testid="attach-requests"
                            disabled=move || chosen.with(|c| c.is_empty()) || moves.attach.pending().get()
                            on:click=move |_| { moves.attach.dispatch(chosen.get_untracked()); }>
                            {i18n.tr(Msg::ReqAttach)}
                        </button>
                    }.into_any()
                }}
                <ActionError value=moves.attach.value()/>
            })}
        </details>
    }
    .into_any()
}

fn card_count(row: &RequestRow) -> usize {
    match row.grouping {
        Grouping::Group(n) => n,
        _ => 0,
    }
}

/// A request in a group's lists: its number (a link), place, applicant and stage.
#[component]
fn MemberLine(row: RequestRow) -> impl IntoView {
    let i18n = use_i18n();
    let stage = row.stage;
    view! {
        <a href=format!("/service/dispatch/{}", row.id)>"№ " {row.number}</a>
        " · " {row.place(i18n.t(Msg::Flat))} " · " {row.author.clone()} " · "
        <span class=format!("stage stage-{}", stage.as_str())>{move || i18n.t(stage_name(stage))}</span>
        " · " <span class="muted">{row.excerpt.clone()}</span>
    }
}
