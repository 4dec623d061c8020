// The guide across two nodes on one PostgreSQL database (FW_TEST_STORE=pg),
// in a real browser: a partner logs in through node A, works there
// (chapter 2's list, chapter 7's Collaborate, + Follow), and goes on
// through node B without logging in again, where what was written on A is
// on the page, and every other company's work order is not found.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { PG, startServer, startSecondNode, users, PASSWORD } = require('../lib/server');
const { launch, check, session } = require('../lib/browser');

const skip = PG ? false : 'PostgreSQL only (FW_TEST_STORE=pg)';
let a, b, browser;
before(async () => {
  if (!PG) return;
  a = await startServer({ workOrders: 150 });
  b = await startSecondNode(a);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (b) b.stop();
  if (a) await a.stop();
});

test('written through node A, read through node B; B keeps the companies apart', { skip }, async () => {
  const { ctx, page: p } = await session(browser, a.base, users.megan, PASSWORD);
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  // on A: Work Orders, the first open one, Collaborate, + Follow
  await p.getByRole('navigation', { name: 'Partner Portal' }).getByRole('link', { name: 'Work Orders' }).click();
  const first = p.locator('table tbody th[scope=row] a').first();
  const number = (await first.innerText()).trim();
  await first.click();
  await p.getByRole('heading', { name: number }).waitFor();
  await p.getByRole('button', { name: '+ Follow' }).click();
  await p.getByRole('button', { name: 'Following' }).waitFor();
  await p.getByRole('navigation', { name: 'Work order' }).getByRole('link', { name: 'Collaborate' }).click();
  await p.getByPlaceholder('Share an update...').fill('Technician on the way, written on node A');
  await p.getByRole('button', { name: 'Share' }).click();
  await p.waitForURL(/done=posted/);

  // on B, in the same browser: no login asked, the post and the follow are there
  await p.goto(`${b.base}/work-orders/${number}/collaborate`);
  assert.ok(!p.url().includes('/login'), 'the session made on A is good on B');
  await p.getByText('Technician on the way, written on node A').waitFor();
  await check(p, 'Collaborate on node B');
  await p.goto(`${b.base}/work-orders/${number}`);
  await p.getByRole('button', { name: 'Following' }).waitFor();
  await p.goto(`${b.base}/work-orders?view=all&q=${number}`);
  await p.getByRole('link', { name: number, exact: true }).waitFor();

  // on B: every work order of the other companies is not found
  const vctx = await browser.newContext();
  const v = await vctx.newPage();
  await v.goto(b.base + '/login');
  await v.getByLabel('Username').fill(users.volt);
  await v.getByLabel('Password').fill(PASSWORD);
  await v.getByRole('button', { name: 'Log in' }).click();
  await v.waitForURL(b.base + '/');
  const theirs = await v.evaluate(async () => (await (await fetch('/api/work-orders?view=all&size=200')).json()).rows.map((r) => r.number));
  await vctx.close();
  assert.ok(theirs.length > 10);
  const statuses = await p.evaluate(async (ns) => Promise.all(ns.map(async (n) => (await fetch(`/work-orders/${n}`)).status)), theirs);
  assert.deepEqual([...new Set(statuses)], [404], 'every other company\'s work order is 404 on B');
  const res = await p.goto(`${b.base}/work-orders/${theirs[0]}`);
  assert.equal(res.status(), 404);
  await p.getByText('Work order not found.').waitFor();
  assert.deepEqual(errors, []);
  await ctx.close();
});
