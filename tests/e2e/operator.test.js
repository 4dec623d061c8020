// The operator's side of the Work Orders list in a real browser, over a
// demo big enough to be loaded in bulk: every company's work orders in one
// list, views, sorting, the next page, "Search this list..." with many and
// with few matches, and the Dashboard; and a partner's search that finds
// only its own company's work orders.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, users, PASSWORD } = require('../lib/server');
const { launch, check, session: login } = require('../lib/browser');

let srv, browser;
before(async () => {
  srv = await startServer({ workOrders: 3000 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const count = async (page) => Number((await page.locator('#summary').innerText()).match(/^([\d,]+)/)[1].replace(/,/g, ''));

test('the operator pages, sorts and searches every company\'s work orders', async () => {
  const { page } = await login(browser, srv.base, users.operator, PASSWORD);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const nav = page.getByRole('navigation', { name: 'Partner Portal' });
  await nav.getByRole('link', { name: 'Work Orders' }).click();
  await page.waitForURL(/\/work-orders/);

  await page.locator('details.views summary').click();
  await page.getByRole('link', { name: 'All Work Orders' }).click();
  await page.getByRole('heading', { name: 'All Work Orders' }).waitFor();
  assert.equal(await count(page), 3000, 'every company\'s work orders');

  // Sort by Account, then walk to the next page: still in order across it.
  await page.getByRole('link', { name: 'Account', exact: true }).click();
  await page.waitForURL(/sort=account&dir=asc/);
  await check(page, 'All Work Orders by Account');
  const first = await page.locator('tbody tr td:nth-child(5)').allInnerTexts();
  await page.getByRole('link', { name: 'Next' }).click();
  await page.waitForURL(/after=/);
  const second = await page.locator('tbody tr td:nth-child(5)').allInnerTexts();
  const accounts = [...first, ...second];
  assert.equal(accounts.length, 100);
  for (let i = 1; i < accounts.length; i++) assert.ok(accounts[i - 1] <= accounts[i], `row ${i}: ${accounts[i - 1]} / ${accounts[i]}`);

  // Search this list...: a word in most subjects, then an account's name.
  for (const [term, many] of [['Assure', true], ['Kohl', false]]) {
    await page.getByPlaceholder('Search this list...').fill(term);
    await page.getByPlaceholder('Search this list...').press('Enter');
    await page.waitForURL((u) => new URL(u).searchParams.get('q') === term);
    const n = await count(page);
    assert.ok(many ? n > 1000 : n > 0 && n < 1000, `${term}: ${n} items`);
    const subjects = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.innerText));
    assert.ok(subjects.length > 0 && subjects.every((s) => s.includes(term)), term);
  }
  await check(page, 'a search');

  await nav.getByRole('link', { name: 'Dashboard' }).click();
  await page.waitForURL(/\/dashboard/);
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  await check(page, 'Dashboard');
  assert.deepEqual(errors, []);
});

test('a partner\'s search finds only its own company\'s work orders', async () => {
  const { page } = await login(browser, srv.base, users.megan, PASSWORD);
  // Columbus is another company's territory: nothing, and no error
  await page.goto(srv.base + '/work-orders?view=all&q=Columbus');
  assert.equal(await count(page), 0);
  await page.getByText('No work orders to show in this view.').waitFor();
  await page.goto(srv.base + '/work-orders?view=all&q=Jacksonville&sort=subject');
  assert.ok(await count(page) > 0);
  const territories = await page.locator('tbody tr td:nth-child(6)').allInnerTexts();
  assert.ok(territories.every((t) => t === 'Florida - Jacksonville'), territories.join());
});
