// The residents' cabinet and the dispatch desk in headless Chromium: a dispatcher makes
// codes for a building, a resident registers with one on a phone, submits a reading with no
// network that goes out later, calls a technician with a photo; the dispatcher sees the new
// request counted in the menu, answers and completes it; the resident sees the answer and
// the stage. A notice to a building reaches its residents and not another building's, and
// read receipts show. A second resident cannot open the first one's request. An invite
// arrives at a real SMTP listener on loopback and its link registers the owner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, registerWith, PHONE, DESKTOP, SHOTS } from './helpers.js';
import { smtpSink, bodyOf, SMTP_PORT } from './smtp.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A tiny PNG (1×1, red) as a photo of the leak. */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const stamp = Date.now().toString(36);
const EMAIL = `petrova-${stamp}@example.ru`;
const PASSWORD = 'cabinet-pass-1';
// a flat of the first building no other browser test touches
const FLAT = '55';

async function codesPage(page) {
  await page.goto('/settings/activation');
  await hydrated(page);
  await page.waitForSelector('table.codes-table tbody tr');
}

let requestId;
let requestNumber;

test('a dispatcher makes codes for a building and a resident registers with one on a phone', async () => {
  const desk = await open(browser, DESKTOP);
  await signIn(desk.page, 'dispatcher');
  await codesPage(desk.page);
  const before = Number(await desk.page.textContent('[data-testid="activated"]'));
  assert.ok(before >= 4, `the demo's residents count as activated (${before})`);
  // flat 12 has the demo resident: no code is offered for it
  assert.equal(await desk.page.locator('tr[data-flat="12"] [data-testid="code-one"]').count(), 0);
  await desk.page.click('[data-testid="codes-all"]');
  await desk.page.waitForFunction((flat) => {
    const row = document.querySelector(`tr[data-flat="${flat}"] td.code code`);
    return row && row.textContent.trim().length === 14;
  }, FLAT, { timeout: 20000 });
  await desk.page.screenshot({ path: SHOTS + 'codes-desktop.png', fullPage: false });
  const code = (await desk.page.textContent(`tr[data-flat="${FLAT}"] td.code code`)).trim();
  assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await desk.context.close();

  const { context, page } = await open(browser, PHONE);
  await registerWith(page, code, EMAIL, 'Петрова Анна Сергеевна', PASSWORD);
  await page.waitForSelector('article.premise-card');
  const title = await page.textContent('article.premise-card h2');
  assert.match(title, new RegExp(`кв\\. ${FLAT}$`));
  assert.ok(await page.locator('li.meter-card').count() >= 2, 'the flat\'s meters');
  await page.waitForSelector('[data-testid="contacts"]');
  await page.screenshot({ path: SHOTS + 'cabinet-phone.png', fullPage: true });
  await context.close();
});

test('the resident submits a reading with no network and it reaches the server later', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, EMAIL, PASSWORD);
  await page.goto('/my/readings');
  await hydrated(page);
  await page.waitForSelector('[data-testid="sheet"][data-ready="true"]', { timeout: 20000 });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await page.waitForSelector('[data-testid="offline"]');
  // a water meter of the flat: one register; type more than its last reading
  const register = page.locator('.field-register').filter({ has: page.locator('input[data-digits="5,3"]') }).first();
  const input = register.locator('input');
  await input.click();
  await input.pressSequentially('1234567');
  assert.equal(await input.inputValue(), '12345', 'no more digits than the meter shows');
  await input.fill('99999,5');
  await page.click('[data-testid="field-send"]');
  const dialog = page.locator('[data-testid="send-anyway"]');
  if (await dialog.isVisible().catch(() => false)) await dialog.click();
  await page.waitForSelector('[data-testid="sync"][data-waiting="1"]', { timeout: 20000 });
  await page.screenshot({ path: SHOTS + 'cabinet-readings-offline-phone.png', fullPage: true });
  await context.setOffline(false);
  await page.waitForSelector('[data-testid="sync"][data-waiting="0"]', { timeout: 45000 });
  await page.waitForSelector('[data-testid="field-report"]');
  // far above the usual consumption, it waits for a dispatcher's check: the cabinet shows
  // it marked «на проверке» beside the last confirmed reading, never in its place
  await page.goto('/my');
  await hydrated(page);
  await page.waitForSelector('[data-testid="last-value"]');
  const values = await page.$$eval('[data-testid="last-value"]', (v) => v.map((x) => x.textContent.replace(/\s/g, '')));
  assert.ok(!values.includes('99999,500'), `not shown as the last reading: ${values}`);
  const waiting = await page.$$eval('[data-testid="waiting"]', (v) => v.map((x) => x.textContent.replace(/\s/g, '')));
  assert.ok(waiting.some((v) => v.includes('напроверке') && v.includes('99999,500')), `the reading arrived, marked: ${waiting}`);
  // the cabinet's last data opens with no network
  await page.waitForTimeout(500);
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await page.waitForSelector('article.premise-card');
  assert.match(await page.textContent('article.premise-card h2'), new RegExp(`кв\\. ${FLAT}$`));
  await context.setOffline(false);
  await context.close();
});

test('the resident calls a plumber with a photo and follows the answer', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, EMAIL, PASSWORD);
  await page.goto('/my/requests');
  await hydrated(page);
  await page.click('details.new-request summary');
  await page.selectOption('select[name="specialist"]', 'plumber');
  await page.fill('textarea[name="message"]', 'Течёт стояк в ванной, вода на полу');
  await page.setInputFiles('[data-testid="attach"] input[type="file"]', { name: 'течь.png', mimeType: 'image/png', buffer: PHOTO });
  await page.waitForSelector('[data-testid="attached"]');
  await Promise.all([page.waitForURL(/\/my\/requests\/\d+$/), page.click('[data-testid="request-send"]')]);
  await hydrated(page);
  requestId = Number(page.url().split('/').pop());
  await page.waitForSelector('[data-testid="thread"]');
  requestNumber = (await page.textContent('h1')).replace(/\D+/g, '');
  assert.ok(await page.locator('[data-testid="thread"] [data-testid="attachment"] img').count() === 1, 'the photo is in the thread');
  assert.equal(await page.getAttribute('.stage-track', 'data-stage'), 'registration');
  await page.screenshot({ path: SHOTS + 'cabinet-request-phone.png', fullPage: true });
  await context.close();
});

test('the dispatcher sees the new request counted, answers, assigns and completes it', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.waitForSelector('nav.side-menu [data-badge="/service/dispatch"]', { timeout: 20000 });
  const badge = Number(await page.textContent('nav.side-menu [data-badge="/service/dispatch"]'));
  assert.ok(badge >= 1, `new requests in the menu: ${badge}`);
  await page.goto('/service/dispatch');
  await hydrated(page);
  const first = page.locator('table.desk-table tbody tr').first();
  assert.equal(await first.getAttribute('data-stage'), 'registration', 'new requests at the top');
  const row = page.locator(`tr[data-request="${requestId}"]`);
  assert.match(await row.getAttribute('class'), /new/);
  await page.screenshot({ path: SHOTS + 'desk-desktop.png', fullPage: false });
  // the number filter finds it
  await page.goto(`/service/dispatch?number=${requestNumber}`);
  await hydrated(page);
  await page.waitForFunction(() => document.querySelectorAll('table.desk-table tbody tr.desk-row').length === 1);
  await page.click(`tr[data-request="${requestId}"] td.num a`);
  await page.waitForURL(new RegExp(`/service/dispatch/${requestId}$`));
  await hydrated(page);
  await page.waitForSelector('[data-testid="thread"] img');
  await page.fill('textarea[name="reply"]', 'Сантехник придёт сегодня до 19:00');
  await page.click('[data-testid="reply-send"]');
  await page.waitForSelector('.thread-item.staff:has-text("Сантехник придёт сегодня")');
  await page.selectOption('select[name="assignee"]', { label: 'Никитин Павел Олегович' });
  await page.waitForSelector('.thread-item.event:has-text("Никитин Павел Олегович")');
  await page.click('button[data-to="execution"]');
  await page.waitForSelector('.stage-track[data-stage="execution"]');
  await page.click('button[data-to="completion"]');
  await page.waitForSelector('.stage-track[data-stage="completion"]');
  assert.equal(await page.locator('[data-testid="reply-send"]').count(), 0, 'a completed request takes no replies');
  await page.screenshot({ path: SHOTS + 'desk-request-desktop.png', fullPage: true });
  await context.close();
});

test('the resident sees the answer and the stage; another resident cannot open the request', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, EMAIL, PASSWORD);
  await page.waitForSelector('nav.side-menu [data-badge="/my/requests"]', { timeout: 20000 });
  await page.goto(`/my/requests/${requestId}`);
  await hydrated(page);
  await page.waitForSelector('.thread-item.staff:has-text("Сантехник придёт сегодня до 19:00")');
  assert.equal(await page.getAttribute('.stage-track', 'data-stage'), 'completion');
  await context.close();

  const other = await open(browser, PHONE);
  await signIn(other.page, 'resident');
  await other.page.goto(`/my/requests/${requestId}`);
  await hydrated(other.page);
  await other.page.waitForSelector('.error-box');
  assert.match(await other.page.textContent('.error-box'), /Запись не найдена/);
  assert.equal(await other.page.locator('[data-testid="thread"]').count(), 0);
  assert.ok(!(await other.page.content()).includes('Течёт стояк'), 'nothing of it is revealed');
  await other.context.close();
});

test('a notice to a building reaches its residents and not another building\'s, with read receipts', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  const post = async (title, building) => {
    await page.goto('/service/notices/new');
    await hydrated(page);
    await page.fill('input[name="title"]', title);
    await page.fill('textarea[name="body"]', 'Работы на вводе ХВС, возможны перебои.');
    await page.locator('details.recipient-building').nth(building).locator('input[data-object]').check();
    await Promise.all([page.waitForURL(/\/service\/notices\/\d+$/), page.click('[data-testid="save-notice"]')]);
    await hydrated(page);
    await page.click('[data-testid="publish"]');
    await page.waitForSelector('.notice-status[data-published="true"]');
    return page.url();
  };
  const here = await post(`Отключение ХВС ${stamp}`, 0);
  await post(`Другой дом ${stamp}`, 2);
  await page.goto(here);
  await hydrated(page);
  const readBefore = await page.textContent('[data-testid="read-count"]');

  const res = await open(browser, PHONE);
  await signIn(res.page, EMAIL, PASSWORD);
  await res.page.goto('/my/notices');
  await hydrated(res.page);
  await res.page.waitForSelector('li.notice');
  const titles = await res.page.$$eval('li.notice summary strong', (s) => s.map((x) => x.textContent.trim()));
  assert.ok(titles.includes(`Отключение ХВС ${stamp}`), `${titles}`);
  assert.ok(!titles.includes(`Другой дом ${stamp}`), 'another building\'s notice stays there');
  await res.page.click(`li.notice:has-text("Отключение ХВС ${stamp}") summary`);
  await res.page.waitForSelector(`li.notice:not(.unread):has-text("Отключение ХВС ${stamp}")`);
  await res.page.screenshot({ path: SHOTS + 'cabinet-notices-phone.png', fullPage: true });
  await res.context.close();

  await page.reload();
  await hydrated(page);
  await page.waitForFunction((b) => document.querySelector('[data-testid="read-count"]').textContent !== b, readBefore, { timeout: 10000 });
  const read = await page.$$eval('table.receipts tr.read td:first-child', (t) => t.map((x) => x.textContent.trim()));
  assert.ok(read.includes('Петрова Анна Сергеевна'), `${read}`);
  await page.screenshot({ path: SHOTS + 'notice-receipts-desktop.png', fullPage: true });
  await context.close();
});

test('an invite reaches a real SMTP listener and its link registers the owner', { skip: SMTP_PORT === 0 && 'UCHET_SMTP_PORT not set' }, async () => {
  const { letters, close } = await smtpSink();
  try {
    const { context, page } = await open(browser, DESKTOP);
    await signIn(page, 'dispatcher');
    await codesPage(page);
    const row = page.locator('tr[data-flat="56"]');
    await row.locator('input[name="email"]').fill(`owner-${stamp}@example.ru`);
    await row.locator('button[type="submit"]').click();
    for (let i = 0; i < 100 && letters.length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(letters.length, 1, 'one letter');
    const text = bodyOf(letters[0]);
    assert.match(text, /кв\. 56/);
    const link = text.match(/https?:\/\/\S+\/register\?code=[2-9A-Z-]{14}/)[0];
    await page.reload();
    await hydrated(page);
    await page.waitForSelector('tr[data-flat="56"]:has-text("письмо отправлено")');
    await context.close();

    const owner = await open(browser, PHONE);
    const url = new URL(link);
    await registerWith(owner.page, url.searchParams.get('code'), `owner-${stamp}@example.ru`, 'Орлов Игорь Викторович', PASSWORD);
    assert.match(await owner.page.textContent('article.premise-card h2'), /кв\. 56$/);
    await owner.context.close();
  } finally {
    close();
  }
});
