// «Оповещения»: a dispatcher subscribes to alarms of one building by webhook with night
// quiet hours and reminders; a bad webhook address gets a clear Russian message and nothing
// is kept; the subscription is listed, switched off and on, downloads as CSV; its
// unsubscribe page opens without signing in; the page fits a phone. A subscription to
// lowered readings hears of one another system posts: the letter reaches the loopback SMTP
// listener and the JSON the loopback webhook listener, and the letter's link unsubscribes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launch, open, signIn, hydrated, makeToken, BASE, SHOTS, PHONE, DESKTOP } from './helpers.js';
import { smtpSink, bodyOf, subjectOf, SMTP_PORT } from './smtp.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a dispatcher subscribes to a building\'s alarms by webhook and manages the subscription', async () => {
  const { context, page } = await open(browser);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/monitoring/alerts"]');
  await page.waitForURL(/\/monitoring\/alerts/);
  await page.waitForSelector('[data-testid="alert-form"]');
  await hydrated(page);

  const name = `Аварии ночью ${Date.now()}`;
  await page.fill('[data-testid="alert-name"]', name);
  await page.fill('[data-testid="alert-email"]', '');
  await page.fill('[data-testid="alert-webhook"]', 'ftp://bot.example/hook');
  await page.click('[data-testid="alert-subscribe"]');
  const problem = page.locator('[data-testid="alert-form-panel"] [role="alert"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /Адрес webhook/);

  await page.fill('[data-testid="alert-webhook"]', 'https://bot.example.ru/hook/123:SECRET');
  await page.check('[data-testid="alert-severities"] input[value="alarm"]');
  await page.locator('[data-testid="alert-buildings"] input[type="checkbox"]').first().check();
  await page.fill('[data-testid="alert-quiet-from"]', '22:00');
  await page.fill('[data-testid="alert-quiet-to"]', '07:00');
  await page.fill('[data-testid="alert-remind"]', '4');
  await page.click('[data-testid="alert-subscribe"]');
  await page.waitForSelector('[data-testid="alert-saved"]');
  const row = page.locator(`[data-testid="alerts"] tr[data-alert="${name}"]`);
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.match(cells[1], /webhook bot\.example\.ru/);
  assert.ok(!cells.join(' ').includes('SECRET'), 'the secret part of the address is not shown');
  assert.equal(cells[3], 'Авария');
  assert.equal(cells[6], '22:00–07:00');
  assert.equal(cells[7], 'каждые 4 ч');
  assert.equal(cells[8], 'Включена');
  await page.screenshot({ path: `${SHOTS}alerts-desktop.png`, fullPage: true });

  await row.locator('[data-testid="alert-switch"]').click();
  await page.waitForFunction((n) => document.querySelector(`[data-testid="alerts"] tr[data-alert="${n}"] td:nth-child(9)`)?.textContent === 'Отключена', name);
  await row.locator('[data-testid="alert-switch"]').click();
  await page.waitForFunction((n) => document.querySelector(`[data-testid="alerts"] tr[data-alert="${n}"] td:nth-child(9)`)?.textContent === 'Включена', name);
  assert.match(await page.getAttribute('[data-testid="alerts-csv"]', 'href'), /^data:text\/csv/);
  // removed, so no later test's event is POSTed to an address outside
  page.once('dialog', (d) => d.accept());
  await row.locator('[data-testid="alert-delete"]').click();
  await row.waitFor({ state: 'detached' });
  assert.deepEqual(errors, [], 'no page error');
  await context.close();
});

test('an unsubscribe link that names nothing says so without signing in', async () => {
  const { context, page } = await open(browser);
  const answer = await page.goto('/alerts/unsubscribe/0000');
  assert.equal(answer.status(), 404);
  assert.match(await page.textContent('h1'), /Ссылка не найдена/);
  await context.close();
});

test('the alerts page fits a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/monitoring/alerts');
  await page.waitForSelector('[data-testid="alert-form-panel"]');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the page fits a phone: ${width}`);
  await page.screenshot({ path: `${SHOTS}alerts-phone.png`, fullPage: false });
  await context.close();
});

/** A loopback webhook receiver: keeps what is POSTed to it. */
function webhookSink() {
  const bodies = [];
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { bodies.push({ path: req.url, type: req.headers['content-type'], body }); res.writeHead(204).end(); });
    });
    server.listen(0, '127.0.0.1', () => resolve({ bodies, url: `http://127.0.0.1:${server.address().port}/hook/bot77:SECRET`, close: () => server.close() }));
  });
}

const until = async (what, seconds = 60) => {
  for (let i = 0; i < seconds * 5 && !what(); i++) await new Promise((r) => setTimeout(r, 200));
};

test('a lowered reading reaches the subscriber by letter and by webhook, and the letter\'s link unsubscribes',
  { skip: SMTP_PORT === 0 && 'UCHET_SMTP_PORT not set' }, async () => {
    const smtp = await smtpSink();
    const hook = await webhookSink();
    try {
      const stamp = Date.now();
      const email = `alerts-${stamp}@uk-ogni.test`;
      const name = `Показание уменьшилось ${stamp}`;
      const { context, page } = await open(browser, DESKTOP);
      await signIn(page, 'dispatcher');
      await page.goto('/monitoring/alerts');
      await hydrated(page);
      await page.waitForSelector('[data-testid="alert-form-panel"]');
      if (!(await page.locator('[data-testid="alert-form-panel"][open]').count())) await page.click('[data-testid="alert-form-panel"] summary');
      await page.fill('[data-testid="alert-name"]', name);
      await page.fill('[data-testid="alert-email"]', email);
      await page.fill('[data-testid="alert-webhook"]', hook.url);
      await page.check('[data-testid="alert-kinds"] input[value="decreased"]');
      await page.click('[data-testid="alert-subscribe"]');
      await page.waitForSelector('[data-testid="alert-saved"]');

      // another system (a script with an API token) posts a reading lower than the last
      const admin = await open(browser, DESKTOP);
      await signIn(admin.page, 'admin');
      await admin.page.goto('/settings/api');
      await hydrated(admin.page);
      const token = await makeToken(admin.page, `Оповещения ${stamp}`, 'write');
      await admin.context.close();
      const call = (path, init = {}) =>
        fetch(`${BASE}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
      const buildings = await (await call('/buildings')).json();
      const building = buildings.at(-1);
      const meters = (await (await call(`/meters?building=${building.id}&limit=500`)).json()).items;
      let meter, last;
      for (const m of meters.filter((m) => m.tariffs === 1 && m.placement === 'individual' && m.state === 'in_operation').reverse()) {
        const readings = (await (await call(`/readings?meter=${m.id}&from=2000-01-01&period=all&limit=5000`)).json()).items;
        last = readings.filter((r) => r.kind === 'integral' && r.total && Number(r.total) >= 10).at(-1);
        if (last) { meter = m; break; }
      }
      assert.ok(meter, 'a one-tariff flat meter with a reading of 10 or more');
      const lowered = String(Math.floor(Number(last.total)) - 5);
      const body = JSON.stringify({ readings: [{ client_id: `alert-${stamp}`, meter_id: meter.id, values: [{ tariff: 0, value: lowered }] }] });
      const posted = await (await call('/readings', { method: 'POST', body })).json();
      assert.equal(posted.results[0].status, 'stored', JSON.stringify(posted));
      assert.ok(posted.results[0].flags.includes('decreased'), JSON.stringify(posted));

      // monitoring opens «Показание уменьшилось»; the alert goes by both ways
      await until(() => smtp.letters.some((l) => bodyOf(l).includes(meter.serial)) && hook.bodies.length > 0);
      const letter = smtp.letters.find((l) => bodyOf(l).includes(meter.serial));
      assert.ok(letter, `a letter of the meter ${meter.serial}: ${smtp.letters.length} letters`);
      assert.match(letter, new RegExp(`^To: .*${email.replace(/[.]/g, '\\.')}`, 'mi'));
      assert.match(subjectOf(letter), /^\[Учёт\] Авария: Показание уменьшилось — /);
      const text = bodyOf(letter);
      assert.match(text, /Событие: Показание уменьшилось/);
      assert.ok(text.replace(/[\s\u00a0\u202f]/g, '').includes(lowered), `the lowered value ${lowered} in the letter: ${text}`);
      const json = JSON.parse(hook.bodies[0].body);
      assert.equal(hook.bodies[0].path, '/hook/bot77:SECRET');
      assert.match(hook.bodies[0].type, /application\/json/);
      assert.equal(json.subscription, name);
      assert.equal(json.reminder, false);
      assert.deepEqual(json.events.map((e) => [e.kind, e.meter_id]), [['decreased', meter.id]]);

      // the letter's link: asks first (no sign-in), then turns the subscription off
      const link = text.match(/https?:\/\/\S+\/alerts\/unsubscribe\/\S+/)[0];
      const reader = await open(browser, PHONE);
      await reader.page.goto(new URL(link).pathname);
      assert.match(await reader.page.textContent('h1'), /Отписаться от оповещений/);
      await reader.page.screenshot({ path: `${SHOTS}alerts-unsubscribe-phone.png` });
      await reader.page.click('[data-testid="unsubscribe-confirm"]');
      await reader.page.waitForSelector('h1:has-text("Оповещения отключены")');
      await reader.context.close();
      await page.reload();
      await hydrated(page);
      const row = page.locator(`[data-testid="alerts"] tr[data-alert="${name}"]`);
      await row.waitFor();
      assert.equal(await row.locator('td:nth-child(9)').textContent(), 'Отключена');
      // removed after the question
      page.once('dialog', (d) => d.accept());
      await row.locator('[data-testid="alert-delete"]').click();
      await row.waitFor({ state: 'detached' });
      await context.close();
    } finally {
      smtp.close();
      hook.close();
    }
  });
