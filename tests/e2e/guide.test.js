// Walks chapters 1-4 of the Partner Connect user guide in a real browser,
// as a partner dispatcher trained on the guide would: log in, open Work
// Orders, switch views, pin one, sort, search, open a work order and read
// its Details and Related tabs.  Every page visited is also checked for
// valid HTML and serious accessibility problems, on a desktop and a phone.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, users, PASSWORD } = require('../lib/server');
const { launch, axe, validate } = require('../lib/browser');

let srv, browser;
before(async () => {
  srv = await startServer({ workOrders: 300 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function check(page, what) {
  const problems = await axe(page);
  assert.deepEqual(problems, [], `accessibility of ${what}`);
  const html = await (await page.request.get(page.url())).text();
  const invalid = await validate(html);
  assert.deepEqual(invalid, [], `HTML of ${what}`);
}

async function logIn(page, email) {
  await page.goto(srv.base + '/');
  await page.getByLabel('Username').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(srv.base + '/');
}

test('chapters 1-4 as a partner dispatcher', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  // Chapter 1: log in; the guide's links are there.
  await page.goto(srv.base + '/');
  await page.waitForURL(/\/login/);
  await assert.doesNotReject(page.getByRole('link', { name: 'Forgot password?' }).waitFor());
  await assert.doesNotReject(page.getByRole('link', { name: 'Sign Up' }).waitFor());
  await check(page, 'Log in');
  await logIn(page, users.megan);
  await check(page, 'Home');
  assert.ok(await page.getByText('All times displayed in this partner portal page are in (GMT-06:00) Central Standard Time (America/Chicago)').isVisible());
  const nav = page.getByRole('navigation', { name: 'Partner Portal' });
  assert.ok(await nav.getByRole('link', { name: 'Home' }).isVisible());

  // Chapter 2: the Work Orders tab lists the key columns.
  await nav.getByRole('link', { name: 'Work Orders' }).click();
  await page.waitForURL(/\/work-orders/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'My Open Work Orders');
  for (const col of ['Work Order Number', 'Case', 'Subject', 'Account', 'Service Territory', 'Status', 'WO Assigned Date', 'Entitlement', 'Appointment Date', 'Work Type'])
    assert.ok(await page.getByRole('columnheader', { name: col }).isVisible(), col);
  assert.match(await page.locator('#summary').innerText(), /^\d+ items? - Sorted by Work Order Number - Filtered by My work orders - Status - Updated a few seconds ago$/);
  await check(page, 'Work Orders');

  // Chapter 3: the drop-down beside the filter title switches views.
  await page.locator('details.views summary').click();
  await page.getByRole('link', { name: 'WO Completed / Closed' }).click();
  await page.waitForURL(/view=completed-closed/);
  await page.getByRole('heading', { name: 'WO Completed / Closed' }).waitFor();
  const statuses = await page.locator('tbody tr td:nth-child(7)').allInnerTexts();
  assert.ok(statuses.length > 0);
  assert.ok(statuses.every((s) => s === 'Completed' || s === 'Closed'), statuses.join());

  // ... and the pin icon makes a view the default.
  await page.locator('details.views summary').click();
  await page.getByRole('button', { name: 'Pin All Work Orders' }).click();
  await page.waitForURL(/view=all/);
  await page.getByText('Pinned: your default view').waitFor();
  await nav.getByRole('link', { name: 'Work Orders' }).click();
  await page.getByRole('heading', { name: 'All Work Orders' }).waitFor();

  // Sort by WO Assigned Date: most recent assignments first on the second click.
  await page.getByRole('link', { name: 'WO Assigned Date' }).click();
  await page.waitForURL(/sort=assigned&dir=asc/);
  await page.getByRole('link', { name: 'WO Assigned Date' }).click();
  await page.waitForURL(/sort=assigned&dir=desc/);
  assert.match(await page.locator('#summary').innerText(), /Sorted by WO Assigned Date/);
  // each row's first <time> is its WO Assigned Date (an empty Appointment Date has none)
  const dates = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('time').getAttribute('datetime')));
  const sorted = [...dates].sort().reverse();
  assert.deepEqual(dates, sorted, 'most recent first');
  assert.equal(await page.getByRole('columnheader', { name: /WO Assigned Date/ }).getAttribute('aria-sort'), 'descending');

  // Search this list...
  const firstAccount = await page.locator('tbody tr').first().locator('td').nth(3).innerText();
  await page.getByPlaceholder('Search this list...').fill(firstAccount);
  await page.getByPlaceholder('Search this list...').press('Enter');
  await page.waitForURL(/q=/);
  const accounts = await page.locator('tbody tr td:nth-child(5)').allInnerTexts();
  assert.ok(accounts.length > 0);
  assert.ok(accounts.includes(firstAccount));

  // Chapter 4: open a work order by its number; Details, then Related.
  const link = page.locator('tbody th a').first();
  const number = await link.innerText();
  await link.click();
  await page.waitForURL(new RegExp(`/work-orders/${number}$`));
  await page.getByRole('heading', { name: number }).waitFor();
  for (const label of ['Owner', 'Status', 'Subject', 'Case', 'Target SLA Date', 'Customer Service Executive', 'Account', 'Contact', 'Scheduling Completed'])
    assert.ok(await page.getByText(label, { exact: true }).first().isVisible(), label);
  assert.ok(await page.getByText(/Station-1: Name:/).isVisible());
  await check(page, 'work order Details');
  await page.getByRole('navigation', { name: 'Work order' }).getByRole('link', { name: 'Related', exact: true }).click();
  await page.waitForURL(/\/related$/);
  await page.getByRole('heading', { name: /Work Order Line Items \(\d+\)/ }).waitFor();
  const wolis = page.locator('section', { has: page.getByRole('heading', { name: /Work Order Line Items/ }) });
  assert.equal(await wolis.locator('tbody th').first().innerText(), '00000001');
  await page.getByRole('heading', { name: /Work Order History/ }).waitFor();
  await page.getByRole('heading', { name: /Files \(\d+\)/ }).waitFor();
  await check(page, 'work order Related');
  await page.getByRole('link', { name: 'Related RMA / FSO' }).click();
  await page.waitForURL(/\/rma-fso$/);
  await check(page, 'work order Related RMA / FSO');

  // It is now under Recently Viewed.
  await page.goto(srv.base + '/work-orders?view=recent');
  assert.equal(await page.locator('tbody th a').first().innerText(), number);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the list works without JavaScript and reads on a phone', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await ctx.newPage();
  await logIn(page, users.volt);
  await page.goto(srv.base + '/work-orders?view=all');
  await page.getByRole('link', { name: 'Account' }).click();
  await page.waitForURL(/sort=account&dir=asc/);
  await page.getByRole('link', { name: 'Next' }).click();
  await page.waitForURL(/after=/);
  await page.getByRole('link', { name: 'Previous' }).click();
  await page.waitForURL(/before=/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the page itself does not scroll sideways (${overflow}px)`);
  await page.locator('tbody th a').first().click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow2 <= 1, `work order page fits (${overflow2}px)`);
  await ctx.close();
});

test('another company\'s work order is not found in the browser either', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await logIn(page, users.volt);
  const voltNumber = await page.evaluate(async () => (await (await fetch('/api/work-orders?view=all&size=1')).json()).rows[0].number);
  await page.context().clearCookies();
  await logIn(page, users.megan);
  const res = await page.goto(`${srv.base}/work-orders/${voltNumber}`);
  assert.equal(res.status(), 404);
  assert.ok(await page.getByText('Work order not found.').isVisible());
  await check(page, 'not found');
  await ctx.close();
});

test('every other page is valid HTML without serious accessibility problems', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  for (const path of ['/login', '/forgot-password', '/sign-up']) {
    await page.goto(srv.base + path);
    await check(page, path);
  }
  await page.goto(srv.base + '/sign-up');
  await page.getByLabel('* Name').fill('Pat Doe');
  await page.getByLabel('* Email Address').fill('not-an-email');
  await page.getByLabel('* Company').fill('Volt Field Services');
  await page.evaluate(() => { document.querySelector('#email').type = 'text'; });
  await page.getByRole('button', { name: 'Sign Up' }).click();
  await page.getByText('Enter a valid email address.').first().waitFor();
  assert.equal(await page.getByLabel('* Name').inputValue(), 'Pat Doe', 'what was typed is kept');
  await check(page, 'sign-up with an error');
  await logIn(page, users.operator);
  for (const path of ['/users', '/settings', '/work-orders?view=rejected-cancelled', '/no-such-page']) {
    await page.goto(srv.base + path);
    await check(page, path);
  }
  await ctx.close();
});
