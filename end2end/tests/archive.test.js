// «Архивы прибора» (F15): a common meter's hourly archive for a day, daily for a month and
// monthly for a year, a chart of the chosen column, previous span, and the Excel file
// holding the same records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, signIn, hydrated, PHONE, SHOTS } from './helpers.js';
import { readXlsx } from './xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const archive = 'table[data-testid="archive"]';
const rowCount = (page) => page.$$eval(`${archive} tbody tr`, (trs) => trs.length).catch(() => 0);

/** The common meters (ОДПУ) of the first building, from its readings table. */
async function commonMeters(page) {
  await page.goto('/readings?type=common');
  await hydrated(page);
  await page.waitForSelector('table[data-testid="readings"] tbody tr[data-meter]');
  return page.$$eval('table[data-testid="readings"] tbody tr[data-meter]', (trs) => trs.map((tr) => tr.dataset.meter));
}

test('a dispatcher opens a common meter\'s archives by the hour, day and month', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  const meters = await commonMeters(page);
  assert.ok(meters.length > 0, 'the building has common meters');

  // from the meter page to its daily archive (this month)
  await page.goto(`/meters/${meters[0]}`);
  await hydrated(page);
  await page.click('[data-testid="archives"]');
  await page.waitForURL(/\/archive\?kind=day/);
  await page.waitForSelector(archive);
  assert.ok(await rowCount(page) >= 1, 'this month has at least its first midnight');
  assert.match(await page.textContent(`${archive} thead`), /(Активная энергия|Тепловая энергия|Объём)/);

  // the hourly archive of yesterday: the demo's common meters keep three weeks by the hour
  let hourly = null;
  for (const id of meters) {
    await page.goto(`/meters/${id}/archive?kind=hour`);
    await hydrated(page);
    if (await rowCount(page) === 24) { hourly = id; break; }
  }
  assert.ok(hourly, 'a common meter has yesterday\'s 24 hours');
  const times = await page.$$eval(`${archive} tbody tr td:first-child`, (tds) => tds.map((td) => td.textContent.trim()));
  assert.match(times[0], /^\d{2}\.\d{2}\.\d{4} 00:00$/);
  assert.match(times[23], /^\d{2}\.\d{2}\.\d{4} 23:00$/);
  const values = await page.$$eval(`${archive} tbody tr td:nth-child(2)`, (tds) => tds.map((td) => Number(td.textContent.replace(/[\s\u00a0]/g, '').replace(',', '.'))));
  assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1]), 'a running total never goes back within a day');
  await page.waitForFunction(() => Number(document.querySelector('#consumption-chart')?.dataset.drawn || 0) > 0, null, { timeout: 20000 });
  await page.screenshot({ path: SHOTS + 'archive-desktop.png', fullPage: true });

  // a running total is charted as what was used each hour; its register values on request
  assert.match(await page.textContent('[data-testid="archive-charted"]'), /^Расход: /);
  assert.match(await page.textContent(`${archive} thead`), /Расход за интервал/);
  const used = await page.$$eval(`${archive} tbody tr td.usage`, (tds) => tds.map((td) => td.textContent.replace(/[\s\u00a0]/g, '').replace(',', '.')));
  assert.equal(used.length, 24);
  assert.ok(used.slice(0, 23).every((v) => v !== '' && Number(v) >= 0), `each hour closed by the next one's record: ${used}`);
  await page.click('[data-testid="archive-show"] a[data-show="totals"]');
  await page.waitForURL(/show=totals/);
  await page.waitForFunction(() => !/^Расход/.test(document.querySelector('[data-testid="archive-charted"]')?.textContent || 'Расход'));
  await page.click('[data-testid="archive-show"] a[data-show="usage"]');
  await page.waitForFunction(() => /^Расход/.test(document.querySelector('[data-testid="archive-charted"]')?.textContent || ''));

  // the file holds the same records
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
  const path = join(tmpdir(), `uchet-archive-${Date.now()}.xlsx`);
  await download.saveAs(path);
  const sheet = readXlsx(path);
  const header = sheet.findIndex((r) => r[0] === 'Время');
  assert.ok(header > 0, 'a header row under the title');
  assert.deepEqual(sheet.slice(header + 1).filter((r) => r.length && r[0]).map((r) => r[0]), times);

  // the day before
  const span = await page.textContent('[data-testid="archive-span"]');
  await page.click('[data-testid="archive-prev"]');
  await page.waitForFunction((s) => document.querySelector('[data-testid="archive-span"]')?.textContent !== s, span);

  // the monthly archive of this year: a record on each month's 1st
  await page.click('[data-testid="archive-kinds"] a[data-kind="month"]');
  await page.waitForURL(/kind=month/);
  await page.waitForFunction(() => /\d{4} год/.test(document.querySelector('[data-testid="archive-span"]')?.textContent || ''));
  const firsts = await page.$$eval(`${archive} tbody tr td:first-child`, (tds) => tds.map((td) => td.textContent.trim()));
  assert.ok(firsts.length >= 1 && firsts.every((t) => /^01\.\d{2}\.\d{4} 00:00$/.test(t)), `${firsts}`);
  await context.close();
});

test('the archive fits a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'reader');
  const meters = await commonMeters(page);
  await page.goto(`/meters/${meters[0]}/archive?kind=day`);
  await hydrated(page);
  await page.waitForSelector(archive);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scroll on a phone (${overflow}px)`);
  await page.screenshot({ path: SHOTS + 'archive-phone.png', fullPage: true });
  await context.close();
});
