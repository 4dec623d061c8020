// Every tab of the portal in a real browser, checked for valid HTML and
// serious accessibility problems, and the downloads a partner makes: a
// list as CSV and a work order's service report.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer, users, PASSWORD } = require('../lib/server');
const { launch, check, session: login } = require('../lib/browser');

let srv, browser;
before(async () => {
  srv = await startServer({ workOrders: 120 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('each tab opens, and the reports download', async () => {
  const { ctx, page: p } = await login(browser, srv.base, users.meganAdmin, PASSWORD, { acceptDownloads: true });
  const nav = p.getByRole('navigation', { name: 'Partner Portal' });
  for (const [tab, heading] of [['Home', /Welcome to ChargePoint Partner Connect!/], ['Work Orders', 'My Open Work Orders'],
    ['Field Technician Management', 'Field Technician Management'], ['Dashboard', 'Dashboard'], ['Library', 'Library'],
    ['Chargepoint University', 'Chargepoint University']]) {
    await nav.getByRole('link', { name: tab, exact: true }).click();
    await p.getByRole('heading', { level: 1, name: heading }).waitFor();
    assert.equal(await nav.getByRole('link', { name: tab, exact: true }).getAttribute('aria-current'), 'page');
    await check(p, tab);
  }
  // a list view to a spreadsheet
  await nav.getByRole('link', { name: 'Work Orders', exact: true }).click();
  const [csv] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Export to CSV' }).click()]);
  assert.equal(csv.suggestedFilename(), 'work-orders-my-open.csv');
  const text = fs.readFileSync(await csv.path(), 'utf8');
  assert.match(text, /^\uFEFFWork Order Number,Case,Subject/);
  // a work order's print view and its service report
  const first = p.locator('tbody th a').first();
  const number = await first.innerText();
  await first.click();
  await p.getByRole('link', { name: 'Print' }).click();
  await p.getByRole('heading', { name: `Work Order ${number}` }).waitFor();
  await check(p, 'Print');
  await p.goBack();
  const [pdf] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Create Service Report' }).click()]);
  assert.equal(pdf.suggestedFilename(), `Service Report ${number}.pdf`);
  assert.equal(fs.readFileSync(await pdf.path()).subarray(0, 5).toString(), '%PDF-');
  await ctx.close();
});
