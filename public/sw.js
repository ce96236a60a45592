// Uchet service worker: visited pages and their hashed /pkg assets open with no network.
//
// - /pkg/* file names carry a content hash: cache first, they never change.
// - Pages: network first; the last good copy of each page answers when offline, then the
//   start page, then /offline.html.
// - Server functions (/api/*) and other non-GET requests always go to the network: data
//   entry queues live in the page's IndexedDB (store.js), not here.
// - Arriving at /login (signed out) forgets cached pages, so the next person on a shared
//   computer does not see them.
const SHELL = 'uchet-shell-v1';
const PKG = 'uchet-pkg-v1';
const PAGES = 'uchet-pages-v1';
// attached files (photos, PDFs) seen while signed in; forgotten at sign-out with the pages
const FILES = 'uchet-files-v1';
const PRECACHE = ['/offline.html', '/store.js', '/manifest.webmanifest', '/favicon.ico', '/icons/icon-192.png', '/icons/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  const keep = new Set([SHELL, PKG, PAGES, FILES]);
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => !keep.has(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(PKG)).put(request, response.clone());
  return response;
}

async function networkFirstPage(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    const finalPath = new URL(response.url || request.url).pathname;
    if (finalPath === '/login') {
      await caches.delete(PAGES);
      await caches.delete(FILES);
    } else if (response.ok && !response.redirected) {
      (await caches.open(PAGES)).put(url.pathname + url.search, response.clone());
    }
    return response;
  } catch (e) {
    const pages = await caches.open(PAGES);
    return (await pages.match(url.pathname + url.search)) || (await pages.match('/')) ||
      (await caches.match('/offline.html')) || Response.error();
  }
}

async function staleWhileRevalidate(request, name = SHELL) {
  const cache = await caches.open(name);
  const cached = await cache.match(request);
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  }).catch(() => cached);
  return cached || fresh;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === '/healthz' || url.pathname === '/metrics') return;
  // files made on request (tables, billing exports) are never kept on the device
  if (url.pathname.startsWith('/export/') || url.pathname.startsWith('/billing/file/')) return;
  if (url.pathname.startsWith('/pkg/')) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith('/attachments/')) {
    event.respondWith(staleWhileRevalidate(request, FILES));
  } else if (request.mode === 'navigate') {
    event.respondWith(networkFirstPage(request));
  } else {
    event.respondWith(staleWhileRevalidate(request));
  }
});
