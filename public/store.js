// Uchet's device store: IndexedDB, where what a person typed survives a reload, a closed
// browser and a restarted phone. The app (app/src/offline/store.rs) calls these functions
// through `self.uchetStore`; every value is JSON text and every key starts with the user's
// id, so two people sharing a phone never see each other's entries.
//
// Writes resolve only when their transaction has committed (durability "strict" where the
// browser offers it), so a value reported kept is on disk. Every write is announced to the
// app's other tabs (a `uchet-store` event on their window), so two tabs of one sheet show
// each other's typing.
(function () {
  'use strict';
  const NAME = 'uchet';
  const VERSION = 1;
  const STORES = ['sheets', 'drafts', 'queue', 'meta'];
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        const request = indexedDB.open(NAME, VERSION);
        request.onupgradeneeded = function () {
          const db = request.result;
          for (const s of STORES) if (!db.objectStoreNames.contains(s)) db.createObjectStore(s);
        };
        request.onsuccess = function () {
          const db = request.result;
          // another tab upgrading the schema: let it, and open again next time
          db.onversionchange = function () { db.close(); opening = null; };
          resolve(db);
        };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  function transact(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = mode === 'readwrite'
          ? db.transaction(store, mode, { durability: 'strict' })
          : db.transaction(store, mode);
        let result;
        work(tx.objectStore(store), function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error('transaction aborted')); };
      });
    });
  }

  // Tells the other tabs of this browser that a store changed.
  const tabs = self.BroadcastChannel ? new BroadcastChannel('uchet-store') : null;
  if (tabs) {
    tabs.onmessage = function (e) {
      self.dispatchEvent(new CustomEvent('uchet-store', { detail: e.data }));
    };
  }
  function announce(stores) {
    if (tabs) tabs.postMessage(stores);
  }

  // Whether a conditional write applies to what is stored under its key now: `le` — absent,
  // or its field is at most the value (a later typing wins); `eq` — present with that field;
  // `absent` — nothing stored.
  function holds(when, current) {
    if (!when) return true;
    if (current === undefined) return when.op !== 'eq';
    if (when.op === 'absent') return false;
    let field;
    try { field = JSON.parse(current)[when.f]; } catch (e) { return false; }
    return when.op === 'le' ? !(field > when.v) : field === when.v;
  }

  function prefixRange(prefix) {
    return IDBKeyRange.bound(prefix, prefix + '\uffff');
  }

  self.uchetStore = {
    get: function (store, key) {
      return transact(store, 'readonly', function (os, done) {
        const r = os.get(key);
        r.onsuccess = function () { done(r.result === undefined ? null : r.result); };
      });
    },
    put: function (store, key, value) {
      return transact(store, 'readwrite', function (os) { os.put(value, key); }).then(function () { return null; });
    },
    putMany: function (store, keys, values) {
      return transact(store, 'readwrite', function (os) {
        for (let i = 0; i < keys.length; i++) os.put(values[i], keys[i]);
      }).then(function () { return null; });
    },
    deleteMany: function (store, keys) {
      return transact(store, 'readwrite', function (os) {
        for (const k of keys) os.delete(k);
      }).then(function () { return null; });
    },
    // Writes across stores in one transaction, all or nothing: ops is a JSON array of
    // {s: store, k: key, v: JSON text or null (delete), when: {op, f, v} or null}.
    batch: function (stores, ops) {
      const list = JSON.parse(ops);
      return open().then(function (db) {
        return new Promise(function (resolve, reject) {
          const tx = db.transaction(stores, 'readwrite', { durability: 'strict' });
          for (const op of list) {
            const os = tx.objectStore(op.s);
            const apply = function () {
              if (op.v === null) os.delete(op.k); else os.put(op.v, op.k);
            };
            if (!op.when) { apply(); continue; }
            const r = os.get(op.k);
            r.onsuccess = function () { if (holds(op.when, r.result)) apply(); };
          }
          tx.oncomplete = function () { announce(stores); resolve(null); };
          tx.onerror = function () { reject(tx.error); };
          tx.onabort = function () { reject(tx.error || new Error('transaction aborted')); };
        });
      });
    },
    all: function (store, prefix) {
      return transact(store, 'readonly', function (os, done) {
        const r = os.getAll(prefixRange(prefix));
        r.onsuccess = function () { done(r.result); };
      });
    },
    count: function (store, prefix) {
      return transact(store, 'readonly', function (os, done) {
        const r = os.count(prefixRange(prefix));
        r.onsuccess = function () { done(r.result); };
      });
    },
    // Moves a building's draft kept the old way — one record `{user}:draft:{object}` holding
    // every meter's values — to a record per field (`{user}:field:{object}:{meter}:{tariff}`),
    // each unless a later typing of that field is kept already. Done here, not in the app,
    // so the app carries no reader for a format it no longer writes.
    migrateDraft: function (user, object) {
      const oldKey = user + ':draft:' + object;
      return open().then(function (db) {
        return new Promise(function (resolve, reject) {
          const tx = db.transaction('drafts', 'readwrite', { durability: 'strict' });
          const os = tx.objectStore('drafts');
          const r = os.get(oldKey);
          r.onsuccess = function () {
            if (r.result === undefined) return;
            let old;
            try { old = JSON.parse(r.result); } catch (e) { return; }
            const meters = (old && old.meters) || {};
            for (const meter of Object.keys(meters)) {
              const m = meters[meter] || {};
              const values = m.values || {};
              for (const tariff of Object.keys(values)) {
                const field = {
                  meter_id: Number(meter), tariff: Number(tariff), text: String(values[tariff]),
                  at: (Number(m.typed_at) || 0) * 1000,
                  refused: (m.refused && m.refused[tariff]) || null,
                };
                const key = user + ':field:' + object + ':' + meter + ':' + tariff;
                const k = os.get(key);
                k.onsuccess = function () {
                  if (holds({ op: 'le', f: 'at', v: field.at }, k.result)) os.put(JSON.stringify(field), key);
                };
              }
            }
            os.delete(oldKey);
          };
          tx.oncomplete = function () { resolve(null); };
          tx.onerror = function () { reject(tx.error); };
          tx.onabort = function () { reject(tx.error || new Error('transaction aborted')); };
        });
      });
    },
    // Forgets what the device keeps of a signed-out user (whose keys begin with `prefix`):
    // the kept sheets and lists, small facts, the record of past sends, and the service
    // worker's copies of pages and attached files. What they typed and did not send yet
    // (field drafts, the queue) stays for their next sign-in; returns how many such items.
    forgetUser: function (prefix) {
      const range = function (p) { return IDBKeyRange.bound(p, p + '\uffff'); };
      const forgotten = open().then(function (db) {
        return new Promise(function (resolve, reject) {
          const tx = db.transaction(['sheets', 'meta', 'drafts', 'queue'], 'readwrite', { durability: 'strict' });
          tx.objectStore('sheets').delete(range(prefix));
          tx.objectStore('meta').delete(range(prefix));
          tx.objectStore('drafts').delete(range(prefix + 'sent:'));
          let kept = 0;
          const fields = tx.objectStore('drafts').count(range(prefix + 'field:'));
          fields.onsuccess = function () { kept += fields.result; };
          const queued = tx.objectStore('queue').count(range(prefix));
          queued.onsuccess = function () { kept += queued.result; };
          tx.oncomplete = function () { announce(['sheets', 'meta', 'drafts']); resolve(kept); };
          tx.onerror = function () { reject(tx.error); };
        });
      });
      const cleared = self.caches
        ? Promise.all(['uchet-pages-v1', 'uchet-files-v1'].map(function (c) { return caches.delete(c); }))
        : Promise.resolve();
      return Promise.all([forgotten, cleared]).then(function (r) { return r[0]; });
    },
    // Keeps a page and the files it loads in the service worker's caches, so it opens with
    // no network even when this visit came before the service worker took over.
    keepPage: function (url) {
      if (!self.caches) return Promise.resolve(null);
      // the bundle's files: linked ones, and those loaded since (split chunks, imports)
      const linked = Array.from(document.querySelectorAll('link[href], script[src]'))
        .map(function (el) { return el.getAttribute('href') || el.getAttribute('src'); });
      const loaded = (self.performance && performance.getEntriesByType
        ? performance.getEntriesByType('resource') : [])
        .map(function (e) { return new URL(e.name).pathname; });
      const files = Array.from(new Set(linked.concat(loaded)))
        .filter(function (u) { return u && u.startsWith('/pkg/'); });
      return Promise.all([
        caches.open('uchet-pages-v1').then(function (c) { return c.add(url); }),
        caches.open('uchet-pkg-v1').then(function (c) {
          return Promise.all(files.map(function (u) {
            return c.match(u).then(function (hit) { return hit || c.add(u).catch(function () {}); });
          }));
        }),
        caches.open('uchet-shell-v1').then(function (c) { return c.add('/store.js').catch(function () {}); }),
      ]).then(function () { return null; });
    },
  };
})();
