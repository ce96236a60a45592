// The app shell: sign-in per role, menus, language, hydration, 404, offline, installable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, launchProfile, open, signIn, hydrated, menu, BASE, PHONE, SHOTS } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ROLES = [
  { login: 'dispatcher', role: 'Диспетчер', sections: ['Учёт', 'Обход', 'Мониторинг', 'Отчёты', 'Биллинг', 'Сервис', 'Настройки'], has: ['Главная', 'Объекты', 'Организация'], hasNot: ['Пользователи'] },
  { login: 'admin', role: 'Администратор', sections: ['Учёт', 'Настройки'], has: ['Объекты', 'Пользователи', 'Организация', 'Журнал действий'], hasNot: ['Главная'] },
  { login: 'engineer', role: 'Сервисный инженер', sections: ['Учёт', 'Мониторинг', 'Отчёты', 'Биллинг', 'Сервис', 'Настройки'], has: ['Главная'], hasNot: ['Пользователи'] },
  { login: 'reader', role: 'Только просмотр', sections: ['Учёт', 'Мониторинг', 'Отчёты', 'Биллинг', 'Сервис', 'Настройки'], has: ['Главная', 'Объекты'], hasNot: ['Пользователи'] },
  { login: 'controller', role: 'Контролёр', sections: ['Учёт', 'Обход'], has: ['Объекты', 'Передача показаний по дому'], hasNot: ['Главная', 'Пользователи'] },
  { login: 'resident', role: 'Житель', sections: ['Личный кабинет'], has: ['Мои помещения'], hasNot: ['Объекты', 'Главная'] },
];

for (const r of ROLES) {
  test(`${r.login} signs in and sees the ${r.role} menu`, async () => {
    const { context, page } = await open(browser);
    await signIn(page, r.login);
    assert.equal((await page.textContent('[data-testid="role"]')).trim(), r.role);
    const m = await menu(page);
    assert.deepEqual(m.sections, r.sections);
    for (const item of r.has) assert.ok(m.links.includes(item), `${item} in ${m.links}`);
    for (const item of r.hasNot) assert.ok(!m.links.includes(item), `${item} not in ${m.links}`);
    await page.screenshot({ path: `${SHOTS}home-${r.login}.png`, fullPage: true });
    await context.close();
  });
}

test('a wrong password is refused with a Russian message and no session', async () => {
  const { context, page } = await open(browser);
  await page.goto('/login');
  await hydrated(page);
  await page.fill('input[name="login"]', 'nobody-here');
  await page.fill('input[name="password"]', 'wrong-password');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.error-box');
  assert.match(await page.textContent('.error-box'), /Неверный логин или пароль/);
  const cookies = await context.cookies();
  assert.ok(!cookies.some((c) => c.name === 'uchet_session'));
  await context.close();
});

test('a signed-out visit to a page goes to sign-in and comes back after it', async () => {
  const { context, page } = await open(browser);
  await page.goto('/objects');
  assert.match(page.url(), /\/login\?next=\/objects/);
  await hydrated(page);
  await page.fill('input[name="login"]', 'dispatcher');
  await page.fill('input[name="password"]', 'uchet-demo');
  await Promise.all([page.waitForURL('**/objects'), page.click('button[type="submit"]')]);
  await page.waitForSelector('table.data tbody tr[data-object]');
  await context.close();
});

test('«Выйти» ends the session: the sign-in page, and pages ask for it again', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await Promise.all([page.waitForURL(/\/login/), page.click('.sign-out button')]);
  const cookies = await context.cookies();
  assert.ok(!cookies.some((c) => c.name === 'uchet_session' && c.value), 'the session cookie is gone');
  await page.goto('/objects');
  assert.match(page.url(), /\/login\?next=\/objects/);
  await context.close();
});

test('the session cookie is HttpOnly, SameSite=Lax and lives at most a day', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'reader');
  const c = (await context.cookies()).find((c) => c.name === 'uchet_session');
  assert.ok(c, 'session cookie set');
  assert.equal(c.httpOnly, true);
  assert.equal(c.sameSite, 'Lax');
  assert.ok(c.expires - Date.now() / 1000 <= 24 * 3600 + 60);
  await context.close();
});

test('the language switches to English, is remembered, and back', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  assert.equal((await page.textContent('.sign-out button')).trim(), 'Выйти');
  await page.click('.top-bar [data-testid="lang"]');
  await page.waitForFunction(() => document.querySelector('.sign-out button').textContent.trim() === 'Sign out');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.reload();
  await hydrated(page);
  assert.equal((await page.textContent('.sign-out button')).trim(), 'Sign out', 'English survives a reload (server renders it)');
  assert.ok((await menu(page)).sections.includes('Monitoring'));
  await page.click('.top-bar [data-testid="lang"]');
  await page.waitForFunction(() => document.querySelector('.sign-out button').textContent.trim() === 'Выйти');
  await context.close();
});

test('after hydration the objects list searches and sorts in the browser', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/objects');
  await hydrated(page);
  const rows = () => page.$$eval('table.data tbody tr[data-object]', (trs) => trs.map((tr) => tr.cells[0].textContent.trim()));
  const all = await rows();
  assert.equal(all.length, 3, 'three buildings of УК «Огни»');
  await page.fill('input.search', 'винницкая');
  await page.waitForFunction(() => document.querySelectorAll('table.data tbody tr[data-object]').length === 1);
  assert.deepEqual(await rows(), ['ул. Винницкая, д. 8']);
  await page.fill('input.search', '');
  await page.waitForFunction(() => document.querySelectorAll('table.data tbody tr[data-object]').length === 3);
  await page.click('th:nth-child(1) .th-sort');
  const desc = await rows();
  assert.deepEqual(desc, [...all].sort().reverse());
  const href = await page.getAttribute('a[download="objects.csv"]', 'href');
  assert.match(decodeURIComponent(href), /Мосфильмовская/);
  await context.close();
});

test('a dispatcher of two companies switches between them and sees only that company', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/objects');
  await hydrated(page);
  await page.waitForSelector('table.data tbody tr[data-object]');
  const before = await page.$$eval('table.data tbody tr[data-object]', (t) => t.length);
  assert.equal(before, 3);
  await Promise.all([
    page.waitForEvent('load'),
    page.selectOption('select[name="company"]', { label: 'ТСЖ «Рассвет»' }),
  ]);
  await hydrated(page);
  await page.waitForSelector('table.data tbody tr[data-object]');
  const names = await page.$$eval('table.data tbody tr[data-object]', (trs) => trs.map((tr) => tr.cells[0].textContent.trim()));
  assert.deepEqual(names, ['ул. Ленина, д. 21']);
  await Promise.all([page.waitForEvent('load'), page.selectOption('select[name="company"]', { label: 'ООО «УК Огни»' })]);
  await hydrated(page);

  // a page showing a house of the old company opens the new company's house instead of an error
  const ogni = await page.$eval('table.data tbody tr[data-object]', (tr) => tr.dataset.object);
  await page.goto(`/readings?object=${ogni}&resource=water`);
  await hydrated(page);
  await page.waitForSelector('table[data-testid="readings"] tbody tr[data-meter]');
  await Promise.all([
    page.waitForEvent('load'),
    page.selectOption('.top-bar select[name="company"]', { label: 'ТСЖ «Рассвет»' }),
  ]);
  await hydrated(page);
  await page.waitForSelector('table[data-testid="readings"] tbody tr[data-meter]');
  assert.equal(await page.locator('.error-box').count(), 0, 'no «Запись не найдена»');
  assert.doesNotMatch(page.url(), /object=/);
  assert.match(page.url(), /resource=water/, 'the page keeps its other choices');
  assert.match(await page.textContent('.page.readings h2, .page.readings .caption, .page.readings'), /Ленина/);
  await Promise.all([page.waitForEvent('load'), page.selectOption('.top-bar select[name="company"]', { label: 'ООО «УК Огни»' })]);
  await context.close();
});

test('on a phone the menu says who is signed in and switches the company', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/objects');
  await hydrated(page);
  await page.click('.menu-toggle');
  const who = page.locator('[data-testid="menu-who"]');
  await who.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('nav.side-menu').getBoundingClientRect().left >= 0);
  await page.waitForTimeout(300);
  assert.match(await who.textContent(), /Диспетчер/);
  assert.ok(await who.locator('select[name="company"]').isVisible(), 'the company choice is in the menu');
  await page.screenshot({ path: SHOTS + 'menu-who-phone.png' });
  await Promise.all([
    page.waitForEvent('load'),
    who.locator('select[name="company"]').selectOption({ label: 'ТСЖ «Рассвет»' }),
  ]);
  await hydrated(page);
  await page.waitForSelector('table.data tbody tr[data-object]');
  assert.deepEqual(await page.$$eval('table.data tbody tr[data-object]', (trs) => trs.map((tr) => tr.cells[0].textContent.trim())), ['ул. Ленина, д. 21']);
  await page.click('.menu-toggle');
  await Promise.all([page.waitForEvent('load'), page.locator('[data-testid="menu-who"] select[name="company"]').selectOption({ label: 'ООО «УК Огни»' })]);
  await context.close();
});

test('an unknown address shows the 404 page with status 404', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'reader');
  const response = await page.goto('/no-such-page');
  assert.equal(response.status(), 404);
  assert.match(await page.textContent('h1'), /Страница не найдена/);
  await context.close();
});

test('an administrator creates a user, blocks them, and the blocked user cannot sign in', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'admin');
  await page.goto('/settings/users');
  await hydrated(page);
  const login = `kontroler${Date.now() % 100000}`;
  await page.click('details.panel summary');
  await page.fill('[data-testid="new-user"] input[name="login"]', login);
  await page.fill('[data-testid="new-user"] input[name="full_name"]', 'Сидоров Пётр Ильич');
  await page.fill('[data-testid="new-user"] input[name="password"]', 'parol-12345');
  await page.selectOption('[data-testid="new-user"] select[name="role"]', 'field_staff');
  await page.click('[data-testid="new-user"] button[type="submit"]');
  await page.waitForSelector(`tr[data-login="${login}"]`);
  await page.screenshot({ path: `${SHOTS}users-admin.png`, fullPage: true });

  const other = await open(browser);
  await signIn(other.page, login, 'parol-12345');
  assert.equal((await other.page.textContent('[data-testid="role"]')).trim(), 'Контролёр');
  // the password the administrator gave is changed first
  assert.match(other.page.url(), /\/settings\/password$/);
  await other.page.fill('[data-testid="password-form"] input[name="current"]', 'parol-12345');
  await other.page.fill('[data-testid="password-form"] input[name="password"]', '1234567890');
  await other.page.fill('[data-testid="password-form"] input[name="password_again"]', '1234567890');
  await other.page.click('[data-testid="password-form"] button[type="submit"]');
  await other.page.waitForSelector('[data-testid="password-form"] .error-box');
  assert.match(await other.page.textContent('[data-testid="password-form"] .error-box'), /слишком простой/);
  await other.page.fill('[data-testid="password-form"] input[name="password"]', 'Svoj-parol-2026');
  await other.page.fill('[data-testid="password-form"] input[name="password_again"]', 'Svoj-parol-2026');
  await other.page.click('[data-testid="password-form"] button[type="submit"]');
  await other.page.waitForSelector('[data-testid="password-changed"]');
  await other.page.screenshot({ path: `${SHOTS}password-changed-desktop.png` });

  // the administrator makes them read-only: it holds from their next page
  await page.fill('[data-testid="users-search"]', login);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="users"] tbody tr').length === 1);
  await page.selectOption(`tr[data-login="${login}"] [data-testid="user-role"]`, 'reader');
  await page.waitForSelector('[data-testid="role-saved"]');
  await other.page.goto('/');
  assert.equal((await other.page.textContent('[data-testid="role"]')).trim(), 'Только просмотр');
  assert.match(await page.getAttribute('[data-testid="users-csv"]', 'href'), /^data:text\/csv/);
  // a login no company has is not added
  await page.click('[data-testid="add-member"] summary');
  await page.fill('[data-testid="add-member-login"]', `nobody${Date.now()}`);
  await page.click('[data-testid="add-member-submit"]');
  await page.waitForSelector('[data-testid="add-member"] .error-box');
  assert.match(await page.textContent('[data-testid="add-member"] .error-box'), /Логин: не найден/);

  await page.click(`tr[data-login="${login}"] button`);
  await page.waitForSelector(`tr[data-login="${login}"].blocked`);
  // The blocked user's open session ends at once…
  const r = await other.page.goto('/objects');
  assert.match(other.page.url(), /\/login/);
  // …and a new sign-in is refused.
  await other.page.fill('input[name="login"]', login);
  await other.page.fill('input[name="password"]', 'Svoj-parol-2026');
  await hydrated(other.page);
  await other.page.click('button[type="submit"]');
  await other.page.waitForSelector('.error-box');
  assert.match(await other.page.textContent('.error-box'), /заблокирована/);
  await other.context.close();
  await context.close();
});

test('on a phone the menu is a drawer opened from the top bar', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'controller');
  const nav = page.locator('nav.side-menu');
  const hiddenBox = await nav.boundingBox();
  assert.ok(hiddenBox.x + hiddenBox.width <= 1, 'menu is off screen before the tap');
  await page.click('.menu-toggle');
  await page.waitForFunction(() => document.querySelector('nav.side-menu').getBoundingClientRect().left >= 0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}phone-menu-controller.png` });
  await context.close();
});

test('a visited page reloads with no network through the service worker', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/objects');
  await hydrated(page);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  // The first load may have happened before the worker took control: load once more under it.
  await page.reload();
  await hydrated(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  const rows = await page.$$eval('table.data tbody tr[data-object]', (t) => t.length);
  assert.equal(rows, 3, 'the cached page shows the objects');
  await page.fill('input.search', 'огни');
  await page.waitForFunction(() => document.querySelectorAll('table.data tbody tr[data-object]').length === 2);
  const unseen = await page.goto('/settings/company').catch(() => null);
  assert.match(await page.content(), /Нет связи|Карточка организации|Расход ресурсов/);
  await context.setOffline(false);
  await context.close();
});

test('an administrator reads the actions log, narrows it and downloads it', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'admin');
  await page.goto('/settings/audit?action=sign_in');
  await hydrated(page);
  await page.waitForSelector('table.audit-table tbody tr[data-action="sign_in"]');
  const users = await page.$$eval('table.audit-table tbody tr', (rs) => rs.map((r) => r.cells[1].textContent));
  assert.ok(users.some((u) => u.includes('Смирнова Ольга Викторовна')), `the admin's own sign-in: ${users}`);
  assert.ok(await page.$$eval('table.audit-table tbody tr', (rs) => rs.every((r) => r.dataset.action === 'sign_in')));
  const excel = await page.getAttribute('[data-testid="export-xlsx"]', 'href');
  assert.equal(excel, '/export/audit.xlsx?action=sign_in');
  const file = await page.request.get(excel);
  assert.equal(file.status(), 200);
  await page.screenshot({ path: SHOTS + 'audit-desktop.png' });
  await context.close();
});

test('Chromium finds the app installable', async () => {
  const context = await launchProfile();
  const page = context.pages()[0] || (await context.newPage());
  await signIn(page, 'resident');
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  const manifest = await (await page.request.get(`${BASE}/manifest.webmanifest`)).json();
  assert.equal(manifest.short_name, 'Учёт');
  await context.close();
});

test('health and metrics answer', async () => {
  const { context, page } = await open(browser);
  const h = await page.request.get(`${BASE}/healthz`);
  assert.equal(h.status(), 200);
  assert.equal((await h.json()).status, 'ok');
  const m = await page.request.get(`${BASE}/metrics`);
  assert.match(await m.text(), /uchet_http_requests_total/);
  await context.close();
});

test('pages carry browser defences and still hydrate, draw charts and work offline under them', async () => {
  const { context, page } = await open(browser);
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) csp.push(m.text()); });
  await signIn(page, 'dispatcher');
  const response = await page.goto('/?span=month');
  const h = response.headers();
  assert.match(h['content-security-policy'], /script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval'/);
  assert.match(h['content-security-policy'], /frame-ancestors 'none'/);
  assert.doesNotMatch(h['content-security-policy'], /'unsafe-eval'/, 'no eval');
  assert.equal(h['x-frame-options'], 'DENY');
  assert.equal(h['x-content-type-options'], 'nosniff');
  assert.equal(h['referrer-policy'], 'same-origin');
  // the nonce differs from response to response
  const again = (await page.request.get('/')).headers()['content-security-policy'];
  assert.notEqual(again, h['content-security-policy']);
  await hydrated(page);
  await page.waitForFunction(() => Number(document.querySelector('#consumption-chart')?.dataset.drawn || 0) > 0, null, { timeout: 20000 });
  assert.deepEqual(csp, [], 'nothing was refused by the policy');
  await context.close();
});

test('a cross-site post is refused, and sign-in never leads to another site', async () => {
  const { context, page } = await open(browser);
  // a form on another site posting to sign-in (login CSRF) or to any server function
  for (const headers of [{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }]) {
    const r = await page.request.post('/api/sign_in', {
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      data: 'login=dispatcher&password=uchet-demo',
    });
    assert.equal(r.status(), 403, JSON.stringify(headers));
    assert.equal((await context.cookies()).filter((c) => c.name.includes('uchet_session')).length, 0);
  }
  // a tab in the address that browsers drop would have made «//evil.example»
  await page.goto('/login?next=/%09/evil.example');
  await hydrated(page);
  await page.fill('input[name="login"]', 'dispatcher');
  await page.fill('input[name="password"]', 'uchet-demo');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20000 }), page.click('button[type="submit"]')]);
  assert.equal(new URL(page.url()).origin, new URL(BASE).origin);
  assert.equal(new URL(page.url()).pathname, '/');
  await context.close();
});
