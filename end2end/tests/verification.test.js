// «Поверка» (F31) on the demo: a dispatcher reads the year's month bars, opens a month and
// its day, lists every overdue meter, and downloads what the table shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, signIn, hydrated, PHONE, SHOTS } from './helpers.js';
import { readXlsx } from './xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const table = 'table[data-testid="verification"]';
const count = (s) => Number(s.replace(/\D+/g, ''));

test('the verification calendar goes from the year to a month, a day and the overdue meters', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/service/verification');
  await hydrated(page);
  await page.waitForSelector('[data-testid="months"] .month');
  assert.equal(await page.locator('[data-testid="months"] .month').count(), 12);
  // the current month is open: its bar's count is its rows
  const chosen = page.locator('[data-testid="months"] .month.chosen');
  const inMonth = count(await chosen.locator('.count').textContent());
  const shown = await page.locator(`${table} tbody tr[data-meter]`).count();
  assert.equal(shown, inMonth);
  assert.match(await page.textContent('[data-testid="period"]'), /^[а-я]+ \d{4}$/);

  // the whole year: twelve bars add up to its rows
  await page.click('[data-testid="whole-year"]');
  await page.waitForURL(/year=\d{4}$/);
  await page.waitForSelector(`${table} tbody tr`);
  const bars = await page.$$eval('[data-testid="months"] .month .count', (cs) => cs.map((c) => Number(c.textContent.replace(/\D+/g, ''))));
  const sum = bars.reduce((a, b) => a + b, 0);
  // the month's rows stay until the year's arrive (a busy machine takes a moment)
  await page.waitForFunction(([t, n]) => document.querySelectorAll(`${t} tbody tr[data-meter]`).length === n, [table, sum], { timeout: 15000 }).catch(() => {});
  const yearRows = await page.locator(`${table} tbody tr[data-meter]`).count();
  assert.equal(yearRows, sum);
  await page.screenshot({ path: `${SHOTS}verification-year.png`, fullPage: false });

  // the busiest month, then its busiest day
  const busiest = bars.indexOf(Math.max(...bars)) + 1;
  await page.click(`[data-testid="months"] .month[data-month="${busiest}"]`);
  await page.waitForSelector('[data-testid="days"] .day');
  const days = await page.$$eval('[data-testid="days"] .day', (ds) => ds.map((d) => Number(d.querySelector('.count').textContent.replace(/\D+/g, '') || 0)));
  const day = days.indexOf(Math.max(...days)) + 1;
  await page.click(`[data-testid="days"] .day[data-day="${day}"]`);
  await page.waitForURL(new RegExp(`day=${day}`));
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(`${sel} tbody tr[data-meter]`).length === n, [table, days[day - 1]]);
  const dates = await page.$$eval(`${table} tbody td.due`, (tds) => tds.map((td) => td.textContent));
  assert.ok(dates.every((d) => d === dates[0]), 'one day');

  // every overdue meter, in red, and the file holds them
  await page.click('[data-testid="overdue"]');
  await page.waitForURL(/overdue=1/);
  await page.waitForSelector(`${table} tbody tr`);
  const overdue = count(await page.textContent('[data-testid="overdue"]'));
  assert.ok(overdue > 0, 'the demo has lapsed meters');
  assert.equal(await page.locator(`${table} tbody tr.overdue`).count(), overdue);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
  const path = join(tmpdir(), `uchet-verification-${Date.now()}.xlsx`);
  await download.saveAs(path);
  const sheet = readXlsx(path);
  const header = sheet.findIndex((r) => r[0] === 'Дом');
  assert.ok(header > 0);
  assert.equal(sheet.slice(header + 1).filter((r) => r.length).length, overdue);
  await page.screenshot({ path: `${SHOTS}verification-overdue.png`, fullPage: false });
  await context.close();

  const phone = await open(browser, PHONE);
  await signIn(phone.page, 'dispatcher');
  await phone.page.goto('/service/verification');
  await hydrated(phone.page);
  await phone.page.waitForSelector('[data-testid="months"] .month');
  const width = await phone.page.evaluate(() => document.querySelector('[data-testid="months"]').scrollWidth <= window.innerWidth);
  assert.ok(width, 'the month bars fit a phone');
  await phone.page.screenshot({ path: `${SHOTS}verification-phone.png`, fullPage: false });
  await phone.context.close();
});
