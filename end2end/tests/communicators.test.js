// «Коммуникаторы»: the demo's gateways are listed with their meters; a dispatcher adds a GPRS
// modem — a port out of range gets a clear Russian message and keeps nothing, the saved
// phone comes back as +7 (…) — finds it by the list's search, downloads the list, and
// removes it; a line with meters in service cannot be removed; a reader only reads; on a
// desk and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, SHOTS, PHONE } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a dispatcher adds a GPRS modem, fixes a bad port, finds it and removes it', async () => {
  const { context, page } = await open(browser);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'dispatcher');
  await page.click('nav.side-menu a[href="/service/communicators"]');
  await page.waitForURL(/\/service\/communicators$/);
  await page.waitForSelector('[data-testid="communicators-table"]');
  await hydrated(page);
  // a demo gateway carries meters, counted in the list
  const gateway = page.locator('[data-testid="communicators-table"] tbody tr', { hasText: 'Шлюз RS-485/TCP' }).first();
  await gateway.waitFor();
  assert.match(await gateway.textContent(), /TCP\/IP/);
  assert.match(await page.textContent('[data-testid="communicators-summary"]'), /Коммуникаторов: \d+, приборов на них: [1-9]/);
  await page.screenshot({ path: `${SHOTS}communicators-desktop.png`, fullPage: true });

  await page.click('[data-testid="communicators-add"]');
  await page.waitForURL(/\/service\/communicators\/new/);
  await page.waitForSelector('[data-testid="communicator-form"]');
  await hydrated(page);
  await page.selectOption('[data-testid="cm-line"]', 'gprs');
  await page.fill('[data-testid="cm-name"]', 'GPRS-модем ИТП, проверка');
  await page.fill('[data-testid="cm-host"]', '10.77.0.9');
  await page.fill('[data-testid="cm-port"]', '70000');
  await page.fill('[data-testid="cm-iccid"]', '8970 1012 3456 7890 1234');
  await page.fill('[data-testid="cm-phone"]', '8 912 345-67-89');
  await page.fill('[data-testid="cm-timeout"]', '3 000');
  await page.click('[data-testid="communicator-save"]');
  const problem = page.locator('[data-testid="communicator-form"] [role="alert"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /Порт: вне допустимых пределов/);
  assert.equal(await page.inputValue('[data-testid="cm-name"]'), 'GPRS-модем ИТП, проверка', 'what was typed stays');

  await page.fill('[data-testid="cm-port"]', '5000');
  await page.click('[data-testid="communicator-save"]');
  await page.waitForURL(/\/service\/communicators\/\d+$/);
  await page.waitForSelector('[data-testid="communicator-saved"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="cm-phone"]')?.value === '+7 (912) 345-67-89');
  assert.equal(await page.inputValue('[data-testid="cm-timeout"]'), '3000');
  await page.waitForSelector('[data-testid="communicator-no-meters"]');
  await page.screenshot({ path: `${SHOTS}communicator-card-desktop.png`, fullPage: true });

  await page.click('[data-testid="communicator-back"]');
  await page.waitForSelector('[data-testid="communicators-table"]');
  await hydrated(page);
  await page.fill('[data-testid="communicators-search"]', 'ИТП, проверка');
  const rows = page.locator('[data-testid="communicators-table"] tbody tr:visible');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="communicators-table"] tbody tr').length === 1);
  const row = await rows.first().textContent();
  assert.match(row, /10\.77\.0\.9:5000/);
  assert.match(row, /89701012345678901234, \+7 \(912\) 345-67-89/, 'the SIM as kept, the phone as people write it');
  assert.match(await page.getAttribute('[data-testid="communicators-csv"]', 'href'), /^data:text\/csv/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="communicators-xlsx"]')]);
  assert.match(download.suggestedFilename(), /^communicators-\d{4}-\d{2}-\d{2}\.xlsx$/);

  await rows.first().locator('a').first().click();
  await page.waitForSelector('[data-testid="communicator-delete"]');
  await hydrated(page);
  page.once('dialog', (d) => d.accept());
  await page.click('[data-testid="communicator-delete"]');
  await page.waitForURL(/\/service\/communicators$/);
  await page.waitForSelector('[data-testid="communicators-table"]');
  assert.doesNotMatch(await page.textContent('[data-testid="communicators-table"]'), /ИТП, проверка/);
  assert.deepEqual(errors, [], 'no page error');
  await context.close();
});

test('a gateway with meters lists them and cannot be removed; a reader only reads', async () => {
  const { context, page } = await open(browser);
  await signIn(page, 'dispatcher');
  await page.goto('/service/communicators?line=tcp');
  await page.waitForSelector('[data-testid="communicators-table"]');
  await hydrated(page);
  await page.locator('[data-testid="communicators-table"] tbody tr', { hasText: 'Шлюз RS-485/TCP' }).first().locator('a').first().click();
  await page.waitForSelector('[data-testid="communicator-meters"]');
  assert.ok(await page.locator('[data-testid="communicator-meters"] tbody tr').count() > 0);
  assert.ok(await page.isDisabled('[data-testid="communicator-delete"]'), 'a line with meters stays');
  const address = page.url();
  await context.close();

  const reader = await open(browser);
  await signIn(reader.page, 'reader');
  await reader.page.goto(address);
  await reader.page.waitForSelector('[data-testid="communicator-card"]');
  assert.equal(await reader.page.locator('[data-testid="communicator-form"]').count(), 0, 'no form for a reader');
  assert.match(await reader.page.textContent('[data-testid="communicator-card"]'), /TCP\/IP/);
  await reader.page.goto('/service/communicators');
  await reader.page.waitForSelector('[data-testid="communicators-table"]');
  assert.equal(await reader.page.locator('[data-testid="communicators-add"]').count(), 0);
  await reader.context.close();
});

test('the communicators pages fit a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'dispatcher');
  await page.goto('/service/communicators/new');
  await page.waitForSelector('[data-testid="communicator-form"]');
  await hydrated(page);
  await page.selectOption('[data-testid="cm-line"]', 'mbus');
  await page.waitForSelector('[data-testid="cm-serial-port"]:visible');
  assert.equal(await page.locator('[data-testid="cm-host"]:visible').count(), 0, 'only the kind\'s fields');
  let width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the form fits a phone: ${width}`);
  await page.screenshot({ path: `${SHOTS}communicator-phone.png`, fullPage: true });
  await page.goto('/service/communicators');
  await page.waitForSelector('[data-testid="communicators-table"]');
  width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `the list fits a phone: ${width}`);
  await context.close();
});
