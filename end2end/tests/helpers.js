// Shared browser-test helpers: one headless Debian Chromium, the server started by
// scripts/test (UCHET_URL), sign-in, and waiting for hydration.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = process.env.UCHET_URL || 'http://127.0.0.1:3000';
export const PASSWORD = 'uchet-demo';
export const SHOTS = new URL('../screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1366, height: 860 } };

const CHROMIUM = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
};

export async function launch() {
  return chromium.launch(CHROMIUM);
}

/** A browser with a real (non-incognito) profile: Chromium offers installation only there. */
export async function launchProfile(device = DESKTOP) {
  const dir = mkdtempSync(join(tmpdir(), 'uchet-profile-'));
  return chromium.launchPersistentContext(dir, { ...CHROMIUM, ...device, baseURL: BASE, locale: 'ru-RU' });
}

/** A fresh context (own cookies, own service worker) and page. */
export async function open(browser, device = DESKTOP) {
  const context = await browser.newContext({ ...device, baseURL: BASE, locale: 'ru-RU' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return { context, page };
}

/** Clicks before hydration are lost: wait for the mark the frontend sets. */
export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
}

export async function signIn(page, login, password = PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20000 }),
    page.click('button[type="submit"]'),
  ]);
  await hydrated(page);
}

/** The section titles and ready items of the side menu. */
export async function menu(page) {
  await page.waitForSelector('nav.side-menu');
  const sections = await page.$$eval('nav.side-menu .menu-section h2', (hs) => hs.map((h) => h.textContent.trim()));
  const links = await page.$$eval('nav.side-menu a', (as) => as.map((a) => a.textContent.trim()));
  return { sections, links };
}

/** Registers a resident in the cabinet with an activation code; lands on «/my». */
export async function registerWith(page, code, email, name, password) {
  await page.goto(`/register?code=${encodeURIComponent(code)}`);
  await hydrated(page);
  await page.waitForSelector('[data-testid="code-info"]');
  await page.fill('input[name="full_name"]', name);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.fill('input[name="password_again"]', password);
  await page.check('input[name="consent"]');
  await Promise.all([page.waitForURL(/\/my$/, { timeout: 20000 }), page.click('button[type="submit"]')]);
  await hydrated(page);
}

/** Makes an API token on «Доступ по API» (the page open, its administrator signed in) and
 * returns it as the page shows it, once. */
export async function makeToken(page, name, scope) {
  await page.click('details.panel summary');
  await page.fill('[data-testid="new-token"] input[name="name"]', name);
  await page.selectOption('[data-testid="new-token"] select[name="scope"]', scope);
  await page.click('[data-testid="new-token"] button[type="submit"]');
  return (await page.textContent('[data-testid="token"]', { timeout: 15000 })).trim();
}
