// Nothing typed on the field screen may be lost: two tabs of one building typing offline,
// a refused register corrected offline beside a queued correction of another register, what
// was sent staying visible with the server's verdict, and a resend the server already had
// reading as «всё на сервере».
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, PHONE, DESKTOP, SHOTS } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const QUEUE_WAIT = 45000;
const squeeze = (s) => s.replace(/[\s\u00a0\u202f]/g, '');

async function waiting(page, n) {
  await page.waitForSelector(`[data-testid="sync"][data-waiting="${n}"]`, { timeout: QUEUE_WAIT });
}

/** Opens the n-th building of the field list and waits until it is kept on the device. */
async function openBuilding(page, n) {
  await page.goto('/field');
  await hydrated(page);
  await page.locator('.building-list a.building-link').nth(n).click();
  await page.waitForURL(/\/field\?object=\d+/);
  await hydrated(page);
  await page.waitForSelector('[data-testid="sheet"][data-ready="true"]', { timeout: 20000 });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  return page.url();
}

const field = (page, meter, tariff) => page.locator(`.field-register[data-meter="${meter}"][data-tariff="${tariff}"] input`);

/** A value the meter can show, made of one digit repeated: «33333,5». */
function valueOf(digits, d) {
  const [int, frac] = digits.split(',').map(Number);
  return d.repeat(int) + (frac > 0 ? ',5' : '');
}

/** Sends, answering «Не все поля заполнены» with «Отправить» if it is asked. */
async function send(page) {
  await page.click('[data-testid="field-send"]');
  const asked = await page.waitForSelector('[data-testid="not-all-filled"]', { timeout: 1500 }).catch(() => null);
  if (asked) await page.click('[data-testid="send-anyway"]');
}

test('two tabs of one building typing offline keep both values, and the later typing of a field wins', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'controller');
  const url = await openBuilding(page, 1);
  const tab2 = await context.newPage();
  await tab2.goto(url);
  await hydrated(tab2);
  await tab2.waitForSelector('[data-testid="sheet"]');
  await context.setOffline(true);

  // one meter of two different flats
  const [a, b] = await page.$$eval('.premise[data-flat]:not([data-flat=""])', (ps) => ps.slice(0, 2).map((p) => {
    const r = p.querySelector('.field-register');
    return { meter: r.dataset.meter, tariff: r.dataset.tariff, digits: r.querySelector('input').dataset.digits };
  }));
  await field(page, a.meter, a.tariff).fill(valueOf(a.digits, '3'));
  await tab2.waitForTimeout(300);
  // tab 2 opened before tab 1 typed; what it types must not overwrite tab 1's field
  await field(tab2, b.meter, b.tariff).fill(valueOf(b.digits, '4'));
  // each tab shows the other's typing
  await page.waitForFunction(([m, t, v]) => document.querySelector(`.field-register[data-meter="${m}"][data-tariff="${t}"] input`).value === v,
    [b.meter, b.tariff, valueOf(b.digits, '4')], { timeout: 5000 });
  await tab2.waitForFunction(([m, t, v]) => document.querySelector(`.field-register[data-meter="${m}"][data-tariff="${t}"] input`).value === v,
    [a.meter, a.tariff, valueOf(a.digits, '3')], { timeout: 5000 });

  // the same field typed in both tabs: the later typing is kept
  await field(tab2, a.meter, a.tariff).fill(valueOf(a.digits, '5'));
  await page.waitForTimeout(300);

  for (const p of [page, tab2]) {
    await p.reload();
    await hydrated(p);
    await p.waitForFunction(([m, t]) => document.querySelector(`.field-register[data-meter="${m}"][data-tariff="${t}"] input`)?.value !== '',
      [b.meter, b.tariff], { timeout: 10000 });
    assert.equal(await field(p, a.meter, a.tariff).inputValue(), valueOf(a.digits, '5'), 'the later typing of the field');
    assert.equal(await field(p, b.meter, b.tariff).inputValue(), valueOf(b.digits, '4'), 'the other tab\'s field');
  }
  await tab2.close();

  // the queue's state stays in sight at the bottom of the building
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(200);
  const bar = await page.locator('[data-testid="sync"]').boundingBox();
  assert.ok(bar && bar.y >= 0 && bar.y < 844, `the queue bar is on screen after scrolling (${JSON.stringify(bar)})`);
  assert.match(await page.textContent('[data-testid="sync"]'), /Нет сети/);

  // the button counts what will go; one send, two entries
  assert.equal(squeeze(await page.textContent('[data-testid="send-count"]')), '2');
  await send(page);
  await waiting(page, 2);
  assert.equal(await field(page, a.meter, a.tariff).inputValue(), '');
  // what was sent stays on the sheet, waiting
  const sentA = page.locator(`.field-register[data-meter="${a.meter}"][data-tariff="${a.tariff}"] [data-testid="sent"]`);
  assert.equal(await sentA.getAttribute('data-verdict'), 'waiting');
  assert.ok(squeeze(await sentA.textContent()).includes(valueOf(a.digits, '5')), await sentA.textContent());
  await page.screenshot({ path: SHOTS + 'field-sent-waiting-phone.png' });

  await context.setOffline(false);
  await waiting(page, 0);
  await page.waitForFunction((m) => {
    const s = document.querySelector(`.field-register[data-meter="${m}"] [data-testid="sent"]`);
    return s && s.dataset.verdict !== 'waiting';
  }, a.meter, { timeout: QUEUE_WAIT });
  assert.match(await sentA.getAttribute('data-verdict'), /^(stored|flagged)$/);
  assert.match(squeeze(await page.textContent('[data-testid="field-report"]')), /Всёотправленноенасервере:2/);
  await page.screenshot({ path: SHOTS + 'field-sent-phone.png' });
  await context.close();
});

test('a refused register corrected offline does not swallow a queued correction of another register', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'controller');
  await openBuilding(page, 1);
  // a two-tariff meter with fraction digits
  const m = await page.$$eval('.field-meter', (ms) => {
    for (const el of ms) {
      const t2 = el.querySelector('.field-register[data-tariff="2"] input');
      const t3 = el.querySelector('.field-register[data-tariff="3"]');
      if (t2 && !t3 && !t2.dataset.digits.endsWith(',0')) return { meter: el.dataset.meter, digits: t2.dataset.digits };
    }
    return null;
  });
  assert.ok(m, 'the building has a two-tariff meter');
  const t1 = field(page, m.meter, 1);
  const t2 = field(page, m.meter, 2);

  // online: T1 is a lone comma (refused), T2 is stored
  await t1.fill(',');
  await t2.fill(valueOf(m.digits, '6'));
  await send(page);
  await waiting(page, 0);
  const refusal = page.locator(`.field-register[data-meter="${m.meter}"][data-tariff="1"] .refusal`);
  await page.waitForFunction((el) => el.textContent.trim() !== '', await refusal.elementHandle(), { timeout: QUEUE_WAIT });
  assert.equal(await t1.inputValue(), ',', 'the refused value is back in its field');
  assert.equal(await t2.inputValue(), '');

  // offline: T2 corrected and sent (queued), then T1 fixed and sent
  await context.setOffline(true);
  await t2.fill(valueOf(m.digits, '7'));
  await send(page);
  await waiting(page, 1);
  await t1.fill(valueOf(m.digits, '8'));
  await send(page);
  await waiting(page, 2);
  const queued = await page.evaluate(async () =>
    (await self.uchetStore.all('queue', '')).map((text) => JSON.parse(text)));
  assert.equal(queued.length, 2, 'two entries, each under its own id');
  assert.notEqual(queued[0].input.entry_id, queued[1].input.entry_id);
  assert.deepEqual(queued.map((q) => q.input.values.map((v) => v.tariff)).sort(), [[1], [2]]);

  await context.setOffline(false);
  await waiting(page, 0);
  await page.waitForSelector('[data-testid="field-report"]');
  for (const t of [1, 2]) {
    await page.waitForFunction(([mm, tt]) => {
      const s = document.querySelector(`.field-register[data-meter="${mm}"][data-tariff="${tt}"] [data-testid="sent"]`);
      return s && /^(stored|flagged)$/.test(s.dataset.verdict);
    }, [m.meter, t], { timeout: QUEUE_WAIT });
  }

  // the answer to that send was lost: the same entries go again, and the screen says
  // everything is on the server instead of «Принято сервером: 0»
  await page.evaluate(async (items) => {
    await self.uchetStore.putMany('queue', items.map((q) => `${q.user_id}:${q.input.entry_id}`), items.map((q) => JSON.stringify(q)));
  }, queued);
  await page.reload();
  await hydrated(page);
  await page.waitForSelector('[data-testid="field-report"]', { timeout: QUEUE_WAIT });
  await waiting(page, 0);
  const report = squeeze(await page.textContent('[data-testid="field-report"]'));
  assert.match(report, /Всёотправленноенасервере:2/, report);
  assert.doesNotMatch(report, /Принятосервером:0/);
  await page.screenshot({ path: SHOTS + 'field-resent-phone.png' });
  await context.close();

  // both corrections reached the server
  const desk = await open(browser, DESKTOP);
  await signIn(desk.page, 'dispatcher');
  await desk.page.goto(`/meters/${m.meter}`);
  await hydrated(desk.page);
  const rows = (await desk.page.$$eval('table[data-testid="meter-readings"] tbody tr', (trs) => trs.map((tr) => tr.textContent))).map(squeeze);
  const shown = (d) => {
    const [int, frac] = m.digits.split(',').map(Number);
    return d.repeat(int) + ',5' + '0'.repeat(Math.max(0, frac - 1));
  };
  assert.ok(rows.some((r) => r.includes(shown('7'))), `the queued T2 correction is stored: ${rows.slice(-4).join(' | ')}`);
  assert.ok(rows.some((r) => r.includes(shown('8'))), `the fixed T1 is stored: ${rows.slice(-4).join(' | ')}`);
  await desk.context.close();
});

test('signing out forgets the device copy but keeps what waits to be sent, and says so', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'controller');
  await openBuilding(page, 1);
  const user = await page.evaluate(async () => (await self.uchetStore.all('sheets', '')).length);
  assert.ok(user > 0, 'the building is kept on the device');
  assert.ok(await page.evaluate(async () => (await (await caches.open('uchet-pages-v1')).keys()).length > 0), 'its page too');
  // a value sent while the server cannot be reached stays queued
  await page.route('**/api/submit_readings', (route) => route.abort());
  const reg = page.locator('.field-register').first();
  const digits = await reg.locator('input').getAttribute('data-digits');
  await reg.locator('input').fill(valueOf(digits, '2'));
  await send(page);
  await waiting(page, 1);
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await Promise.all([page.waitForURL(/\/login/, { timeout: 20000 }), page.click('.sign-out button')]);
  assert.match(asked, /Ждут отправки: 1\. Они останутся на этом устройстве/);
  const left = await page.evaluate(async () => ({
    sheets: (await self.uchetStore.all('sheets', '')).length,
    queue: (await self.uchetStore.all('queue', '')).length,
    pages: (await caches.keys()).includes('uchet-pages-v1') ? (await (await caches.open('uchet-pages-v1')).keys()).length : 0,
  }));
  assert.deepEqual(left, { sheets: 0, queue: 1, pages: 0 }, 'kept sheets and pages are gone, the queue stays');
  await page.unroute('**/api/submit_readings');
  // the same person signs in again: the queue goes
  await signIn(page, 'controller');
  await waiting(page, 0);
  await context.close();
});

test('a draft kept by the previous version of the app reads back into its fields', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'controller');
  const url = await openBuilding(page, 2);
  const object = new URL(url).searchParams.get('object');
  const user = await page.getAttribute('[data-testid="sync"]', 'data-user');
  const r = await page.$eval('.field-register', (el) => ({ meter: el.dataset.meter, tariff: el.dataset.tariff }));
  // one record for the whole building, as the app kept drafts before
  await page.evaluate(async ([user, object, meter, tariff]) => {
    const old = { meters: { [meter]: { entry_id: 'old', typed_at: 1764900000, values: { [tariff]: '123' }, refused: {} } } };
    await self.uchetStore.put('drafts', `${user}:draft:${object}`, JSON.stringify(old));
  }, [user, object, r.meter, r.tariff]);
  await page.reload();
  await hydrated(page);
  await page.waitForFunction(([m, t]) => document.querySelector(`.field-register[data-meter="${m}"][data-tariff="${t}"] input`)?.value === '123',
    [r.meter, r.tariff], { timeout: 10000 });
  const left = await page.evaluate(async ([user, object]) => self.uchetStore.get('drafts', `${user}:draft:${object}`), [user, object]);
  assert.equal(left, null, 'the old record is gone, its value kept as a field');
  // and it goes like any typed value
  await field(page, r.meter, r.tariff).fill('');
  await context.close();
});
