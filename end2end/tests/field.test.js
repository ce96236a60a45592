// Field entry by building on a phone with no network: the building opens offline after a
// reload, fields keep no more digits than the meter has, typed values survive reloads and a
// closed page, the «Не все поля заполнены» question, the device queue that drains when the
// network returns, and exactly one stored reading per entry however often it is sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, PHONE, DESKTOP, SHOTS } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const QUEUE_WAIT = 45000;

async function waiting(page, n) {
  await page.waitForSelector(`[data-testid="sync"][data-waiting="${n}"]`, { timeout: QUEUE_WAIT });
}

/** A value the meter can show: every integer digit, and a 5 after the comma. */
function valueFor(digits) {
  const [int, frac] = digits.split(',').map(Number);
  const typed = '4'.repeat(int) + (frac > 0 ? ',5' : '');
  const shown = '4'.repeat(int) + (frac > 0 ? ',5' + '0'.repeat(frac - 1) : '');
  return { typed, shown };
}

const squeeze = (s) => s.replace(/[\s\u00a0\u202f]/g, '');

test('field staff walk a building with no network and each value reaches the server once', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'controller');
  await page.goto('/field');
  await hydrated(page);

  // the building is found by street and house number
  const first = page.locator('.building-list .building').first();
  const address = (await first.locator('.building-link .muted').first().textContent()).trim();
  const words = address.split(/[\s,.]+/).filter((w) => w.length > 3 || /^\d+$/.test(w)).slice(0, 2).join(' ');
  await page.fill('input[name="building"]', words);
  const shown = await page.$$eval('.building-list .building', (bs) => bs.filter((b) => b.style.display !== 'none').length);
  assert.ok(shown >= 1, `«${words}» finds the building`);
  await page.screenshot({ path: SHOTS + 'field-buildings-phone.png' });
  await first.locator('a.building-link').click();
  await page.waitForURL(/\/field\?object=\d+/);
  await hydrated(page);
  // kept on the device (sheet in IndexedDB, page and files in the caches)
  await page.waitForSelector('[data-testid="sheet"][data-ready="true"]', { timeout: 20000 });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const url = page.url();
  const fields = await page.locator('.field-register').count();
  assert.ok(fields > 10, `a building has many fields (${fields})`);
  // which billing period today's readings count for (a warning outside the 15th–25th)
  const period = await page.textContent('[data-testid="entry-period"]');
  assert.match(period, /Пойдёт в расчётный период: \S+ \d{4}/);
  const day = new Date(Date.now()).getUTCDate();
  assert.equal(/вне окна приёма показаний \(15–25\)/.test(period), day < 15 || day > 25, period);

  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await page.waitForSelector('[data-testid="sheet"]');
  await page.waitForSelector('[data-testid="offline"]');

  // six digits in a five-digit meter: the sixth never gets in, typed or pasted
  const five = page.locator('input.reading-input[data-digits="5,3"]').first();
  await five.click();
  await five.pressSequentially('123456');
  assert.equal(await five.inputValue(), '12345');
  await five.fill('9876543.21');
  assert.equal(await five.inputValue(), '98765,21', 'a point becomes a comma, extra digits are dropped');
  await five.fill('');

  // three meters get a value; the rest stay empty
  const chosen = await page.$$eval('.field-register', (rs) => {
    const seen = new Set();
    const out = [];
    for (const r of rs) {
      const meter = r.dataset.meter;
      if (seen.has(meter) || out.length === 3) continue;
      seen.add(meter);
      out.push({ meter, tariff: r.dataset.tariff, digits: r.querySelector('input').dataset.digits });
    }
    return out;
  });
  for (const c of chosen) {
    const input = page.locator(`.field-register[data-meter="${c.meter}"][data-tariff="${c.tariff}"] input`);
    await input.fill(valueFor(c.digits).typed);
  }
  await page.waitForSelector(`[data-testid="filled"]:has-text("3")`);

  // every typed value is on the device at once: a reload with no network keeps it
  await page.reload();
  await hydrated(page);
  const firstInput = page.locator(`.field-register[data-meter="${chosen[0].meter}"][data-tariff="${chosen[0].tariff}"] input`);
  await page.waitForFunction((el) => el.value !== '', await firstInput.elementHandle(), { timeout: 10000 });
  assert.equal(await firstInput.inputValue(), valueFor(chosen[0].digits).typed);

  // empty fields: the question, «Вернуться» keeps everything, then send anyway
  await page.click('[data-testid="field-send"]');
  await page.waitForSelector('[data-testid="not-all-filled"]');
  assert.match(await page.textContent('[data-testid="not-all-filled"]'), /Не все поля заполнены\. Вернуться к заполнению\?/);
  await page.screenshot({ path: SHOTS + 'field-question-phone.png' });
  await page.click('[data-testid="back"]');
  await page.waitForSelector('[data-testid="not-all-filled"]', { state: 'detached' });
  assert.equal(await firstInput.inputValue(), valueFor(chosen[0].digits).typed);
  // asked once per walk of the building: the next «Отправить» sends
  await page.click('[data-testid="field-send"]');
  await waiting(page, 3);
  assert.equal(await page.locator('[data-testid="not-all-filled"]').count(), 0);
  assert.equal(await firstInput.inputValue(), '', 'sent values leave the fields');
  await page.screenshot({ path: SHOTS + 'field-queued-phone.png' });

  // the queue survives a closed page; the ids it holds are the ones replayed below
  await page.close();
  const again = await context.newPage();
  await again.goto(url);
  await hydrated(again);
  await waiting(again, 3);
  const queued = await again.evaluate(async () =>
    (await self.uchetStore.all('queue', '')).map((text) => JSON.parse(text).input));
  assert.equal(queued.length, 3);

  // the network returns: the queue drains by itself
  await context.setOffline(false);
  await waiting(again, 0);
  await again.waitForSelector('[data-testid="field-report"]');
  assert.match(squeeze(await again.textContent('[data-testid="field-report"]')), /Всёотправленноенасервере:3/);

  // a replayed send stores nothing twice
  const replay = await again.evaluate(async (entries) => {
    const r = await fetch('/api/submit_readings', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ entries }),
    });
    return r.json();
  }, queued);
  assert.equal(replay.length, 3);
  assert.ok(replay.every((r) => r.duplicate && !r.stored), JSON.stringify(replay));
  await context.close();

  // the dispatcher sees exactly one reading per entry, with the value, the source and the person
  const desk = await open(browser, DESKTOP);
  await signIn(desk.page, 'dispatcher');
  for (const c of chosen) {
    await desk.page.goto(`/meters/${c.meter}`);
    await hydrated(desk.page);
    const rows = await desk.page.$$eval('table[data-testid="meter-readings"] tbody tr', (trs) => trs.map((tr) => tr.textContent));
    const want = valueFor(c.digits).shown;
    const mine = rows.filter((t) => t.includes('контролёр') && t.includes('Быков Денис Александрович') && squeeze(t).includes(want));
    assert.equal(mine.length, 1, `meter ${c.meter}: one reading ${want} by the controller, rows: ${rows.slice(-3).join(' | ')}`);
  }
  await desk.context.close();
});

test('the previous-reading column is switched on in column settings and remembered', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'controller');
  await page.goto('/field');
  await hydrated(page);
  await page.locator('.building-list a.building-link').first().click();
  await page.waitForURL(/\/field\?object=\d+/);
  await hydrated(page);
  assert.equal(await page.locator('[data-testid="previous"]').count(), 0);
  await page.click('.column-settings summary');
  await page.check('.column-settings input[name="previous"]');
  await page.waitForSelector('[data-testid="previous"]');
  const text = await page.locator('[data-testid="previous"]').first().textContent();
  assert.match(text, /^\d\d\.\d\d\.\d{4} · [\d\s\u00a0]+(,\d+)?$|^—$/, text);
  await page.reload();
  await hydrated(page);
  assert.ok(await page.locator('[data-testid="previous"]').count() > 0, 'still on after a reload');
  await page.screenshot({ path: SHOTS + 'field-previous-phone.png', fullPage: false });
  // the building list shows the building just opened first
  await page.goto('/field');
  await hydrated(page);
  assert.equal(await page.locator('.building-list .building').first().getAttribute('class'), 'building pinned');
  // another building is kept for offline work with one tap
  const other = page.locator('.building-list .building').nth(1);
  await other.locator('button').click();
  await other.locator('[data-testid="kept"]').waitFor();
  const otherId = await other.getAttribute('data-object');
  const kept = await page.evaluate(async (id) => {
    const keys = await caches.open('uchet-pages-v1').then((c) => c.keys());
    return keys.some((r) => r.url.endsWith(`/field?object=${id}`));
  }, otherId);
  assert.ok(kept, 'its page is in the offline cache');
  await context.close();
});
