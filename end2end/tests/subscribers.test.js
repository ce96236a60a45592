// «Абоненты и потребление» (F9) in headless Chromium: a dispatcher lists a building's
// accounts with the last month's consumption, sorts, searches, pages and downloads the
// Excel file; opens an account's card; and the flats' totals of every building add up to the
// dashboard's month.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, open, signIn, hydrated, DESKTOP, PHONE, SHOTS } from './helpers.js';
import { readXlsx } from './xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** «12 345,678*» → millionths as a BigInt (exact), the star dropped. */
function micro(text) {
  const t = text.replace(/[\s\u00a0\u202f*]/g, '');
  if (!/\d/.test(t)) return null;
  const [int, frac = ''] = t.split(',');
  return BigInt(int) * 1000000n + BigInt((frac + '000000').slice(0, 6));
}

const table = 'table[data-testid="subscribers"]';

test('a dispatcher lists a building\'s accounts with the month\'s consumption, sorts, searches and pages', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.goto('/subscribers');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-account]`);
  const month = (await page.textContent('[data-testid="month"]')).trim();
  assert.match(month, /^[а-я]+ \d{4}$/, month);
  assert.equal(await page.locator(`${table} tbody tr[data-account]`).count(), 25, 'a page of 25');
  const total = Number((await page.textContent('[data-testid="total"]')).replace(/\D+/g, ''));
  assert.ok(total > 100, `accounts of the building: ${total}`);
  // group headers: electricity with its tariffs, then the other resources
  const groups = await page.$$eval(`${table} thead th.group`, (t) => t.map((x) => x.textContent.trim()));
  assert.match(groups[0], /^Электроэнергия, кВт·ч/);
  assert.ok(groups.some((g) => g.startsWith('ХВС')), `${groups}`);
  // the totals: individual meters, and the common ones apart
  assert.ok(micro(await page.textContent('[data-testid="individual"] td.num')) > 0n);
  await page.screenshot({ path: SHOTS + 'subscribers-desktop.png' });

  // most electricity first
  await page.click(`${table} thead th.group a`);
  await page.waitForURL(/sort=r0/);
  await page.waitForSelector(`${table} thead th.group a:has-text("▲")`);
  await page.click(`${table} thead th.group a`);
  await page.waitForURL(/sort=r0&desc=1/);
  // the ascending rows stay on screen until the descending ones arrive: wait for those
  await page.waitForSelector(`${table} thead th.group a:has-text("▼")`);
  // the electricity group's total is its last column
  const span = Number(await page.getAttribute(`${table} thead th.group`, 'colspan'));
  const totals = await page.$$eval(`${table} tbody tr[data-account]`, (rs, i) => rs.slice(0, 5).map((r) => r.querySelectorAll('td.num')[i].textContent), span - 1);
  const values = totals.map(micro).filter((v) => v !== null);
  for (let i = 1; i < values.length; i++) assert.ok(values[i - 1] >= values[i], `descending: ${totals}`);

  // search an account, then open its card
  const account = (await page.getAttribute(`${table} tbody tr[data-account]:nth-child(3)`, 'data-account'));
  await page.fill('input[name="q"]', account);
  await page.click('form.filters button[type="submit"]');
  await page.waitForURL(new RegExp(`q=${account}`));
  await page.waitForFunction(() => document.querySelectorAll('table[data-testid="subscribers"] tbody tr[data-account]').length === 1);
  await page.click(`${table} tbody tr[data-account] a`);
  await page.waitForURL(new RegExp(`/subscribers/${account}`));
  await hydrated(page);
  await page.waitForSelector('table[data-testid="account-meters"] tbody tr');
  assert.equal((await page.textContent('[data-testid="month"]')).trim(), month, 'the same month');
  assert.ok(await page.locator('table[data-testid="account-meters"] tbody tr').count() >= 2);
  await page.screenshot({ path: SHOTS + 'account-desktop.png', fullPage: true });
  await context.close();
});

test('the Excel file holds every account of the list with the figures on screen', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.goto('/subscribers?per_page=100');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-account]`);
  const total = Number((await page.textContent('[data-testid="total"]')).replace(/\D+/g, ''));
  const onScreen = await page.$$eval(`${table} tbody tr[data-account]`, (rs) => rs.slice(0, 10).map((r) => [...r.cells].map((c) => c.textContent.trim())));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
  const path = join(tmpdir(), `uchet-subscribers-${Date.now()}.xlsx`);
  await download.saveAs(path);
  const sheet = readXlsx(path);
  const header = sheet.findIndex((r) => r[0] === '№ кв');
  assert.ok(header > 0);
  const data = sheet.slice(header + 1).filter((r) => r.length && r[0] && !r[0].startsWith('Итого') && !r[0].startsWith('Общедомовые'));
  assert.equal(data.length, total, 'all pages');
  for (let i = 0; i < onScreen.length; i++) {
    assert.equal(data[i][0], onScreen[i][0], 'flat');
    assert.equal(data[i][1], onScreen[i][1], 'account');
    const screen = micro(onScreen[i][3]);
    const file = data[i][3] === undefined || data[i][3] === '' ? null : micro(String(data[i][3]).replace('.', ','));
    assert.equal(file, screen, `row ${i} first figure`);
  }
  await context.close();
});

test('the flats\' totals of every building add up to the dashboard\'s month', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.goto('/subscribers');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-account]`);
  const month = (await page.textContent('[data-testid="month"]')).trim();
  const monthParam = new URL(await page.getAttribute('[data-testid="prev-month"]', 'href'), 'http://x').searchParams.get('month');
  const objects = await page.$$eval('form.filters select[name="object"] option', (o) => o.map((x) => x.value));
  let sum = 0n;
  for (const o of objects) {
    await page.goto(`/subscribers?object=${o}`);
    await hydrated(page);
    await page.waitForSelector('[data-testid="individual"]');
    const heads = await page.$$eval(`${table} thead th.group`, (t) => t.map((x) => [x.textContent.trim(), Number(x.getAttribute('colspan'))]));
    const at = heads.findIndex(([h]) => h.startsWith('Электроэнергия'));
    if (at < 0) continue;
    // the group's total is its last column
    const offset = heads.slice(0, at + 1).reduce((n, [, span]) => n + span, 0) - 1;
    const cells = await page.$$eval('[data-testid="individual"] td.num', (t) => t.map((x) => x.textContent));
    sum += micro(cells[offset]) ?? 0n;
  }
  // the dashboard for the same month (the month before the list's «←» target's next)
  const prev = new Date(`${monthParam}T00:00:00Z`);
  const shown = new Date(Date.UTC(prev.getUTCFullYear(), prev.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  await page.goto(`/?span=month&date=${shown}`);
  await hydrated(page);
  await page.waitForSelector('.widget[data-resource="electricity"] [data-testid="total-electricity"]');
  const dash = micro(await page.textContent('.widget[data-resource="electricity"] [data-testid="total-electricity"]'));
  assert.equal(sum, dash, `${month}: the flats of every building (${sum}) against the dashboard (${dash})`);
  await context.close();
});

test('the list reads on a phone inside its frame', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/subscribers');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-account]`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow})`);
  await page.screenshot({ path: SHOTS + 'subscribers-phone.png' });
  await context.close();
});
