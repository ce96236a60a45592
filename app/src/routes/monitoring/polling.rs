//! «Опрос приборов» (SANEXT AutoPMS, F4): a building's meters on buses by category, with
//! their latest values and last poll, a status bar (next scheduled poll, polled / not
//! polled, the poll under way with its progress) and polls asked by hand. While a poll runs
//! the page refreshes itself.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::layout::follow_selected_object;
use crate::functions::polling::{get_device_choices, poll_exchange, poll_now, polling_console, RemoveDevice, SaveDevice};
use crate::i18n::{use_i18n, Msg};
use crate::models::format;
use crate::models::polling::{Category, Console, ConsoleRow, Terminal, PROTOCOLS};
use crate::resource::{kept, resource};

/// What the console asks the collector to poll.
#[derive(Clone, Debug, Default)]
struct PollAsk {
    object: i64,
    meter: Option<i64>,
    category: Option<Category>,
    meters: Vec<i64>,
}

type PollAction = Action<PollAsk, Result<i64, crate::errors::AppError>>;

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
            view! { <a class=class href=href(object, c)>{i18n.t(c.label())}</a> }
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
    let console = resource(
        move || (object.get(), category.get(), tick.get(), terminal.get()),
        |(o, c, _, t)| async move {
            if t {
                Ok(None)
            } else {
                polling_console(o, c).await.map(Some)
            }
        },
    );
    let exchange = resource(
        move || (object.get(), meter.get(), terminal.get()),
        |(o, m, t)| async move {
            if t {
                poll_exchange(o, m).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let poll: PollAction = Action::new(|a: &PollAsk| {
        let a = a.clone();
        async move { poll_now(a.object, a.meter, a.category, a.meters).await }
    });
    // the rows ticked for «Опросить выбранные»: kept while the table refreshes, dropped with
    // another tab or building
    let picked = RwSignal::new(Vec::<i64>::new());
    Effect::new(move |_| {
        let _ = (category.get(), object.get());
        picked.set(Vec::new());
    });
    Effect::new(move |_| {
        if poll.value().with(|v| v.as_ref().is_some_and(|r| r.is_ok())) {
            running.set(true);
            picked.set(Vec::new());
            tick.update(|t| *t += 1);
        }
    });
    // a device put on a line, changed or taken off: the table shows it at once
    let save = ServerAction::<SaveDevice>::new();
    let remove = ServerAction::<RemoveDevice>::new();
    Effect::new(move |_| {
        let saved = save.value().with(|v| v.as_ref().is_some_and(|r| r.is_ok()));
        let removed = remove.value().with(|v| v.as_ref().is_some_and(|r| r.is_ok()));
        if saved || removed {
            tick.update(|t| *t += 1);
        }
    });
    let can_edit = use_context::<crate::models::views::SessionView>()
        .is_some_and(|s| s.role.allows(crate::models::Permission::EditData));
    // the building the console shows (asked, or the top bar's): the device form's
    let shown = RwSignal::new(None::<i64>);
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
        <Title text=i18n.tr(Msg::PollingTitle)/>
        <section class="page polling">
            <h1>{i18n.tr(Msg::PollingTitle)}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
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
                            // after hydration (an effect), so the server's page and the
                            // browser's first render agree: the form is the browser's
                            let id = c.object_id;
                            Effect::new(move |_| {
                                if shown.get_untracked() != Some(id) {
                                    shown.set(Some(id));
                                }
                            });
                            view! { <ConsoleView console=c poll=poll picked=picked remove=remove/> }.into_any()
                        }
                    }
                })}
            </Transition>
            {move || poll.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e/> })}
            <ActionError value=remove.value()/>
            {move || (can_edit && !terminal.get())
                .then(|| shown.get().map(|o| view! { <DeviceForm object=o category=category.get() save=save/> }))}
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
                {if j.running {
                    view! {
                        <strong class="poll-progress-text">{done} " " {i18n.t(Msg::PollOf)} " " {total}</strong>
                        <progress max=total.max(1) value=done></progress>
                        {(j.seconds > 0).then(|| view! { <span class="muted">" · " {i18n.t(Msg::PollWaitingFor)} " " {j.seconds} " " {i18n.t(Msg::SecondsShort)}</span> })}
                    }.into_any()
                } else if total == 1 {
                    // one meter asked: whether it answered says it all
                    view! {
                        <strong class="poll-progress-text">{i18n.t(if j.ok == 1 { Msg::PollOneAnswered } else { Msg::PollOneSilent })}</strong>
                    }.into_any()
                } else {
                    view! {
                        <strong class="poll-progress-text">{i18n.t(Msg::PollAnsweredOf)} " " {j.ok} " " {i18n.t(Msg::PollOf)} " " {total}</strong>
                    }.into_any()
                }}
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
fn ConsoleView(
    console: Console,
    poll: PollAction,
    picked: RwSignal<Vec<i64>>,
    remove: ServerAction<RemoveDevice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let object = console.object_id;
    let category = console.category;
    let tariffs = console.rows.iter().map(|r| r.tariffs).max().unwrap_or(1);
    let can_poll = console.can_poll;
    let tabs = tabs(object, Some(console.category));
    let rows = console.rows.clone();
    let empty = rows.is_empty();
    let pollable: Vec<i64> = rows.iter().filter(|r| !r.protocol.is_empty()).map(|r| r.meter_id).collect();
    let export = format!("object={object}&cat={}", category.as_str());
    let ask = move |a: PollAsk| {
        poll.dispatch(a);
    };
    let all_picked = {
        let pollable = pollable.clone();
        move || !pollable.is_empty() && picked.with(|p| pollable.iter().all(|m| p.contains(m)))
    };
    let pick_all = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        picked.set(if on { pollable.clone() } else { Vec::new() });
    };
    view! {
        <h2>{console.object_name.clone()}</h2>
        <StatusBar console=console.clone()/>
        <div class="toolbar">
            {can_poll.then(|| view! {
                <button class="primary poll-building" on:click=move |_| ask(PollAsk { object, ..Default::default() })>
                    {i18n.t(Msg::PollBuilding)}
                </button>
                <button class="button poll-category" disabled=empty on:click=move |_| ask(PollAsk { object, category: Some(category), ..Default::default() })>
                    {i18n.t(Msg::PollCategory)}
                </button>
                <button class="button poll-selected" disabled=move || picked.with(|p| p.is_empty())
                    on:click=move |_| ask(PollAsk { object, meters: picked.get_untracked(), ..Default::default() })>
                    {i18n.t(Msg::PollSelected)} " (" {move || picked.with(|p| p.len())} ")"
                </button>
            })}
            <span class="spacer"></span>
            <a class="button" href=format!("/export/polling.xlsx?{export}") download data-testid="export-xlsx">{i18n.t(Msg::ExportXlsx)}</a>
            <a class="button" href=format!("/export/polling.csv?{export}") download>{i18n.t(Msg::ExportCsv)}</a>
        </div>
        <nav class="tabs">{tabs}</nav>
        {if empty {
            view! { <p class="empty">{i18n.t(Msg::PollNoDevices)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data polling-table">
                        <thead><tr>
                            {can_poll.then(|| view! {
                                <th class="pick"><input type="checkbox" class="pick-all" prop:checked=all_picked on:change=pick_all aria-label=i18n.t(Msg::PollPickAll)/></th>
                            })}
                            <th>{i18n.t(Msg::ColPlace)}</th>
                            // the model under the number: one column less on a laptop
                            <th>{i18n.t(Msg::ColMeter)} <span class="muted small">{i18n.t(Msg::Model).to_lowercase()}</span></th>
                            <th>{i18n.t(Msg::ColLine)}</th>
                            <th>{i18n.t(Msg::ColBusAddress)}</th>
                            <th class="num">{i18n.t(Msg::ColTotal)}</th>
                            {(1..=tariffs).filter(|_| tariffs > 1).map(|t| view! { <th class="num">{format!("Т{t}")}</th> }).collect_view()}
                            // when the value changed and when the meter was last asked: one
                            // column of two lines, so a laptop shows every column
                            <th class="times">{i18n.t(Msg::ColChanged)} <br/><span class="muted small">{i18n.t(Msg::ColPolled).to_lowercase()}</span></th>
                            <th>{i18n.t(Msg::ColState)}</th>
                            {can_poll.then(|| view! { <th></th> })}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! { <Row row=r tariffs=tariffs object=object can_poll=can_poll poll=poll picked=picked remove=remove/> }).collect_view()}
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
    poll: PollAction,
    picked: RwSignal<Vec<i64>>,
    remove: ServerAction<RemoveDevice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let fraction = row.fraction as u32;
    let value = move |v: Option<rust_decimal::Decimal>| v.map(|v| format::fixed(v, fraction)).unwrap_or_default();
    let total = value(row.values[0].or(row.values[1]));
    let state = row.state(i18n.lang());
    let class = match row.ok {
        Some(false) => "not-polled",
        _ => "",
    };
    let meter = row.meter_id;
    view! {
        <tr class=class data-meter=meter>
            {can_poll.then(|| {
                let pollable = !row.protocol.is_empty();
                view! {
                    <td class="pick">
                        {pollable.then(|| view! {
                            <input type="checkbox" class="pick" prop:checked=move || picked.with(|p| p.contains(&meter))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    picked.update(|p| {
                                        p.retain(|m| *m != meter);
                                        if on {
                                            p.push(meter);
                                        }
                                    });
                                }/>
                        })}
                    </td>
                }
            })}
            <td>{row.place.clone()}</td>
            <td class="meter"><a href=format!("/meters/{meter}")>{row.serial.clone()}</a><br/><span class="muted small">{row.model.clone()}</span></td>
            <td class="line">{row.line.clone()}</td>
            <td class="num">{row.address.clone()}</td>
            <td class="num value-total">{total}</td>
            {(1..=tariffs as usize).filter(|_| tariffs > 1).map(|t| view! { <td class="num">{value(row.values[t])}</td> }).collect_view()}
            <td class="times">
                <span class="changed">{row.changed.clone().unwrap_or_else(|| "—".into())}</span><br/>
                <span class="polled muted small">{row.polled.clone().unwrap_or_else(|| "—".into())}</span>
            </td>
            <td class="state">{state}</td>
            {(can_poll && !row.protocol.is_empty()).then(|| view! {
                <td class="actions">
                    <button class="link poll-meter" on:click=move |_| { poll.dispatch(PollAsk { object, meter: Some(meter), ..Default::default() }); }>{i18n.t(Msg::PollMeter)}</button>
                    " "
                    <button class="link remove-device" on:click=move |_| {
                        if confirmed(i18n.t(Msg::DevRemove)) {
                            remove.dispatch(RemoveDevice { object, meter });
                        }
                    }>{i18n.t(Msg::DevRemove)}</button>
                </td>
            })}
            {(can_poll && row.protocol.is_empty()).then(|| view! { <td></td> })}
        </tr>
    }
}

/// Asks the browser's confirmation before an action that changes what the collector does.
fn confirmed(question: &str) -> bool {
    crate::components::confirm::confirmed(&format!("{question}?"))
}

/// «Подключить или изменить прибор»: a meter of the tab put on one of the building's lines
/// with its protocol, bus address and password; choosing a meter fills in how it is read now.
#[component]
fn DeviceForm(object: i64, category: Category, save: ServerAction<SaveDevice>) -> impl IntoView {
    let i18n = use_i18n();
    let save_kept = kept(*save);
    let choices = resource(move || save_kept.get(), move |_| get_device_choices(object, category));
    let line = RwSignal::new(String::new());
    let protocol = RwSignal::new(String::from("mercury"));
    let address = RwSignal::new(String::new());
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <details class="panel device-form" data-testid="device-form">
            <summary>{i18n.t(Msg::DevTitle)}</summary>
            <Transition fallback=move || view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let ch = match choices.await {
                        Ok(ch) => ch,
                        Err(e) => return view! { <ErrorBox error=e/> }.into_any(),
                    };
                    let meters = ch.meters.clone();
                    let on_meter = move |ev: leptos::ev::Event| {
                        let id = event_target_value(&ev).parse::<i64>().ok();
                        if let Some(d) = meters.iter().find(|d| Some(d.meter_id) == id) {
                            line.set(d.line_id.map(|l| l.to_string()).unwrap_or_default());
                            protocol.set(if d.protocol.is_empty() { "mercury".into() } else { d.protocol.clone() });
                            address.set(d.address.clone());
                        }
                    };
                    let meter_options = ch
                        .meters
                        .iter()
                        .map(|d| {
                            let now = if d.protocol.is_empty() { String::new() } else { format!(" · {} {}", d.protocol, d.address) };
                            view! { <option value=d.meter_id>{format!("{}{now}", d.label)}</option> }
                        })
                        .collect_view();
                    let line_options = ch
                        .lines
                        .iter()
                        .map(|l| view! { <option value=l.id>{l.name.clone()}</option> })
                        .collect_view();
                    view! {
                        <ActionForm action=save attr:class="form-grid">
                            <input type="hidden" name="object" value=object/>
                            <label>
                                <span>{i18n.t(Msg::DevMeter)}</span>
                                <select name="meter" required on:change=on_meter>
                                    <option value="" selected>"—"</option>
                                    {meter_options}
                                </select>
                            </label>
                            <label>
                                <span>{i18n.t(Msg::DevLine)}</span>
                                <select name="line" required prop:value=move || line.get()>
                                    <option value="">"—"</option>
                                    {line_options}
                                </select>
                            </label>
                            <label>
                                <span>{i18n.t(Msg::DevProtocol)}</span>
                                <select name="protocol" prop:value=move || protocol.get()>
                                    {PROTOCOLS.iter().map(|(p, name)| view! { <option value=*p>{*name}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>
                                <span>{i18n.t(Msg::ColBusAddress)}</span>
                                <input type="number" name="address" min="1" max="250" required prop:value=move || address.get()/>
                            </label>
                            <label>
                                <span>{i18n.t(Msg::DevPassword)}</span>
                                <input type="text" name="password" maxlength="12" autocomplete="off"/>
                            </label>
                            <button type="submit" class="primary">{i18n.t(Msg::DevSave)}</button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Transition>
            <ActionError value=save.value()/>
            {move || saved().then(|| view! { <p class="ok" data-testid="device-saved">{i18n.t(Msg::DevSaved)}</p> })}
        </details>
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
