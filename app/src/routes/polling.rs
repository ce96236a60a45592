//! «Опрос приборов» (SANEXT AutoPMS, F4): a building's meters on buses by category, with
//! their latest values and last poll, a status bar (next scheduled poll, polled / not
//! polled, the poll under way with its progress) and polls asked by hand. While a poll runs
//! the page refreshes itself.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::ErrorBox;
use crate::components::layout::follow_selected_object;
use crate::functions::polling::{poll_exchange, poll_now, polling_console};
use crate::i18n::{use_i18n, Msg};
use crate::models::format;
use crate::models::polling::{Category, Console, ConsoleRow, Terminal};

fn category_label(c: Category) -> Msg {
    match c {
        Category::ElectricityFlats => Msg::CatElFlats,
        Category::ElectricityCommon => Msg::CatElCommon,
        Category::HeatWaterFlats => Msg::CatHwFlats,
        Category::HeatWaterCommon => Msg::CatHwCommon,
    }
}

fn href(object: i64, c: Category) -> String {
    format!("/monitoring/polling?object={object}&cat={}", c.as_str())
}

fn terminal_href(object: i64, meter: Option<i64>) -> String {
    match meter {
        Some(m) => format!("/monitoring/polling?object={object}&cat=terminal&meter={m}"),
        None => format!("/monitoring/polling?object={object}&cat=terminal"),
    }
}

/// The category tabs and the terminal tab; `active` None is the terminal.
fn tabs(object: i64, active: Option<Category>) -> impl IntoView {
    let i18n = use_i18n();
    let categories = Category::ALL
        .into_iter()
        .map(|c| {
            let class = if Some(c) == active { "tab active" } else { "tab" };
            view! { <a class=class href=href(object, c)>{i18n.t(category_label(c))}</a> }
        })
        .collect_view();
    let class = if active.is_none() { "tab active" } else { "tab" };
    view! {
        {categories}
        <a class=class href=terminal_href(object, None) data-testid="terminal-tab">{i18n.t(Msg::TermTab)}</a>
    }
}

#[component]
pub fn PollingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let category = Memo::new(move |_| {
        params.with(|m| m.get("cat").and_then(|c| Category::parse(&c)).unwrap_or_default())
    });
    let object = Memo::new(move |_| params.with(|m| m.get("object").and_then(|v| v.parse::<i64>().ok())));
    let terminal = Memo::new(move |_| params.with(|m| m.get("cat").as_deref() == Some("terminal")));
    let meter = Memo::new(move |_| params.with(|m| m.get("meter").and_then(|v| v.parse::<i64>().ok())));
    let tick = RwSignal::new(0u32);
    let running = RwSignal::new(false);
    let console = Resource::new(
        move || (object.get(), category.get(), tick.get(), terminal.get()),
        |(o, c, _, t)| async move {
            if t {
                Ok(None)
            } else {
                polling_console(o, c).await.map(Some)
            }
        },
    );
    let exchange = Resource::new(
        move || (object.get(), meter.get(), terminal.get()),
        |(o, m, t)| async move {
            if t {
                poll_exchange(o, m).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let poll = Action::new(|(object, meter): &(i64, Option<i64>)| poll_now(*object, *meter));
    Effect::new(move |_| {
        if poll.value().with(|v| v.as_ref().is_some_and(|r| r.is_ok())) {
            running.set(true);
            tick.update(|t| *t += 1);
        }
    });
    // Effects run in the browser only: while a poll is queued or running, look again every
    // 1.5 s.
    Effect::new(move |_| {
        if let Ok(h) = set_interval_with_handle(
            move || {
                if running.get_untracked() {
                    tick.update(|t| *t += 1);
                }
            },
            std::time::Duration::from_millis(1500),
        ) {
            on_cleanup(move || h.clear());
        }
    });
    follow_selected_object(move |id| {
        if terminal.get_untracked() {
            terminal_href(id, None)
        } else {
            href(id, category.get_untracked())
        }
    });
    view! {
        <Title text=move || i18n.t(Msg::PollingTitle)/>
        <section class="page polling">
            <h1>{move || i18n.t(Msg::PollingTitle)}</h1>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match exchange.await {
                        Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                        Ok(Some(t)) => return view! { <TerminalView terminal=t/> }.into_any(),
                        Ok(None) => {}
                    }
                    match console.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Ok(Some(c)) => {
                            running.set(c.job.as_ref().is_some_and(|j| j.running));
                            view! { <ConsoleView console=c poll=poll/> }.into_any()
                        }
                    }
                })}
            </Transition>
            {move || poll.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
        </section>
    }
}

#[component]
fn StatusBar(console: Console) -> impl IntoView {
    let i18n = use_i18n();
    let job = console.job.clone().map(|j| {
        let title = if !j.running {
            Msg::PollLast
        } else if j.done == 0 && j.seconds <= 0 {
            Msg::PollQueued
        } else {
            Msg::PollRunning
        };
        let (done, total) = (j.done, j.total.max(j.done));
        view! {
            <div class="poll-job" data-running=j.running.to_string() data-done=done data-total=total data-reason=j.reason.clone() data-job=j.id>
                <span>{i18n.t(title)} " " {j.requested.clone()} ": "</span>
                <strong class="poll-progress-text">{done} " " {i18n.t(Msg::PollOf)} " " {total}</strong>
                <progress max=total.max(1) value=done></progress>
                {(!j.running).then(|| view! { <span>" · " {i18n.t(Msg::PollOk).to_lowercase()} ": " {j.ok}</span> })}
                {j.running.then(|| view! { <span>" · " {i18n.t(Msg::PollWaiting)} ": " {j.seconds.max(0)}</span> })}
            </div>
        }
    });
    let bad_class = if console.not_polled > 0 { "poll-bad" } else { "" };
    view! {
        <div class="poll-status" role="status">
            <span>{i18n.t(Msg::PollNext)} ": " <strong>{console.next_poll.clone().unwrap_or_else(|| "—".into())}</strong></span>
            <span>{i18n.t(Msg::PollTotal)} ": " <strong class="poll-total">{console.total}</strong></span>
            <span>{i18n.t(Msg::PollOk)} ": " <strong class="poll-ok">{console.polled}</strong></span>
            <span class=bad_class>
                {i18n.t(Msg::PollFailed)} ": " <strong class="poll-failed">{console.not_polled}</strong>
            </span>
            {job}
        </div>
    }
}

#[component]
fn ConsoleView(console: Console, poll: Action<(i64, Option<i64>), Result<i64, crate::errors::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let object = console.object_id;
    let tariffs = console.rows.iter().map(|r| r.tariffs).max().unwrap_or(1);
    let can_poll = console.can_poll;
    let tabs = tabs(object, Some(console.category));
    let rows = console.rows.clone();
    let empty = rows.is_empty();
    view! {
        <h2>{console.object_name.clone()}</h2>
        <StatusBar console=console.clone()/>
        <div class="toolbar">
            {can_poll.then(|| view! {
                <button class="primary poll-building" on:click=move |_| { poll.dispatch((object, None)); }>
                    {i18n.t(Msg::PollBuilding)}
                </button>
            })}
        </div>
        <nav class="tabs">{tabs}</nav>
        {if empty {
            view! { <p class="empty">{i18n.t(Msg::PollNoDevices)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data polling-table">
                        <thead><tr>
                            <th>{i18n.t(Msg::ColPlace)}</th>
                            <th>{i18n.t(Msg::Model)}</th>
                            <th>{i18n.t(Msg::ColMeter)}</th>
                            <th>{i18n.t(Msg::ColLine)}</th>
                            <th>{i18n.t(Msg::ColBusAddress)}</th>
                            <th class="num">{i18n.t(Msg::ColTotal)}</th>
                            {(1..=tariffs).filter(|_| tariffs > 1).map(|t| view! { <th class="num">{format!("Т{t}")}</th> }).collect_view()}
                            <th>{i18n.t(Msg::ColChanged)}</th>
                            <th>{i18n.t(Msg::ColPolled)}</th>
                            <th>{i18n.t(Msg::ColState)}</th>
                            {can_poll.then(|| view! { <th></th> })}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! { <Row row=r tariffs=tariffs object=object can_poll=can_poll poll=poll/> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn Row(
    row: ConsoleRow,
    tariffs: u8,
    object: i64,
    can_poll: bool,
    poll: Action<(i64, Option<i64>), Result<i64, crate::errors::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = |v: Option<rust_decimal::Decimal>| v.map(format::decimal).unwrap_or_default();
    let total = value(row.values[0].or(row.values[1]));
    let state = match (row.protocol.is_empty(), row.ok) {
        (true, _) => i18n.t(Msg::PollNotRead).to_string(),
        (false, Some(true)) if row.message.is_empty() => i18n.t(Msg::PollAnswered).to_string(),
        (false, Some(true)) => format!("{}: {}", i18n.t(Msg::PollAnswered), row.message),
        (false, Some(false)) => row.message.clone(),
        (false, None) => "—".into(),
    };
    let class = match row.ok {
        Some(false) => "not-polled",
        _ => "",
    };
    let meter = row.meter_id;
    view! {
        <tr class=class data-meter=meter>
            <td>{row.place.clone()}</td>
            <td>{row.model.clone()}</td>
            <td><a href=format!("/meters/{meter}")>{row.serial.clone()}</a></td>
            <td>{row.line.clone()}</td>
            <td class="num">{row.address.clone()}</td>
            <td class="num value-total">{total}</td>
            {(1..=tariffs as usize).filter(|_| tariffs > 1).map(|t| view! { <td class="num">{value(row.values[t])}</td> }).collect_view()}
            <td class="changed">{row.changed.clone().unwrap_or_default()}</td>
            <td class="polled">{row.polled.clone().unwrap_or_default()}</td>
            <td class="state">{state}</td>
            {(can_poll && !row.protocol.is_empty()).then(|| view! {
                <td><button class="link poll-meter" on:click=move |_| { poll.dispatch((object, Some(meter))); }>{i18n.t(Msg::PollMeter)}</button></td>
            })}
            {(can_poll && row.protocol.is_empty()).then(|| view! { <td></td> })}
        </tr>
    }
}

/// The raw exchange of a meter's last poll, frame by frame.
#[component]
fn TerminalView(terminal: Terminal) -> impl IntoView {
    let i18n = use_i18n();
    let object = terminal.object_id;
    let navigate = leptos_router::hooks::use_navigate();
    let on_meter = move |ev: leptos::ev::Event| {
        let m = event_target_value(&ev).parse::<i64>().ok();
        navigate(&terminal_href(object, m), Default::default());
    };
    let chosen = terminal.meter_id;
    let options = terminal
        .meters
        .iter()
        .map(|(id, label)| {
            let id = *id;
            view! { <option value=id.to_string() selected=chosen == Some(id)>{label.clone()}</option> }
        })
        .collect_view();
    let status = match (terminal.polled.clone(), terminal.ok) {
        (Some(at), Some(true)) => format!("{}: {at} · {}", i18n.t(Msg::PollLast), i18n.t(Msg::PollAnswered)),
        (Some(at), _) => format!("{}: {at} · {}", i18n.t(Msg::PollLast), terminal.message),
        (None, _) => i18n.t(Msg::TermEmpty).to_string(),
    };
    let body = if terminal.meters.is_empty() {
        view! { <p class="empty">{i18n.t(Msg::TermNoMeters)}</p> }.into_any()
    } else {
        view! {
            <div class="toolbar">
                <label>{i18n.t(Msg::TermMeter)} " "
                    <select class="term-meter" on:change=on_meter>{options}</select>
                </label>
            </div>
            <p class="term-status" role="status">{status}</p>
            <p class="muted">{i18n.t(Msg::TermLead)}</p>
            <div class="table-wrap">
                <table class="data terminal-table">
                    <thead><tr>
                        <th>{i18n.t(Msg::Time)}</th>
                        <th>{i18n.t(Msg::TermDirection)}</th>
                        <th>{i18n.t(Msg::TermBytes)}</th>
                    </tr></thead>
                    <tbody>
                        {terminal.lines.iter().map(|l| {
                            let (class, arrow) = if l.sent { ("frame sent", "→") } else { ("frame received", "←") };
                            view! {
                                <tr class=class>
                                    <td class="time">{l.time.clone()}</td>
                                    <td class="direction">{arrow}</td>
                                    <td class="hex"><code>{l.hex.clone()}</code></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    };
    view! {
        <h2>{terminal.object_name.clone()}</h2>
        <nav class="tabs">{tabs(object, None)}</nav>
        {body}
    }
}
