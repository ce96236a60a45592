// Monitoring: a dispatcher finds the demo's lowered reading among «Нештатные ситуации», resolves
// it with a comment (and finds it again under «Показать решённые»), and narrows «Журнал
// событий» by kind and severity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const kinds = (page) => page.$$eval('tr.ev-row', (trs) => trs.map((tr) => tr.dataset.kind));

test('a lowered reading is an abnormal situation until a dispatcher resolves it with a comment', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/monitoring/abnormal"]');
  await page.waitForURL(/\/monitoring\/abnormal/);
  await page.waitForSelector('table[data-testid="situations"] tr.ev-row');
  await hydrated(page);
  const all = await kinds(page);
  for (const k of ['decreased', 'silent']) assert.ok(all.includes(k), `${k} among ${[...new Set(all)]}`);
  assert.ok(Number(await page.textContent('[data-testid="alarms"]')) >= 1);
  await page.screenshot({ path: `${SHOTS}abnormal-desktop.png`, fullPage: false });

  // The demo's flat 3 cold water went down: search it, resolve it.
  await page.fill('input.search', 'кв. 3 уменьшилось');
  await page.waitForFunction(() => {
    const trs = [...document.querySelectorAll('tr.ev-row')];
    return trs.length > 0 && trs.every((tr) => tr.dataset.kind === 'decreased');
  });
  const row = page.locator('tr.ev-row[data-kind="decreased"]').first();
  const id = await row.getAttribute('data-event');
  assert.match(await row.locator('td.values').textContent(), /до этого/, 'the reading before is shown');
  await row.locator('[data-testid="resolve"]').click();
  // an empty comment is not sent
  await row.locator('button[type="submit"]').click();
  assert.equal(await page.locator(`tr.ev-row[data-event="${id}"]`).count(), 1, 'still open without a comment');
  await row.locator('textarea[name="comment"]').fill('Проверено на месте: ошибка ввода архива, показание отклонено');
  await row.locator('button[type="submit"]').click();
  await page.waitForFunction((id) => !document.querySelector(`tr.ev-row[data-event="${id}"]`), id);

  // Shown again with the resolved ones, with who and what.
  await Promise.all([page.waitForURL(/resolved=1/), page.check('[data-testid="show-resolved"]')]);
  const resolved = page.locator(`tr.ev-row[data-event="${id}"]`);
  await resolved.waitFor();
  assert.match(await resolved.locator('td.state').textContent(), /^решено \d\d\.\d\d\.\d{4} \d\d:\d\d$/);
  assert.match(await resolved.locator('td.ev-action').textContent(), /ошибка ввода архива/);

  // A phone shows the list too.
  const phone = await open(browser, PHONE);
  await signIn(phone.page, 'dispatcher');
  await phone.page.goto(new URL('/monitoring/abnormal', page.url()).href);
  await phone.page.waitForSelector('tr.ev-row');
  await phone.page.screenshot({ path: `${SHOTS}abnormal-phone.png` });
  await phone.context.close();
  await context.close();
});

test('the event journal narrows by kind and severity in its address', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/monitoring/events"]');
  await page.waitForURL(/\/monitoring\/events/);
  await page.waitForSelector('table[data-testid="journal"] tr.ev-row');
  await hydrated(page);
  assert.ok((await kinds(page)).includes('silent'), 'the silent meters of the last 30 days');

  await page.selectOption('[data-testid="kind"]', 'silent');
  await Promise.all([page.waitForURL(/kind=silent/), page.click('[data-testid="show"]')]);
  await page.waitForFunction(() => {
    const trs = [...document.querySelectorAll('tr.ev-row')];
    return trs.length > 0 && trs.every((tr) => tr.dataset.kind === 'silent');
  });
  assert.match(await page.textContent('tr.ev-row td.values'), /Последняя связь|ни разу не выходил на связь/);

  await page.selectOption('[data-testid="kind"]', '');
  await page.selectOption('[data-testid="severity"]', 'warning');
  await Promise.all([page.waitForURL(/severity=warning/), page.click('[data-testid="show"]')]);
  await page.waitForFunction(() => !/kind=/.test(document.querySelector('[data-testid="export-xlsx"]')?.getAttribute('href') ?? 'kind='));
  await page.waitForSelector('table[data-testid="journal"] tr.ev-row');
  const severities = await page.$$eval('tr.ev-row td.sev', (tds) => tds.map((td) => td.textContent.trim()));
  assert.ok(severities.length > 0 && severities.every((s) => s === 'Предупреждение'), JSON.stringify(severities));
  assert.match(await page.getAttribute('[data-testid="export-xlsx"]', 'href'), /severity=warning/);
  await page.screenshot({ path: `${SHOTS}events-desktop.png`, fullPage: false });
  await context.close();
});
