// The billing period (issue 27) in headless Chromium: the demo's building on Винницкая has its
// hot water read by hand between the 15th and the 24th. «Абоненты и потребление» in the period
// view shows each flat's month as read, and marks the flats whose reading is missing: by the
// average (flat 4 missed the last month), by the norm (flat 8 missed eight). The dashboard's
// «За расчётный период» sums them per building and says what the figures stand on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, registerWith, DESKTOP, PHONE, SHOTS } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const table = 'table[data-testid="subscribers"]';
const hot = (flat) => `${table} tbody tr[data-flat="${flat}"] td[data-resource="hot_water"]`;

test('hand-read flats show their billing period with what each figure stands on', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.goto('/subscribers');
  await hydrated(page);
  const vinnitskaya = await page.$eval('form.filters select[name="object"]',
    (s) => [...s.options].find((o) => o.textContent.includes('Винницкая')).value);
  await page.goto(`/subscribers?object=${vinnitskaya}&by=period`);
  await hydrated(page);
  await page.waitForSelector(hot('1'));
  assert.match(await page.textContent('[data-testid="period-note"]'), /\S/);
  // flat 1 handed in its reading: a number, no mark
  const read = (await page.textContent(hot('1'))).trim();
  assert.match(read, /^\d[\d\u00a0 ]*,\d+$/, `flat 1's hot water: ${read}`);
  assert.equal(await page.$(`${hot('1')} sup.basis`), null, 'a measured figure has no mark');
  // flat 4 missed the last month: its average, marked «ср»; flat 8 missed eight: the norm, «н»
  assert.equal(await page.getAttribute(`${hot('4')} sup.basis`, 'data-basis'), 'average');
  assert.equal((await page.textContent(`${hot('4')} sup.basis`)).trim(), 'ср');
  assert.equal(await page.getAttribute(`${hot('8')} sup.basis`, 'data-basis'), 'norm');
  assert.match(await page.textContent(hot('8')), /^\d+,\d+/, 'the norm times the flat\'s residents');
  await page.screenshot({ path: SHOTS + 'period-subscribers.png' });

  // the calendar month of the same flats: readings a month apart give no whole month
  await page.click('[data-testid="view"] a.seg:not([data-testid="by-period"])');
  await page.waitForURL((u) => !u.searchParams.has('by'));
  await page.waitForFunction((sel) => /\*$/.test(document.querySelector(sel)?.textContent.trim() || ''), hot('1'));
  assert.match((await page.textContent(hot('1'))).trim(), /\*$/, 'marked as not whole');
  await context.close();
});

test('the dashboard\'s billing period sums the buildings and says what the figures stand on', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.goto('/?span=month');
  await hydrated(page);
  await page.click('.spans a[data-span="period"]');
  await page.waitForURL(/span=period/);
  await page.waitForSelector('[data-testid="bases-hot_water"]');
  assert.match(await page.textContent('[data-testid="dash-period"]'), /расчётный период/);
  const bases = await page.textContent('[data-testid="bases-hot_water"]');
  assert.match(bases, /по показаниям \d/, bases);
  assert.match(bases, /по среднему \d/, bases);
  assert.match(bases, /по нормативу \d/, bases);
  assert.match(await page.textContent('[data-testid="dash-note"]'), /показания с \d{2}\.\d{2}\.\d{4} по \d{2}\.\d{2}\.\d{4}/);
  const total = (await page.textContent('[data-testid="total-hot_water"]')).trim();
  assert.match(total, /^\d[\d\u00a0 ]*,\d+\*$/, `marked: not every figure is read (${total})`);

  // the table: a row per building, its total the widget's
  await page.click('.views a[data-view="table"]');
  await page.waitForSelector('table[data-testid="dash-table"] tbody tr[data-building]');
  const names = await page.$$eval('table[data-testid="dash-table"] tbody tr td:first-child', (t) => t.map((x) => x.textContent.trim()));
  assert.ok(names.some((n) => n.includes('Винницкая')) && names.some((n) => n.includes('корпус 1')), `${names}`);
  const footer = await page.$$eval('table[data-testid="dash-table"] tfoot td', (t) => t.map((x) => x.textContent.trim()));
  assert.ok(footer.includes(total.replace('*', '')), `the table's totals ${footer} hold the widget's ${total}`);
  await page.screenshot({ path: SHOTS + 'period-dashboard.png', fullPage: true });
  await context.close();
});

/** The year of the last billing period whose window (15th–25th) has closed, in Moscow. */
function lastClosedYear() {
  const moscow = new Date(Date.now() + 3 * 3600 * 1000);
  const back = moscow.getUTCDate() > 25 ? 0 : 1;
  return new Date(Date.UTC(moscow.getUTCFullYear(), moscow.getUTCMonth() - back, 1)).getUTCFullYear();
}

test('the resident of a flat that missed its reading sees the average, marked, in the cabinet', async () => {
  const desk = await open(browser, DESKTOP);
  await signIn(desk.page, 'dispatcher');
  await desk.page.goto('/subscribers');
  await hydrated(desk.page);
  const vinnitskaya = await desk.page.$eval('form.filters select[name="object"]',
    (s) => [...s.options].find((o) => o.textContent.includes('Винницкая')).value);
  await desk.page.goto(`/settings/activation?object=${vinnitskaya}`);
  await hydrated(desk.page);
  await desk.page.click('tr[data-flat="14"] [data-testid="code-one"]');
  await desk.page.waitForFunction(() => {
    const row = document.querySelector('tr[data-flat="14"] td.code code');
    return row && row.textContent.trim().length === 14;
  }, null, { timeout: 20000 });
  const code = (await desk.page.textContent('tr[data-flat="14"] td.code code')).trim();
  await desk.context.close();

  const { context, page } = await open(browser, PHONE);
  await registerWith(page, code, `period-${Date.now().toString(36)}@example.ru`, 'Соколов Игорь Петрович', 'period-pass-14');
  await page.goto(`/my/consumption?year=${lastClosedYear()}`);
  await hydrated(page);
  await page.waitForSelector('table[data-testid="my-periods"]');
  const marks = await page.$$eval('table[data-testid="my-periods"] [data-basis]', (t) => t.map((x) => [x.dataset.basis, x.textContent.trim()]));
  assert.ok(marks.some(([b, text]) => b === 'average' && text === 'по среднему'), `the missed month by the average: ${JSON.stringify(marks)}`);
  await page.screenshot({ path: SHOTS + 'period-cabinet-phone.png', fullPage: true });
  await context.close();
});

test('the billing period on a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'reader');
  await page.goto('/?span=period');
  await hydrated(page);
  await page.waitForSelector('[data-testid="bases-hot_water"]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scroll (${overflow})`);
  await page.screenshot({ path: SHOTS + 'period-dashboard-phone.png', fullPage: true });
  await context.close();
});
