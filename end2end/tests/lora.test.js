// «LoRa-сеансы»: ТСЖ «Рассвет»'s dispatcher sees the demo's four LoRaWAN water meters with
// their last packet: one losing packets (its PER above zero), one that joined the network
// again (no PER, «сброс счётчика»); the packet log of a device with its payload and averages.
// On a desk and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const number = (text) => Number(text.replace(/\s/g, '').replace(',', '.'));

test('a dispatcher sees each LoRaWAN device\'s last packet and loss and opens its packet log', async () => {
  const { context, page } = await open(browser);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'rassvet');
  await page.click('nav.side-menu a[href="/monitoring/lora"]');
  await page.waitForURL(/\/monitoring\/lora/);
  const rows = page.locator('[data-testid="lora-devices"] tbody tr[data-device]');
  await rows.first().waitFor();
  await hydrated(page);
  assert.equal(await rows.count(), 4, 'the demo\'s four devices');

  // each row: the meter, the packet number, the signal and the gateway of the last packet
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
  for (const c of cells) {
    assert.match(c[1], /кв\. \d+/, `a flat's meter: ${c[1]}`);
    assert.match(c[3], /^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d$/, `the packet's time: ${c[3]}`);
    assert.match(c[8], /^-\d+$/, `RSSI: ${c[8]}`);
    assert.match(c[9], /^[0-9a-f]{16}$/, `gateway: ${c[9]}`);
  }
  const pers = cells.map((c) => c[6]);
  assert.ok(pers.includes('сброс счётчика'), `a device that joined again: ${pers}`);
  assert.ok(pers.some((p) => /^\d+,\d$/.test(p) && number(p) > 5), `a device losing packets: ${pers}`);
  await page.screenshot({ path: `${SHOTS}lora-desktop.png`, fullPage: true });

  // the packet log of the lossy device: newest first, payload in hex, averages
  const lossy = rows.nth(cells.findIndex((c) => /^\d+,\d$/.test(c[6]) && number(c[6]) > 5));
  await lossy.locator('[data-testid="lora-log"]').click();
  const packets = page.locator('[data-testid="lora-packet-rows"] tbody tr');
  await packets.first().waitFor();
  assert.ok(await packets.count() > 50, 'five days of hourly packets, less the lost ones');
  const first = await packets.first().evaluate((tr) => [...tr.children].map((td) => td.textContent.trim()));
  assert.match(first[7], /^0a[0-9a-f]{10}$/, `the raw payload: ${first[7]}`);
  const counters = await packets.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1].textContent)));
  assert.ok(counters.every((c, i) => i === 0 || c < counters[i - 1]), 'newest first, numbers falling');
  assert.match(await page.textContent('[data-testid="lora-averages"]'), /Средние: PER \d+,\d %, SNR -?[\d,]+ дБ, RSSI -[\d,]+ дБм/);
  await page.screenshot({ path: `${SHOTS}lora-log.png`, fullPage: true });
  assert.deepEqual(errors, [], 'no page error');
  await context.close();
});

test('the LoRa sessions fit a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'rassvet');
  await page.goto('/monitoring/lora');
  await page.waitForSelector('[data-testid="lora-devices"] tbody tr[data-device]');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the page fits a phone: ${width}`);
  await page.screenshot({ path: `${SHOTS}lora-phone.png`, fullPage: false });
  await context.close();
});
