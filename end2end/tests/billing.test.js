// «Выгрузка в биллинг» (issue 28) in headless Chromium: a dispatcher runs the last closed
// billing period's export in the ГИС ЖКХ template, lands on its protocol, filters the meters
// not sent with their reasons, downloads the file and the protocol as Excel; the same period
// again is refused with a Russian sentence until «повторно» is ticked; a reader sees the runs
// and downloads them but has no form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launch, open, signIn, hydrated, DESKTOP, PHONE, SHOTS } from './helpers.js';
import { readXlsx } from './xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function runExport(page, { again = false } = {}) {
  await page.selectOption('[data-testid="billing-form"] select[name="template"]', 'gis_zhkh');
  await page.setChecked('[data-testid="billing-form"] input[name="again"]', again);
  await page.click('[data-testid="billing-form"] button[type="submit"]');
}

test('a dispatcher exports the billing period to ГИС ЖКХ and reads its protocol', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/billing/export"]');
  await page.waitForURL('**/billing/export');
  await hydrated(page);
  const period = await page.inputValue('[data-testid="billing-form"] input[name="period"]');
  assert.match(period, /^\d{4}-\d{2}$/, period);

  await runExport(page);
  await page.waitForURL(/\/billing\/export\/\d+$/, { timeout: 120000 });
  await page.waitForSelector('[data-testid="billing-status"]');
  const status = (await page.textContent('[data-testid="billing-status"]')).trim();
  assert.ok(['успешно', 'с ошибками'].includes(status), status);
  const sent = Number(await page.textContent('[data-testid="billing-sent"]'));
  const notSent = Number(await page.textContent('[data-testid="billing-not-sent"]'));
  assert.ok(sent > 0, `meters sent: ${sent}`);
  const lines = 'table[data-testid="billing-lines"] tbody tr[data-serial]';
  assert.equal(await page.locator(lines).count(), sent + notSent, 'a line per meter');
  await page.screenshot({ path: join(SHOTS, 'billing-protocol-desktop.png'), fullPage: false });

  // only the meters not sent, each with its reason in words
  await page.check('[data-testid="only-not-sent"]');
  assert.equal(await page.locator(lines).count(), notSent);
  if (notSent > 0) {
    const reasons = await page.$$eval(`${lines} td.reason`, (t) => t.map((x) => x.textContent.trim()));
    assert.ok(reasons.every((r) => /^Не передано: \S/.test(r)), reasons.slice(0, 3).join(' | '));
  }

  // the file as ГИС ЖКХ takes it: the header in the first row, a row per meter sent
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="billing-file"]')]);
  assert.match(file.suggestedFilename(), /^uchet-gis_zhkh-\d{4}-\d{2}\.xlsx$/);
  const path = join(tmpdir(), `uchet-billing-${Date.now()}.xlsx`);
  await file.saveAs(path);
  const sheet = readXlsx(path).filter((r) => r.length);
  assert.equal(sheet[0][0], 'Номер прибора учета');
  assert.equal(sheet.length - 1, sent);
  assert.ok(sheet.slice(1).every((r) => /^\d{2}\.\d{2}\.\d{4}$|^\d+$/.test(String(r[5]))), JSON.stringify(sheet[1]));

  // the protocol as Excel: every line with its reason
  const [proto] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="billing-protocol-xlsx"]')]);
  const protoPath = join(tmpdir(), `uchet-billing-protocol-${Date.now()}.xlsx`);
  await proto.saveAs(protoPath);
  const rows = readXlsx(protoPath);
  assert.match(rows[0][0], /^Протокол выгрузки № \d+/);
  const header = rows.findIndex((r) => r[0] === 'Дом');
  assert.equal(rows.slice(header + 1).filter((r) => r.length && r[0]).length, sent + notSent);

  // the same period again: refused in Russian, then made on purpose
  await page.click('a[href="/billing/export"]');
  await page.waitForURL('**/billing/export');
  await hydrated(page);
  await runExport(page);
  const error = page.locator('.error-box');
  await error.waitFor();
  assert.match(await error.textContent(), /уже выгружен/);
  await runExport(page, { again: true });
  await page.waitForURL(/\/billing\/export\/\d+$/, { timeout: 120000 });
  await page.waitForSelector('[data-testid="billing-changed"]');
  assert.match(await page.textContent('[data-testid="billing-changed"]'), /^0 \(повтор выгрузки № \d+\)/);

  // an automatic export on the 27th, after the window
  await page.click('a[href="/billing/export"]');
  await page.waitForURL('**/billing/export');
  await hydrated(page);
  const auto = '[data-testid="billing-auto-form"]';
  assert.match(await page.textContent(`${auto} [data-testid="billing-auto"]`), /только вручную/);
  await page.check(`${auto} input[name="enabled"]`);
  await page.fill(`${auto} input[name="day"]`, '27');
  await page.selectOption(`${auto} select[name="template"]`, 'gis_zhkh');
  await page.click(`${auto} button[type="submit"]`);
  await page.waitForFunction((sel) => /Следующая автоматическая выгрузка: \d{2}\.\d{2}\.\d{4}/.test(document.querySelector(sel)?.textContent || ''),
    `${auto} [data-testid="billing-auto"]`);
  await page.screenshot({ path: join(SHOTS, 'billing-export-desktop.png'), fullPage: true });
  await context.close();
});

test('a reader sees the runs and downloads them but has no form; the page fits a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'reader');
  await page.goto('/billing/export');
  await hydrated(page);
  await page.waitForSelector('table[data-testid="billing-runs"] tbody tr[data-run]');
  assert.equal(await page.locator('[data-testid="billing-form"]').count(), 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the page is wider than the phone by ${overflow}px`);
  await page.screenshot({ path: join(SHOTS, 'billing-runs-phone.png'), fullPage: true });
  await context.close();
});
