// The polling console against a server whose collector runs, with the demo's virtual buses
// (simulated Mercury and M-Bus meters behind local TCP ports). scripts/test starts that
// server apart: the other browser tests check the demo's stored figures, which polling moves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from '../tests/helpers.js';
import { readXlsx } from '../tests/xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const number = async (page, sel) => Number((await page.textContent(sel)).replace(/\s/g, ''));

/** Waits until the newest job is a finished manual one of `total` meters or more. */
async function finishedManual(page, atLeast = 1) {
  await page.waitForFunction((n) => {
    const j = document.querySelector('.poll-job');
    return j && j.dataset.reason === 'manual' && j.dataset.running === 'false' && Number(j.dataset.total) >= n;
  }, atLeast, { timeout: 240000, polling: 500 });
}

test('a dispatcher polls the building from the console; the table and the status bar follow', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/monitoring/polling');
  await hydrated(page);
  await page.waitForSelector('.poll-status');
  assert.ok(await number(page, '.poll-total') > 100, 'the first building hangs on the simulated buses');
  await page.screenshot({ path: `${SHOTS}polling-before.png`, fullPage: false });

  await page.click('button.poll-building');
  // The status bar shows the poll queued or running with its progress, then done.
  await page.waitForSelector('.poll-job[data-reason="manual"]', { timeout: 20000 });
  await page.waitForFunction(() => {
    const j = document.querySelector('.poll-job');
    return j && j.dataset.reason === 'manual' && Number(j.dataset.done) > 0;
  }, null, { timeout: 240000, polling: 300 });
  await page.screenshot({ path: `${SHOTS}polling-running.png`, fullPage: false });
  await finishedManual(page, 100);

  const ok = await number(page, '.poll-ok');
  const failed = await number(page, '.poll-failed');
  assert.ok(ok >= 100, `meters answered: ${ok}`);
  assert.ok(failed >= 1, 'the demo meter silent for 20 days did not answer');
  // Flat 7's electricity meter is the silent one: its row says so.
  const silent = page.locator('tr.not-polled', { hasText: 'кв. 7' });
  await silent.first().waitFor();
  assert.match(await silent.first().locator('td.state').textContent(), /нет ответа/);
  // A meter that answered shows the poll time and a value.
  const first = page.locator('table.polling-table tbody tr:not(.not-polled)').first();
  assert.match((await first.locator('td.times .polled').textContent()).trim(), /^\d\d\.\d\d\.\d{4} \d\d:\d\d$/);
  assert.match(await first.locator('td.state').textContent(), /ответил/);
  assert.match(await first.locator('td.value-total').textContent(), /\d/);
  await page.screenshot({ path: `${SHOTS}polling-done.png`, fullPage: false });

  // One meter alone: the newest job covers exactly it.
  await first.locator('button.poll-meter').click();
  await page.waitForFunction(() => {
    const j = document.querySelector('.poll-job');
    return j && j.dataset.reason === 'manual' && j.dataset.running === 'false' && j.dataset.total === '1';
  }, null, { timeout: 60000, polling: 300 });
  assert.equal(await page.getAttribute('.poll-job', 'data-done'), '1');
  const polledMeter = await first.getAttribute('data-meter');

  // The terminal tab shows that meter's exchange: requests out, replies in, as hex.
  await page.click('[data-testid="terminal-tab"]');
  await page.waitForURL(/cat=terminal/);
  await page.waitForSelector('select.term-meter');
  await hydrated(page);
  await Promise.all([page.waitForURL(new RegExp(`meter=${polledMeter}`)), page.selectOption('select.term-meter', polledMeter)]);
  await page.waitForFunction((m) => document.querySelector('select.term-meter')?.value === m, polledMeter);
  await page.waitForSelector('table.terminal-table tr.frame.received');
  const frames = await page.$$eval('table.terminal-table tbody tr', (trs) => trs.map((tr) => ({
    sent: tr.classList.contains('sent'),
    time: tr.querySelector('.time').textContent.trim(),
    hex: tr.querySelector('.hex').textContent.trim(),
  })));
  assert.ok(frames.filter((f) => f.sent).length >= 4, `open, serial, energy, close: ${JSON.stringify(frames)}`);
  assert.ok(frames.filter((f) => !f.sent).length >= 4, 'and the replies');
  assert.match(frames[0].time, /^\d\d:\d\d:\d\d\.\d{3}$/);
  assert.match(frames[0].hex, /^[0-9a-f]{2}( [0-9a-f]{2})+$/);
  assert.match(await page.textContent('.term-status'), /ответил/);
  await page.screenshot({ path: `${SHOTS}polling-terminal.png`, fullPage: false });

  // The silent meter shows its unanswered requests.
  const silentMeter = await page.$eval('select.term-meter', (s) => [...s.options].find((o) => o.textContent.startsWith('кв. 7 ') && /Меркурий/.test(o.textContent))?.value);
  if (silentMeter) {
    await Promise.all([page.waitForURL(new RegExp(`meter=${silentMeter}`)), page.selectOption('select.term-meter', silentMeter)]);
    await page.waitForFunction(() => /нет ответа/.test(document.querySelector('.term-status')?.textContent || ''));
    assert.equal(await page.locator('table.terminal-table tr.frame.received').count(), 0);
    assert.ok(await page.locator('table.terminal-table tr.frame.sent').count() >= 1);
  }

  // The building's cold-water input hangs on Modbus TCP: the same poll read it too.
  await page.goto('/monitoring/polling?cat=hw-common');
  await hydrated(page);
  const modbus = page.locator('table.polling-table tbody tr', { hasText: 'Modbus-счётчик воды' });
  await modbus.first().waitFor();
  assert.equal(await modbus.count(), 1, 'one Modbus device in the demo building');
  assert.match(await modbus.locator('td.state').textContent(), /ответил/);
  assert.match(await modbus.locator('td.value-total').textContent(), /\d/);

  // «Опросить категорию»: the tab's devices, and nothing else of the building.
  const pollable = await page.locator('table.polling-table tbody tr input.pick').count();
  assert.ok(pollable >= 2, `the heat meter and the water input: ${pollable}`);
  const jobDone = (n) => page.waitForFunction((total) => {
    const j = document.querySelector('.poll-job');
    return j && j.dataset.reason === 'manual' && j.dataset.running === 'false' && j.dataset.total === String(total);
  }, n, { timeout: 120000, polling: 300 });
  const lastJob = await page.getAttribute('.poll-job', 'data-job');
  await page.click('button.poll-category');
  await page.waitForFunction((id) => document.querySelector('.poll-job')?.dataset.job !== id, lastJob, { timeout: 20000 });
  await jobDone(pollable);

  // ticked rows: the Modbus device alone
  await modbus.locator('input.pick').check();
  assert.match(await page.textContent('button.poll-selected'), /\(1\)/);
  const categoryJob = await page.getAttribute('.poll-job', 'data-job');
  await page.click('button.poll-selected');
  await page.waitForFunction((id) => document.querySelector('.poll-job')?.dataset.job !== id, categoryJob, { timeout: 20000 });
  await jobDone(1);
  assert.equal(await page.locator('table.polling-table tbody tr input.pick:checked').count(), 0, 'the ticks are cleared');

  // the tab as a file: the same devices
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-xlsx"]')]);
  const path = join(tmpdir(), `uchet-polling-${Date.now()}.xlsx`);
  await download.saveAs(path);
  const sheet = readXlsx(path);
  const header = sheet.findIndex((r) => r[0] === 'Место');
  const rows = await page.locator('table.polling-table tbody tr').count();
  assert.equal(sheet.slice(header + 1).filter((r) => r.length && r[0]).length, rows);
  assert.ok(sheet.some((r) => r.includes('Modbus-счётчик воды ВСХН-50')));

  // the device form: choosing the Modbus meter fills in how it is read; saving keeps it so
  await page.click('[data-testid="device-form"] summary');
  const meterId = await modbus.getAttribute('data-meter');
  await page.selectOption('[data-testid="device-form"] select[name="meter"]', meterId);
  assert.equal(await page.inputValue('[data-testid="device-form"] select[name="protocol"]'), 'modbus');
  assert.equal(await page.inputValue('[data-testid="device-form"] input[name="address"]'), '1');
  const line = await page.$eval('[data-testid="device-form"] select[name="line"]', (s) => s.selectedOptions[0]?.textContent);
  assert.match(line, /Modbus TCP/);
  await page.click('[data-testid="device-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="device-saved"]');
  assert.equal(await modbus.count(), 1, 'still on its line');
  await context.close();
});

test('the console reads on a phone, and a reader sees it without poll buttons', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'reader');
  await page.goto('/monitoring/polling?cat=hw-common');
  await hydrated(page);
  await page.waitForSelector('.poll-status');
  assert.equal(await page.locator('button.poll-building').count(), 0);
  assert.equal(await page.locator('button.poll-meter').count(), 0);
  assert.ok(await page.locator('table.polling-table tbody tr').count() >= 1, 'the building heat meter on the M-Bus line');
  await page.screenshot({ path: `${SHOTS}polling-phone-reader.png`, fullPage: true });
  await context.close();
});

test("the meters' own journals bring their tampering to «Нештатные ситуации» and their power cuts to the journal", async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  // the demo's first Mercury had its cover opened two days ago; its second has a magnet on
  // it since last evening: the polls (the first of the day reads the journals) bring both
  await page.goto('/monitoring/abnormal');
  await hydrated(page);
  const cover = page.locator('tr.ev-row[data-kind="cover_opened"]');
  await cover.first().waitFor({ timeout: 60000 });
  assert.match(await cover.first().locator('td.values').textContent(), /по журналу событий счётчика: \d\d\.\d\d\.\d{4} 14:03:27 — \d\d\.\d\d\.\d{4} 14:07:05/);
  assert.match(await cover.first().textContent(), /Вскрытие крышки счётчика/);
  const magnet = page.locator('tr.ev-row[data-kind="magnet"]');
  await magnet.first().waitFor();
  assert.match(await magnet.first().locator('td.state').textContent(), /продолжается/);
  assert.equal(await page.locator('tr.ev-row[data-kind="power_off"]').count(), 0, 'a power cut is a note, not a situation');
  await page.screenshot({ path: `${SHOTS}abnormal-tamper.png`, fullPage: false });

  await page.goto('/monitoring/events?kind=power_off');
  await hydrated(page);
  const power = page.locator('tr.ev-row[data-kind="power_off"]');
  await power.first().waitFor();
  assert.match(await power.first().locator('td.values').textContent(), /02:10:00 — \d\d\.\d\d\.\d{4} 04:45:00/);
  await context.close();
});

test("an M-Bus heat meter whose replies say its battery is low is a situation", async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  // the demo's second heat meter on the M-Bus gateway sends «power low» in every reply
  await page.goto('/monitoring/abnormal');
  await hydrated(page);
  const low = page.locator('tr.ev-row[data-kind="battery_low"]');
  await low.first().waitFor({ timeout: 60000 });
  assert.match(await low.first().textContent(), /Низкий заряд батареи прибора/);
  assert.match(await low.first().locator('td.values').textContent(), /слово состояния 0x04: низкое питание/);
  await context.close();
});
