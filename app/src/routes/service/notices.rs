//! «Уведомления жителям» (F36): the company's notices with whom each is for, whether it is
//! published and how many of its residents have read it; searchable, sortable, to CSV.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, Sort, SortTh};
use crate::functions::notices::notices;
use crate::i18n::{notice_kind_name, use_i18n, Lang, Msg};
use crate::models::format;
use crate::models::notice::{NoticeKind, NoticeRow};
use crate::models::views::SessionView;
use crate::models::Permission;
use crate::resource::resource;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Created,
    Title,
    Read,
}

fn csv_rows(rows: &[NoticeRow], lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![[
        Msg::ReqCreated,
        Msg::NoticeKindLabel,
        Msg::NoticeTitle,
        Msg::NoticeRecipients,
        Msg::NoticeWorksUntil,
        Msg::NoticePublished,
        Msg::NoticeReadBy,
    ]
    .iter()
    .map(|m| m.text(lang).to_string())
    .collect()];
    out.extend(rows.iter().map(|r| {
        vec![
            r.created.clone(),
            notice_kind_name(r.kind).text(lang).into(),
            r.title.clone(),
            r.addressed.clone(),
            r.works_until.map(format::date).unwrap_or_default(),
            if r.published { Msg::Yes } else { Msg::No }.text(lang).into(),
            format!("{} / {}", r.read, r.recipients),
        ]
    }));
    out
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let info = expect_context::<SessionView>();
    let may_write = info.role.allows(Permission::EditData);
    let list = resource(|| (), |_| notices());
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort {
        key: Col::Created,
        ascending: false,
    });
    view! {
        <Title text=i18n.tr(Msg::MenuResidentNotices)/>
        <section class="page notices">
            <h1>{i18n.tr(Msg::MenuResidentNotices)}</h1>
            {may_write.then(|| view! {
                <p><a class="button primary" href="/service/notices/new" data-testid="new-notice">{i18n.tr(Msg::NoticeNew)}</a></p>
            })}
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) => {
                            let total = rows.len();
                            let rows = StoredValue::new(rows);
                            let shown = Memo::new(move |_| {
                                let q = search.get();
                                let s = sort.get();
                                let mut v: Vec<NoticeRow> = rows.with_value(|r| {
                                    r.iter().filter(|n| all_words_in(&format!("{} {}", n.title, n.addressed), &q)).cloned().collect()
                                });
                                v.sort_by(|a, b| {
                                    let o = match s.key {
                                        Col::Created => a.id.cmp(&b.id),
                                        Col::Title => a.title.cmp(&b.title),
                                        Col::Read => (a.read * 1000 / a.recipients.max(1)).cmp(&(b.read * 1000 / b.recipients.max(1))),
                                    };
                                    if s.ascending { o } else { o.reverse() }
                                });
                                v
                            });
                            view! {
                                <div class="toolbar">
                                    <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::Search)/>
                                    <span class="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
                                    <a class="button" download="notices.csv" href=move || csv_href(&csv_rows(&shown.read(), i18n.lang()))>{i18n.tr(Msg::ExportCsv)}</a>
                                </div>
                                <div class="table-wrap">
                                    <table class="data notices-table">
                                        <thead><tr>
                                            <SortTh label=Msg::ReqCreated key=Col::Created sort/>
                                            <th>{i18n.tr(Msg::NoticeKindLabel)}</th>
                                            <SortTh label=Msg::NoticeTitle key=Col::Title sort/>
                                            <th>{i18n.tr(Msg::NoticeRecipients)}</th>
                                            <th>{i18n.tr(Msg::NoticeWorksUntil)}</th>
                                            <th>{i18n.tr(Msg::NoticePublished)}</th>
                                            <SortTh label=Msg::NoticeReadBy key=Col::Read sort numeric=true/>
                                        </tr></thead>
                                        <tbody>
                                            {move || {
                                                let v = shown.get();
                                                if v.is_empty() {
                                                    view! { <tr><td colspan="7" class="empty">{i18n.tr(Msg::NoticeNone)}</td></tr> }.into_any()
                                                } else {
                                                    v.into_iter().map(|n| {
                                                        let kind = n.kind;
                                                        view! {
                                                            <tr data-notice=n.id.to_string() class:urgent=kind == NoticeKind::Urgent>
                                                                <td>{n.created.clone()}</td>
                                                                <td>{move || i18n.t(notice_kind_name(kind))}</td>
                                                                <td><a href=format!("/service/notices/{}", n.id)>{n.title.clone()}</a></td>
                                                                <td class="small">{n.addressed.clone()}</td>
                                                                <td>{n.works_until.map(format::date).unwrap_or_default()}</td>
                                                                <td>{move || i18n.t(if n.published { Msg::Yes } else { Msg::No })}</td>
                                                                <td class="num read-count">{format!("{} / {}", n.read, n.recipients)}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view().into_any()
                                                }
                                            }}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
