//! One notice (F36): write it — urgent or permanent, title, text, end of works, a file — and
//! address it to whole buildings («выбрать все») or chosen flats; publish or withdraw it;
//! see who of its residents has read it.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::attach::{AttachInput, AttachmentLink};
use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::notices::{notice_card, notice_choices, publish_notice, save_notice};
use crate::i18n::{notice_kind_name, use_i18n, Msg};
use crate::models::notice::{NoticeView, NoticeDraft, NoticeKind, RecipientChoice, Recipients};
use crate::models::request::AttachmentRef;
use crate::models::views::SessionView;
use crate::models::Permission;
use crate::resource::resource;

#[component]
pub fn NoticePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // "new", or a notice's id
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let publish = Action::new(move |on: &bool| publish_notice(id.get_untracked().unwrap_or(0), *on));
    let card = resource(
        move || (id.get(), publish.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => notice_card(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let info = expect_context::<SessionView>();
    let may_write = info.role.allows(Permission::EditData);
    let choices = resource(
        || (),
        move |_| async move {
            if may_write {
                notice_choices().await
            } else {
                Ok(Vec::new())
            }
        },
    );
    view! {
        <Title text=i18n.tr(Msg::MenuResidentNotices)/>
        <section class="page notice-page">
            <p><a href="/service/notices">"← " {i18n.tr(Msg::MenuResidentNotices)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match (card.await, choices.await) {
                        (Err(e), _) | (_, Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                        (Ok(card), Ok(choices)) => view! {
                            {card.clone().map(|c| view! { <Status card=c publish may_write/> })}
                            {may_write.then(|| view! { <Editor card=card.clone() choices/> })}
                            {card.map(|c| view! { <Receipts card=c/> })}
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Whether it is published, and the button that changes that.
#[component]
fn Status(card: NoticeView, publish: Action<bool, Result<(), crate::errors::AppError>>, may_write: bool) -> impl IntoView {
    let i18n = use_i18n();
    let published = card.row.published;
    view! {
        <h1>{card.row.title.clone()}</h1>
        <p class="notice-status" data-published=published.to_string()>
            {move || i18n.t(if published { Msg::NoticeIsPublished } else { Msg::NoticeIsDraft })}
            " · " {i18n.tr(Msg::NoticeReadBy)} ": " <strong data-testid="read-count">{format!("{} / {}", card.row.read, card.row.recipients)}</strong>
        </p>
        {may_write.then(|| view! {
            <button type="button" class="button" class:primary=!published data-testid="publish"
                on:click=move |_| { publish.dispatch(!published); }>
                {move || i18n.t(if published { Msg::NoticeUnpublish } else { Msg::NoticePublish })}
            </button>
            <ActionError value=publish.value()/>
        })}
    }
}

#[component]
fn Editor(card: Option<NoticeView>, choices: Vec<RecipientChoice>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let draft = card.as_ref().map(|c| c.draft.clone()).unwrap_or(NoticeDraft {
        id: None,
        kind: NoticeKind::Urgent,
        title: String::new(),
        body: String::new(),
        works_until: None,
        attachment_id: None,
        recipients: Recipients::default(),
    });
    let id = draft.id;
    let kind = RwSignal::new(draft.kind);
    let title = RwSignal::new(draft.title.clone());
    let body = RwSignal::new(draft.body.clone());
    let until = RwSignal::new(draft.works_until.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default());
    let file: RwSignal<Option<AttachmentRef>> = RwSignal::new(card.as_ref().and_then(|c| c.attachment.clone()));
    let objects: RwSignal<BTreeSet<i64>> = RwSignal::new(draft.recipients.objects.iter().copied().collect());
    let premises: RwSignal<BTreeSet<i64>> = RwSignal::new(draft.recipients.premises.iter().copied().collect());
    let all_ids: Vec<i64> = choices.iter().map(|c| c.object_id).collect();
    let save = Action::new(move |d: &NoticeDraft| save_notice(d.clone()));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            if id != Some(saved) {
                navigate(&format!("/service/notices/{saved}"), Default::default());
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(NoticeDraft {
            id,
            kind: kind.get_untracked(),
            title: title.get_untracked(),
            body: body.get_untracked(),
            works_until: chrono::NaiveDate::parse_from_str(&until.get_untracked(), "%Y-%m-%d").ok(),
            attachment_id: file.get_untracked().map(|a| a.id),
            recipients: Recipients {
                objects: objects.get_untracked().into_iter().collect(),
                premises: premises.get_untracked().into_iter().collect(),
            },
        });
    };
    let kinds = [NoticeKind::Urgent, NoticeKind::Permanent]
        .into_iter()
        .map(|k| view! {
            <label class="check">
                <input type="radio" name="kind" value=k.as_str() prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                {move || i18n.t(notice_kind_name(k))}
            </label>
        })
        .collect_view();
    let buildings = choices
        .into_iter()
        .map(|c| {
            let oid = c.object_id;
            let flats = c
                .premises
                .into_iter()
                .map(|(pid, number, residents)| view! {
                    <label class="check flat" class:muted=residents == 0>
                        <input type="checkbox" data-premise=pid.to_string()
                            prop:checked=move || premises.with(|p| p.contains(&pid))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                premises.update(|p| { if on { p.insert(pid); } else { p.remove(&pid); } });
                            }/>
                        {number} {(residents > 0).then(|| format!(" ({residents})"))}
                    </label>
                })
                .collect_view();
            view! {
                <details class="recipient-building">
                    <summary>
                        <label class="check">
                            <input type="checkbox" data-object=oid.to_string()
                                prop:checked=move || objects.with(|o| o.contains(&oid))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    objects.update(|o| { if on { o.insert(oid); } else { o.remove(&oid); } });
                                }/>
                            <strong>{c.object.clone()}</strong> " — " {i18n.tr(Msg::NoticeWholeBuilding)}
                        </label>
                    </summary>
                    <div class="flats">{flats}</div>
                </details>
            }
        })
        .collect_view();
    view! {
        <form class="panel notice-editor" on:submit=on_submit>
            <h2>{move || i18n.t(if id.is_some() { Msg::NoticeEdit } else { Msg::NoticeNew })}</h2>
            <div class="toolbar">{kinds}</div>
            <label class="field">
                <span>{i18n.tr(Msg::NoticeTitle)}</span>
                <input name="title" required maxlength="200" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::NoticeBody)}</span>
                <textarea name="body" rows="5" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field">
                <span>{i18n.tr(Msg::NoticeWorksUntil)}</span>
                <input type="date" name="works_until" prop:value=move || until.get() on:input=move |ev| until.set(event_target_value(&ev))/>
            </label>
            <div class="field">
                <span>{i18n.tr(Msg::NoticeAttachment)}</span>
                {move || file.get().map(|a| view! { <AttachmentLink file=a/> })}
                <AttachInput file/>
            </div>
            <fieldset class="recipients">
                <legend>{i18n.tr(Msg::NoticeRecipients)}</legend>
                <div class="toolbar">
                    <button type="button" class="button small" data-testid="select-all"
                        on:click={
                            let all = all_ids.clone();
                            move |_| objects.set(all.iter().copied().collect())
                        }>
                        {i18n.tr(Msg::NoticeSelectAll)}
                    </button>
                    <button type="button" class="button small" on:click=move |_| { objects.set(BTreeSet::new()); premises.set(BTreeSet::new()); }>
                        {i18n.tr(Msg::EntryClear)}
                    </button>
                </div>
                {buildings}
            </fieldset>
            <button type="submit" class="button primary" data-testid="save-notice" disabled=move || save.pending().get()>
                {i18n.tr(Msg::NoticeSave)}
            </button>
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <span class="ok">" ✓ " {i18n.tr(Msg::NoticeSaved)}</span> })}
            <ActionError value=save.value()/>
        </form>
    }
}

/// Who of the notice's residents has read it, and when.
#[component]
fn Receipts(card: NoticeView) -> impl IntoView {
    let i18n = use_i18n();
    let rows = card
        .receipts
        .into_iter()
        .map(|r| {
            let read = r.read_at.is_some();
            view! {
                <tr class:read=read>
                    <td>{r.name}</td>
                    <td>{r.object}</td>
                    <td>{r.flat}</td>
                    <td class="read-at">{r.read_at.unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>{i18n.tr(Msg::NoticeReceipts)}</h2>
        <div class="table-wrap">
            <table class="data receipts" data-testid="receipts">
                <thead><tr>
                    <th>{i18n.tr(Msg::FullName)}</th>
                    <th>{i18n.tr(Msg::NpObject)}</th>
                    <th>{i18n.tr(Msg::ColFlat)}</th>
                    <th>{i18n.tr(Msg::NoticeReadAt)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
