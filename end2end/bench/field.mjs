// Field entry figures (issue: reading entry): bytes on the wire for the field route on a first
// load and on a cached reload, and the time a queue of 1,000 readings takes to drain when the
// network returns. Runs against a server with the demo company (UCHET_URL).
//   node bench/field.mjs [ENTRIES]
import { launch, open, signIn, hydrated, PHONE, BASE } from '../tests/helpers.js';

const ENTRIES = Number(process.argv[2] || 1000);

/** Counts bytes that crossed the network (not served by the service worker or a cache). */
async function meter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Map();
  cdp.on('Network.responseReceived', (e) => {
    seen.set(e.requestId, { url: e.response.url, sw: e.response.fromServiceWorker, bytes: 0, encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '' });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = seen.get(e.requestId);
    if (r) r.bytes = r.sw ? 0 : e.encodedDataLength;
  });
  return {
    reset: () => seen.clear(),
    report: () => {
      const rows = [...seen.values()];
      const sum = (f) => rows.filter(f).reduce((a, r) => a + r.bytes, 0);
      const isAsset = (r) => /\/pkg\/|\/store\.js|\/register-sw\.js/.test(r.url);
      return {
        assets: sum(isAsset),
        page: sum((r) => !isAsset(r) && !/\/api\//.test(r.url)),
        api: sum((r) => /\/api\//.test(r.url)),
        files: rows.filter(isAsset).map((r) => `${new URL(r.url).pathname} ${r.bytes} B${r.sw ? ' (service worker)' : ''} ${r.encoding}`),
      };
    },
  };
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

const browser = await launch();
const { context, page } = await open(browser, PHONE);
await signIn(page, 'controller');
await page.goto('/field');
await hydrated(page);
const href = await page.locator('.building-list a.building-link').first().getAttribute('href');

// first load: a fresh context knows nothing of the route
const fresh = await open(browser, PHONE);
await fresh.context.addCookies(await context.cookies());
const m1 = await meter(fresh.page);
await fresh.page.goto(href);
await hydrated(fresh.page);
await fresh.page.waitForSelector('[data-testid="sheet"][data-ready="true"]');
const first = m1.report();
await fresh.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
m1.reset();
await fresh.page.reload();
await hydrated(fresh.page);
const cached = m1.report();
await fresh.context.close();

// 1,000 queued readings: put on the device offline, then the network returns
await page.goto(href);
await hydrated(page);
await page.waitForSelector('[data-testid="sheet"][data-ready="true"]');
const userId = await page.evaluate(async () => {
  const r = await fetch('/api/session_info', { method: 'POST', headers: { accept: 'application/json' } });
  return (await r.json()).user_id;
});
const registers = await page.$$eval('.field-register', (rs) => rs.map((r) => ({
  meter: Number(r.dataset.meter), tariff: Number(r.dataset.tariff), digits: r.querySelector('input').dataset.digits,
})));
const objectId = Number(new URL(href, BASE).searchParams.get('object'));
await context.setOffline(true);
const stamp = Date.now();
const typedAt = Math.floor(stamp / 1000) - 3600;
await page.evaluate(async ({ userId, registers, objectId, n, stamp, typedAt }) => {
  const keys = [];
  const values = [];
  for (let i = 0; i < n; i++) {
    const r = registers[i % registers.length];
    const int = Number(r.digits.split(',')[0]);
    const id = `bench-${stamp}-${i}-${r.meter}`;
    keys.push(`${userId}:${id}`);
    values.push(JSON.stringify({
      user_id: userId, object_id: objectId, queued_at: typedAt,
      input: { entry_id: id, meter_id: r.meter, values: [{ tariff: r.tariff, text: String(1 + (i % 7)).repeat(Math.min(int, 4)) }], typed_at: typedAt - i },
    }));
  }
  await self.uchetStore.putMany('queue', keys, values);
}, { userId, registers, objectId, n: ENTRIES, stamp, typedAt });
await page.reload();
await hydrated(page);
await page.waitForSelector(`[data-testid="sync"][data-waiting="${ENTRIES}"]`, { timeout: 30000 });
const t0 = Date.now();
await context.setOffline(false);
await page.waitForSelector('[data-testid="sync"][data-waiting="0"]', { timeout: 120000 });
const drained = Date.now() - t0;
await browser.close();

console.log(`field route, first load: assets ${kb(first.assets)} on the wire (wasm + js + css + store.js), page ${kb(first.page)}, data ${kb(first.api)}`);
for (const f of first.files) console.log(`  ${f}`);
console.log(`field route, cached reload: assets ${kb(cached.assets)} on the wire, page ${kb(cached.page)}`);
console.log(`queue of ${ENTRIES} readings drained in ${drained} ms after the network returned`);
