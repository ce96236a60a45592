//! «Поверка» (F31): the verification calendar. Twelve month bars of the year (how many meters
//! fall due in each), the chosen month's days, and the period's meters with their dates; the
//! overdue ones in red, and all of them a click away. Search, sort, CSV and Excel like every
//! list.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::error_view::ErrorBox;
use crate::components::export::{csv_href, header};
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::verification::verification_calendar;
use crate::i18n::{month_name, resource_name, use_i18n, Lang, Msg};
use crate::models::format;
use crate::models::verification::{Period, DueCalendar, VerificationRow};
use crate::resource::resource;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Object,
    Place,
    Resource,
    Serial,
    Verified,
    Due,
}

fn compare(a: &VerificationRow, b: &VerificationRow, col: Col) -> std::cmp::Ordering {
    let flat = |r: &VerificationRow| r.place.trim_start_matches("кв. ").parse::<i64>().ok();
    match col {
        Col::Object => (&a.object, flat(a), &a.place).cmp(&(&b.object, flat(b), &b.place)),
        Col::Place => (flat(a), &a.place).cmp(&(flat(b), &b.place)),
        Col::Resource => a.resource.as_str().cmp(b.resource.as_str()),
        Col::Serial => a.serial.cmp(&b.serial),
        Col::Verified => a.verified_on.cmp(&b.verified_on),
        Col::Due => (a.due_on, &a.object).cmp(&(b.due_on, &b.object)),
    }
}

fn matches(r: &VerificationRow, query: &str, lang: Lang) -> bool {
    let hay = format!("{} {} {} {} {}", r.object, r.place, r.serial, r.model, resource_name(r.resource).text(lang));
    all_words_in(&hay, query)
}

/// «через 12 дн.», «сегодня», «просрочено на 3 дн.».
fn days_left(due: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let n = (due - today).num_days();
    match (n, lang) {
        (0, Lang::Ru) => "сегодня".into(),
        (0, _) => "today".into(),
        (n, Lang::Ru) if n < 0 => format!("просрочено на {} дн.", -n),
        (n, _) if n < 0 => format!("{} days overdue", -n),
        (n, _) => format::integer(n),
    }
}

/// The list's columns, on screen, in the CSV and in the Excel file.
pub const COLUMNS: [Msg; 8] = [
    Msg::NpObject,
    Msg::ColPlace,
    Msg::NpResource,
    Msg::Model,
    Msg::ColMeter,
    Msg::VerVerifiedOn,
    Msg::VerDueOn,
    Msg::VerDaysLeft,
];

fn csv_rows(rows: &[VerificationRow], today: NaiveDate, lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![header(&COLUMNS, lang)];
    out.extend(rows.iter().map(|r| {
        vec![
            r.object.clone(),
            r.place.clone(),
            resource_name(r.resource).text(lang).to_string(),
            r.model.clone(),
            r.serial.clone(),
            r.verified_on.map(format::date).unwrap_or_default(),
            format::date(r.due_on),
            (r.due_on - today).num_days().to_string(),
        ]
    }));
    out
}

#[component]
pub fn VerificationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|m| {
            let num = |k: &str| m.get(k).and_then(|v| v.parse::<i64>().ok());
            (
                num("year").map(|v| v as i32),
                num("month").map(|v| v as u32),
                num("day").map(|v| v as u32),
                num("object"),
                m.get("overdue").is_some_and(|v| v == "1"),
            )
        })
    });
    let calendar = resource(move || query.get(), |(y, m, d, o, overdue)| verification_calendar(y, m, d, o, overdue));
    view! {
        <Title text=i18n.tr(Msg::MenuVerification)/>
        <section class="page verification">
            <h1>{i18n.tr(Msg::MenuVerification)}</h1>
            <p class="lead">{i18n.tr(Msg::VerLead)}</p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match calendar.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <Calendar calendar=c/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Calendar(calendar: DueCalendar) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let c = calendar;
    let (period, object, today) = (c.period, c.object_id, c.today);
    let year = Period { year: period.year, month: None, day: None };
    let top = c.by_month.iter().copied().max().unwrap_or(0).max(1);
    let months = c
        .by_month
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let m = i as u32 + 1;
            let here = Period { month: Some(m), day: None, ..year };
            let chosen = !c.overdue_only && period.month == Some(m);
            let past = (period.year, m) < (today.year(), today.month());
            let height = format!("{}%", (*n as f64 / top as f64 * 100.0).round());
            let n = *n;
            view! {
                <a class="month" class:chosen=chosen class:past=past href=here.href(object) data-month=m
                    title=move || format!("{} {}: {}", month_name(i18n.lang(), m - 1), period.year, n)>
                    <span class="bar-box"><span class="bar" style:height=height></span></span>
                    <span class="count">{format::integer(n as i64)}</span>
                    <span class="name">{move || month_name(i18n.lang(), m - 1).chars().take(3).collect::<String>()}</span>
                </a>
            }
        })
        .collect_view();
    let days = period.month.filter(|_| !c.overdue_only).map(|m| {
        c.by_day
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let d = i as u32 + 1;
                let here = Period { month: Some(m), day: Some(d), ..year };
                let chosen = period.day == Some(d);
                let is_today = NaiveDate::from_ymd_opt(period.year, m, d) == Some(today);
                view! {
                    <a class="day" class:chosen=chosen class:has={*n > 0} class:today=is_today href=here.href(object) data-day=d>
                        <span class="date">{d}</span>
                        <span class="count">{if *n > 0 { format::integer(*n as i64) } else { String::new() }}</span>
                    </a>
                }
            })
            .collect_view()
    });
    let options = c
        .objects
        .iter()
        .map(|(id, name)| {
            let id = *id;
            view! { <option value=id.to_string() selected=object == Some(id)>{name.clone()}</option> }
        })
        .collect_view();
    let go = navigate.clone();
    let on_object = move |ev: leptos::ev::Event| {
        let o = event_target_value(&ev).parse::<i64>().ok();
        go(&period.href(o), Default::default());
    };
    let overdue_href = format!("{}&overdue=1", year.href(object));
    let export_query = {
        let href = if c.overdue_only { overdue_href.clone() } else { period.href(object) };
        href.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default()
    };
    let excel = format!("/export/verification.xlsx?{export_query}");
    let pdf = format!("/export/verification.pdf?{export_query}");
    let named = DueCalendar { rows: Vec::new(), objects: Vec::new(), by_day: Vec::new(), ..c.clone() };
    let title = move || named.period_name(i18n.lang());
    let (overdue, overdue_only) = (c.overdue, c.overdue_only);
    let rows = StoredValue::new(c.rows);
    let total = rows.with_value(|r| r.len());
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { key: Col::Due, ascending: true });
    let shown = Memo::new(move |_| {
        let q = search.get();
        let s = sort.get();
        let lang = i18n.lang();
        rows.with_value(|r| shown_rows(r, |r| matches(r, &q, lang), s, compare))
    });
    let prev = Period { year: period.year - 1, month: None, day: None };
    let next = Period { year: period.year + 1, month: None, day: None };
    view! {
        <div class="toolbar">
            <label>{i18n.tr(Msg::NpObject)} " "
                <select class="ver-object" on:change=on_object>
                    <option value="" selected=object.is_none()>{i18n.tr(Msg::NpAllObjects)}</option>
                    {options}
                </select>
            </label>
            <a class="button small" href=prev.href(object) data-testid="year-prev">"‹ " {prev.year}</a>
            <a class="button small" class:primary=period.month.is_none() && !overdue_only href=year.href(object) data-testid="whole-year">
                {i18n.tr(Msg::VerWholeYear)} " " {period.year}
            </a>
            <a class="button small" href=next.href(object) data-testid="year-next">{next.year} " ›"</a>
            <a class="button small overdue-link" class:alert={overdue > 0} class:primary=overdue_only href=overdue_href data-testid="overdue">
                {i18n.tr(Msg::VerOverdue)} ": " {format::integer(overdue as i64)}
            </a>
        </div>
        <div class="ver-months" role="group" aria-label=i18n.tr(Msg::VerByMonth) data-testid="months">{months}</div>
        {days.map(|d| view! { <div class="ver-days" data-testid="days">{d}</div> })}
        <h2 class="ver-period" data-testid="period">{title}</h2>
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::VerSearch) aria-label=i18n.tr(Msg::Search)/>
            <span class="count" data-testid="count">
                {move || format!("{} {} / {}", i18n.t(Msg::Shown), shown.read().len(), total)}
            </span>
            <a class="button" download="verification.csv" href=move || csv_href(&csv_rows(&shown.read(), today, i18n.lang()))>
                {i18n.tr(Msg::ExportCsv)}
            </a>
            <a class="button" href=excel download data-testid="export-xlsx">{i18n.tr(Msg::ExportXlsx)}</a>
            <a class="button" href=pdf download data-testid="export-pdf">{i18n.tr(Msg::ExportPdf)}</a>
        </div>
        <div class="table-wrap">
            <table class="data verification-table" data-testid="verification">
                <thead>
                    <tr>
                        <SortTh label=Msg::NpObject key=Col::Object sort/>
                        <SortTh label=Msg::ColPlace key=Col::Place sort/>
                        <SortTh label=Msg::NpResource key=Col::Resource sort/>
                        <th>{i18n.tr(Msg::Model)}</th>
                        <SortTh label=Msg::ColMeter key=Col::Serial sort/>
                        <SortTh label=Msg::VerVerifiedOn key=Col::Verified sort/>
                        <SortTh label=Msg::VerDueOn key=Col::Due sort/>
                        <th class="num">{i18n.tr(Msg::VerDaysLeft)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let v = shown.get();
                        if v.is_empty() {
                            let text = if total == 0 { Msg::VerNone } else { Msg::NothingFound };
                            view! { <tr><td colspan="8" class="empty">{move || i18n.t(text)}</td></tr> }.into_any()
                        } else {
                            v.into_iter().map(|r| view! { <DueLine row=r today/> }).collect_view().into_any()
                        }
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn DueLine(row: VerificationRow, today: NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let meter = row.meter_id;
    let resource = row.resource;
    let due = row.due_on;
    view! {
        <tr class:overdue=row.overdue(today) data-meter=meter>
            <td>{row.object.clone()}</td>
            <td class="place">{row.place.clone()}</td>
            <td>{move || i18n.t(resource_name(resource))}</td>
            <td>{row.model.clone()}</td>
            <td><a href=format!("/meters/{meter}")>{row.serial.clone()}</a></td>
            <td>{row.verified_on.map(format::date).unwrap_or_else(|| "—".into())}</td>
            <td class="due">{format::date(due)}</td>
            <td class="num left">{move || days_left(due, today, i18n.lang())}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn days_left_say_today_or_how_long_overdue() {
        let today = d(2026, 12, 5);
        assert_eq!(days_left(d(2026, 12, 5), today, Lang::Ru), "сегодня");
        assert_eq!(days_left(d(2026, 12, 2), today, Lang::Ru), "просрочено на 3 дн.");
        assert_eq!(days_left(d(2027, 12, 5), today, Lang::Ru), "365");
        assert_eq!(days_left(d(2026, 12, 2), today, Lang::En), "3 days overdue");
    }
}
