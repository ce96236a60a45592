//! A request's thread as both sides read it — the resident in the cabinet, staff at the
//! desk — and the one reply form with its attachment.

use leptos::prelude::*;

use super::attach::{AttachInput, AttachmentLink};
use super::error_view::ActionError;
use crate::errors::AppError;
use crate::i18n::{specialist_name, stage_name, use_i18n, Msg};
use crate::models::request::{AttachmentRef, RequestCard, Stage, ThreadEvent};

/// The stages in order, with the one reached marked (registration → … → completion).
#[component]
pub fn StageTrack(stage: Stage) -> impl IntoView {
    let i18n = use_i18n();
    let way = [
        Stage::Registration,
        Stage::Qualification,
        Stage::Execution,
        Stage::Completion,
    ];
    let reached = way.iter().position(|s| *s == stage);
    view! {
        <ol class="stage-track" data-stage=stage.as_str()>
            {way
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let class = match reached {
                        Some(r) if i < r => "done",
                        Some(r) if i == r => "current",
                        _ => "",
                    };
                    view! { <li class=class>{move || i18n.t(stage_name(s))}</li> }
                })
                .collect_view()}
            {(stage == Stage::Cancelled).then(|| view! { <li class="current cancelled">{i18n.tr(Msg::StageCancelled)}</li> })}
        </ol>
    }
}

/// The request's own text and every item of its thread, oldest first.
#[component]
pub fn Thread(card: RequestCard) -> impl IntoView {
    let i18n = use_i18n();
    let first = card.row.clone();
    let items = card
        .thread
        .into_iter()
        .map(|t| {
            let what = match t.event.clone() {
                ThreadEvent::Message => None,
                ThreadEvent::Stage(s) => Some(format!("{}: {}", i18n.t(Msg::ReqStageChanged), i18n.t(stage_name(s)))),
                ThreadEvent::Assigned(name) if name.is_empty() => Some(i18n.t(Msg::ReqUnassigned).to_string()),
                ThreadEvent::Assigned(name) => Some(format!("{}: {name}", i18n.t(Msg::ReqAssignedTo))),
                ThreadEvent::Joined(n) => Some(format!("{} № {n}", i18n.t(Msg::ReqJoined))),
                ThreadEvent::Left(n) => Some(format!("{} № {n}", i18n.t(Msg::ReqLeft))),
            };
            let class = match (&t.event, t.staff) {
                (ThreadEvent::Message, true) => "thread-item staff",
                (ThreadEvent::Message, false) => "thread-item author",
                _ => "thread-item event",
            };
            view! {
                <li class=class>
                    <div class="thread-meta muted small">
                        <span>{t.at.clone()}</span> " · " <span>{t.author.clone()}</span>
                        {t.staff.then(|| view! { " · " <span class="badge-soft">{i18n.tr(Msg::ReqStaff)}</span> })}
                    </div>
                    {what.map(|w| view! { <p class="event-text">{w}</p> })}
                    {(!t.body.is_empty()).then(|| view! { <p class="message-text">{t.body.clone()}</p> })}
                    {t.attachment.map(|a| view! { <AttachmentLink file=a/> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="thread" data-testid="thread">
            <li class="thread-item author opening">
                <div class="thread-meta muted small">
                    <span>{first.created.clone()}</span> " · " <span>{first.author.clone()}</span>
                    " · " <span>{move || i18n.t(specialist_name(first.specialist))}</span>
                </div>
                <p class="message-text">{card.message.clone()}</p>
                {card.opening_attachment.clone().map(|a| view! { <AttachmentLink file=a/> })}
            </li>
            {items}
        </ol>
    }
}

/// The reply form: text and an optional file, sent by `send` (the resident's or staff's
/// function); cleared when the reply went through.
#[component]
pub fn ReplyForm(send: Action<(String, Option<i64>), Result<(), AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let file: RwSignal<Option<AttachmentRef>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(Ok(())) = send.value().get() {
            text.set(String::new());
            file.set(None);
        }
    });
    view! {
        <form class="reply-form" on:submit=move |ev| {
            ev.prevent_default();
            send.dispatch((text.get_untracked(), file.get_untracked().map(|a| a.id)));
        }>
            <label class="field">
                <span>{i18n.tr(Msg::ReqReply)}</span>
                <textarea name="reply" rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <div class="toolbar">
                <AttachInput file/>
                <button type="submit" class="button primary" data-testid="reply-send" disabled=move || send.pending().get()>
                    {i18n.tr(Msg::ReqSend)}
                </button>
            </div>
            <ActionError value=send.value()/>
        </form>
    }
}
