// The readings table of a building (F7): building and filters, search, sort, pages, column
// choice, and the Excel file holding what the table shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, signIn, hydrated, PHONE, SHOTS } from './helpers.js';
import { readXlsx } from './xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const table = 'table[data-testid="readings"]';

/** Waits until the table shows the query whose URL contains every fragment. */
async function showing(page, ...fragments) {
  await page.waitForFunction(([sel, parts]) => {
    const t = document.querySelector(sel);
    return t && parts.every((p) => t.dataset.query.includes(p));
  }, [table, fragments], { timeout: 20000 });
}

async function rows(page) {
  return page.$$eval(`${table} tbody tr[data-meter]`, (trs) => trs.map((tr) => ({
    meter: tr.dataset.meter,
    serial: tr.querySelector('td a[href^="/meters/"]')?.textContent.trim(),
    cells: Array.from(tr.cells, (td) => td.textContent.trim()),
  })));
}

/** "12 345,678" → 12345.678 (only for comparing order). */
const number = (s) => Number(s.replace(/\s/g, '').replace(',', '.'));

test('a dispatcher picks a building, filters flats and water, searches, sorts and pages', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/readings');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-meter]`);
  assert.equal((await rows(page)).length, 25, 'pages of 25');

  // another building from the picker
  const options = await page.$$eval('.filters select[name="object"] option', (os) => os.map((o) => ({ value: o.value, text: o.textContent })));
  assert.ok(options.length >= 3);
  await page.selectOption('.filters select[name="object"]', options[1].value);
  await page.click('.filters button[type="submit"]');
  await showing(page, `object=${options[1].value}`);
  await page.selectOption('.filters select[name="object"]', options[0].value);
  await page.click('.filters button[type="submit"]');
  await showing(page, `object=${options[0].value}`);

  await page.click('a[data-type="flats"]');
  await showing(page, 'type=flats');
  await page.click('a[data-resource="water"]');
  await showing(page, 'type=flats', 'resource=water');
  const water = await rows(page);
  assert.ok(water.length > 0);
  assert.ok(water.every((r) => /^\d+/.test(r.cells[0])), 'only flats, no common meters');
  const total = await page.textContent('[data-testid="total"]');
  await page.screenshot({ path: `${SHOTS}readings-desktop.png`, fullPage: true });

  // search by the account number of the third row
  const account = water[2].cells[2];
  await page.fill('input[name="q"]', account);
  await page.click('.filters button[type="submit"]');
  await showing(page, `q=${account}`);
  const found = await rows(page);
  assert.ok(found.length >= 1 && found.length <= 2, `one flat's water meters: ${found.length}`);
  assert.ok(found.every((r) => r.cells[2] === account));
  await page.fill('input[name="q"]', '');
  await page.click('.filters button[type="submit"]');
  await page.waitForFunction((sel) => !document.querySelector(sel).dataset.query.includes('q='), table);

  // sort by the current reading, both ways
  await page.click('th[data-col="value"] a');
  await showing(page, 'sort=value');
  const up = (await rows(page)).map((r) => r.cells[5]).filter((v) => /\d/.test(v)).map(number);
  assert.deepEqual(up, [...up].sort((a, b) => a - b));
  await page.click('th[data-col="value"] a');
  await showing(page, 'sort=value', 'desc=1');
  const down = (await rows(page)).map((r) => r.cells[5]).filter((v) => /\d/.test(v)).map(number);
  assert.deepEqual(down, [...down].sort((a, b) => b - a));

  // page 2
  const first = (await rows(page)).map((r) => r.meter + r.cells[6]);
  await page.click('.pager a.page-link:text-is("2")');
  await showing(page, 'page=2');
  const second = (await rows(page)).map((r) => r.meter + r.cells[6]);
  assert.notDeepEqual(second, first);
  assert.equal(await page.getAttribute('.pager a[aria-current="page"]', 'href').then((h) => h.includes('page=2')), true);
  assert.equal(await page.textContent('[data-testid="total"]'), total, 'the total stays');
  await context.close();
});

test('the Excel file holds every filtered row with the values on screen', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/readings?resource=water&type=flats&sort=value&desc=1');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-meter]`);
  const onScreen = await rows(page);
  const total = number(await page.$eval('[data-testid="total"]', (e) => e.textContent.replace(/\D+/g, ' ').trim()));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
  const path = join(tmpdir(), `uchet-readings-${Date.now()}.xlsx`);
  await download.saveAs(path);
  const sheet = readXlsx(path);
  const header = sheet.findIndex((r) => r[0] === '№ кв');
  assert.ok(header > 0, 'a title above the header');
  assert.match(sheet[0][0], /Показания приборов учёта/);
  const data = sheet.slice(header + 1).filter((r) => r.length);
  assert.equal(data.length, total, 'all pages, not one');
  // the first screen rows, in the same order, with the same values
  for (let i = 0; i < onScreen.length; i++) {
    const cells = onScreen[i].cells;
    assert.equal(data[i][0], cells[0]);
    assert.equal(data[i][3], onScreen[i].serial, 'meter number');
    if (/\d/.test(cells[5])) {
      // the screen pads to the meter's fraction digits; the file holds the stored digits
      const plain = cells[5].replace(/\s/g, '').replace(',', '.');
      const screenDigits = plain.includes('.') ? plain.replace(/0+$/, '').replace(/\.$/, '') : plain;
      assert.equal(data[i][6], screenDigits, `value of row ${i}`);
    }
  }
  await context.close();
});

test('the column choice is kept for the user across reloads', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'reader');
  await page.goto('/readings');
  await hydrated(page);
  await page.waitForSelector('th[data-col="address"]');
  await page.click('[data-testid="columns"]');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/save_readings_columns')),
    page.click('[data-testid="column-settings"] input[data-col="address"]'),
  ]);
  assert.equal(await page.$('th[data-col="address"]'), null, 'the column is gone at once');
  await page.reload();
  await hydrated(page);
  await page.waitForSelector('th[data-col="serial"]');
  assert.equal(await page.$('th[data-col="address"]'), null, 'and stays gone after a reload');
  await page.click('[data-testid="columns"]');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/save_readings_columns')),
    page.click('[data-testid="column-settings"] input[data-col="address"]'),
  ]);
  await page.waitForSelector('th[data-col="address"]');
  await context.close();
});

test('on a phone the readings table scrolls sideways inside its frame', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/readings');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-meter]`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow}px)`);
  await page.screenshot({ path: `${SHOTS}readings-phone.png`, fullPage: false });
  await context.close();
});

test('a meter opens from the table with a month of daily consumption', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/readings?type=flats');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-meter]`);
  const serial = (await rows(page))[0].serial;
  await page.click(`${table} tbody tr[data-meter] td a:text-is("${serial}")`);
  await page.waitForSelector('[data-testid="days"] tbody tr');
  assert.match(await page.textContent('h1'), new RegExp(serial));
  const days = await page.$$eval('[data-testid="days"] tbody tr', (t) => t.length);
  assert.ok(days >= 28 && days <= 31);
  const month = await page.textContent('[data-testid="month"]');
  await page.click('[data-testid="prev-month"]');
  await page.waitForFunction((m) => document.querySelector('[data-testid="month"]')?.textContent !== m, month);
  // a past month of a polled meter is complete: every day has a number, the total no star
  const total = await page.textContent('[data-testid="days"] tfoot td');
  assert.match(total, /^\d[\d\s]*(,\d+)?$/, `full month total: ${total}`);
  await page.screenshot({ path: `${SHOTS}meter-desktop.png`, fullPage: true });
  await context.close();
});

test('a lower reading is asked about first, stored for review beside the confirmed value, and rejected from the readings table', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  // an unknown account is an answer in words, not an error
  await page.goto('/entry?account=0000000000');
  await hydrated(page);
  await page.waitForSelector('[data-testid="no-account"]');
  assert.match(await page.textContent('[data-testid="no-account"]'), /Лицевой счёт не найден.*0000000000/);
  assert.equal(await page.locator('.error-box').count(), 0);

  // the account of flat 1 of the first building, as the readings table shows it
  await page.goto('/readings?type=flats');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-meter]`);
  const account = (await rows(page))[0].cells[2];
  await page.goto(`/entry?account=${account}`);
  await hydrated(page);
  await page.waitForSelector('.entry-meter .register input');
  assert.match(await page.textContent('[data-testid="entry-period"]'), /Пойдёт в расчётный период/);
  const register = page.locator('.entry-meter .register').first();
  const input = register.locator('input');
  const meterId = await register.getAttribute('data-meter');
  // more digits than the meter has are not taken
  const label = await page.locator('.entry-meter legend').first().textContent();
  const integerDigits = Number(label.match(/(\d),(\d)\s*$/)[1]);
  await input.pressSequentially('1234567890', { delay: 10 });
  assert.equal((await input.inputValue()).length, integerDigits, 'the field stops at the integer digits');
  // a value lower than the previous one: asked before anything is sent
  await input.fill('1');
  await page.click('[data-testid="send"]');
  await page.waitForSelector('[data-testid="went-down"]');
  assert.match(await page.textContent('[data-testid="went-down"]'), /Показание меньше предыдущего.*Сохранить на проверку\?/s);
  await page.screenshot({ path: `${SHOTS}entry-lower-ask-desktop.png` });
  await page.click('[data-testid="went-down"] [data-testid="back"]');
  assert.equal(await page.locator('[data-testid="stored"]').count(), 0, '«Вернуться» sends nothing');
  assert.equal(await input.inputValue(), '1', 'and keeps the value');
  await page.click('[data-testid="send"]');
  await page.click('[data-testid="store-for-review"]');
  // what was stored stays in sight, with the reason it waits
  const stored = register.locator('[data-testid="stored"]');
  await stored.waitFor();
  assert.match(await stored.textContent(), /Сохранено на проверку: 1 — меньше предыдущего/);
  await page.waitForSelector('[data-testid="saved"]');
  await page.screenshot({ path: `${SHOTS}entry-desktop.png`, fullPage: true });

  // the readings table keeps the confirmed value and shows the waiting one beside it
  const group = /^(ХВС|ГВС)/.test(label.trim()) ? 'water' : /^Тепло/.test(label.trim()) ? 'heat' : 'electricity';
  await page.goto(`/readings?resource=${group}&type=flats&q=${account}`);
  await hydrated(page);
  const row = page.locator(`${table} tbody tr[data-meter="${meterId}"]`).first();
  await row.locator('[data-testid="waiting"]').waitFor();
  const valueCell = row.locator('td.value');
  assert.match(await valueCell.textContent(), /на проверке\s*1\b/);
  const confirmedBefore = (await valueCell.textContent()).split('на проверке')[0].trim();
  assert.notEqual(confirmedBefore, '1', 'the waiting value does not replace the confirmed one');
  assert.match(confirmedBefore, /^[\d\s\u00a0]+(,\d+)?$/, confirmedBefore);
  await page.screenshot({ path: `${SHOTS}readings-waiting-desktop.png` });
  // the dispatcher rejects it right there: kept for the record, the confirmed value stays
  await row.locator('[data-testid="confirm"]').waitFor();
  await row.locator('[data-testid="reject"]').click();
  // (an older value typed by the field test may wait on the same meter; «1» must be gone)
  await page.waitForFunction((id) => {
    const w = document.querySelector(`table[data-testid="readings"] tr[data-meter="${id}"] [data-testid="waiting"]`);
    return !w || !/на проверке\s*1\b/.test(w.textContent);
  }, meterId, { timeout: 20000 });
  assert.equal((await row.locator('td.value').textContent()).split('на проверке')[0].trim(), confirmedBefore);
  // the meter page lists it as rejected
  await page.goto(`/meters/${meterId}`);
  await hydrated(page);
  await page.waitForSelector('table[data-testid="meter-readings"] tr.rejected');
  await context.close();
});

test('a building picked in the top bar opens its readings table', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/readings');
  await hydrated(page);
  await page.waitForSelector(`${table} tbody tr[data-meter]`);
  const options = await page.$$eval('.top-bar .object-picker select option', (os) => os.map((o) => o.value).filter((v) => v));
  await page.selectOption('.top-bar .object-picker select', options[1]);
  await showing(page, `object=${options[1]}`);
  assert.equal(await page.$eval('.filters select[name="object"]', (s) => s.value), options[1]);
  await page.selectOption('.top-bar .object-picker select', '');
  await context.close();
});
