// Screenshots of pages as people see them (desktop and phone), for a look by eye:
//   node bench/shots.mjs http://127.0.0.1:3000 /tmp/shots login:/path[:phone] …
import { launch, DESKTOP, PHONE, PASSWORD } from '../tests/helpers.js';

const [base, out, ...pages] = process.argv.slice(2);
const browser = await launch();
for (const spec of pages) {
  const [login, path, device] = spec.split('|');
  const context = await browser.newContext({ ...(device === 'phone' ? PHONE : DESKTOP), baseURL: base, locale: 'ru-RU' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  if (login) {
    await page.goto('/login');
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60000 });
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type="submit"]')]);
  }
  await page.goto(path);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60000 });
  await page.waitForTimeout(1500);
  const name = `${login || 'anon'}${path.replace(/[^a-z0-9]+/gi, '_')}${device === 'phone' ? '-phone' : ''}.png`;
  await page.screenshot({ path: `${out}/${name}`, fullPage: true });
  console.log(name);
  await context.close();
}
await browser.close();
