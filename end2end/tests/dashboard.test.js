// The dispatcher's home (F8, F16): widgets per resource and tariff, the chart drawn by
// ECharts after hydration and its four kinds, previous / next period, month / year / date,
// and the table whose totals are the widgets' figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, PHONE, SHOTS } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widget = (res) => `.widget[data-resource="${res}"] [data-testid="total-${res}"]`;
const chart = '#consumption-chart';

/** The first day of the previous month in Moscow, the demo's time zone: a whole month of data
 *  whatever the hour. The current month has no whole day in its first hours, and shows «—». */
function lastWholeMonth() {
  const moscow = new Date(Date.now() + 3 * 3600 * 1000);
  const first = new Date(Date.UTC(moscow.getUTCFullYear(), moscow.getUTCMonth() - 1, 1));
  return first.toISOString().slice(0, 10);
}

/** Waits until the chart was drawn more than `times` times; returns the count. */
async function drawnAfter(page, times) {
  await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel)?.dataset.drawn || 0) > n,
    [chart, times], { timeout: 20000 });
  return Number(await page.getAttribute(chart, 'data-drawn'));
}

test('a dispatcher sees the month per resource and tariff and switches the chart', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto(`/?span=month&date=${lastWholeMonth()}`);
  await hydrated(page);
  // the numbers are on the page from the server
  const power = (await page.textContent(widget('electricity'))).trim();
  assert.match(power, /^\d[\d\u00a0 ]*,\d{2}\*?$/, `electricity total: ${power}`);
  assert.ok(await page.$('.widget[data-resource="electricity"] .tariffs li'), 'tariffs are listed');
  assert.ok(await page.$(widget('cold_water')), 'water has its widget');
  assert.match(await page.textContent('[data-testid="dash-note"]'), /только полные сутки/);

  // the chart is drawn by ECharts, then redrawn as the kind changes
  let drawn = await drawnAfter(page, 0);
  assert.ok(await page.$(`${chart} canvas`), 'ECharts drew on a canvas');
  for (const kind of ['stacked', 'lines', 'areas', 'grouped']) {
    await page.click(`.kinds button[data-kind="${kind}"]`);
    drawn = await drawnAfter(page, drawn);
    assert.equal(await page.getAttribute(chart, 'data-kind'), kind);
  }
  await page.screenshot({ path: SHOTS + 'dashboard-desktop.png', fullPage: true });

  // the previous month, then water on the chart
  const period = await page.textContent('[data-testid="dash-period"]');
  await page.click('[data-testid="dash-prev"]');
  await page.waitForFunction((p) => document.querySelector('[data-testid="dash-period"]')?.textContent !== p, period);
  await page.click('.resources a[data-res="cold_water"]');
  await page.waitForURL(/res=cold_water/);
  await drawnAfter(page, 0);
  await context.close();
});

test('the table by day sums to the widgets, and a year goes by month', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/?span=month');
  await hydrated(page);
  // links carry the period shown: wait for the previous month before choosing the table
  const period = await page.textContent('[data-testid="dash-period"]');
  await page.click('[data-testid="dash-prev"]');
  await page.waitForFunction((p) => document.querySelector('[data-testid="dash-period"]')?.textContent !== p, period);
  await page.click('.views a[data-view="table"]');
  await page.waitForSelector('table[data-testid="dash-table"] tbody tr');
  const days = await page.$$eval('table[data-testid="dash-table"] tbody tr', (trs) => trs.length);
  assert.ok(days >= 28 && days <= 31, `a row per day of a whole month: ${days}`);
  const widgetTotal = (await page.textContent(widget('electricity'))).replace('*', '').trim();
  const footer = await page.$$eval('table[data-testid="dash-table"] tfoot td', (tds) => tds.map((td) => td.textContent.trim()));
  assert.ok(footer.includes(widgetTotal), `the table's total ${footer} holds the widget's ${widgetTotal}`);

  await page.click('.spans a[data-span="year"]');
  await page.waitForURL(/span=year/);
  // the month's table stays until the year's arrives
  await page.waitForFunction(() => /январь \d{4}/.test(document.querySelector('table[data-testid="dash-table"] tbody td')?.textContent || ''));
  const months = await page.$$eval('table[data-testid="dash-table"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent.trim()));
  assert.ok(months.length >= 1 && months.length <= 12, `a row per month: ${months}`);
  assert.match(months[0], /январь \d{4}/);

  await page.click('.spans a[data-span="date"]');
  await page.waitForURL(/span=date/);
  await page.waitForFunction(() => document.querySelectorAll('table[data-testid="dash-table"] tbody tr').length === 1);
  assert.match(await page.textContent('table[data-testid="dash-table"] tbody td'), /^\d{2}\.\d{2}\.\d{4}$/);
  await context.close();
});

test('the dashboard fits a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'reader');
  await page.goto(`/?span=month&date=${lastWholeMonth()}`);
  await hydrated(page);
  await drawnAfter(page, 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scroll on a phone (${overflow}px)`);
  await page.screenshot({ path: SHOTS + 'dashboard-phone.png', fullPage: true });
  await context.close();
});

test('the dashboard follows the building chosen in the top bar', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto(`/?span=month&date=${lastWholeMonth()}`);
  await hydrated(page);
  const number = (s) => Number(s.replace('*', '').replace(/[\u00a0 ]/g, '').replace(',', '.'));
  assert.equal((await page.textContent('[data-testid="dash-scope"]')).trim(), 'Все дома');
  const company = number(await page.textContent(widget('electricity')));

  const [value, name] = await page.$eval('.object-picker select option:nth-child(2)', (o) => [o.value, o.textContent.trim()]);
  await page.selectOption('.object-picker select', value);
  await page.waitForFunction((n) => document.querySelector('[data-testid="dash-scope"]')?.textContent.trim() === n, name);
  const building = number(await page.textContent(widget('electricity')));
  assert.ok(building > 0 && building < company, `one building (${building}) is a part of the company (${company})`);
  await drawnAfter(page, 0);

  // the choice is remembered: a reload renders the same building on the server
  await page.reload();
  await hydrated(page);
  assert.equal((await page.textContent('[data-testid="dash-scope"]')).trim(), name);
  assert.equal(number(await page.textContent(widget('electricity'))), building);

  await page.selectOption('.object-picker select', '');
  await page.waitForFunction(() => document.querySelector('[data-testid="dash-scope"]')?.textContent.trim() === 'Все дома');
  assert.equal(number(await page.textContent(widget('electricity'))), company);
  await context.close();
});
