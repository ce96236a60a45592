// «Отклонения»: in the demo building nothing is watched until a dispatcher switches a rule
// on; a bad tolerance gets a clear Russian message and keeps nothing; a common meter's
// parameter held to a tiny constant turns its tile red with the rule's figures in the
// page's number format, the tiles download as CSV; the rule switched off again; on a desk
// and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a dispatcher switches a rule on, sees its tile red, and switches it off again', async () => {
  const { context, page } = await open(browser);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/monitoring/deviations"]');
  await page.waitForURL(/\/monitoring\/deviations/);
  await page.waitForSelector('[data-testid="deviations-empty"]');
  await hydrated(page);
  assert.match(await page.textContent('[data-testid="deviations-empty"]'), /не включено ни одного правила/);

  await page.click('[data-testid="deviation-rules"] summary');
  const first = page.locator('[data-testid="rules-form"] tbody tr').first();
  await first.waitFor();
  const parameter = await first.getAttribute('data-parameter');
  await first.locator('[data-testid="rule-on"]').check();
  await first.locator('[data-testid="rule-basis"]').selectOption('constant');
  await first.locator('[data-testid="rule-constant"]').fill('0,001');
  await first.locator('[data-testid="rule-band"]').selectOption('absolute');
  await first.locator('[data-testid="rule-tolerance"]').fill('пять');
  await page.click('[data-testid="rules-save"]');
  const problem = page.locator('[data-testid="rules-form"] [role="alert"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /Допустимое отклонение/);

  await first.locator('[data-testid="rule-tolerance"]').fill('0');
  await page.click('[data-testid="rules-save"]');
  await page.waitForSelector('[data-testid="rules-saved"]');
  const tile = page.locator(`.deviation-tile[data-parameter="${parameter}"]`).first();
  await tile.waitFor();
  assert.equal(await tile.getAttribute('data-state'), 'broken', 'a day\'s consumption is more than 0,001');
  await tile.locator('summary').click();
  assert.match(await tile.textContent(), /0,001/, 'the constant as people write it');
  assert.match(await page.textContent('[data-testid="deviations-broken"]'), /Отклонений: [1-9]/);
  assert.match(await page.getAttribute('[data-testid="deviations-csv"]', 'href'), /^data:text\/csv/);
  await page.screenshot({ path: `${SHOTS}deviations-desktop.png`, fullPage: true });

  // the daily archive of the same day
  await page.check('[data-testid="archive-day"]');
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/deviations')), page.click('[data-testid="show"]')]);
  await page.waitForURL(/archive=day/);
  // the day's record: its time is a midnight
  await page.waitForFunction((p) => [...document.querySelectorAll(`.deviation-tile[data-parameter="${p}"] dd`)].some((d) => / 00:00$/.test(d.textContent)), parameter);

  // off again: nothing watched (the rules panel stays as it was left)
  if (!(await page.locator('[data-testid="deviation-rules"][open]').count())) await page.click('[data-testid="deviation-rules"] summary');
  const again = page.locator(`[data-testid="rules-form"] tbody tr[data-parameter="${parameter}"]`);
  await again.locator('[data-testid="rule-on"]').uncheck();
  await page.click('[data-testid="rules-save"]');
  await page.waitForSelector('[data-testid="deviations-empty"]');
  assert.deepEqual(errors, [], 'no page error');
  await context.close();
});

test('the deviations page fits a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/monitoring/deviations');
  await page.waitForSelector('[data-testid="deviations-empty"], [data-testid="deviation-meters"]');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the page fits a phone: ${width}`);
  await page.screenshot({ path: `${SHOTS}deviations-phone.png`, fullPage: false });
  await context.close();
});
