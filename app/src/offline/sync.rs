//! The queue of typed readings: a send puts its entries on the device first, then tries the
//! server. Whatever the server has not answered stays queued and goes again when the
//! network returns, when the app opens and every half minute while anything waits. Entry
//! ids make every repeat harmless. One `EntryQueue` lives in the signed-in frame, so the queue
//! drains from whatever page is open.

use leptos::prelude::*;

use super::device_now;
use super::store::{self, Store};
use crate::errors::AppError;
use crate::functions::entry::{submit_readings, MAX_ENTRIES_PER_SEND};
use crate::models::entry::EntryInput;
use crate::models::field::{
    settle, Draft, DraftField, FieldKey, QueuedEntry, SentValue, Settlement, Verdict,
};
use super::store::{Op, When};

/// Key of the moment the last send succeeded, in `Store::Meta`.
const LAST_OK: &str = "last_sync_ok";
/// How long a sheet shows an answered send.
const SENT_KEPT_SECONDS: i64 = 31 * 86_400;

#[derive(Clone, Copy)]
pub struct EntryQueue {
    pub user_id: i64,
    /// Entries on the device waiting for the server.
    pub waiting: RwSignal<usize>,
    /// When the server last took a send (device clock, UTC seconds).
    pub last_ok: RwSignal<Option<i64>>,
    pub busy: RwSignal<bool>,
    /// What the browser says of the network (`navigator.onLine`); true on the server.
    pub online: RwSignal<bool>,
    /// Why the last attempt did not reach the server; None after a success.
    pub problem: RwSignal<Option<AppError>>,
    /// The device store itself failed: typed values may not be kept.
    pub device_problem: RwSignal<Option<String>>,
    /// The last answer the server gave.
    pub report: RwSignal<Option<Settlement>>,
    /// Bumped when the device's typed values or sends changed under an open sheet (an
    /// answer of the server, another tab), so open sheets read them again.
    pub drafts_changed: RwSignal<u32>,
    again: StoredValue<bool>,
}

impl EntryQueue {
    /// Made by the signed-in frame; in the browser it counts the queue, sends what waits
    /// and listens for the network's return.
    pub fn provide(user_id: i64) -> EntryQueue {
        let sync = EntryQueue {
            user_id,
            waiting: RwSignal::new(0),
            last_ok: RwSignal::new(None),
            busy: RwSignal::new(false),
            online: RwSignal::new(true),
            problem: RwSignal::new(None),
            device_problem: RwSignal::new(None),
            report: RwSignal::new(None),
            drafts_changed: RwSignal::new(0),
            again: StoredValue::new(false),
        };
        provide_context(sync);
        Effect::new(move |_| {
            // after hydration: the server rendered the page as online
            #[cfg(feature = "hydrate")]
            sync.online.set(
                web_sys::window()
                    .map(|w| w.navigator().on_line())
                    .unwrap_or(true),
            );
            leptos::task::spawn_local(async move {
                if let Ok(Some(t)) = store::get::<i64>(Store::Meta, &sync.key(LAST_OK)).await {
                    sync.last_ok.set(Some(t));
                }
                sync.recount().await;
                sync.flush();
            });
        });
        #[cfg(feature = "hydrate")]
        {
            let online = window_event_listener_untyped("online", move |_| {
                sync.online.set(true);
                sync.flush();
            });
            let offline = window_event_listener_untyped("offline", move |_| sync.online.set(false));
            // another tab wrote to the device store: its queue and typed values show here too
            let other_tab = window_event_listener_untyped("uchet-store", move |_| {
                sync.drafts_changed.update(|n| *n += 1);
                leptos::task::spawn_local(async move { sync.recount().await });
            });
            let retry = set_interval_with_handle(
                move || {
                    if sync.waiting.get_untracked() > 0 {
                        sync.flush();
                    }
                },
                std::time::Duration::from_secs(30),
            )
            .ok();
            on_cleanup(move || {
                online.remove();
                offline.remove();
                other_tab.remove();
                if let Some(r) = retry {
                    r.clear();
                }
            });
        }
        sync
    }

    fn key(self, name: &str) -> String {
        store::key(self.user_id, name)
    }

    /// What the keys of one sheet's typed fields begin with.
    fn fields_prefix(self, object_id: i64) -> String {
        self.key(&format!("field:{object_id}:"))
    }

    fn field_key(self, object_id: i64, key: FieldKey) -> String {
        format!("{}{}:{}", self.fields_prefix(object_id), key.meter_id, key.tariff)
    }

    /// What the keys of one sheet's last sends begin with.
    fn sent_prefix(self, object_id: i64) -> String {
        self.key(&format!("sent:{object_id}:"))
    }

    fn sent_key(self, object_id: i64, key: FieldKey) -> String {
        format!("{}{}:{}", self.sent_prefix(object_id), key.meter_id, key.tariff)
    }

    /// The key of one building's kept sheet.
    pub fn sheet_key(self, object_id: i64) -> String {
        self.key(&format!("sheet:{object_id}"))
    }

    /// A sheet's typed fields and last sends as the device keeps them. A draft kept the old
    /// way (one record per building) is moved to field records first (`store.js`).
    pub async fn load_draft(self, object_id: i64) -> Draft {
        match self.read_draft(object_id).await {
            Ok(d) => d,
            Err(e) => {
                self.device_problem.set(Some(e.to_string()));
                Draft::default()
            }
        }
    }

    async fn read_draft(self, object_id: i64) -> Result<Draft, store::StoreError> {
        store::migrate_draft(self.user_id, object_id).await?;
        let fields: Vec<DraftField> =
            store::all(Store::Drafts, &self.fields_prefix(object_id)).await?;
        let mut sent: Vec<SentValue> =
            store::all(Store::Drafts, &self.sent_prefix(object_id)).await?;
        // what went a month ago and was answered is no longer news
        let old = (device_now() - SENT_KEPT_SECONDS) * 1000;
        let is_old = |v: &SentValue| v.at < old && v.verdict != Verdict::Waiting;
        let stale: Vec<Op> = sent
            .iter()
            .filter(|v| is_old(v))
            .map(|v| {
                Op::delete(Store::Drafts, self.sent_key(object_id, v.key()))
                    .when(When::still("at", v.at))
            })
            .collect();
        if !stale.is_empty() {
            sent.retain(|v| !is_old(v));
            store::batch(&[Store::Drafts], &stale).await?;
        }
        Ok(Draft::from_kept(fields, sent))
    }

    /// Keeps one typed field at once (`None`: emptied), unless another tab typed into the
    /// same field later; a failure is shown, never swallowed.
    pub async fn save_field(
        self,
        object_id: i64,
        key: FieldKey,
        field: Option<DraftField>,
        at: i64,
    ) {
        let store_key = self.field_key(object_id, key);
        let op = match &field {
            Some(f) => Op::put(Store::Drafts, store_key, f),
            None => Ok(Op::delete(Store::Drafts, store_key)),
        };
        let saved = match op {
            Ok(op) => store::batch(&[Store::Drafts], &[op.when(When::not_newer("at", at))]).await,
            Err(e) => Err(e),
        };
        match saved {
            Ok(()) => self.device_problem.set(None),
            Err(e) => self.device_problem.set(Some(e.to_string())),
        }
    }

    /// Sends a sheet's ready values: in one transaction they go into the queue (each meter's
    /// values as one entry under a new id), leave their fields — each only if it still holds
    /// what was sent — and are recorded as sent; then a send to the server starts. Returns
    /// how many values went.
    pub async fn send(self, object_id: i64, draft: &Draft) -> Result<usize, String> {
        let now = device_now();
        let outgoing = draft.outgoing(|meter| super::new_entry_id("field", meter));
        let mut ops = Vec::new();
        let mut values = 0;
        for o in &outgoing {
            let queued = QueuedEntry {
                user_id: self.user_id,
                object_id,
                input: o.input.clone(),
                queued_at: now,
            };
            let key = self.key(&o.input.entry_id);
            ops.push(Op::put(Store::Queue, key, &queued).map_err(|e| e.to_string())?);
            for (key, at) in &o.fields {
                let field = self.field_key(object_id, *key);
                ops.push(Op::delete(Store::Drafts, field).when(When::still("at", *at)));
            }
            for sent in SentValue::waiting(&o.input, now * 1000) {
                let key = self.sent_key(object_id, sent.key());
                ops.push(Op::put(Store::Drafts, key, &sent).map_err(|e| e.to_string())?);
                values += 1;
            }
        }
        store::batch(&[Store::Queue, Store::Drafts], &ops)
            .await
            .map_err(|e| e.to_string())?;
        self.recount().await;
        self.flush();
        Ok(values)
    }

    async fn recount(self) {
        match store::count(Store::Queue, &store::prefix(self.user_id)).await {
            Ok(n) => self.waiting.set(n),
            Err(e) => self.device_problem.set(Some(e.to_string())),
        }
    }

    /// Sends what waits, unless a send is already on its way (then it runs again after).
    pub fn flush(self) {
        if self.busy.get_untracked() {
            self.again.set_value(true);
            return;
        }
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            loop {
                self.again.set_value(false);
                self.flush_once().await;
                if !self.again.get_value() {
                    break;
                }
            }
            self.busy.set(false);
        });
    }

    async fn flush_once(self) {
        let queued: Vec<QueuedEntry> =
            match store::all(Store::Queue, &store::prefix(self.user_id)).await {
                Ok(q) => q,
                Err(e) => {
                    self.device_problem.set(Some(e.to_string()));
                    return;
                }
            };
        let mut total = Settlement::default();
        for chunk in queued.chunks(MAX_ENTRIES_PER_SEND) {
            let inputs: Vec<EntryInput> = chunk.iter().map(|q| q.input.clone()).collect();
            let results = match submit_readings(inputs).await {
                Ok(r) => r,
                Err(e) => {
                    // out of reach, signed out or refused whole: everything stays queued
                    self.problem.set(Some(e));
                    self.recount().await;
                    return;
                }
            };
            let s = settle(chunk, &results);
            if let Err(e) = self.apply(&s).await {
                self.device_problem.set(Some(e));
            }
            total.extend(s);
        }
        if !queued.is_empty() {
            let now = device_now();
            let _ = store::put(Store::Meta, &self.key(LAST_OK), &now).await;
            self.last_ok.set(Some(now));
            self.report.set(Some(total));
        }
        self.problem.set(None);
        self.recount().await;
    }

    /// In one transaction: every answered value's record gets its verdict (if it is still
    /// that send's record), refused values go back into their fields (unless typed again
    /// since), and the answered entries leave the queue. A crash before it commits sends the
    /// entries again (harmless: their ids), never loses a value.
    async fn apply(self, s: &Settlement) -> Result<(), String> {
        let mut ops = Vec::new();
        for a in &s.answered {
            let sent = self.sent_key(a.object_id, a.key());
            let record = Op::put(Store::Drafts, sent, &a.sent_value()).map_err(|e| e.to_string())?;
            ops.push(record.when(When::still("entry_id", a.entry_id.clone())));
            if let Some(field) = a.returned_field() {
                let key = self.field_key(a.object_id, a.key());
                let back = Op::put(Store::Drafts, key, &field).map_err(|e| e.to_string())?;
                ops.push(back.when(When::absent()));
            }
        }
        for id in &s.done {
            ops.push(Op::delete(Store::Queue, self.key(id)));
        }
        store::batch(&[Store::Queue, Store::Drafts], &ops)
            .await
            .map_err(|e| e.to_string())?;
        if !s.answered.is_empty() {
            self.drafts_changed.update(|n| *n += 1);
        }
        Ok(())
    }
}
