//! A meter's page: card, month of daily consumption per tariff (gaps marked, never filled),
//! previous / next month, and the readings behind the numbers.

use chrono::{Datelike, Months, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::error_view::ErrorBox;
use crate::functions::meters::{get_meter_card, ReviewReading};
use crate::i18n::{period_caption, resource_name, source_name, state_name, unit_text, use_i18n, Lang, Msg};
use crate::models::period::Basis;
use crate::models::format;
use crate::models::meter_card::MeterCard;
use crate::models::amount::{shown_slots, slot_label};
use crate::models::Amount;
use crate::resource::resource;

/// Reading flags (the storage module is server-only): waits for confirmation, rejected.
const NEEDS_CONFIRMATION: i64 = 8;
const REJECTED: i64 = 16;

fn month_param(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

fn parse_month(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()
}

/// The value slots a meter shows: T1..Tn and the total, or just the total.
fn slots(tariffs: u8) -> Vec<usize> {
    shown_slots(&(1..=tariffs as usize).collect::<Vec<_>>())
}

#[component]
pub fn MeterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
        let month = query.with(|q| q.get("month").and_then(|m| parse_month(&m)));
        (id, month)
    });
    // a confirmation or rejection reloads the card: the day table counts the reading or not
    let review = ServerAction::<ReviewReading>::new();
    let retire = ServerAction::<crate::functions::meter_form::RetireMeter>::new();
    provide_context(retire);
    let card = resource(
        move || (key.get(), review.version().get(), retire.version().get()),
        |((id, month), _, _)| get_meter_card(id, month),
    );
    view! {
        <Title text=i18n.tr(Msg::MeterTitle)/>
        <section class="page meter">
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <MeterView card=c review/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MeterView(card: MeterCard, review: ServerAction<ReviewReading>) -> impl IntoView {
    let i18n = use_i18n();
    let can_review = use_context::<crate::models::views::SessionView>()
        .is_some_and(|s| s.role.allows(crate::models::Permission::EditData));
    let c = card;
    let shown = slots(c.tariffs);
    let fraction = c.fraction as u32;
    let prev = c.month - Months::new(1);
    let next = c.month + Months::new(1);
    let base = format!("/meters/{}", c.id);
    let where_ = match &c.flat {
        Some(f) => format!("{}, кв. {f}", c.address),
        None => c.address.clone(),
    };
    let opt_date = |d: Option<NaiveDate>| d.map(format::date).unwrap_or_else(|| "—".into());
    let head = shown
        .iter()
        .map(|&s| view! { <th class="num">{move || slot_label(s, i18n.t(Msg::Total))}</th> })
        .collect_view();
    let head2 = head.clone();
    let day_rows = c
        .days
        .iter()
        .map(|d| {
            // today and later are not over yet: empty, not «–*» (which means missing data)
            let not_yet = d.date >= c.today;
            let cells = shown
                .iter()
                .map(|&s| {
                    let a = d.amounts[s];
                    let text = if not_yet { String::new() } else { a.display_fixed(fraction) };
                    view! { <td class="num" class:partial=!not_yet && !a.is_full()>{text}</td> }
                })
                .collect_view();
            view! { <tr data-date=d.date.format("%Y-%m-%d").to_string()><td>{format::date(d.date)}</td>{cells}</tr> }
        })
        .collect_view();
    let total_cells = shown
        .iter()
        .map(|&s| {
            let a: Amount = c.month_total[s];
            view! { <td class="num" class:partial=!a.is_full() data-slot=s.to_string()>{a.display_fixed(fraction)}</td> }
        })
        .collect_view();
    let english = i18n.lang() == Lang::En;
    let period_cells = shown
        .iter()
        .map(|&s| {
            let p = c.period[s];
            let mark = (p.basis != Basis::Measured && p.amount.known().is_some())
                .then(|| view! { <sup class="basis" title=p.basis.name(english) data-basis=p.basis.as_str()>{p.basis.mark(english)}</sup> });
            view! { <td class="num" class:partial=!p.amount.is_full() data-slot=s.to_string()>{p.amount.display_fixed(fraction)}{mark}</td> }
        })
        .collect_view();
    let period_caption_text = period_caption(i18n.lang(), c.month, c.window);
    let reading_rows = c
        .readings
        .iter()
        .map(|r| {
            let cells = shown
                .iter()
                .map(|&s| {
                    let v = if s == 0 && c.tariffs <= 1 {
                        r.values[0].or(r.values[1])
                    } else {
                        r.values[s]
                    };
                    view! { <td class="num">{v.map(|v| format::fixed(v, fraction)).unwrap_or_default()}</td> }
                })
                .collect_view();
            let src = source_name(&r.source);
            let went_down = r.flags & 1 != 0;
            let rejected = r.flags & REJECTED != 0;
            let waiting = r.flags & NEEDS_CONFIRMATION != 0 && !rejected;
            let (meter_id, period, ts) = (c.id, r.period, r.ts);
            let decide = move |accept: bool| {
                review.dispatch(ReviewReading { meter_id, period, ts, accept });
            };
            let check = if rejected {
                view! { <span class="muted">{i18n.tr(Msg::Rejected)}</span> }.into_any()
            } else if waiting && can_review {
                view! {
                    <span class="review">
                        <button type="button" class="button small" data-testid="confirm" on:click=move |_| decide(true)>{i18n.tr(Msg::Confirm)}</button>
                        <button type="button" class="button small" data-testid="reject" on:click=move |_| decide(false)>{i18n.tr(Msg::Reject)}</button>
                    </span>
                }
                .into_any()
            } else if waiting {
                view! { <span class="warn-text">{i18n.tr(Msg::WaitsConfirmation)}</span> }.into_any()
            } else {
                ().into_any()
            };
            view! {
                <tr class:flagged=went_down class:waiting=waiting class:rejected=rejected>
                    <td>{r.at.clone()}</td>
                    {cells}
                    <td>{move || i18n.t(src)}</td>
                    <td class="who">{r.entered_by.clone().unwrap_or_default()}</td>
                    <td class="check">{check}</td>
                </tr>
            }
        })
        .collect_view();
    let resource = resource_name(c.resource);
    let state = state_name(c.state);
    let card = view! {
        <p class="crumbs"><a href=format!("/readings?object={}", c.object_id)>{c.object_name.clone()}</a></p>
        <h1>{i18n.tr(Msg::MeterTitle)} " " {c.model.clone()} " № " {c.serial.clone()}</h1>
        {c.editable.then(|| {
            let id = c.id;
            let retire = expect_context::<ServerAction<crate::functions::meter_form::RetireMeter>>();
            let ask = move |_| {
                if crate::components::confirm::confirmed(i18n.t(Msg::MfRetireAsk)) {
                    retire.dispatch(crate::functions::meter_form::RetireMeter { id });
                }
            };
            view! {
                <p class="card-actions">
                    <a class="button small" href=format!("/service/meters/{id}") data-testid="meter-edit">{i18n.tr(Msg::MfEditLink)}</a>
                    " "
                    <button type="button" class="button small danger" on:click=ask data-testid="meter-retire">{i18n.tr(Msg::MfRetire)}</button>
                </p>
            }
        })}
        <dl class="card-list" data-testid="meter-card">
            <dt>{i18n.tr(Msg::Address)}</dt><dd>{where_}</dd>
            <dt>{i18n.tr(Msg::Account)}</dt><dd>{c.account.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{i18n.tr(Msg::MeterType)}</dt><dd>{move || i18n.t(resource)} ", " {let u = c.unit.clone(); move || unit_text(&u, i18n.lang())}</dd>
            <dt>{i18n.tr(Msg::Tariffs)}</dt><dd>{c.tariffs}</dd>
            <dt>{i18n.tr(Msg::Capacity)}</dt><dd>{c.capacity.clone()}</dd>
            <dt>{i18n.tr(Msg::Multiplier)}</dt><dd>{format::decimal(c.multiplier.normalize())}</dd>
            {phase_words(&c.phase).map(|(words, line)| view! {
                <dt>{i18n.tr(Msg::MeterPhase)}</dt>
                <dd data-testid="meter-phase">
                    {move || i18n.t(words)} {line.map(|l| view! { ", " {i18n.tr(Msg::MeterOnLine)} " " {l} })}
                </dd>
            })}
            <dt>{i18n.tr(Msg::Installed)}</dt><dd>{opt_date(c.installed_on)}</dd>
            <dt>{i18n.tr(Msg::Verified)}</dt><dd>{opt_date(c.verified_on)}</dd>
            <dt>{i18n.tr(Msg::NextVerification)}</dt><dd>{opt_date(c.next_verification_on)}</dd>
            <dt>{i18n.tr(Msg::State)}</dt><dd>{move || i18n.t(state)}</dd>
            <dt>{i18n.tr(Msg::LastContact)}</dt><dd>{c.last_contact.clone().unwrap_or_else(|| "—".into())}</dd>
            {c.replaces.map(|id| view! {
                <dt>{i18n.tr(Msg::Replaces)}</dt><dd><a href=format!("/meters/{id}")>{"№ "}{id}</a></dd>
            })}
        </dl>
    }
    .into_any();
    let period = view! {
        <div class="toolbar period">
            <a class="button" rel="prev" href=format!("{base}?month={}", month_param(prev)) data-testid="prev-month">"‹ " {i18n.tr(Msg::PrevMonth)}</a>
            <strong class="period-name" data-testid="month">{format!("{:02}.{}", c.month.month(), c.month.year())}</strong>
            <a class="button" rel="next" href=format!("{base}?month={}", month_param(next)) data-testid="next-month">{i18n.tr(Msg::NextMonth)} " ›"</a>
            <span class="spacer"></span>
            <a class="button" href=format!("{base}/archive?kind=day&date={}", c.month.format("%Y-%m-%d")) data-testid="archives">{i18n.tr(Msg::ArchiveLink)}</a>
        </div>
    }
    .into_any();
    let days = view! {
        <h2>{i18n.tr(Msg::ConsumptionByDay)} ", " {let u = c.unit.clone(); move || unit_text(&u, i18n.lang())}</h2>
        <div class="table-wrap">
            <table class="data" data-testid="days">
                <thead><tr><th>{i18n.tr(Msg::Date)}</th>{head}</tr></thead>
                <tbody>{day_rows}</tbody>
                <tfoot>
                    <tr class="total"><th>{i18n.tr(Msg::MonthTotal)}</th>{total_cells}</tr>
                    <tr class="total period" data-testid="period-total"><th>{i18n.tr(Msg::PeriodConsumption)}</th>{period_cells}</tr>
                </tfoot>
            </table>
        </div>
        <p class="note">{i18n.tr(Msg::GapNote)} " " {i18n.tr(Msg::PeriodConsumption)} ": " {period_caption_text} "."</p>
    }
    .into_any();
    let readings = view! {
        <h2>{i18n.tr(Msg::ReadingsOfMonth)}</h2>
        <div class="table-wrap">
            <table class="data" data-testid="meter-readings">
                <thead><tr><th>{i18n.tr(Msg::Time)}</th>{head2}<th>{i18n.tr(Msg::Source)}</th><th>{i18n.tr(Msg::EnteredBy)}</th><th>{i18n.tr(Msg::Check)}</th></tr></thead>
                <tbody>{reading_rows}</tbody>
            </table>
        </div>
    }
    .into_any();
    let events = (!c.events.is_empty()).then(|| {
        let lines = c
            .events
            .iter()
            .map(|e| {
                let (kind, severity) = (e.kind, e.severity);
                let (values, state) = (e.values.clone(), e.clone());
                view! {
                    <li class=format!("ev-line {}", severity.as_str()) data-kind=kind.as_str()>
                        <span class=format!("sev {}", severity.as_str())>{move || i18n.t(kind.label())}</span>
                        " · " {e.started.clone()} " · " {move || values.describe(kind, i18n.lang())}
                        " · " <span class="muted">{move || state.state(i18n.lang())}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="meter-events panel" data-testid="meter-events">
                <h2><a href=format!("/monitoring/abnormal?object={}", c.object_id)>{i18n.tr(Msg::MenuAbnormal)}</a></h2>
                <ul>{lines}</ul>
            </section>
        }
    });
    view! { {card} {events} {period} {days} {readings} }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_tariff_meter_shows_its_tariffs_then_the_total() {
        assert_eq!(slots(1), vec![0]);
        assert_eq!(slots(2), vec![1, 2, 0]);
    }

    #[test]
    fn months_travel_in_the_url_as_year_and_month() {
        let d = parse_month("2026-02").unwrap();
        assert_eq!(month_param(d), "2026-02");
        assert_eq!(parse_month("2026-13"), None);
    }
}

/// A meter's phases in words: single- or three-phase, and the line of a single-phase one.
fn phase_words(phase: &str) -> Option<(Msg, Option<&'static str>)> {
    const LINES: [&str; 3] = ["L1", "L2", "L3"];
    match phase {
        "1" => Some((Msg::MeterSinglePhase, None)),
        "3" => Some((Msg::MeterThreePhase, None)),
        p => crate::models::balance::line_of(p).map(|n| (Msg::MeterSinglePhase, Some(LINES[n as usize - 1]))),
    }
}
