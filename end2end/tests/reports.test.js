// «Отчёты» (issue 28, F38) in headless Chromium: a dispatcher opens the live menu item, makes
// the readings registry of a demo building for a month, searches and sorts it, downloads it as
// PDF (read back with pdftotext: Cyrillic title, header, page numbers) and as Excel, and
// switches to the building balance; a reader on a phone downloads the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { launch, open, signIn, hydrated, DESKTOP, PHONE, SHOTS } from './helpers.js';
import { readXlsx } from './xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const rows = 'table[data-testid="report"] tbody tr:not(:has(td.empty))';

async function download(page, testid, ext) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  const path = join(tmpdir(), `uchet-report-${Date.now()}.${ext}`);
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

test('a dispatcher makes the readings registry of a building and downloads it as PDF and Excel', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/reports"]');
  await page.waitForURL('**/reports');
  await hydrated(page);
  await page.waitForSelector('table[data-testid="report"]');

  // the first building, the month shown by default
  const object = await page.$eval('[data-testid="report-object"] option:nth-child(2)', (o) => o.value);
  await page.selectOption('[data-testid="report-object"]', object);
  await page.click('[data-testid="report-form"] button[type="submit"]');
  await page.waitForURL(new RegExp(`kind=registry.*object=${object}`));
  await page.waitForFunction(() => !document.querySelector('[data-testid="report-title"]')?.textContent.includes('Все дома'));
  await page.waitForSelector(rows);
  const title = (await page.textContent('[data-testid="report-title"]')).trim();
  assert.match(title, /^Реестр показаний ИПУ — /, title);
  const count = Number((await page.textContent('[data-testid="report-count"]')).replace(/\D/g, ''));
  assert.ok(count > 50, `rows: ${count}`);
  assert.equal(await page.locator(rows).count(), Math.min(count, 100), 'a hundred rows a page');
  assert.ok(await page.locator('[data-testid="report-totals"] tr').count() >= 1, 'totals per resource');
  await page.screenshot({ path: join(SHOTS, 'reports-registry-desktop.png'), fullPage: false });

  // search narrows, sorting by consumption puts the largest first when asked twice
  await page.fill('[data-testid="report-search"]', 'ХВС');
  const cold = Number((await page.textContent('[data-testid="report-count"]')).replace(/\D/g, ''));
  assert.ok(cold > 0 && cold < count, `${cold} of ${count}`);
  const column = await page.$$eval('table[data-testid="report"] thead th', (t) => t.findIndex((x) => x.textContent.startsWith('Расход')));
  assert.ok(column >= 0);
  const header = page.locator('table[data-testid="report"] thead th').nth(column).locator('button');
  await header.click();
  await header.click();
  const figures = await page.$$eval(`${rows} td:nth-child(${column + 1})`, (t) =>
    t.map((x) => Number(x.textContent.replace(/\s/g, '').replace(',', '.'))).filter((n) => !Number.isNaN(n)));
  assert.ok(figures.length > 1);
  assert.ok(figures.every((v, i) => i === 0 || figures[i - 1] >= v), figures.slice(0, 5).join(' '));

  // the PDF: its words as pdftotext reads them
  const pdf = await download(page, 'report-pdf', 'pdf');
  assert.match(pdf.name, /^registry-\d+-\d{4}-\d{2}\.pdf$/);
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf.path, '-']).toString();
  assert.match(text, /Реестр показаний ИПУ — /);
  assert.match(text, /лицевого/);
  assert.match(text, /Страница 1 из \d+/);
  const pages = Number(text.match(/Страница 1 из (\d+)/)[1]);
  assert.ok(pages > 1, `a building's registry runs to ${pages} pages`);
  assert.equal((text.match(/лицевого/g) || []).length, pages, 'the header repeats on every page');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf.path, join(SHOTS, 'reports-registry-pdf')]);

  // the Excel file: the title and every row
  const xlsx = await download(page, 'report-xlsx', 'xlsx');
  assert.match(xlsx.name, /^registry-\d+-\d{4}-\d{2}\.xlsx$/);
  const sheet = readXlsx(xlsx.path);
  assert.match(String(sheet[0][0]), /^Реестр показаний ИПУ — /);
  const head = sheet.findIndex((r) => r[0] === 'Номер лицевого счёта');
  assert.ok(head > 0);
  assert.ok(sheet.slice(head + 1).filter((r) => r.length).length >= count, 'every row, totals below');

  // the balance of the same building
  await page.selectOption('[data-testid="report-kind"]', 'balance');
  await page.click('[data-testid="report-form"] button[type="submit"]');
  await page.waitForURL(/kind=balance/);
  await page.waitForFunction(() => document.querySelector('[data-testid="report-title"]')?.textContent.includes('Баланс дома'));
  const balance = await page.$$eval(`${rows} td:nth-child(2)`, (t) => t.map((x) => x.textContent.trim()));
  assert.ok(balance.includes('Электроэнергия'), balance.join(' | '));
  await page.screenshot({ path: join(SHOTS, 'reports-balance-desktop.png'), fullPage: false });
  await context.close();
});

test('a reader on a phone opens the verification list and downloads it', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'reader');
  await page.goto('/reports?kind=verification');
  await hydrated(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="report-title"]')?.textContent.includes('Ведомость поверки'));
  assert.equal(await page.locator('[data-testid="report-month"]').count(), 0, 'the list is of today, not of a month');
  await page.screenshot({ path: join(SHOTS, 'reports-verification-phone.png'), fullPage: false });
  const pdf = await download(page, 'report-pdf', 'pdf');
  assert.match(pdf.name, /^verification-all\.pdf$/);
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf.path, '-']).toString();
  assert.match(text, /Ведомость поверки — Все дома/);
  await context.close();
});
