// Registers the service worker that lets visited pages open with no network.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(function (e) { console.warn('service worker', e); });
}
