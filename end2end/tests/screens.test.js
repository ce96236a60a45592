// How the screens read as their people see them: the wide tables fit a 1366-pixel laptop
// without sideways scrolling, chart numbers follow the page language, and an English page
// has no Russian left in it but the company's own data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LAPTOP = { viewport: { width: 1366, height: 768 } };

/** The first day of the previous month in Moscow: a whole month of data. */
function lastWholeMonth() {
  const moscow = new Date(Date.now() + 3 * 3600 * 1000);
  const first = new Date(Date.UTC(moscow.getUTCFullYear(), moscow.getUTCMonth() - 1, 1));
  return first.toISOString().slice(0, 10);
}

/** How far the page and each table frame would scroll sideways (0: not at all). */
async function sideways(page) {
  return page.evaluate(() => {
    const over = (el) => Math.max(0, el.scrollWidth - el.clientWidth);
    const frames = Array.from(document.querySelectorAll('.table-wrap')).map(over);
    return { page: over(document.documentElement), frames };
  });
}

test('the wide tables fit a 1366-pixel laptop without sideways scrolling', async () => {
  const { context, page } = await open(browser, LAPTOP);
  await signIn(page, 'dispatcher');
  const pages = [
    ['/subscribers', 'table.subscribers-table tbody tr', 'subscribers'],
    ['/readings', 'table[data-testid="readings"] tbody tr[data-meter]', 'readings'],
    ['/readings?resource=heat', 'table[data-testid="readings"] tbody tr[data-meter]', 'readings-heat'],
    ['/monitoring/not-polled', 'table tbody tr', 'not-polled'],
    ['/monitoring/polling', 'table tbody tr', 'polling'],
  ];
  for (const [path, rows, name] of pages) {
    await page.goto(path);
    await hydrated(page);
    await page.waitForSelector(rows, { timeout: 20000 });
    const s = await sideways(page);
    await page.screenshot({ path: `${SHOTS}fit-1366-${name}.png` });
    assert.equal(s.page, 0, `${path}: the page scrolls sideways by ${s.page}px`);
    assert.ok(s.frames.every((x) => x === 0), `${path}: a table frame scrolls sideways by ${s.frames}px`);
  }
  await context.close();
});

test('chart numbers are written as the page language writes them', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto(`/?span=month&date=${lastWholeMonth()}`);
  await hydrated(page);
  await page.waitForFunction(() => Number(document.querySelector('#consumption-chart')?.dataset.drawn || 0) > 0, null, { timeout: 20000 });
  const formatted = () => page.evaluate(() => {
    const option = echarts.getInstanceByDom(document.getElementById('consumption-chart')).getOption();
    const axis = option.yAxis[0].axisLabel.formatter;
    const tip = option.tooltip[0].valueFormatter;
    return [axis(8000), axis(1234.5), tip(1234567.25), tip(NaN)];
  });
  assert.deepEqual(await formatted(), ['8\u00a0000', '1\u00a0234,5', '1\u00a0234\u00a0567,25', '–'],
    'Russian: space between thousands, decimal comma («8,000» would read as eight)');
  await page.click('.top-bar [data-testid="lang"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForFunction(() => {
    const o = echarts.getInstanceByDom(document.getElementById('consumption-chart'))?.getOption();
    return o && o.yAxis[0].axisLabel.formatter(8000) === '8,000';
  }, null, { timeout: 20000 });
  await page.click('.top-bar [data-testid="lang"]');
  await page.waitForFunction(() => document.documentElement.lang === 'ru');
  await context.close();
});

test('the dashboard in English has no Russian words but the company\'s own names', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto(`/?span=month&date=${lastWholeMonth()}`);
  await hydrated(page);
  await page.click('.top-bar [data-testid="lang"]');
  await page.waitForFunction(() => document.querySelector('.sign-out button').textContent.trim() === 'Sign out');
  for (const reload of [false, true]) {
    if (reload) {
      // drawn by the server in English too
      await page.reload();
      await hydrated(page);
    }
    const russian = await page.evaluate(() => {
      const main = document.querySelector('main.content').cloneNode(true);
      // building names are the company's data, not the interface's words
      main.querySelectorAll('option, [data-testid="dash-object"]').forEach((el) => el.remove());
      const text = main.innerText;
      return (text.match(/[А-Яа-яЁё][А-Яа-яЁё«».,\s-]*/g) || []).map((w) => w.trim()).filter(Boolean);
    });
    await page.screenshot({ path: `${SHOTS}dashboard-english${reload ? '-reloaded' : ''}-desktop.png`, fullPage: true });
    assert.deepEqual(russian, [], `Russian words on the English dashboard${reload ? ' after a reload' : ''}`);
  }
  await page.click('.top-bar [data-testid="lang"]');
  await page.waitForFunction(() => document.querySelector('.sign-out button').textContent.trim() === 'Выйти');
  await context.close();
});
