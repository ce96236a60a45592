import { launch, open, signIn } from '/work/main/end2end/tests/helpers.js';
const browser = await launch();
const { page, context } = await open(browser);
await signIn(page, 'dispatcher');
const r = await page.request.get(process.argv[2]);
console.log(await r.text());
await browser.close();
