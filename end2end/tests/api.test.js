// «Доступ по API» (issue 28, the open API) in headless Chromium: an administrator makes a token
// for 1С, copies it from the page (shown once), a script reads the company's buildings with
// it and posts a reading, the reference page opens, the token is revoked from the page and
// stops working at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, open, signIn, hydrated, makeToken, BASE, DESKTOP, PHONE, SHOTS } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const call = (token, path, init = {}) =>
  fetch(`${BASE}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers || {}) } });

test('an administrator makes a token, a script uses it, and revoking it stops it', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'admin');
  await page.click('nav.side-menu a[href="/settings/api"]');
  await page.waitForURL('**/settings/api');
  await hydrated(page);
  const name = `1С ${Date.now()}`;
  const token = await makeToken(page, name, 'write');
  assert.match(token, /^uchet_[0-9a-f]{64}$/);
  const row = page.locator(`table[data-testid="tokens"] tr[data-token="${name}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /чтение и передача показаний/);
  await page.screenshot({ path: join(SHOTS, 'api-tokens-desktop.png'), fullPage: true });

  // a script: the company's buildings, a meter, a reading posted and found again
  const buildings = await (await call(token, '/buildings')).json();
  assert.ok(buildings.length >= 1 && buildings.every((b) => typeof b.id === 'number'), JSON.stringify(buildings).slice(0, 200));
  const meters = await (await call(token, `/meters?building=${buildings[0].id}&limit=50`)).json();
  const meter = meters.items.find((m) => m.tariffs === 1 && m.placement === 'individual' && m.state === 'in_operation');
  assert.ok(meter, 'a one-tariff flat meter');
  const latest = await (await call(token, `/readings?meter=${meter.id}&from=2000-01-01&period=all&limit=5000`)).json();
  const last = latest.items.filter((r) => r.kind === 'integral' && r.total).at(-1);
  const value = last ? String(Number(last.total.split('.')[0]) + 1) : '1';
  const clientId = `e2e-${Date.now()}`;
  const body = JSON.stringify({ readings: [{ client_id: clientId, meter_id: meter.id, values: [{ tariff: 0, value }] }] });
  const posted = await (await call(token, '/readings', { method: 'POST', body })).json();
  assert.equal(posted.results[0].status, 'stored', JSON.stringify(posted));
  const again = await (await call(token, '/readings', { method: 'POST', body })).json();
  assert.equal(again.results[0].status, 'duplicate');

  // the reference page, written on the server
  const docs = await context.newPage();
  await docs.goto('/api/v1/docs');
  assert.match(await docs.textContent('h1'), /Учёт — открытый API/);
  await docs.screenshot({ path: join(SHOTS, 'api-docs-desktop.png'), fullPage: false });

  // revoked from the page (after the question), it stops at once
  page.once('dialog', (d) => d.accept());
  await row.locator('[data-testid="revoke"]').click();
  await page.waitForFunction((n) => document.querySelector(`tr[data-token="${n}"]`)?.textContent.includes('Отозван'), name);
  assert.equal((await call(token, '/buildings')).status, 401);
  await context.close();
});

test('the token page reads on a phone and a dispatcher has no such item', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'admin');
  await page.goto('/settings/api');
  await hydrated(page);
  await page.waitForSelector('table[data-testid="tokens"], [data-testid="no-tokens"]');
  await page.screenshot({ path: join(SHOTS, 'api-tokens-phone.png'), fullPage: true });
  await context.close();
  const desk = await open(browser, DESKTOP);
  await signIn(desk.page, 'dispatcher');
  assert.equal(await desk.page.locator('nav.side-menu a[href="/settings/api"]').count(), 0);
  await desk.context.close();
});
