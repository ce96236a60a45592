// «Карта приборов»: a dispatcher opens the map from the menu; the demo's buildings are drawn
// as rings of their meters' statuses (clustered where they crowd) although the tile server
// cannot be reached (the test server points it at a closed port: a closed network), and the
// page says so; a building picked on the map lists its meters, silent ones first, each a link
// to its card. On a desk and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the map draws the buildings as status rings without tiles and a building picked on it lists its meters', async () => {
  const { context, page } = await open(browser);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/monitoring/map"]');
  await page.waitForURL(/\/monitoring\/map/);
  await page.waitForSelector('[data-testid="meter-map"][data-drawn="true"]', { timeout: 20000 });

  // rings: clusters or single buildings, each with a count and a conic gradient of colours
  const rings = page.locator('.leaflet-marker-icon .map-ring');
  await rings.first().waitFor();
  const ring = await rings.first().evaluate((el) => ({ text: el.textContent, bg: el.style.background }));
  assert.match(ring.text, /^\d[\d\s]*$/, `a ring shows its meter count: ${ring.text}`);
  assert.match(ring.bg, /conic-gradient/, ring.bg);

  // the tiles cannot load: the page says so and the map is still there
  await page.waitForSelector('[data-testid="meter-map"][data-tiles="failed"]', { timeout: 20000 });
  assert.ok(await page.isVisible('[data-testid="map-no-tiles"]'));
  assert.match(await page.textContent('[data-testid="map-no-tiles"]'), /Подложка карты недоступна/);

  // the legend: the seed's seven ages and «вручную», with counts; meters without coordinates
  assert.equal(await page.locator('[data-testid="map-legend"] li').count(), 8);
  assert.match(await page.textContent('[data-testid="map-legend"]'), /До 30 минут.*До 2 недель.*Отключен/s);
  assert.match(await page.textContent('[data-testid="map-without"]'), /Приборы учёта без координат, шт\.: \d+ из \d[\d\s\u00a0]*/);
  const legendTotal = await page.$$eval('[data-testid="map-legend"] li strong', (s) => s.map((x) => Number(x.textContent.replace(/\D/g, ''))).reduce((a, b) => a + b, 0));
  const tableTotal = await page.$$eval('[data-testid="map-places"] tbody tr', (trs) => trs.map((tr) => Number(tr.children[2].textContent.replace(/\D/g, ''))).reduce((a, b) => a + b, 0));
  assert.equal(legendTotal, tableTotal, 'the legend counts the meters the table lists');
  await page.screenshot({ path: `${SHOTS}map-desktop.png`, fullPage: true });

  // a building brought into view and clicked on the map lists its meters
  const first = page.locator('[data-testid="map-places"] tbody tr').first();
  const id = Number(await first.getAttribute('data-object'));
  const name = (await first.locator('td').first().textContent()).trim();
  await page.evaluate((id) => document.getElementById('meter-map').uchetFocus(id), id);
  const marker = page.locator(`.leaflet-marker-icon[title="${name}"]`);
  await marker.waitFor({ state: 'visible', timeout: 30000 });
  await marker.click();
  const meters = page.locator('[data-testid="map-meters"] tbody tr');
  await meters.first().waitFor({ timeout: 30000 });
  assert.match(await page.textContent('[data-testid="map-building"] h2'), new RegExp(name.replace(/[«»()]/g, '.')));
  const contacts = await meters.evaluateAll((trs) => trs.map((tr) => tr.dataset.contact));
  const order = ['off', 'weeks2', 'week1', 'days2', 'day1', 'hours2', 'min30', 'by_hand'];
  const ranks = contacts.map((c) => order.indexOf(c));
  assert.ok(ranks.every((r) => r >= 0), contacts.join());
  assert.deepEqual([...ranks].sort((a, b) => a - b), ranks, `silent first: ${contacts.join()}`);
  await page.screenshot({ path: `${SHOTS}map-building.png`, fullPage: true });

  // one resource: the address keeps it, the legend counts fewer meters
  await page.selectOption('[data-testid="map-resource"]', 'heat');
  await page.waitForURL(/resource=heat/);
  // the table of the heat meters replaces the whole company's (a function, not a string:
  // the pages' policy allows no eval)
  const sum = () => [...document.querySelectorAll('[data-testid="map-places"] tbody tr')]
    .map((tr) => Number(tr.children[2].textContent.replace(/\D/g, ''))).reduce((a, b) => a + b, 0);
  await page.waitForFunction((total) => [...document.querySelectorAll('[data-testid="map-places"] tbody tr')]
    .map((tr) => Number(tr.children[2].textContent.replace(/\D/g, ''))).reduce((a, b) => a + b, 0) !== total, tableTotal, { timeout: 30000 });
  const heat = await page.evaluate(sum);
  assert.ok(heat > 0 && heat < tableTotal, `heat meters ${heat} of ${tableTotal}`);
  // the map keeps its place and draws the heat meters' buildings: as many points as the
  // table has buildings with coordinates
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="meter-map"]');
    const placed = [...document.querySelectorAll('[data-testid="map-places"] tbody tr')].filter((tr) => !tr.lastElementChild.querySelector('.warn-text')).length;
    return el.dataset.drawn === 'true' && el.dataset.points === String(placed);
  }, null, { timeout: 30000 });
  // a building clicked on the new map lists its heat meters only
  const last = page.locator('[data-testid="map-places"] tbody tr').filter({ hasNot: page.locator('.warn-text') }).last();
  const heatId = Number(await last.getAttribute('data-object'));
  const heatName = (await last.locator('td').first().textContent()).trim();
  await page.evaluate((id) => document.getElementById('meter-map').uchetFocus(id), heatId);
  const heatMarker = page.locator(`.leaflet-marker-icon[title="${heatName}"]`);
  await heatMarker.waitFor({ state: 'visible', timeout: 30000 });
  await heatMarker.click();
  await page.waitForFunction((name) => (document.querySelector('[data-testid="map-building"] h2') || {}).textContent?.includes(name), heatName, { timeout: 30000 });
  await meters.first().waitFor({ timeout: 30000 });
  const kinds = await meters.evaluateAll((trs) => [...new Set(trs.map((tr) => tr.children[2].textContent.trim()))]);
  assert.equal(kinds.length, 1, `one resource: ${kinds.join()}`);
  assert.match(kinds[0], /[Тт]епл/);

  // a meter's serial opens its card
  await page.goto('/monitoring/map');
  await hydrated(page);
  await page.locator('[data-testid="map-places"] tbody tr button').first().click();
  await page.locator('[data-testid="map-meters"] tbody tr a').first().click({ timeout: 30000 });
  await page.waitForURL(/\/meters\/\d+$/, { timeout: 30000 });
  assert.deepEqual(errors, [], 'no page error');
  await context.close();
});

test('the map fits a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/monitoring/map');
  await page.waitForSelector('[data-testid="meter-map"][data-drawn="true"]', { timeout: 20000 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the map fits a phone: ${width}`);
  await page.screenshot({ path: `${SHOTS}map-phone.png`, fullPage: false });
  await context.close();
});
