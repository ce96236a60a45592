// «Потребление»: a dispatcher opens the registry from the menu — every flat of the building
// by resource, totals of the flats' and the common meters below — searches and sorts it,
// goes on by the building's tabs to one resource over the premises and charts it per
// resident and as a share of the common meter; the building's card leads to its balance.
// On a desk and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const rows = (page, table) => page.$$eval(`table[data-testid="${table}"] tbody tr[data-row]:not(.hidden)`, (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));

test('the registry lists every flat by resource for a month and a day, searched, sorted and downloaded', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/consumption"]');
  await page.waitForURL(/\/consumption/);
  await page.waitForSelector('table[data-testid="registry-table"] tbody tr[data-row]');
  await hydrated(page);

  const head = await page.$$eval('table[data-testid="registry-table"] thead th', (ths) => ths.map((th) => th.textContent.trim()));
  assert.ok(head.some((h) => h.startsWith('Электроэнергия')), `${head}`);
  assert.ok(head.some((h) => h.startsWith('ХВС')), `${head}`);
  const all = await rows(page, 'registry-table');
  assert.ok(all.length >= 40, `a building's flats: ${all.length}`);
  // figures as Russians write them: a decimal comma somewhere in the month's figures
  assert.ok(all.some((r) => r.slice(4).some((c) => /^\d[\d\s]*,\d+\*?$/.test(c))), JSON.stringify(all.slice(0, 3)));
  const foot = await page.$$eval('table[data-testid="registry-table"] tfoot tr', (trs) => trs.map((tr) => tr.children[0].textContent.trim()));
  assert.deepEqual(foot, ['Итого ИПУ', 'ОДПУ']);

  // a search narrows to one flat
  await page.fill('[data-testid="registry-search"]', `${all[4][0]} ${all[4][4]}`);
  await page.waitForFunction((n) => document.querySelectorAll('table[data-testid="registry-table"] tbody tr[data-row]').length < n, all.length);
  assert.ok((await rows(page, 'registry-table')).some((r) => r[0] === all[4][0]));
  await page.fill('[data-testid="registry-search"]', '');

  // electricity, largest first
  const electricity = head.findIndex((h) => h.startsWith('Электроэнергия'));
  const sortBy = page.locator('table[data-testid="registry-table"] thead th button').nth(electricity);
  await sortBy.click();
  await sortBy.click();
  const sorted = (await rows(page, 'registry-table')).map((r) => Number(r[electricity].replace(/[\s*]/g, '').replace(',', '.'))).filter((n) => !Number.isNaN(n));
  assert.ok(sorted.length > 10 && sorted[0] >= sorted[sorted.length - 1], `${sorted.slice(0, 5)}`);
  await page.screenshot({ path: `${SHOTS}registry-desktop.png`, fullPage: false });

  // a day instead of the month
  await page.selectOption('[data-testid="consumption-by"]', 'day');
  await Promise.all([page.waitForURL(/by=day/), page.click('[data-testid="consumption-show"]')]);
  await page.waitForFunction(() => /by=day/.test(document.querySelector('[data-testid="registry-xlsx"]')?.getAttribute('href') ?? ''));
  assert.match(await page.textContent('[data-testid="registry-summary"]'), /\d\d\.\d\d\.\d{4}/);
  const file = await page.request.get(await page.getAttribute('[data-testid="registry-xlsx"]', 'href'));
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-type'], /spreadsheetml/);

  const phone = await open(browser, PHONE);
  await signIn(phone.page, 'dispatcher');
  await phone.page.goto('/consumption');
  await phone.page.waitForSelector('table[data-testid="registry-table"] tbody tr[data-row]');
  await phone.page.screenshot({ path: `${SHOTS}registry-phone.png`, fullPage: false });
  await phone.context.close();
  await context.close();
});

test('one resource over the premises, charted per resident and as a share of the common meter', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/consumption');
  await page.waitForSelector('[data-testid="object-tabs"]');
  await hydrated(page);
  await Promise.all([page.waitForURL(/\/consumption\/premises/), page.click('[data-testid="object-tabs"] a[href^="/consumption/premises"]')]);
  await page.waitForSelector('table[data-testid="premises-table"] tbody tr[data-row]');
  await hydrated(page);
  await page.selectOption('[data-testid="consumption-resource"]', 'cold_water');
  await Promise.all([page.waitForURL(/resource=cold_water/), page.click('[data-testid="consumption-show"]')]);
  await page.waitForFunction(() => /resource=cold_water/.test(document.querySelector('[data-testid="premises-xlsx"]')?.getAttribute('href') ?? ''));
  await page.waitForSelector('#consumption-chart[data-drawn]:not([data-drawn="0"])');

  const head = await page.$$eval('table[data-testid="premises-table"] thead th', (ths) => ths.map((th) => th.textContent.trim()));
  assert.deepEqual(head.slice(4), ['Потребление', 'На жителя', 'Доля в ОДПУ, %']);
  const shares = (await rows(page, 'premises-table')).map((r) => r[6]).filter((s) => /\d/.test(s));
  assert.ok(shares.length > 10, `shares of the common meter: ${shares.slice(0, 5)}`);
  assert.ok(shares.some((s) => s.includes(',')), `${shares.slice(0, 5)}`);

  await page.click('[data-testid="premises-specific"]');
  await page.waitForSelector('[data-testid="premises-specific"][aria-pressed="true"]');
  await page.waitForSelector('#consumption-chart[data-drawn]:not([data-drawn="0"])');
  await page.click('[data-testid="premises-share"]');
  await page.waitForSelector('[data-testid="premises-share"][aria-pressed="true"]');
  await page.waitForSelector('#consumption-chart[data-drawn]:not([data-drawn="0"])');
  await page.screenshot({ path: `${SHOTS}premises-desktop.png`, fullPage: false });

  const phone = await open(browser, PHONE);
  await signIn(phone.page, 'dispatcher');
  await phone.page.goto(page.url().replace(/^https?:\/\/[^/]+/, ''));
  await phone.page.waitForSelector('table[data-testid="premises-table"] tbody tr[data-row]');
  await phone.page.screenshot({ path: `${SHOTS}premises-phone.png`, fullPage: false });
  await phone.context.close();
  await context.close();
});

test('a building card leads to its balance, and the tabs join its consumption pages', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/objects');
  await page.waitForSelector('a[href^="/objects/"]');
  const card = await page.getAttribute('a[href^="/objects/"]:not([href="/objects/new"])', 'href');
  const id = card.split('/').pop();
  await page.goto(card);
  await page.waitForSelector('[data-testid="building-consumption"]');
  await hydrated(page);
  await Promise.all([page.waitForURL(/\/balance\?object=/), page.click('[data-testid="building-consumption"]')]);
  await page.waitForSelector('[data-testid="object-tabs"] a.active');
  assert.equal((await page.textContent('[data-testid="object-tabs"] a.active')).trim(), 'Баланс дома');
  assert.equal(await page.$eval('[data-testid="balance-object"]', (s) => s.value), id);
  // electricity: the flats' single-phase meters by the line they hang on
  await page.waitForSelector('table[data-testid="balance-phases"] tbody tr[data-line="3"]');
  assert.equal(await page.$$eval('table[data-testid="balance-phases"] tbody tr', (trs) => trs.length), 3);
  const tabs = await page.$$eval('[data-testid="object-tabs"] a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(tabs.every((h) => h.includes(`object=${id}`)), `${tabs}`);

  // a flat's meter card names the line it hangs on
  const flatMeter = await page.$$eval('table[data-testid="balance-members"] tbody tr',
    (trs) => trs.find((tr) => tr.children[1].textContent.startsWith('кв.'))?.querySelector('a')?.getAttribute('href'));
  await page.goto(flatMeter);
  await page.waitForSelector('[data-testid="meter-phase"]');
  assert.match(await page.textContent('[data-testid="meter-phase"]'), /однофазный, фаза L[123]/);
  await context.close();
});
