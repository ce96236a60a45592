// «Сезон»: the demo's buildings are in the heating season since 1 October, set by their
// dispatcher; a dispatcher finds one building, tries a start date in the future (a clear
// Russian message, nothing changed, the choice kept), ends its heating season today, sees
// its history and undoes the change the same day; a reader only reads; on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// The day in Moscow (the demo's buildings' time), `yyyy-mm-dd`, `days` from today.
function moscowDay(days = 0) {
  return new Date(Date.now() + 3 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

const row = (page, text) => page.locator('[data-testid="season-table"] tbody tr', { hasText: text }).first();

/// Waits until the row of the building named `name` shows season `state`.
async function seasonOf(page, name, state) {
  await page.waitForFunction(([name, state]) => [...document.querySelectorAll('[data-testid="season-table"] tbody tr[data-state]')]
    .find((r) => r.textContent.includes(name))?.dataset.state === state, [name, state]);
}

test('a dispatcher ends a building\'s heating season by the rules and undoes it the same day', async () => {
  const { context, page } = await open(browser);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/service/season"]');
  await page.waitForURL(/\/service\/season$/);
  await page.waitForSelector('[data-testid="season-table"]');
  await hydrated(page);
  const vinnitskaya = row(page, 'Винницкая');
  await vinnitskaya.waitFor();
  const heated = (await vinnitskaya.getAttribute('data-state')) === 'heating';
  // the demo's season follows the calendar: heating from 1 October, between from 1 May
  assert.match(await vinnitskaya.textContent(), heated ? /Отопительный\s*01\.10\.\d{4}/ : /Межотопительный\s*01\.05\.\d{4}/);
  assert.match(await vinnitskaya.textContent(), /Козлов Андрей Сергеевич/);
  await page.screenshot({ path: `${SHOTS}season-desktop.png`, fullPage: true });

  await page.fill('[data-testid="season-search"]', 'винницкая');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="season-table"] tbody tr').length === 1);
  await vinnitskaya.locator('[data-testid="season-pick"]').check();
  assert.equal(await page.textContent('[data-testid="season-chosen"]'), '1');
  const button = heated ? '[data-testid="season-to-between"]' : '[data-testid="season-to-heating"]';
  assert.ok(await page.isDisabled(heated ? '[data-testid="season-to-heating"]' : '[data-testid="season-to-between"]'), 'not to the season it is in');

  // a start in the future is refused in Russian, and the choice stays
  await page.fill('[data-testid="season-date"]', moscowDay(1));
  await page.click(button);
  const problem = page.locator('.season [role="alert"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /Дата начала сезона: позже сегодняшнего дня/);
  assert.equal(await page.textContent('[data-testid="season-chosen"]'), '1', 'the choice is kept');
  assert.equal(await vinnitskaya.getAttribute('data-state'), heated ? 'heating' : 'between', 'nothing changed');

  await page.fill('[data-testid="season-date"]', moscowDay(0));
  await page.click(button);
  await page.waitForSelector('[data-testid="season-done"]');
  assert.match(await page.textContent('[data-testid="season-done"]'), /Сезон установлен/);
  await seasonOf(page, 'Винницкая', heated ? 'between' : 'heating');
  const [y, m, d] = moscowDay(0).split('-');
  assert.match(await vinnitskaya.textContent(), new RegExp(`${d}\\.${m}\\.${y}`));

  await vinnitskaya.locator('[data-testid="season-history"]').click();
  const history = page.locator('[data-testid="season-history-row"]');
  await history.waitFor();
  assert.equal(await history.locator('li').count() >= 2, true, 'the change and the ones before');
  await page.screenshot({ path: `${SHOTS}season-history-desktop.png`, fullPage: true });

  await vinnitskaya.locator('[data-testid="season-undo"]').click();
  await page.waitForFunction(() => /отменена/.test(document.querySelector('[data-testid="season-done"]')?.textContent || ''));
  await seasonOf(page, 'Винницкая', heated ? 'heating' : 'between');
  assert.doesNotMatch(await page.textContent('.season'), /Сезон установлен/, 'only the last action\'s word');
  assert.deepEqual(errors, [], 'no page error');
  await context.close();
});

test('a reader sees the seasons and changes nothing; the page fits a phone', async () => {
  const reader = await open(browser);
  await signIn(reader.page, 'reader');
  await reader.page.goto('/service/season');
  await reader.page.waitForSelector('[data-testid="season-table"]');
  assert.equal(await reader.page.locator('[data-testid="season-group"]').count(), 0, 'no group change for a reader');
  assert.equal(await reader.page.locator('[data-testid="season-pick"]').count(), 0);
  assert.equal(await reader.page.locator('[data-testid="season-undo"]').count(), 0);
  assert.match(await reader.page.getAttribute('[data-testid="season-csv"]', 'href'), /^data:text\/csv/);
  await reader.context.close();

  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/service/season');
  await page.waitForSelector('[data-testid="season-table"]');
  await hydrated(page);
  await page.screenshot({ path: `${SHOTS}season-phone.png`, fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the page fits a phone: ${width}`);
  await context.close();
});
