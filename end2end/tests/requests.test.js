// Requests at the desk, the rest of F35 (issue 26, point 4), in headless Chromium: the demo
// resident calls about an emergency from a phone; the dispatcher takes a walk-round finding
// for the whole building as a new request (a bad phone number first gets its Russian
// message), attaches the resident's request to it and answers once; the resident sees that
// answer in their own request, with the note that it was joined to the building's one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, PHONE, DESKTOP, SHOTS } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const BUILDING = 'ЖК «Огни», корпус 1';
const ANSWER = `Авария на вводе ХВС, воду дадут к 18:00 (${Date.now().toString(36)})`;
let residentRequest;
let groupId;

test('the resident calls about an emergency from a phone', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'resident');
  await page.goto('/my/requests');
  await hydrated(page);
  await page.click('details.new-request summary');
  await page.selectOption('select[name="specialist"]', 'plumber');
  await page.selectOption('select[name="category"]', 'emergency');
  await page.fill('textarea[name="message"]', 'Нет холодной воды во всей квартире');
  await Promise.all([page.waitForURL(/\/my\/requests\/\d+$/), page.click('[data-testid="request-send"]')]);
  await hydrated(page);
  residentRequest = Number(page.url().split('/').pop());
  await page.waitForSelector('[data-testid="thread"]');
  await context.close();
});

test('the dispatcher takes a building-wide request, attaches the resident\'s and answers once', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'dispatcher');
  await page.goto('/service/dispatch');
  await hydrated(page);
  const row = page.locator(`tr[data-request="${residentRequest}"]`);
  assert.equal(await row.getAttribute('data-category'), 'emergency');
  assert.match(await page.textContent('[data-testid="overdue-count"]'), /^\d+$/);
  await Promise.all([page.waitForURL(/\/service\/dispatch\/new$/), page.click('[data-testid="take-request"]')]);
  await hydrated(page);
  // (the top bar has a building choice of its own: the form's fields are looked up in the form)
  const form = '[data-testid="desk-draft"]';
  await page.selectOption(`${form} select[name="object"]`, { label: BUILDING });
  // the building's flats arrive for it; the request stays for the whole building
  await page.waitForFunction((f) => document.querySelectorAll(`${f} select[name="premise"] option`).length > 1, form);
  await page.fill(`${form} input[name="applicant"]`, 'Обход: инженер Никитин');
  await page.fill(`${form} input[name="phone"]`, 'позвонить вечером');
  await page.selectOption(`${form} select[name="channel"]`, 'walk_round');
  await page.selectOption(`${form} select[name="category"]`, 'emergency');
  await page.fill(`${form} textarea[name="message"]`, 'Авария на вводе ХВС: весь дом без холодной воды');
  await page.click('[data-testid="desk-request-send"]');
  await page.waitForSelector('.error-box, [role="alert"]');
  assert.match(await page.textContent('section.dispatch-new'), /Телефон: /, 'a phone of words is refused in Russian');
  assert.equal(await page.inputValue(`${form} textarea[name="message"]`), 'Авария на вводе ХВС: весь дом без холодной воды', 'nothing typed is lost');
  await page.fill(`${form} input[name="phone"]`, '+7 (900) 123-45-67');
  await Promise.all([page.waitForURL(/\/service\/dispatch\/\d+$/), page.click('[data-testid="desk-request-send"]')]);
  await hydrated(page);
  groupId = Number(page.url().split('/').pop());
  await page.waitForSelector('[data-testid="taken"]');
  assert.match(await page.textContent('[data-testid="taken"]'), /Обход/);
  assert.match(await page.textContent('[data-testid="due"]'), /Срок стадии: \d\d\.\d\d\.\d{4} \d\d:\d\d/);

  await page.click('[data-testid="group"] summary');
  await page.check(`input[data-candidate="${residentRequest}"]`);
  await page.click('[data-testid="attach-requests"]');
  await page.waitForSelector(`.members li[data-member="${residentRequest}"]`);
  await page.fill('textarea[name="reply"]', ANSWER);
  await page.click('[data-testid="reply-send"]');
  await page.waitForSelector(`.thread-item.staff:has-text("${ANSWER}")`);
  await page.screenshot({ path: SHOTS + 'desk-group-request-desktop.png', fullPage: true });

  // the desk shows the group and its member
  await page.goto('/service/dispatch?grouped=1');
  await hydrated(page);
  await page.waitForSelector(`tr[data-request="${groupId}"] [data-testid="group-tag"]`);
  assert.equal(await page.locator(`tr[data-request="${residentRequest}"] .tag.member`).count(), 1);
  await context.close();

  const phone = await open(browser, PHONE);
  await signIn(phone.page, 'dispatcher');
  await phone.page.goto('/service/dispatch/new');
  await hydrated(phone.page);
  await phone.page.waitForSelector('[data-testid="desk-draft"] select[name="object"]');
  await phone.page.screenshot({ path: SHOTS + 'desk-new-request-phone.png', fullPage: true });
  await phone.context.close();
});

test('the resident sees the building\'s answer in their own request', async () => {
  const { context, page } = await open(browser, PHONE);
  await signIn(page, 'resident');
  await page.waitForSelector('nav.side-menu [data-badge="/my/requests"]', { timeout: 20000 });
  await page.goto(`/my/requests/${residentRequest}`);
  await hydrated(page);
  await page.waitForSelector(`.thread-item.staff:has-text("${ANSWER}")`);
  assert.match(await page.textContent('[data-testid="thread"]'), /Заявка объединена с заявкой № \d+/);
  await page.screenshot({ path: SHOTS + 'cabinet-group-answer-phone.png', fullPage: true });
  await context.close();
});

test('the administrator sets the company\'s time limits; a limit past 90 days is refused in Russian', async () => {
  const { context, page } = await open(browser, DESKTOP);
  await signIn(page, 'admin');
  await page.click('nav.side-menu a[href="/settings/limits"]');
  await page.waitForURL(/\/settings\/limits$/);
  await hydrated(page);
  // the defaults: an emergency is taken up in 10 minutes, a complaint answered in 10 days
  assert.equal(await page.inputValue('input[data-limit="emergency_registration"]'), '10');
  assert.equal(await page.inputValue('select[data-unit="emergency_registration"]'), 'min');
  assert.equal(await page.inputValue('input[data-limit="complaint_execution"]'), '10');
  assert.equal(await page.inputValue('select[data-unit="complaint_execution"]'), 'day');
  await page.fill('input[data-limit="repair_execution"]', '91');
  await page.selectOption('select[data-unit="repair_execution"]', 'day');
  await page.click('[data-testid="limits-save"]');
  await page.waitForSelector('.error-box');
  assert.match(await page.textContent('.error-box'), /Сроки стадий: вне допустимых пределов/);
  await page.fill('input[data-limit="repair_execution"]', '5');
  await page.click('[data-testid="limits-save"]');
  await page.waitForSelector('[data-testid="limits-saved"]');
  await page.waitForFunction(() => document.querySelector('input[data-limit="repair_execution"]').value === '5');
  await page.screenshot({ path: SHOTS + 'limits-desktop.png', fullPage: true });
  // and back to the defaults
  await page.click('[data-testid="limits-defaults"]');
  await page.waitForFunction(() => document.querySelector('input[data-limit="repair_execution"]').value === '3'
    && document.querySelector('select[data-unit="repair_execution"]').value === 'day');
  await context.close();

  const phone = await open(browser, PHONE);
  await signIn(phone.page, 'dispatcher');
  await phone.page.goto('/settings/limits');
  await hydrated(phone.page);
  await phone.page.waitForSelector('table.limits-table');
  assert.equal(await phone.page.locator('[data-testid="limits-save"]').count(), 0, 'a dispatcher reads them only');
  await phone.page.screenshot({ path: SHOTS + 'limits-phone.png', fullPage: true });
  await phone.context.close();
});
