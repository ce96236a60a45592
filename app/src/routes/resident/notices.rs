//! Notices in the cabinet (F36): what the company tells my building or my flat — urgent ones
//! first in colour, with the end of works and an attachment. Opening one tells the company
//! it was read.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::attach::AttachmentLink;
use crate::components::error_view::ErrorBox;
use crate::components::side_menu::BadgesChanged;
use crate::functions::notices::{my_notices, read_notice};
use crate::i18n::{use_i18n, Msg};
use crate::models::format;
use crate::models::notice::{MyNotice, NoticeKind};
use crate::resource::resource;

#[component]
pub fn MyNoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = resource(|| (), |_| my_notices());
    view! {
        <Title text=i18n.tr(Msg::MenuNotices)/>
        <section class="page my-notices">
            <h1>{i18n.tr(Msg::MenuNotices)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) if v.is_empty() => view! { <p class="empty">{i18n.tr(Msg::NoticeNone)}</p> }.into_any(),
                        Ok(v) => view! {
                            <ul class="notice-list">{v.into_iter().map(|n| view! { <NoticeItem notice=n/> }).collect_view()}</ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NoticeItem(notice: MyNotice) -> impl IntoView {
    let i18n = use_i18n();
    let id = notice.id;
    let read = RwSignal::new(notice.read);
    let urgent = notice.kind == NoticeKind::Urgent;
    // the first click opens the notice: that is reading it
    let on_open = move |_| {
        if !read.get_untracked() {
            leptos::task::spawn_local(async move {
                if read_notice(id).await.is_ok() {
                    read.set(true);
                    BadgesChanged::bump();
                }
            });
        }
    };
    view! {
        <li class="notice" class:urgent=urgent class:unread=move || !read.get() data-notice=id.to_string()>
            <details>
                <summary on:click=on_open>
                    {urgent.then(|| view! { <span class="badge urgent">{i18n.tr(Msg::NoticeUrgent)}</span> })}
                    <strong>{notice.title.clone()}</strong>
                    <span class="muted small notice-date">{notice.published.clone()}</span>
                </summary>
                <p class="notice-body">{notice.body.clone()}</p>
                {notice.works_until.map(|d| view! { <p class="muted">{i18n.tr(Msg::NoticeWorksUntil)} ": " {format::date(d)}</p> })}
                {notice.attachment.clone().map(|a| view! { <AttachmentLink file=a/> })}
            </details>
        </li>
    }
}
