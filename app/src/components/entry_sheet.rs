//! The one entry sheet of every offline screen — field staff walking a building, residents
//! in their cabinet: flats with one field per meter and register (the shared
//! `ReadingInput`), the previous reading on demand, and «Отправить» into the device queue
//! (`offline::sync`). Every typed value is kept on the device at once.

use leptos::either::Either;
use leptos::prelude::*;

use crate::components::reading_input::ReadingInput;
use crate::components::sync_status::device_time;
use crate::i18n::{month_year, resource_name, use_i18n, I18n, Msg};
use crate::models::period::BillingWindow;
use crate::models::entry::EntryMeter;
use crate::models::field::{Draft, FieldKey, FieldSheet, SentValue, Settlement, Verdict};
use crate::models::format;
use crate::models::text::lowercase;
use crate::offline::sync::EntryQueue;
use crate::offline::device_now_ms;
use crate::prefs;

/// Whether the «previous reading» column is on.
pub const PREVIOUS_COOKIE: &str = "uchet_field_previous";
const YEAR: u32 = 365 * 24 * 3600;

/// Which billing period readings typed today count for, and a warning when today is outside
/// the window (a reading on the 26th goes to next month's period).
pub fn period_line(i18n: I18n, window: BillingWindow) -> impl IntoView {
    let today = crate::offline::device_today();
    let period = window.period_of(today);
    let outside = !window.contains(today);
    view! {
        <p class="entry-period" class:outside=outside data-testid="entry-period">
            {i18n.tr(Msg::PeriodWillCount)} ": " <strong>{month_year(i18n.lang(), period)}</strong>
            {outside.then(|| view! { " · " {i18n.tr(Msg::PeriodOutsideWindow)} " (" {window.first_day} "–" {window.last_day} ")" })}
        </p>
    }
}

/// One sheet of meters to type into: flats with one field per meter and register, the
/// «previous reading» column, «Отправить» with its question when fields are empty. Every
/// typed value is kept on the device at once (the draft of `sheet.object_id`) and a send
/// goes through the device queue. `saved_offline` says the sheet opens with no network.
#[component]
pub fn SheetForm(
    sheet: FieldSheet,
    from_device: bool,
    saved_offline: RwSignal<bool>,
    /// Whether «previous reading» shows until the person chooses (their choice is remembered).
    #[prop(optional)]
    previous_by_default: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = expect_context::<EntryQueue>();
    let object_id = sheet.object_id;
    let draft = RwSignal::new(Draft::default());
    // Sending waits for the kept draft to be read; typing does not (a phone slow to open its
    // store must not drop what is typed meanwhile: the read keeps fields typed after it began).
    let loaded = RwSignal::new(false);
    let show_previous = RwSignal::new(match prefs::read_cookie(PREVIOUS_COOKIE).as_deref() {
        Some(v) => v == "1",
        None => previous_by_default,
    });
    let filter = RwSignal::new(String::new());
    let ask = RwSignal::new(false);
    // «Не все поля заполнены» is asked once per walk of the building, not on every send
    let asked = RwSignal::new(false);
    let note: RwSignal<Option<Msg>> = RwSignal::new(None);
    let total = sheet.field_count();

    // The device's copy, at opening and whenever it changed under the sheet (an answer of
    // the server, another tab). What this screen typed while it was read stays.
    let reread = move || {
        let since = device_now_ms();
        leptos::task::spawn_local(async move {
            let read = sync.load_draft(object_id).await;
            draft.update(|d| *d = d.reread(read, since));
            loaded.set(true);
        });
    };
    Effect::new(move |_| {
        sync.drafts_changed.track();
        reread();
    });

    let on_value = move |meter_id: i64, tariff: u8, text: String| {
        let at = device_now_ms();
        let mut kept = None;
        draft.update(|d| kept = d.set(meter_id, tariff, &text, at));
        let key = FieldKey { meter_id, tariff };
        leptos::task::spawn_local(async move { sync.save_field(object_id, key, kept, at).await });
    };

    let send_now = move || {
        ask.set(false);
        let snapshot = draft.get_untracked();
        if snapshot.ready() == 0 {
            note.set(Some(Msg::EntryNothing));
            return;
        }
        leptos::task::spawn_local(async move {
            match sync.send(object_id, &snapshot).await {
                Ok(_) => {
                    note.set(Some(Msg::FieldQueued));
                    reread();
                }
                Err(e) => sync.device_problem.set(Some(e)),
            }
        });
    };
    let on_send = move |_| {
        let (ready, filled) = draft.with_untracked(|d| (d.ready(), d.filled()));
        if ready == 0 {
            note.set(Some(Msg::EntryNothing));
        } else if filled < total && !asked.get_untracked() {
            asked.set(true);
            ask.set(true);
        } else {
            send_now();
        }
    };

    let header = view! {
        <div class="sheet-head" data-testid="sheet" data-object=object_id.to_string() data-ready=move || saved_offline.get().to_string()>
            <h2>{sheet.object_name.clone()}</h2>
            <p class="muted">{sheet.address.clone()}</p>
            {from_device.then(|| view! {
                <p class="warn-text" data-testid="from-device">{i18n.tr(Msg::FieldOfflineCopy)} " " {device_time(sheet.made_at)}</p>
            })}
            {period_line(i18n, sheet.window)}
            <Show when=move || saved_offline.get() && !from_device>
                <p class="ok small">"✓ " {i18n.tr(Msg::FieldReady)}</p>
            </Show>
        </div>
        <div class="sheet-tools">
            <input type="search" class="grow" autocomplete="off" placeholder=i18n.tr(Msg::FieldFilter)
                prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev))/>
            <details class="column-settings">
                <summary>"⚙ " {i18n.tr(Msg::Columns)}</summary>
                <label class="check">
                    <input type="checkbox" name="previous" prop:checked=move || show_previous.get()
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            show_previous.set(on);
                            prefs::write_cookie(PREVIOUS_COOKIE, if on { "1" } else { "0" }, YEAR);
                        }/>
                    {i18n.tr(Msg::FieldPrevColumn)}
                </label>
            </details>
        </div>
    };

    let empty = sheet.premises.is_empty();
    let premises = sheet
        .premises
        .iter()
        .map(|p| {
            let flat = p.flat.clone();
            let serials: Vec<String> = p.meters.iter().map(|m| lowercase(&m.serial)).collect();
            let flat_for_filter = lowercase(&flat);
            let shown = move || {
                let f = lowercase(filter.get().trim());
                let f = f.trim_start_matches("кв.").trim_start_matches("кв").trim();
                f.is_empty() || flat_for_filter == f || serials.iter().any(|s| s.contains(f))
            };
            let title = if flat.is_empty() {
                Either::Left(view! { <h3>{i18n.tr(Msg::FieldCommon)}</h3> })
            } else {
                let f = flat.clone();
                Either::Right(view! { <h3>{i18n.tr(Msg::FieldFlat)} " " {f.clone()}</h3> })
            };
            let meters = p
                .meters
                .iter()
                .map(|m| meter_view(m, draft, show_previous, on_value))
                .collect_view();
            view! {
                <div class="premise" data-flat=flat style:display=move || if shown() { "" } else { "none" }>
                    {title}
                    {meters}
                </div>
            }
        })
        .collect_view();

    let footer = view! {
        <div class="send-bar">
            <span class="filled" data-testid="filled">
                {i18n.tr(Msg::FieldFilled)} " " {move || draft.with(|d| d.filled())} " " {i18n.tr(Msg::FieldOf)} " " {total}
            </span>
            <button type="button" class="button primary" data-testid="field-send" on:click=on_send disabled=move || !loaded.get()>
                {i18n.tr(Msg::FieldSend)}
                {move || match draft.with(|d| d.ready()) {
                    0 => None,
                    n => Some(view! { " " <span class="count" data-testid="send-count">{format::integer(n as i64)}</span> }),
                }}
            </button>
            // «kept on the device and being sent» holds only while something waits
            {move || note.get().filter(|m| *m != Msg::FieldQueued || sync.waiting.get() > 0).map(|m| view! {
                <span class="note" data-testid="field-note">{move || i18n.t(m)}</span>
            })}
        </div>
        {move || sync.report.get().map(|r| view! { <p class="muted" data-testid="field-report">{report_text(&r, i18n)}</p> })}
        <Show when=move || ask.get()>
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" data-testid="not-all-filled">
                    <p>{i18n.tr(Msg::FieldNotAllFilled)}</p>
                    <div class="toolbar">
                        <button type="button" class="button" data-testid="back" on:click=move |_| ask.set(false)>{i18n.tr(Msg::FieldBack)}</button>
                        <button type="button" class="button primary" data-testid="send-anyway" on:click=move |_| send_now()>{i18n.tr(Msg::FieldSendAnyway)}</button>
                    </div>
                </div>
            </div>
        </Show>
    };

    view! {
        <div class="panel field-sheet">
            {header}
            {empty.then(|| view! { <p class="muted">{i18n.tr(Msg::FieldNoMeters)}</p> })}
            {premises}
            {footer}
        </div>
    }
}

/// One meter of the sheet: what it is, and one field per register.
fn meter_view(
    m: &EntryMeter,
    draft: RwSignal<Draft>,
    show_previous: RwSignal<bool>,
    on_value: impl Fn(i64, u8, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let meter_id = m.meter_id;
    let capacity = m.capacity;
    let fraction = capacity.fraction() as u32;
    let resource = resource_name(m.resource);
    let registers = m
        .registers
        .iter()
        .map(|r| {
            let tariff = r.tariff;
            let previous = match (r.last, r.last_date) {
                (Some(v), Some(d)) => format!("{} · {}", format::date(d), format::fixed(v, fraction)),
                _ => "—".to_string(),
            };
            let label = format!("{} {} T{tariff}", i18n.t(resource), m.serial);
            view! {
                <div class="field-register" data-meter=meter_id.to_string() data-tariff=tariff.to_string()>
                    <span class="tariff">{(tariff > 0).then(|| format!("T{tariff}"))}</span>
                    <Show when=move || show_previous.get()>
                        <span class="previous muted" data-testid="previous">{previous.clone()}</span>
                    </Show>
                    <ReadingInput
                        capacity
                        value=Signal::derive(move || draft.with(|d| d.value(meter_id, tariff)))
                        on_change=Callback::new(move |text: String| on_value(meter_id, tariff, text))
                        label
                        invalid=Signal::derive(move || draft.with(|d| d.refusal(meter_id, tariff).is_some()))
                    />
                    <span class="refusal" role="alert">
                        {move || draft.with(|d| d.refusal(meter_id, tariff)).map(|p| p.text(i18n.lang()))}
                    </span>
                    // a refused send is told by the field's own refusal
                    {move || draft.with(|d| d.last_sent(meter_id, tariff).filter(|s| !matches!(s.verdict, Verdict::Refused(_))).cloned()).map(|sent| sent_line(&sent, i18n))}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="field-meter" data-meter=meter_id.to_string()>
            <div class="meter-head">
                <span class="resource">{move || i18n.t(resource)}</span>
                <span>{i18n.tr(Msg::FieldSerial)} " " {m.serial.clone()}</span>
                <span class="muted">{i18n.tr(Msg::FieldDigits)} " " {capacity.label()}</span>
            </div>
            {registers}
        </div>
    }
}

/// What was last sent from a field: when, the value, and what the server said.
fn sent_line(sent: &SentValue, i18n: I18n) -> impl IntoView {
    let verdict = match sent.verdict {
        Verdict::Waiting => i18n.t(Msg::SentWaiting).to_string(),
        Verdict::Stored => i18n.t(Msg::SentStored).to_string(),
        Verdict::Flagged => i18n.t(Msg::SentFlagged).to_string(),
        Verdict::OnServer => i18n.t(Msg::SentOnServer).to_string(),
        Verdict::Refused(p) => format!("{}: {}", i18n.t(Msg::SentRefused), p.text(i18n.lang())),
    };
    let class = format!("sent {}", sent.verdict.name());
    view! {
        <span class=class data-testid="sent" data-verdict=sent.verdict.name()>
            {i18n.t(Msg::SentAt)} " " {device_time(sent.at.div_euclid(1000))} ": "
            <b>{sent.text.clone()}</b> " — " {verdict}
        </span>
    }
}

/// The last answer of the server in words a person reads as they are meant: a resend the
/// server already had is «всё на сервере», not «принято: 0».
fn report_text(r: &Settlement, i18n: I18n) -> String {
    let n = |v: usize| format::integer(v as i64);
    let mut parts = Vec::new();
    if r.all_on_server() {
        parts.push(format!("✓ {}: {}", i18n.t(Msg::ReportAllOnServer), n(r.stored + r.duplicates)));
        if r.duplicates > 0 && r.stored > 0 {
            parts.push(format!("{} {}", i18n.t(Msg::ReportOfThemEarlier), n(r.duplicates)));
        }
    } else {
        parts.push(format!("{}: {}", i18n.t(Msg::FieldAccepted), n(r.stored)));
        if r.duplicates > 0 {
            parts.push(format!("{}: {}", i18n.t(Msg::FieldAlready), n(r.duplicates)));
        }
    }
    if r.flagged > 0 {
        parts.push(format!("{}: {}", i18n.t(Msg::FieldFlaggedCount), n(r.flagged)));
    }
    if r.refused > 0 {
        parts.push(format!("{}: {}", i18n.t(Msg::ReportRefused), n(r.refused)));
    }
    parts.join(" · ")
}
