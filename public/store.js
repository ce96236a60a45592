// Uchet's device store: IndexedDB, where what a person typed survives a reload, a closed
// browser and a restarted phone. The app (app/src/offline/store.rs) calls these functions
// through `self.uchetStore`; every value is JSON text and every key starts with the user's
// id, so two people sharing a phone never see each other's entries.
//
// Writes resolve only when their transaction has committed (durability "strict" where the
// browser offers it), so a value reported kept is on disk.
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
