// «Не опрашиваются»: a dispatcher finds the demo's silent meter with its last contact, narrows
// the list by days, building and search, and downloads it as Excel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';
import { readXlsx } from './xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function rows(page) {
  return page.$$eval('table.not-polled-table tbody tr.np-row', (trs) => trs.map((tr) => ({
    meter: tr.dataset.meter,
    cells: [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
  })));
}

test('the silent meter is listed with its last contact, and the list narrows and exports', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/monitoring/not-polled"]');
  await page.waitForURL(/\/monitoring\/not-polled/);
  await page.waitForSelector('table.not-polled-table');
  await hydrated(page);
  const all = await rows(page);
  // The demo's flat 7 went silent 20 days ago in every building.
  const silent = all.filter((r) => r.cells[1] === 'кв. 7' && r.cells[2] === 'Электроэнергия');
  assert.ok(silent.length >= 1, `the silent meter is listed: ${JSON.stringify(all.slice(0, 5))}`);
  const days = Number(silent[0].cells[7]);
  assert.ok(days >= 19 && days <= 21, `silent for about 20 days, got ${days}`);
  assert.match(silent[0].cells[6], /^\d\d\.\d\d\.\d{4} \d\d:\d\d$/, 'last contact as dd.mm.yyyy hh:mm');
  assert.equal(silent[0].cells[9], 'нет связи');
  await page.screenshot({ path: `${SHOTS}not-polled-desktop.png`, fullPage: true });

  // Silent for more than 30 days: the 20-day silence drops out.
  await Promise.all([page.waitForURL(/days=30/), page.selectOption('select.np-days', '30')]);
  await page.waitForFunction(() => document.querySelector('select.np-days')?.value === '30');
  await page.waitForFunction((ids) => ![...document.querySelectorAll('tr.np-row')].some((tr) => ids.includes(tr.dataset.meter)),
    silent.map((r) => r.meter));
  await Promise.all([page.waitForURL(/days=14/), page.selectOption('select.np-days', '14')]);
  await page.waitForSelector(`tr.np-row[data-meter="${silent[0].meter}"]`);

  // One building, then a search inside it.
  const building = silent[0].cells[0];
  const value = await page.$eval('select.np-object', (s, name) => [...s.options].find((o) => o.textContent === name)?.value, building);
  await Promise.all([page.waitForURL(new RegExp(`object=${value}`)), page.selectOption('select.np-object', value)]);
  await page.waitForFunction((name) => {
    const trs = [...document.querySelectorAll('tr.np-row')];
    return trs.length > 0 && trs.every((tr) => tr.cells[0].textContent.trim() === name);
  }, building);
  await page.fill('input.search', 'кв. 7 электро');
  await page.waitForFunction(() => [...document.querySelectorAll('tr.np-row')].every((tr) => tr.cells[1].textContent.trim() === 'кв. 7'));
  const found = await rows(page);
  assert.equal(found.length, 1);
  assert.equal(found[0].meter, silent.find((r) => r.cells[0] === building).meter);

  // The Excel file holds the building's list, as on screen before the search.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
  const path = join(tmpdir(), `uchet-not-polled-${Date.now()}.xlsx`);
  await download.saveAs(path);
  const sheet = readXlsx(path);
  assert.match(sheet[0][0], /^Не опрашиваются — /);
  const header = sheet.findIndex((r) => r[0] === 'Дом');
  assert.ok(header > 0, 'a title above the header');
  const data = sheet.slice(header + 1).filter((r) => r.length);
  assert.ok(data.some((r) => r[1] === 'кв. 7' && r[2] === 'Электроэнергия' && Number(r[7]) === days && r[9] === 'нет связи'),
    JSON.stringify(data.slice(0, 3)));
  assert.ok(data.every((r) => r[0] === building), 'only the chosen building');

  // The meter opens from the list.
  await page.click(`tr.np-row[data-meter="${found[0].meter}"] a`);
  await page.waitForURL(new RegExp(`/meters/${found[0].meter}`));
  await context.close();
});

test('on a phone the list scrolls sideways inside its frame', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/monitoring/not-polled?days=3');
  await page.waitForSelector('table.not-polled-table tr.np-row');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow}px)`);
  await page.screenshot({ path: `${SHOTS}not-polled-phone.png`, fullPage: false });
  await context.close();
});
