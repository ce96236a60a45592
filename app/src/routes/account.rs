//! A personal account's card (F9): the premise, who of its people use the cabinet, and its
//! meters — installed, verified, next verification, the last reading per tariff and the
//! month's consumption; retired meters greyed but still open to their page.

use chrono::{Months, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::error_view::ErrorBox;
use crate::functions::subscribers::account_card;
use crate::i18n::{month_year, period_caption, resource_name, state_name, unit_name, use_i18n, Lang, Msg};
use crate::models::period::Basis;
use crate::models::amount::slot_label;
use crate::models::cabinet::registers_text;
use crate::models::subscribers::{AccountView, AccountMeter};
use crate::models::{format, MeterState};
use crate::resource::resource;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let args = Memo::new(move |_| {
        let account = params.with(|p| p.get("account").unwrap_or_default());
        let month = query.with(|q| q.get("month").and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()));
        (account, month)
    });
    let card = resource(move || args.get(), |(a, m)| account_card(a, m));
    view! {
        <Title text=i18n.tr(Msg::Account)/>
        <section class="page account">
            <p><a href="/subscribers">"← " {i18n.tr(Msg::SubTitle)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match card.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(c) => view! { <Card card=c/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Card(card: AccountView) -> impl IntoView {
    let i18n = use_i18n();
    let at = |m: NaiveDate| format!("/subscribers/{}?month={}", format::url_encode(&card.account), m.format("%Y-%m-%d"));
    let (prev, next) = (at(card.month - Months::new(1)), at(card.month + Months::new(1)));
    let cabinet = if card.cabinet.is_empty() {
        i18n.t(Msg::SubNoCabinet).to_string()
    } else {
        card.cabinet.join(", ")
    };
    let month = card.month;
    let meters = card
        .meters
        .iter()
        .map(|m| view! { <MeterLine meter=m.clone() month/> })
        .collect_view();
    // a sentence of its own: «Расчётный период «ноябрь 2026» — показания с …»
    let caption = {
        let text = period_caption(i18n.lang(), month, card.window);
        let mut chars = text.chars();
        chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
    };
    view! {
        <h1>{i18n.tr(Msg::Account)} " " {card.account.clone()}</h1>
        <dl class="card-list">
            <dt>{i18n.tr(Msg::Address)}</dt>
            <dd>{card.address.clone()} ", " {i18n.tr(Msg::Flat)} " " {card.flat.clone()} " (" {card.object_name.clone()} ")"</dd>
            <dt>{i18n.tr(Msg::SubOwner)}</dt><dd>{card.owner.clone()}</dd>
            <dt>{i18n.tr(Msg::Area)}</dt><dd>{card.area.replace('.', ",")}</dd>
            <dt>{i18n.tr(Msg::Residents)}</dt><dd>{card.residents}</dd>
            <dt>{i18n.tr(Msg::SubCabinet)}</dt><dd data-testid="cabinet">{cabinet}</dd>
        </dl>
        <div class="toolbar period">
            <a class="button small" href=prev>"←"</a>
            <strong class="period-name" data-testid="month">{month_year(i18n.lang(), card.month)}</strong>
            <a class="button small" href=next>"→"</a>
        </div>
        <div class="table-wrap">
            <table class="data account-meters" data-testid="account-meters">
                <thead><tr>
                    <th>{i18n.tr(Msg::NpResource)}</th>
                    <th>{i18n.tr(Msg::ColMeter)}</th>
                    <th>{i18n.tr(Msg::ColValue)}</th>
                    <th>{i18n.tr(Msg::SubLastReceived)}</th>
                    <th class="num">{i18n.tr(Msg::SubMonthConsumption)}</th>
                    <th class="num">{i18n.tr(Msg::PeriodConsumption)}</th>
                    <th>{i18n.tr(Msg::State)}</th>
                </tr></thead>
                <tbody>{meters}</tbody>
            </table>
        </div>
        <p class="note">{i18n.tr(Msg::GapNote)}</p>
        <p class="note" data-testid="period-caption">{caption} ". " {i18n.tr(Msg::PeriodNote)}</p>
    }
}

#[component]
fn MeterLine(meter: AccountMeter, month: NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let month_amounts = meter.month;
    let m = meter.meter;
    let retired = m.state == MeterState::Retired;
    let resource = m.resource;
    let state = m.state;
    let fraction = m.fraction as u32;
    let date = |d: Option<NaiveDate>| d.map(format::date).unwrap_or_else(|| "—".into());
    // the registers it shows: T1…Tn for a multi-tariff meter, else the total
    let slots: Vec<usize> = if m.tariffs > 1 { (1..=m.tariffs as usize).collect() } else { vec![0] };
    let value = m
        .last
        .as_ref()
        .map(|l| registers_text(&l.values, m.tariffs, fraction))
        .filter(|v| !v.is_empty());
    let waiting = m.last.as_ref().and_then(|l| l.waiting.clone()).map(|w| view! {
        <div class="waiting-value small" data-testid="waiting">
            <span class="tag warn">{i18n.tr(Msg::UnderReview)}</span> " "
            {registers_text(&w.values, m.tariffs, fraction)} <span class="muted">" · " {w.at}</span>
        </div>
    });
    let consumed = {
        let mut shown: Vec<usize> = slots.clone();
        if m.tariffs > 1 {
            shown.push(0);
        }
        shown
            .into_iter()
            .map(|s| format!("{} {}", slot_label(s, i18n.t(Msg::Total)), month_amounts[s].display_fixed(fraction)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let consumed = if m.tariffs > 1 { consumed } else { month_amounts[0].display_fixed(fraction) };
    let period = meter.period;
    let english = i18n.lang() == Lang::En;
    let by_period = if m.tariffs > 1 {
        let mut shown: Vec<usize> = slots.clone();
        shown.push(0);
        shown
            .into_iter()
            .map(|s| format!("{} {}", slot_label(s, i18n.t(Msg::Total)), period[s].amount.display_fixed(fraction)))
            .collect::<Vec<_>>()
            .join(" · ")
    } else {
        period[0].amount.display_fixed(fraction)
    };
    let basis = period[0].basis;
    let basis_words = (basis != Basis::Measured && period[0].amount.known().is_some())
        .then(|| view! { <br/><span class="tag basis-tag" data-basis=basis.as_str()>{basis.name(english)}</span> });
    let link = format!("/meters/{}?month={}", m.id, month.format("%Y-%m-%d"));
    view! {
        <tr class:retired=retired data-meter=m.id.to_string() data-resource=resource.as_str()>
            <td>{move || i18n.t(resource_name(resource))} <span class="muted small">", " {move || i18n.t(unit_name(resource))}</span></td>
            <td>
                <a href=link>{m.serial.clone()}</a> <span class="muted small">{m.model.clone()}</span><br/>
                <span class="muted small meter-life">
                    {i18n.tr(Msg::Installed)} " " {date(m.installed_on)} " · " {i18n.tr(Msg::Verified)} " " {date(m.verified_on)}
                    " · " {i18n.tr(Msg::NextVerification)} " " {date(m.next_verification_on)}
                </span>
            </td>
            <td class="value">{value.unwrap_or_else(|| "—".into())} {waiting}</td>
            <td>{m.last.as_ref().map(|l| l.at.clone()).unwrap_or_else(|| "—".into())}</td>
            <td class="num month">{consumed}</td>
            <td class="num by-period" data-testid="by-period">{by_period}{basis_words}</td>
            <td>{move || i18n.t(state_name(state))}</td>
        </tr>
    }
}
