//! «Диспетчерская» (F35; Kvant-Energo 3.4.1–3.4.3): residents' requests, new ones bold at
//! the top and counted in the menu; filters by stage, specialist, building, flat, period and
//! number, category, overdue and grouped; search, sort, CSV and Excel like every list. Staff
//! take requests here too («Принять заявку»: a call, a walk round).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ErrorBox;
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, Sort, SortTh};
use crate::functions::requests::desk;
use crate::i18n::{category_name, specialist_name, stage_name, use_i18n, Lang, Msg};
use crate::models::request::{Category, DeskFilter, DeskView, Grouping, RequestRow, Specialist, Stage};
use crate::resource::resource;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Number,
    Object,
    Specialist,
    Category,
    Stage,
    Assignee,
}

fn compare(a: &RequestRow, b: &RequestRow, col: Col) -> std::cmp::Ordering {
    match col {
        Col::Number => a.number.cmp(&b.number),
        Col::Object => (&a.object, a.flat.parse::<i64>().ok()).cmp(&(&b.object, b.flat.parse::<i64>().ok())),
        Col::Specialist => a.specialist.as_str().cmp(b.specialist.as_str()),
        Col::Category => (a.category as u8).cmp(&(b.category as u8)),
        Col::Stage => (a.stage as u8).cmp(&(b.stage as u8)),
        Col::Assignee => a.assignee.cmp(&b.assignee),
    }
}

fn matches(r: &RequestRow, q: &str, lang: Lang) -> bool {
    let hay = format!(
        "{} {} {} {} {} {} {} {}",
        r.number,
        r.object,
        r.flat,
        r.author,
        r.excerpt,
        specialist_name(r.specialist).text(lang),
        category_name(r.category).text(lang),
        r.assignee.clone().unwrap_or_default()
    );
    all_words_in(&hay, q)
}

fn csv_rows(rows: &[RequestRow], lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![[
        Msg::ReqNumber,
        Msg::ReqCreated,
        Msg::NpObject,
        Msg::ColFlat,
        Msg::ReqAuthor,
        Msg::ReqSpecialist,
        Msg::ReqCategory,
        Msg::ReqStage,
        Msg::ReqDue,
        Msg::ReqOverdue,
        Msg::ReqAssignee,
        Msg::ReqMessage,
    ]
    .iter()
    .map(|m| m.text(lang).to_string())
    .collect()];
    out.extend(rows.iter().map(|r| {
        vec![
            r.number.to_string(),
            r.created.clone(),
            r.object.clone(),
            r.flat.clone(),
            r.author.clone(),
            specialist_name(r.specialist).text(lang).into(),
            category_name(r.category).text(lang).into(),
            stage_name(r.stage).text(lang).into(),
            r.due.clone().unwrap_or_default(),
            if r.overdue { Msg::Yes.text(lang).into() } else { String::new() },
            r.assignee.clone().unwrap_or_default(),
            r.excerpt.clone(),
        ]
    }));
    out
}

#[component]
pub fn DispatchPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let filter = Memo::new(move |_| {
        q.with(|q| {
            let pairs: Vec<(String, String)> = [
                "stage", "specialist", "object", "flat", "from", "to", "number", "category", "overdue", "grouped",
            ]
                .iter()
                .filter_map(|k| q.get(k).map(|v| (k.to_string(), v)))
                .collect();
            DeskFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });
    let view = resource(move || filter.get(), desk);
    view! {
        <Title text=i18n.tr(Msg::MenuDispatch)/>
        <section class="page dispatch">
            <h1>{i18n.tr(Msg::MenuDispatch)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match view.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(d) => view! { <Desk desk=d filter=filter.get_untracked()/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Desk(desk: DeskView, filter: DeskFilter) -> impl IntoView {
    let i18n = use_i18n();
    let total = desk.rows.len();
    let stage_value = if filter.open_only {
        "open".to_string()
    } else {
        filter.stage.map(|s| s.as_str().to_string()).unwrap_or_default()
    };
    let stages = Stage::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=stage_value == s.as_str()>{move || i18n.t(stage_name(s))}</option> })
        .collect_view();
    let specialists = Specialist::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=filter.specialist == Some(s)>{move || i18n.t(specialist_name(s))}</option> })
        .collect_view();
    let categories = Category::ALL
        .into_iter()
        .map(|c| view! { <option value=c.as_str() selected=filter.category == Some(c)>{move || i18n.t(category_name(c))}</option> })
        .collect_view();
    let objects = desk
        .objects
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=filter.object == Some(*id)>{name.clone()}</option> })
        .collect_view();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let excel = format!("/export/requests.xlsx?{}", filter.to_query());
    let overdue_class = if desk.overdue_count > 0 { "overdue-link" } else { "" };
    let rows = StoredValue::new(desk.rows);
    let search = RwSignal::new(String::new());
    let sort_key = RwSignal::new(Sort { key: Col::Number, ascending: false });
    // new ones first (the server's order) until a column is chosen
    let chosen = RwSignal::new(false);
    Effect::new(move |before: Option<Sort<Col>>| {
        let now = sort_key.get();
        if before.is_some_and(|b| b != now) {
            chosen.set(true);
        }
        now
    });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let lang = i18n.lang();
        let mut v: Vec<RequestRow> = rows.with_value(|r| r.iter().filter(|r| matches(r, &q, lang)).cloned().collect());
        if chosen.get() {
            let s = sort_key.get();
            v.sort_by(|a, b| {
                let o = compare(a, b, s.key);
                if s.ascending { o } else { o.reverse() }
            });
        }
        v
    });
    view! {
        <div class="toolbar desk-head">
            <p class="desk-summary" role="status">
                {i18n.tr(Msg::ReqNewCount)} ": " <strong data-testid="new-count">{desk.new_count}</strong>
                " · " <a href="/service/dispatch?stage=open&overdue=1" class=overdue_class>
                    {i18n.tr(Msg::ReqOverdueCount)} ": " <strong data-testid="overdue-count">{desk.overdue_count}</strong>
                </a>
            </p>
            <a class="button primary" href="/service/dispatch/new" data-testid="take-request">{i18n.tr(Msg::ReqNew)}</a>
        </div>
        <Form method="GET" action="/service/dispatch" attr:class="filters desk-filters">
            <label>{i18n.tr(Msg::ReqStage)}
                <select name="stage">
                    <option value="" selected=stage_value.is_empty()>{i18n.tr(Msg::KindAll)}</option>
                    <option value="open" selected=stage_value == "open">{i18n.tr(Msg::ReqOpenOnly)}</option>
                    {stages}
                </select>
            </label>
            <label>{i18n.tr(Msg::ReqSpecialist)}
                <select name="specialist">
                    <option value="">{i18n.tr(Msg::KindAll)}</option>
                    {specialists}
                </select>
            </label>
            <label>{i18n.tr(Msg::ReqCategory)}
                <select name="category">
                    <option value="">{i18n.tr(Msg::KindAll)}</option>
                    {categories}
                </select>
            </label>
            <label>{i18n.tr(Msg::NpObject)}
                <select name="object">
                    <option value="">{i18n.tr(Msg::NpAllObjects)}</option>
                    {objects}
                </select>
            </label>
            <label>{i18n.tr(Msg::ColFlat)}
                <input name="flat" size="5" value=filter.flat.clone().unwrap_or_default()/>
            </label>
            <label>{i18n.tr(Msg::ReqFrom)} <input type="date" name="from" value=date(filter.from)/></label>
            <label>{i18n.tr(Msg::ReqTo)} <input type="date" name="to" value=date(filter.to)/></label>
            <label>{i18n.tr(Msg::ReqNumber)}
                <input name="number" size="6" inputmode="numeric" value=filter.number.map(|n| n.to_string()).unwrap_or_default()/>
            </label>
            <label class="check"><input type="checkbox" name="overdue" value="1" checked=filter.overdue/> {i18n.tr(Msg::ReqOverdueOnly)}</label>
            <label class="check"><input type="checkbox" name="grouped" value="1" checked=filter.grouped/> {i18n.tr(Msg::ReqGroupedOnly)}</label>
            <button type="submit" class="button primary">{i18n.tr(Msg::Show)}</button>
            <a class="button" href="/service/dispatch">{i18n.tr(Msg::EntryClear)}</a>
        </Form>
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::ReqSearch) aria-label=i18n.tr(Msg::Search)/>
            <span class="count" data-testid="count">{move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}</span>
            <a class="button" download="requests.csv" href=move || csv_href(&csv_rows(&shown.read(), i18n.lang()))>{i18n.tr(Msg::ExportCsv)}</a>
            <a class="button" href=excel download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
        </div>
        <div class="table-wrap">
            <table class="data desk-table">
                <thead>
                    <tr>
                        <SortTh label=Msg::ReqNumber key=Col::Number sort=sort_key numeric=true/>
                        <th>{i18n.tr(Msg::ReqCreated)}</th>
                        <SortTh label=Msg::NpObject key=Col::Object sort=sort_key/>
                        <SortTh label=Msg::ReqSpecialist key=Col::Specialist sort=sort_key/>
                        <SortTh label=Msg::ReqCategory key=Col::Category sort=sort_key/>
                        <SortTh label=Msg::ReqStage key=Col::Stage sort=sort_key/>
                        <SortTh label=Msg::ReqAssignee key=Col::Assignee sort=sort_key/>
                        <th>{i18n.tr(Msg::ReqMessage)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            let text = if total == 0 { Msg::ReqNoneYet } else { Msg::NothingFound };
                            view! { <tr><td colspan="8" class="empty">{move || i18n.t(text)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|r| view! { <DeskLine row=r/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn DeskLine(row: RequestRow) -> impl IntoView {
    let i18n = use_i18n();
    let (stage, specialist, category) = (row.stage, row.specialist, row.category);
    let fresh = stage == Stage::Registration;
    let href = format!("/service/dispatch/{}", row.id);
    let place = row.place(i18n.t(Msg::Flat));
    let group = match row.grouping {
        Grouping::Alone => None,
        Grouping::Group(n) => Some(view! { <span class="tag group" data-testid="group-tag">{i18n.tr(Msg::ReqGroup)} ": " {n}</span> }.into_any()),
        Grouping::Member { id, number } => Some(view! {
            <a class="tag member" href=format!("/service/dispatch/{id}")>"→ № " {number}</a>
        }.into_any()),
    };
    view! {
        <tr class="desk-row" class:new=fresh class:unread=row.unread class:overdue=row.overdue
            data-request=row.id.to_string() data-stage=stage.as_str() data-category=category.as_str()>
            <td class="num"><a href=href.clone()>{row.number}</a> {group}</td>
            <td>{row.created.clone()}</td>
            <td>{place}<br/><span class="muted small">{row.author.clone()}</span></td>
            <td>{move || i18n.t(specialist_name(specialist))}</td>
            <td><span class=format!("tag category-{}", category.as_str())>{move || i18n.t(category_name(category))}</span></td>
            <td>
                <span class=format!("stage stage-{}", stage.as_str())>{move || i18n.t(stage_name(stage))}</span>
                {row.overdue.then(|| view! { <br/><span class="tag overdue" title=row.due.clone().unwrap_or_default()>{i18n.tr(Msg::ReqOverdue)}</span> })}
            </td>
            <td>{row.assignee.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="excerpt"><a href=href>{row.excerpt.clone()}</a></td>
        </tr>
    }
}
