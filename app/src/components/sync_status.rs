//! What waits on the device and when the server last took a send: a field worker in a
//! basement must see that nothing typed is lost and that it has not gone out yet.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::models::format;
use crate::offline::sync::EntryQueue;

/// A device-clock moment (UTC seconds) as `dd.mm.yyyy hh:mm` in the device's own zone.
pub fn device_time(ts: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ts as f64 * 1000.0));
        format!(
            "{:02}.{:02}.{} {:02}:{:02}",
            d.get_date(),
            d.get_month() + 1,
            d.get_full_year(),
            d.get_hours(),
            d.get_minutes()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::DateTime::from_timestamp(ts, 0)
            .map(|t| format::date_time(t.naive_utc()))
            .unwrap_or_default()
    }
}

#[component]
pub fn SyncStatus() -> impl IntoView {
    let i18n = use_i18n();
    let Some(sync) = use_context::<EntryQueue>() else {
        return None;
    };
    let waiting = sync.waiting;
    Some(view! {
        <div class="sync-status" data-testid="sync" data-user=sync.user_id.to_string() data-waiting=move || sync.waiting.get().to_string() data-busy=move || sync.busy.get().to_string()>
            <span class="queue" class:pending={move || waiting.get() > 0}>
                {move || if sync.waiting.get() > 0 {
                    format!("{}: {}", i18n.t(Msg::SyncWaiting), format::integer(sync.waiting.get() as i64))
                } else {
                    i18n.t(Msg::SyncNothingWaiting).to_string()
                }}
            </span>
            <span class="last-ok muted">
                {move || sync.last_ok.get().map(|t| format!("{} {}", i18n.t(Msg::SyncLastOk), device_time(t)))}
            </span>
            {move || sync.busy.get().then(|| view! { <span class="muted">{i18n.t(Msg::SyncSending)}</span> })}
            {move || (sync.waiting.get() > 0).then(|| sync.problem.get()).flatten().map(|e| view! {
                <span class="warn-text" data-testid="sync-problem">{e.text(i18n.lang())}</span>
            })}
            {move || sync.device_problem.get().map(|e| view! {
                <span class="error-text" role="alert">{i18n.t(Msg::SyncDeviceProblem)} ": " {e}</span>
            })}
            {move || (!sync.online.get()).then(|| view! { <span class="warn-text" data-testid="offline">{i18n.t(Msg::NoNetwork)}</span> })}
            <Show when=move || sync.waiting.get() != 0>
                <button type="button" class="button small" disabled=move || sync.busy.get() on:click=move |_| sync.flush()>
                    {i18n.tr(Msg::SyncNow)}
                </button>
            </Show>
        </div>
    })
}
