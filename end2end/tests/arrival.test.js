// «Поступление данных»: a dispatcher sees which of the demo building's meters delivered
// which daily records of the last week (flat 7's silent electricity meter none), switches to
// the hourly archive of the building's common meters, opens one meter's records parameter by
// parameter, and downloads the list; on a desk and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a week of daily records per meter, the hourly archive of common meters and one meter\'s records', async () => {
  const { context, page } = await open(browser);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/monitoring/arrival"]');
  await page.waitForURL(/\/monitoring\/arrival/);
  const rows = page.locator('[data-testid="arrival"] tbody tr[data-meter]');
  await rows.first().waitFor();
  await hydrated(page);
  assert.ok(await rows.count() > 50, 'the building\'s meters');
  assert.equal(await page.locator('[data-testid="arrival"] thead th.slot-head').count(), 7, 'a week of days');
  assert.equal(await page.locator('[data-testid="arrival-legend"] li').count(), 4);

  // flat 7's electricity meter went silent 20 days ago: no record of the week
  const silent = rows.filter({ has: page.locator('td:first-child', { hasText: /^кв\. 7$/ }) }).filter({ hasText: 'Электроэнергия' });
  assert.equal(await silent.count(), 1);
  assert.equal(await silent.locator('td.slot.missing').count(), 7);
  assert.match(await silent.locator('td.complete').textContent(), /^0\s%$/);
  // most meters delivered every day: the count under the table says how many each day
  const full = await page.locator('[data-testid="arrival"] td.slot.full').count();
  assert.ok(full > 7 * 40, `full records: ${full}`);
  const delivered = await page.$$eval('[data-testid="arrival-delivered"] td.slot-count', (tds) => tds.map((td) => Number(td.textContent.replace(/\D/g, ''))));
  assert.equal(delivered.length, 7);
  const total = await rows.count();
  assert.ok(delivered.every((n) => n > 0 && n < total), `delivered per day: ${delivered} of ${total}`);
  await page.screenshot({ path: `${SHOTS}arrival-desktop.png`, fullPage: false });

  // the hourly archive of the common meters (ОДПУ), for yesterday
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  await page.selectOption('[data-testid="arrival-placement"]', 'common');
  await page.check('[data-testid="archive-hour"]');
  await page.fill('[data-testid="arrival-from"]', yesterday);
  await page.fill('[data-testid="arrival-to"]', yesterday);
  await Promise.all([page.waitForURL(/archive=hour/), page.click('[data-testid="show"]')]);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="arrival"] thead th.slot-head').length === 24);
  const places = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent.trim()));
  assert.ok(places.length > 0 && places.every((p) => p === 'ОДПУ'), `common meters only: ${places}`);
  assert.ok(await page.locator('[data-testid="arrival"] td.slot.full').count() > 0, 'the common meters keep hours');

  // one meter's records, a column per parameter
  await rows.first().locator('[data-testid="arrival-pick"]').click();
  const records = page.locator('[data-testid="arrival-records"] tbody tr');
  await records.first().waitFor();
  assert.equal(await records.count(), 24);
  assert.match(await records.first().locator('td').first().textContent(), /^\d\d\.\d\d 00:00$/);
  assert.match(await page.textContent('[data-testid="arrival-records"] thead'), /Запись/);

  // the list downloads
  assert.match(await page.getAttribute('[data-testid="arrival-csv"]', 'href'), /^data:text\/csv/);
  assert.deepEqual(errors, [], 'no page error');
  await context.close();
});

test('the data arrival page fits a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/monitoring/arrival');
  await page.locator('[data-testid="arrival"] tbody tr[data-meter]').first().waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the page fits a phone: ${width}`);
  await page.screenshot({ path: `${SHOTS}arrival-phone.png`, fullPage: false });
  await context.close();
});
