//! «Журнал действий» (F42): the history of the company's users' actions — date and time,
//! who, what, details and the address it came from — filtered by person, action and period;
//! searchable, sortable, to CSV and Excel.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, Sort, SortTh};
use crate::functions::users::audit_log;
use crate::i18n::{use_i18n, Lang, Msg};
use crate::models::audit::{action_name, AuditQuery, AuditRow, AuditView, ACTIONS};
use crate::resource::resource;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    At,
    User,
    Action,
}

fn action_text(action: &str, lang: Lang) -> String {
    action_name(action)
        .map(|m| m.text(lang).to_string())
        .unwrap_or_else(|| action.to_string())
}

fn csv_rows(rows: &[AuditRow], lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![[Msg::AuAt, Msg::FullName, Msg::Login, Msg::AuAction, Msg::AuDetails, Msg::AuIp]
        .iter()
        .map(|m| m.text(lang).to_string())
        .collect()];
    out.extend(rows.iter().map(|r| {
        vec![
            r.at.clone(),
            r.user.clone(),
            r.login.clone(),
            action_text(&r.action, lang),
            r.details.clone(),
            r.ip.clone(),
        ]
    }));
    out
}

/// `dd.mm.yyyy HH:MM:SS` → a key that sorts by time.
fn time_key(at: &str) -> String {
    let (date, time) = at.split_once(' ').unwrap_or((at, ""));
    let mut d = date.split('.').rev().collect::<Vec<_>>().join("");
    d.push_str(time);
    d
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let query = Memo::new(move |_| {
        q.with(|q| {
            let pairs: Vec<(String, String)> = ["user", "action", "from", "to"]
                .iter()
                .filter_map(|k| q.get(k).map(|v| (k.to_string(), v)))
                .collect();
            AuditQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    let view = resource(move || query.get(), audit_log);
    view! {
        <Title text=i18n.tr(Msg::MenuAudit)/>
        <section class="page audit">
            <h1>{i18n.tr(Msg::MenuAudit)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match view.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(v) => view! { <Journal view=v query=query.get_untracked()/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Journal(view: AuditView, query: AuditQuery) -> impl IntoView {
    let i18n = use_i18n();
    let total = view.rows.len();
    let users = view
        .users
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=query.user == Some(*id)>{name.clone()}</option> })
        .collect_view();
    let chosen_action = query.action.clone().unwrap_or_default();
    let actions = ACTIONS
        .iter()
        .map(|a| {
            let a = *a;
            view! { <option value=a selected=chosen_action == a>{move || action_text(a, i18n.lang())}</option> }
        })
        .collect_view();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let excel = format!("/export/audit.xlsx?{}", query.to_query());
    let rows = StoredValue::new(view.rows);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { key: Col::At, ascending: false });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let s = sort.get();
        let lang = i18n.lang();
        let mut v: Vec<AuditRow> = rows.with_value(|r| {
            r.iter()
                .filter(|r| all_words_in(&format!("{} {} {} {} {}", r.user, r.login, action_text(&r.action, lang), r.details, r.ip), &q))
                .cloned()
                .collect()
        });
        v.sort_by(|a, b| {
            let o = match s.key {
                Col::At => time_key(&a.at).cmp(&time_key(&b.at)),
                Col::User => a.user.cmp(&b.user),
                Col::Action => action_text(&a.action, lang).cmp(&action_text(&b.action, lang)),
            };
            if s.ascending { o } else { o.reverse() }
        });
        v
    });
    view! {
        <Form method="GET" action="/settings/audit" attr:class="filters">
            <label>{i18n.tr(Msg::AuUser)}
                <select name="user">
                    <option value="">{i18n.tr(Msg::KindAll)}</option>
                    {users}
                </select>
            </label>
            <label>{i18n.tr(Msg::AuAction)}
                <select name="action">
                    <option value="">{i18n.tr(Msg::KindAll)}</option>
                    {actions}
                </select>
            </label>
            <label>{i18n.tr(Msg::ReqFrom)} <input type="date" name="from" value=date(query.from)/></label>
            <label>{i18n.tr(Msg::ReqTo)} <input type="date" name="to" value=date(query.to)/></label>
            <button type="submit" class="button primary">{i18n.tr(Msg::Show)}</button>
        </Form>
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::Search) aria-label=i18n.tr(Msg::Search)/>
            <span class="count" data-testid="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
            <a class="button" download="audit.csv" href=move || csv_href(&csv_rows(&shown.read(), i18n.lang()))>{i18n.tr(Msg::ExportCsv)}</a>
            <a class="button" href=excel download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
        </div>
        {view.truncated.then(|| view! { <p class="warn-text">{i18n.tr(Msg::AuTruncated)}</p> })}
        <div class="table-wrap">
            <table class="data audit-table">
                <thead><tr>
                    <SortTh label=Msg::AuAt key=Col::At sort/>
                    <SortTh label=Msg::AuUser key=Col::User sort/>
                    <SortTh label=Msg::AuAction key=Col::Action sort/>
                    <th>{i18n.tr(Msg::AuDetails)}</th>
                    <th>{i18n.tr(Msg::AuIp)}</th>
                </tr></thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            view! { <tr><td colspan="5" class="empty">{i18n.tr(Msg::NothingFound)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|r| {
                                let action = r.action.clone();
                                view! {
                                    <tr data-action=r.action.clone()>
                                        <td class="nowrap">{r.at.clone()}</td>
                                        <td>{r.user.clone()}<br/><span class="muted small">{r.login.clone()}</span></td>
                                        <td>{move || action_text(&action, i18n.lang())}</td>
                                        <td class="small">{r.details.clone()}</td>
                                        <td class="small">{r.ip.clone()}</td>
                                    </tr>
                                }
                            }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn journal_times_sort_by_date_then_time() {
        assert!(super::time_key("31.12.2025 23:59:59") < super::time_key("01.01.2026 00:00:00"));
    }
}
