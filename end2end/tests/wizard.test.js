// The add-meter wizard: a dispatcher adds a cold water meter to a flat step by step; a wrong
// register is a Russian reason on the review step that leads back to its field, and nothing
// is written until it is fixed; the saved meter opens on its card, is found in «Приборы
// учёта», and its edit form moves it to another flat. On a desk and on a phone.
//
// This file runs last of the demo server's tests (its name sorts after theirs): it leaves a
// retired water meter in flat 2 of the first building, which the readings and the registry
// tests would count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import bwipjs from 'bwip-js';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const next = (page) => page.click('[data-testid="mf-next-step"]');

/** A photo of a label: the code drawn by bwip-js, with a quiet zone, as a PNG. */
const label = (bcid, text) => bwipjs.toBuffer({ bcid, text, scale: 3, height: 12, includetext: true, backgroundcolor: 'FFFFFF', paddingwidth: 30, paddingheight: 30 });

/** A white picture with no code on it (1 × 1 PNG). */
const BLANK = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';

/** An EAN-13 of 12 digits with its check digit. */
function ean13(twelve) {
  const sum = [...twelve].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return twelve + ((10 - (sum % 10)) % 10);
}
const shown = (page, step) => page.waitForSelector(`[data-testid="meter-form"] fieldset:not(.hidden) >> text=${step}`);

test('a dispatcher adds a meter by the wizard, corrects a refused register and edits its place', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/service/meters');
  await page.waitForSelector('[data-testid="inventory-add"]');
  await hydrated(page);
  await Promise.all([page.waitForURL(/\/service\/meters\/new/), page.click('[data-testid="inventory-add"]')]);
  await page.waitForSelector('[data-testid="meter-form"]');
  await hydrated(page);

  const serial = `E2E-${Date.now() % 1000000}`;
  const barcode = ean13(`46${String(Date.now() % 10000000000).padStart(10, '0')}`);
  await page.selectOption('[data-testid="mf-resource"]', 'cold_water');
  await page.fill('[data-testid="mf-model"]', 'Пульсар');
  // the serial and the barcode scanned off photos of the meter's labels (Code 128, EAN-13);
  // a photo with no code on it says so and leaves the field as it was
  await page.setInputFiles('[data-testid="mf-barcode-scan"]', { name: 'wall.png', mimeType: 'image/png', buffer: Buffer.from(BLANK, 'base64') });
  await page.waitForSelector('[data-testid="mf-barcode-scan-outcome"][data-outcome="NotFound"]', { timeout: 20000 });
  assert.equal(await page.inputValue('[data-testid="mf-barcode"]'), '');
  await page.setInputFiles('[data-testid="mf-serial-scan"]', { name: 'serial.png', mimeType: 'image/png', buffer: await label('code128', serial) });
  await page.waitForFunction((s) => document.querySelector('[data-testid="mf-serial"]').value === s, serial, { timeout: 20000 });
  await page.setInputFiles('[data-testid="mf-barcode-scan"]', { name: 'label.png', mimeType: 'image/png', buffer: await label('ean13', barcode.slice(0, 12)) });
  await page.waitForFunction((b) => document.querySelector('[data-testid="mf-barcode"]').value === b, barcode, { timeout: 20000 });
  await page.screenshot({ path: `${SHOTS}meter-form-scanned-desktop.png`, fullPage: false });
  await next(page);
  await shown(page, 'Место установки');
  await page.fill('[data-testid="mf-premise"]', '1');
  await next(page);
  await page.fill('[data-testid="mf-capacity"]', 'пять');
  await next(page);
  await page.fill('[data-testid="mf-installed"]', '2026-01-10');
  await page.fill('[data-testid="mf-verified"]', '2026-01-10');
  await page.fill('[data-testid="mf-interval"]', '6');
  await next(page);
  await next(page);
  await shown(page, 'Проверка и запись');
  const review = await page.textContent('[data-testid="mf-review"]');
  assert.ok(review.includes(serial) && review.includes(barcode) && review.includes('пять'), review);
  await page.screenshot({ path: `${SHOTS}meter-form-review-desktop.png`, fullPage: true });

  // the register is refused in Russian, nothing is written, and the reason leads back to it
  await page.click('[data-testid="mf-save"]');
  await page.waitForSelector('[data-testid="mf-issues"] li[data-column="Разрядность"]');
  assert.match(await page.textContent('[data-testid="mf-issues"]'), /Разрядность: разрядность/);
  await page.screenshot({ path: `${SHOTS}meter-form-issues-desktop.png`, fullPage: true });
  await page.click('[data-testid="mf-issues"] li[data-column="Разрядность"] button');
  await shown(page, 'Счётный механизм');
  await page.fill('[data-testid="mf-capacity"]', '5,3');
  await page.click('[data-step="Review"]');
  await Promise.all([page.waitForURL(/\/meters\/\d+$/), page.click('[data-testid="mf-save"]')]);
  await page.waitForSelector('[data-testid="meter-card"]');
  assert.match(await page.textContent('h1'), new RegExp(serial));
  const id = page.url().match(/\/meters\/(\d+)/)[1];

  // found in the inventory by its serial
  await page.goto(`/service/meters?q=${serial}`);
  await page.waitForSelector(`table[data-testid="inventory-table"] tr[data-row="${id}"]`);
  const row = await page.$eval(`table[data-testid="inventory-table"] tr[data-row="${id}"]`, (tr) => [...tr.children].map((td) => td.textContent.trim()));
  assert.deepEqual([row[0], row[2], row[3], row[6], row[8]], [serial, '1', 'ИПУ', barcode, '5,3']);
  assert.equal(row[15], '10.01.2032', 'the next verification from the last and the interval');

  // its edit form keeps the serial and moves it to flat 2
  await page.goto(`/meters/${id}`);
  await page.waitForSelector('[data-testid="meter-edit"]');
  await hydrated(page);
  await Promise.all([page.waitForURL(new RegExp(`/service/meters/${id}$`)), page.click('[data-testid="meter-edit"]')]);
  await page.waitForSelector('[data-testid="mf-serial"]');
  await hydrated(page);
  assert.equal(await page.isDisabled('[data-testid="mf-serial"]'), true);
  await page.click('[data-step="Place"]');
  await page.fill('[data-testid="mf-premise"]', '2');
  await page.click('[data-step="Review"]');
  await Promise.all([page.waitForURL(new RegExp(`/meters/${id}$`)), page.click('[data-testid="mf-save"]')]);
  await page.waitForSelector('[data-testid="meter-card"]');
  assert.match(await page.textContent('[data-testid="meter-card"]'), /кв\. 2/);

  // retired after a question: the card says so and is no longer changed
  await page.waitForSelector('[data-testid="meter-retire"]');
  await hydrated(page);
  page.once('dialog', (d) => d.accept());
  await page.click('[data-testid="meter-retire"]');
  await page.waitForFunction(() => /Выведен из эксплуатации/.test(document.querySelector('[data-testid="meter-card"]')?.textContent ?? ''));
  assert.equal(await page.$('[data-testid="meter-edit"]'), null);
  await context.close();

  const phone = await open(browser, PHONE);
  await signIn(phone.page, 'engineer');
  const errors = [];
  phone.page.on('pageerror', (e) => errors.push(e.message));
  // opened by its address: a full page load, drawn on the server and hydrated
  await phone.page.goto('/service/meters/new');
  await phone.page.waitForSelector('[data-testid="meter-form"]');
  await hydrated(phone.page);
  const flats = await phone.page.locator('#mf-premises option').count();
  assert.ok(flats > 0, 'the first building\'s flats are offered on a full page load');
  await phone.page.click('[data-testid="mf-next-step"]');
  await phone.page.waitForSelector('[data-testid="mf-object"]', { state: 'visible' });
  const second = await phone.page.locator('[data-testid="mf-object"] option').nth(1).getAttribute('value');
  await phone.page.selectOption('[data-testid="mf-object"]', second);
  await phone.page.waitForFunction(() => document.querySelectorAll('#mf-premises option').length > 0);
  assert.deepEqual(errors, [], 'the wizard hydrates without a page error');
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the wizard fits a phone: ${width}`);
  await phone.page.screenshot({ path: `${SHOTS}meter-form-phone.png`, fullPage: true });
  await phone.context.close();
});
