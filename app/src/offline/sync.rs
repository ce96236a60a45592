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
use crate::models::field::{settle, Draft, QueuedEntry, Settlement};

/// Key of the moment the last send succeeded, in `Store::Meta`.
const LAST_OK: &str = "last_sync_ok";

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
    /// Bumped when refused values went back into drafts, so open sheets reload them.
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

    /// The key of one building's draft.
    pub fn draft_key(self, object_id: i64) -> String {
        self.key(&format!("draft:{object_id}"))
    }

    /// The key of one building's kept sheet.
    pub fn sheet_key(self, object_id: i64) -> String {
        self.key(&format!("sheet:{object_id}"))
    }

    pub async fn load_draft(self, object_id: i64) -> Draft {
        match store::get::<Draft>(Store::Drafts, &self.draft_key(object_id)).await {
            Ok(d) => d.unwrap_or_default(),
            Err(e) => {
                self.device_problem.set(Some(e.to_string()));
                Draft::default()
            }
        }
    }

    /// Keeps a building's draft at once; a failure is shown, never swallowed.
    pub async fn save_draft(self, object_id: i64, draft: &Draft) {
        match store::put(Store::Drafts, &self.draft_key(object_id), draft).await {
            Ok(()) => self.device_problem.set(None),
            Err(e) => self.device_problem.set(Some(e.to_string())),
        }
    }

    /// Puts entries in the queue (all or none) and starts a send.
    pub async fn enqueue(self, object_id: i64, entries: Vec<EntryInput>) -> Result<(), String> {
        let now = device_now();
        let items: Vec<(String, QueuedEntry)> = entries
            .into_iter()
            .map(|input| {
                (
                    self.key(&input.entry_id),
                    QueuedEntry {
                        user_id: self.user_id,
                        object_id,
                        input,
                        queued_at: now,
                    },
                )
            })
            .collect();
        store::put_many(Store::Queue, &items)
            .await
            .map_err(|e| e.to_string())?;
        self.recount().await;
        self.flush();
        Ok(())
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
            total.done.extend(s.done);
            total.returned.extend(s.returned);
            total.stored += s.stored;
            total.duplicates += s.duplicates;
            total.flagged += s.flagged;
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

    /// Refused values go back to their drafts first, then the answered entries leave the
    /// queue: a crash in between sends an entry twice (harmless), never loses a value.
    async fn apply(self, s: &Settlement) -> Result<(), String> {
        let mut objects: Vec<i64> = s.returned.iter().map(|r| r.object_id).collect();
        objects.sort_unstable();
        objects.dedup();
        for object_id in objects {
            let mut draft = self.load_draft(object_id).await;
            for r in s.returned.iter().filter(|r| r.object_id == object_id) {
                draft.restore(r, || super::new_entry_id("field", r.meter_id));
            }
            store::put(Store::Drafts, &self.draft_key(object_id), &draft)
                .await
                .map_err(|e| e.to_string())?;
        }
        if !s.returned.is_empty() {
            self.drafts_changed.update(|n| *n += 1);
        }
        let keys: Vec<String> = s.done.iter().map(|id| self.key(id)).collect();
        store::delete_many(Store::Queue, keys)
            .await
            .map_err(|e| e.to_string())
    }
}
