// «Приборы учёта»: a service engineer opens the company's meters from the menu, narrows them
// to the common heat meters, finds one meter by its serial typed in, asks for the overdue
// ones, and downloads what the filters leave; a wrong filter value in the address is
// ignored, never an error. On a desk and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const rows = (page) => page.$$eval('table[data-testid="inventory-table"] tbody tr[data-row]', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
const found = async (page) => Number((await page.textContent('[data-testid="inventory-summary"]')).match(/Найдено приборов: ([\d\s\u00a0]+)/)[1].replace(/\D/g, ''));

test('a service engineer narrows the inventory by its filters, finds a serial and downloads the list', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'engineer');
  await page.click('nav.side-menu a[href="/service/meters"]');
  await page.waitForURL(/\/service\/meters/);
  await page.waitForSelector('table[data-testid="inventory-table"] tbody tr[data-row]');
  await hydrated(page);
  const all = await found(page);
  assert.ok(all > 100, `the demo's meters: ${all}`);
  const head = await page.$$eval('table[data-testid="inventory-table"] thead th', (ths) => ths.map((th) => th.textContent.trim()));
  assert.deepEqual(head.slice(0, 5), ['Зав. №', 'Дом', 'Помещение', 'ИПУ / ОДПУ', 'Ресурс']);

  // the common heat meters
  await page.selectOption('[data-testid="inventory-placement"]', 'common');
  await page.selectOption('[data-testid="inventory-resource"]', 'heat');
  await Promise.all([page.waitForURL(/placement=common/), page.click('[data-testid="inventory-show"]')]);
  await page.waitForFunction((n) => {
    const s = document.querySelector('[data-testid="inventory-summary"]')?.textContent ?? '';
    return !s.includes(`: ${n}`) && document.querySelectorAll('table[data-testid="inventory-table"] tbody tr[data-row]').length > 0;
  }, all.toLocaleString('ru-RU'));
  const common = await rows(page);
  assert.ok(common.length >= 1 && common.length < all, `${common.length}`);
  assert.ok(common.every((r) => r[3] === 'ОДПУ' && r[4] === 'Тепло'), JSON.stringify(common.slice(0, 2)));
  await page.screenshot({ path: `${SHOTS}inventory-desktop.png`, fullPage: false });

  // one meter by its serial typed in, the other filters reset; its card opens from the row
  await page.goto('/service/meters');
  await page.waitForSelector('table[data-testid="inventory-table"] tbody tr[data-row]');
  await hydrated(page);
  const serial = (await rows(page))[5][0];
  await page.fill('[data-testid="inventory-q"]', serial);
  await Promise.all([page.waitForURL(/q=/), page.click('[data-testid="inventory-show"]')]);
  await page.waitForFunction((s) => {
    const trs = document.querySelectorAll('table[data-testid="inventory-table"] tbody tr[data-row]');
    return trs.length >= 1 && [...trs].every((tr) => tr.children[0].textContent.includes(s));
  }, serial);
  const meter = await page.getAttribute('table[data-testid="inventory-table"] tbody tr[data-row]', 'data-row');
  const href = await page.getAttribute('[data-testid="inventory-xlsx"]', 'href');
  assert.ok(href.includes('q='), href);
  const file = await page.request.get(href);
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-type'], /spreadsheetml/);
  const csv = await (await page.request.get(await page.getAttribute('[data-testid="inventory-csv"]', 'href'))).text();
  assert.ok(csv.includes(serial), csv.slice(0, 300));
  await Promise.all([page.waitForURL(new RegExp(`/meters/${meter}`)), page.click(`table[data-testid="inventory-table"] tr[data-row="${meter}"] a`)]);

  // the overdue ones, and a filter value nobody knows is ignored
  await page.goto('/service/meters?due=overdue&state=nonsense');
  await page.waitForSelector('[data-testid="inventory-summary"]');
  const overdue = await page.$$eval('table[data-testid="inventory-table"] tbody tr[data-row]', (trs) => trs.map((tr) => tr.className));
  assert.ok(overdue.every((c) => c.includes('overdue')), `${overdue}`);
  assert.equal(await page.$('.error-box'), null);
  await context.close();

  const phone = await open(browser, PHONE);
  await signIn(phone.page, 'engineer');
  await phone.page.goto('/service/meters?resource=cold_water');
  await phone.page.waitForSelector('table[data-testid="inventory-table"] tbody tr[data-row]');
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390 + 1, `the page does not scroll sideways on a phone: ${width}`);
  await phone.page.screenshot({ path: `${SHOTS}inventory-phone.png`, fullPage: false });
  await phone.context.close();
});
