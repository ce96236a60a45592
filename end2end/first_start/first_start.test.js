// The first start of an empty install (issue 22): no demo, no company. scripts/test starts
// this server apart with UCHET_DEMO=false. The first-run page makes the company and its
// administrator, who lands in the company card, fills in the bank details, then adds a
// building with its poll schedule, imports its flats, meters and readings, and archives it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, signIn, hydrated, registerWith, SHOTS, PHONE } from '../tests/helpers.js';
import { writeXlsx } from '../tests/xlsx.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PASSWORD = 'первый-запуск-2026';

test('an empty install starts with its company, then its card and a building', async () => {
  const { context, page } = await open(browser);
  // every address leads to the first start
  await page.goto('/objects');
  assert.match(page.url(), /\/setup$/);
  await hydrated(page);
  await page.screenshot({ path: `${SHOTS}first-start.png`, fullPage: true });

  const fill = async (pairs) => { for (const [name, value] of pairs) await page.fill(`[data-testid="first-start"] [name="${name}"]`, value); };
  await fill([
    ['name', 'ООО «УК Заря»'], ['inn', '7707083894'], ['kpp', '773601001'], ['ogrn', '1027700132195'],
    ['legal_address', 'г. Москва, ул. Зари, д. 1'], ['full_name', 'Иванова Анна Петровна'],
    ['login', 'anna'], ['password', PASSWORD], ['password_again', PASSWORD],
  ]);
  // a mistyped ИНН: a clear Russian message, the page stays
  await page.click('[data-testid="first-start"] button[type="submit"]');
  await page.waitForSelector('.error-box');
  assert.match(await page.textContent('.error-box'), /ИНН: не сходится контрольное число/);
  assert.match(page.url(), /\/setup$/);

  await fill([['inn', '7707083893']]);
  await Promise.all([
    page.waitForURL('**/settings/company', { timeout: 20000 }),
    page.click('[data-testid="first-start"] button[type="submit"]'),
  ]);
  await hydrated(page);
  await page.waitForSelector('[data-testid="company-form"]');
  assert.equal(await page.inputValue('[data-testid="company-form"] [name="name"]'), 'ООО «УК Заря»');

  // the bank details, a typo first
  await page.fill('[name="bik"]', '044525225');
  await page.fill('[name="settlement_account"]', '40702810938000000002');
  await page.click('[data-testid="company-form"] button[type="submit"]');
  await page.waitForSelector('.error-box');
  assert.match(await page.textContent('.error-box'), /Расчётный счёт: не сходится контрольное число/);
  await page.fill('[name="settlement_account"]', '40702 810 9 3800 0000001');
  await page.click('[data-testid="company-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="company-saved"]');
  await page.waitForFunction(() => document.querySelector('[name="settlement_account"]')?.value === '40702810938000000001');
  await page.screenshot({ path: `${SHOTS}company-card.png`, fullPage: true });

  // the billing period and the norms: 15th–25th by default, a bad norm refused in Russian
  await page.goto('/settings/period');
  await hydrated(page);
  await page.waitForSelector('[data-testid="period-form"]');
  assert.equal(await page.inputValue('[name="first_day"]'), '15');
  assert.equal(await page.inputValue('[name="last_day"]'), '25');
  await page.fill('[name="norms[city0_cold_water]"]', 'много');
  await page.click('[data-testid="period-form"] button[type="submit"]');
  await page.waitForSelector('.error-box');
  assert.match(await page.textContent('.error-box'), /Нормативы потребления/);
  await page.fill('[name="norms[city0_cold_water]"]', '6,935');
  await page.fill('[name="norms[city0_hot_water]"]', '4,745');
  await page.click('[data-testid="period-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="period-saved"]');
  await page.waitForFunction(() => document.querySelector('[name="norms[city0_hot_water]"]')?.value === '4,745');
  await page.screenshot({ path: `${SHOTS}billing-period.png`, fullPage: true });

  // a building with its poll schedule: Mon, Wed, Fri at 05:30
  await page.goto('/objects');
  await hydrated(page);
  await page.click('[data-testid="new-building"]');
  await page.waitForSelector('[data-testid="building-form"]');
  await hydrated(page);
  await page.fill('[data-testid="address"]', 'г. Москва, ул. Зари, д. 7');
  await page.fill('[data-testid="fias"]', '12345');
  await page.fill('[data-testid="area"]', '5 432,1');
  await page.fill('[data-testid="floors"]', '12');
  await page.click('[data-testid="save"]');
  await page.waitForSelector('.error-box');
  assert.match(await page.textContent('.error-box'), /Код ФИАС: неверный формат/);
  await page.fill('[data-testid="fias"]', '0c5b2444-70a0-4932-980c-b4dc0d3f02b5');
  await page.fill('[data-testid="poll-time"]', '05:30');
  for (const d of ['2', '4', '6', '7']) await page.uncheck(`[data-testid="day-${d}"]`);
  await Promise.all([
    page.waitForURL(/\/objects\/\d+\?saved=1$/, { timeout: 20000 }),
    page.click('[data-testid="save"]'),
  ]);
  const buildingId = page.url().match(/\/objects\/(\d+)/)[1];
  await page.waitForSelector('[data-testid="building-saved"]');
  await hydrated(page);
  assert.equal(await page.inputValue('[data-testid="area"]'), '5432.1');
  assert.equal(await page.inputValue('[data-testid="poll-time"]'), '05:30');
  assert.equal(await page.isChecked('[data-testid="day-3"]'), true);
  assert.equal(await page.isChecked('[data-testid="day-2"]'), false);
  // the building's own hot-water norm; cold water keeps the company's (its placeholder)
  const norms = '[data-testid="building-norms"]';
  await page.waitForSelector(`${norms} [name="norms[hot_water]"]`);
  assert.equal(await page.getAttribute(`${norms} [name="norms[cold_water]"]`, 'placeholder'), '6,935');
  await page.fill(`${norms} [name="norms[hot_water]"]`, '-1');
  await page.click(`${norms} button[type="submit"]`);
  await page.waitForSelector(`${norms} .error-box`);
  await page.fill(`${norms} [name="norms[hot_water]"]`, '4,1');
  await page.click(`${norms} button[type="submit"]`);
  await page.waitForSelector('[data-testid="norms-saved"]');
  await page.screenshot({ path: `${SHOTS}building-card.png`, fullPage: true });

  // its 120 flats with accounts and owners from an XLSX file; planted errors first
  const head = ['Адрес дома', 'Помещение', 'Площадь', 'Подъезд', 'Этаж', 'Лицевой счёт', 'Собственник', 'Согласие на обработку ПДн'];
  const flats = (planted) => {
    const rows = [head];
    for (let n = 1; n <= 120; n++) {
      rows.push(['г. Москва, ул. Зари, д. 7', String(n), 40 + (n % 30) + 0.5, Math.floor((n - 1) / 30) + 1, Math.floor(((n - 1) % 30) / 3) + 1,
        `00${77000000 + n}`, `Собственник ${n}`, '01.03.2025']);
    }
    if (planted) {
      rows[11][5] = rows[10][5];          // row 12: flat 11 with flat 10's account
      rows[21][2] = 'сорок';              // row 22: an area in words
      rows[31][7] = '01.01.2099';         // row 32: consent in the future
    }
    return writeXlsx(rows);
  };
  const xlsx = (buffer) => ({ name: 'flats.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await page.goto('/settings/import');
  await hydrated(page);
  await page.setInputFiles('[data-testid="import-file"]', xlsx(flats(true)));
  await page.waitForSelector('[data-testid="import-report"]');
  const issueRows = await page.$$eval('[data-testid="import-issues"] tbody tr td:first-child', (tds) => tds.map((td) => Number(td.textContent)));
  assert.deepEqual(issueRows, [12, 22, 32]);
  assert.equal(await page.isDisabled('[data-testid="import-write"]'), true, 'a file with errors cannot be written');
  await page.screenshot({ path: `${SHOTS}import-errors.png`, fullPage: true });
  await page.setInputFiles('[data-testid="import-file"]', xlsx(flats(false)));
  await page.waitForSelector('[data-testid="import-report"][data-issues="0"]');
  await page.click('[data-testid="import-write"]');
  await page.waitForSelector('[data-testid="import-written"]');
  await page.screenshot({ path: `${SHOTS}import-written.png`, fullPage: true });
  // the same file again changes nothing
  await page.setInputFiles('[data-testid="import-file"]', xlsx(flats(false)));
  await page.waitForSelector('[data-testid="import-report"][data-issues="0"]');
  await page.waitForSelector('text=Файл ничего не меняет');
  assert.equal(await page.isDisabled('[data-testid="import-write"]'), true, 'nothing to write');

  // «Помещения дома»: the file's 120 flats, ten more by a range, a pharmacy by its name
  await page.goto(`/objects/${buildingId}`);
  await hydrated(page);
  await page.click('[data-testid="building-premises"]');
  await page.waitForSelector('[data-testid="premises-table"]');
  await hydrated(page);
  assert.match(await page.textContent('[data-testid="premises-summary"]'), /Помещений: 120 \(квартир 120, нежилых 0\)/);
  await page.click('[data-testid="premise-range"] summary');
  await page.fill('[data-testid="range-from"]', '121');
  await page.fill('[data-testid="range-to"]', '110');
  await page.click('[data-testid="range-add"]');
  await page.waitForSelector('[data-testid="premise-range"] .error-box');
  assert.match(await page.textContent('[data-testid="premise-range"] .error-box'), /По номер: вне допустимых пределов/);
  await page.fill('[data-testid="range-to"]', '130');
  await page.fill('[data-testid="range-per-entrance"]', '30');
  await page.fill('[data-testid="range-first-entrance"]', '5');
  await page.click('[data-testid="range-add"]');
  await page.waitForSelector('[data-testid="premises-summary"]:has-text("Помещений: 130")');
  await page.click('[data-testid="premise-one"] summary');
  await page.fill('[data-testid="new-number"]', 'Аптека');
  await page.fill('[data-testid="new-area"]', '54,3');
  await page.click('[data-testid="new-add"]');
  await page.waitForSelector('[data-testid="premises-summary"]:has-text("нежилых 1")');
  await page.fill('[data-testid="premises-search"]', 'Аптека');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="premises-table"] tbody tr').length === 1);
  await page.screenshot({ path: `${SHOTS}building-premises-desktop.png`, fullPage: true });
  // flat 130 has no account: it can go
  await page.fill('[data-testid="premises-search"]', '');
  await page.locator('[data-testid="premises-table"] tbody tr[data-row]', { hasText: /^\s*130/ }).first().locator('a').first().click();
  await page.waitForSelector('[data-testid="premise-editor"]');
  assert.equal(await page.inputValue('[data-testid="edit-entrance"]'), '5');
  page.once('dialog', (d) => d.accept());
  await page.click('[data-testid="premise-delete"]');
  await page.waitForSelector('[data-testid="premise-deleted"]');
  // the list is read again after the delete: wait for it, not only for the message
  await page.waitForSelector('[data-testid="premises-summary"]:has-text("квартир 129")');
  assert.match(await page.textContent('[data-testid="premises-summary"]'), /Помещений: 130 \(квартир 129, нежилых 1\)/);
  await page.screenshot({ path: `${SHOTS}building-premises-edited.png`, fullPage: true });
  await page.goto('/settings/import');
  await hydrated(page);

  // its meters from a CSV (a resource misspelt first), then their readings from an XLSX
  const metersCsv = (resource) => Buffer.from([
    'Адрес дома;Помещение;Ресурс;Модель;Заводской номер;Разрядность;Дата поверки;МПИ',
    'г. Москва, ул. Зари, д. 7;1;ХВС;ВСКМ 90-15;W-0001;5,3;01.02.2024;6',
    `г. Москва, ул. Зари, д. 7;2;${resource};ВСКМ 90-15;W-0002;5,3;01.02.2024;6`,
  ].join('\r\n'));
  await page.selectOption('[data-testid="import-kind"]', 'meters');
  await page.setInputFiles('[data-testid="import-file"]', { name: 'meters.csv', mimeType: 'text/csv', buffer: metersCsv('Вода') });
  await page.waitForSelector('[data-testid="import-report"]');
  assert.deepEqual(
    await page.$$eval('[data-testid="import-issues"] tbody tr td:first-child', (tds) => tds.map((td) => Number(td.textContent))),
    [3],
  );
  await page.setInputFiles('[data-testid="import-file"]', { name: 'meters.csv', mimeType: 'text/csv', buffer: metersCsv('ГВС') });
  await page.waitForSelector('[data-testid="import-report"][data-issues="0"]');
  await page.click('[data-testid="import-write"]');
  await page.waitForSelector('[data-testid="import-written"]');
  // today in Moscow, the building's zone: a date alone is the start of that day
  const today = new Date(Date.now() + 3 * 3600 * 1000).toISOString().slice(0, 10).split('-').reverse().join('.');
  const moscow = new Date(Date.now() + 3 * 3600 * 1000);
  // the 20th of the month `back` months before this one, and that month's 1st as an address
  const monthBack = (back) => new Date(Date.UTC(moscow.getUTCFullYear(), moscow.getUTCMonth() - back, 20));
  const the20th = (back) => monthBack(back).toISOString().slice(0, 10).split('-').reverse().join('.');
  const lastMonth = monthBack(1);
  const readings = writeXlsx([
    ['Лицевой счёт', 'Заводской номер', 'Дата', 'Показание'],
    ['', 'W-0001', today, '123,456'],
    ['0077000002', '', today, '7,5'],
    ['0077000003', '', today, '1'],
  ]);
  await page.selectOption('[data-testid="import-kind"]', 'readings');
  await page.setInputFiles('[data-testid="import-file"]', xlsx(readings));
  await page.waitForSelector('[data-testid="import-report"]');
  const reasons = await page.$$eval('[data-testid="import-issues"] tbody tr', (trs) => trs.map((tr) => `${tr.cells[0].textContent} ${tr.cells[3].textContent}`));
  assert.deepEqual(reasons, ['4 у лицевого счёта нет такого прибора'], 'flat 3 has no meter');
  // and the months before, read by a controller on the 20th: flat 1 in the last two months,
  // flat 2 four months running and then not last month
  await page.setInputFiles('[data-testid="import-file"]', xlsx(writeXlsx([
    ['Лицевой счёт', 'Заводской номер', 'Дата', 'Показание'],
    ['', 'W-0001', the20th(2), '100'],
    ['', 'W-0001', the20th(1), '112,5'],
    ['', 'W-0001', today, '123,456'],
    ['0077000002', '', the20th(5), '1'],
    ['0077000002', '', the20th(4), '2,5'],
    ['0077000002', '', the20th(3), '4'],
    ['0077000002', '', the20th(2), '5,5'],
    ['0077000002', '', today, '7,5'],
  ])));
  await page.waitForSelector('[data-testid="import-report"][data-issues="0"]');
  await page.click('[data-testid="import-write"]');
  await page.waitForSelector('[data-testid="import-written"]');
  await page.screenshot({ path: `${SHOTS}import-readings.png`, fullPage: true });
  // a dispatcher the administrator makes finds them in «Показания» (an administrator sees no readings)
  await page.goto('/settings/users');
  await hydrated(page);
  await page.click('details.panel summary');
  await page.fill('[data-testid="new-user"] input[name="login"]', 'olga');
  await page.fill('[data-testid="new-user"] input[name="full_name"]', 'Петрова Ольга Ивановна');
  await page.fill('[data-testid="new-user"] input[name="password"]', 'vremenny-parol-1');
  await page.selectOption('[data-testid="new-user"] select[name="role"]', 'dispatcher');
  await page.click('[data-testid="new-user"] button[type="submit"]');
  await page.waitForSelector('tr[data-login="olga"]');
  const desk = await open(browser);
  await signIn(desk.page, 'olga', 'vremenny-parol-1');
  // the password the administrator gave is changed first
  await desk.page.fill('[data-testid="password-form"] input[name="current"]', 'vremenny-parol-1');
  await desk.page.fill('[data-testid="password-form"] input[name="password"]', 'Dispetcher-Zarya-2026');
  await desk.page.fill('[data-testid="password-form"] input[name="password_again"]', 'Dispetcher-Zarya-2026');
  await desk.page.click('[data-testid="password-form"] button[type="submit"]');
  await desk.page.waitForSelector('[data-testid="password-changed"]');
  await desk.page.goto(`/readings?object=${buildingId}&resource=water`);
  await hydrated(desk.page);
  const value = (serial) => desk.page.locator(`table[data-testid="readings"] tr[data-meter]:has(a:text-is("${serial}")) td.value`);
  await value('W-0001').waitFor();
  assert.match(await value('W-0001').textContent(), /123,456/);
  assert.match(await value('W-0002').textContent(), /7,5/);
  await desk.page.screenshot({ path: `${SHOTS}imported-readings.png`, fullPage: true });

  // «Абоненты и потребление» by billing period: last month's period of flat 1 is its reading
  // minus the one before; flat 2 missed it and gets its average (4,5 over 3 months), marked
  const periodMonth = `${lastMonth.toISOString().slice(0, 7)}-01`;
  await desk.page.goto(`/subscribers?object=${buildingId}&by=period&month=${periodMonth}`);
  await hydrated(desk.page);
  const cell = (flat, resource) => desk.page.locator(`table[data-testid="subscribers"] tr[data-flat="${flat}"] td[data-resource="${resource}"][data-slot="0"]`);
  await cell('1', 'cold_water').waitFor();
  assert.equal((await cell('1', 'cold_water').textContent()).trim(), '12,500');
  assert.match((await cell('2', 'hot_water').textContent()).trim(), /^1,500\s*ср$/);
  assert.equal(await cell('2', 'hot_water').locator('sup.basis').getAttribute('title'), 'по среднему');
  assert.match(await desk.page.textContent('[data-testid="caption"]'), /расчётный период/);
  await desk.page.screenshot({ path: `${SHOTS}subscribers-by-period.png`, fullPage: true });

  // a resident of flat 1 registers with a code the dispatcher makes, and sees the same period
  await desk.page.goto(`/settings/activation?object=${buildingId}`);
  await hydrated(desk.page);
  await desk.page.waitForSelector('tr[data-flat="1"] [data-testid="code-one"]');
  await desk.page.click('tr[data-flat="1"] [data-testid="code-one"]');
  await desk.page.waitForFunction(() => (document.querySelector('tr[data-flat="1"] td.code code')?.textContent.trim().length ?? 0) === 14, null, { timeout: 20000 });
  const code = (await desk.page.textContent('tr[data-flat="1"] td.code code')).trim();
  await desk.context.close();
  const resident = await open(browser, PHONE);
  await registerWith(resident.page, code, `zarya-${Date.now().toString(36)}@example.ru`, 'Соколов Пётр Ильич', 'kvartira-odin-2026');
  await resident.page.goto(`/my/consumption?year=${lastMonth.getUTCFullYear()}`);
  await hydrated(resident.page);
  const periodRow = resident.page.locator('table[data-testid="my-periods"] tbody tr').nth(lastMonth.getUTCMonth());
  await periodRow.waitFor();
  assert.match(await periodRow.textContent(), /12,5/);
  await resident.page.screenshot({ path: `${SHOTS}cabinet-periods-phone.png`, fullPage: true });
  await resident.context.close();

  // in the list with its flats; archived, out of it, and back with «Показать архивные»
  await page.goto('/objects');
  await hydrated(page);
  // (the top bar's building picker names it too: look in the table)
  await page.waitForSelector('table.data tr:has-text("ул. Зари, д. 7")');
  assert.equal((await page.textContent('table.data tr:has-text("ул. Зари, д. 7") td:nth-child(4)')).trim(), '130', 'the file\'s 120 flats, nine more by hand and the pharmacy');
  await page.click('table.data a:has-text("ул. Зари, д. 7")');
  await page.waitForSelector('[data-testid="archive"]');
  await hydrated(page);
  await page.click('[data-testid="archive"]');
  await page.waitForSelector('.badge:has-text("в архиве")');
  await page.goto('/objects');
  await hydrated(page);
  await page.waitForSelector('.table-wrap');
  assert.equal(await page.locator('table.data tr:has-text("ул. Зари, д. 7")').count(), 0);
  await page.check('[data-testid="show-archived"]');
  await page.waitForSelector('tr.archived');
  await context.close();

  // the first-run page is gone for everyone
  const stranger = await open(browser, PHONE);
  await stranger.page.goto('/setup');
  assert.match(stranger.page.url(), /\/login$/);
  await stranger.context.close();
});
