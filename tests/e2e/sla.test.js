// The SLA a partner can trust, in a real browser: the partner picks SLA At
// Risk from the view drop-down and finds every overdue open work order
// there with its countdown, sees the countdown on the work order, clears
// a delay reason by moving the appointment back inside the target, and is
// told when the operator cancels one of its work orders without following
// it.  Each page is checked for valid HTML and serious accessibility
// problems.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { createWorkOrder, startServer, Client, users, PASSWORD } = require('../lib/server');
const { launch, check, watched } = require('../lib/browser');

let srv, browser, daysAhead;
before(async () => {
  srv = await startServer({ workOrders: 300 });
  browser = await launch();
  // a work order made now, with three business days to its target (the
  // demo's are days behind the clock)
  const op = new Client(srv.base);
  await op.login(users.operator);
  daysAhead = await createWorkOrder(op, 'Delay reason in the browser', '14539302', "Megan's Dispatch Service",
    'Repair SLA NonAssure');
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const session = (email) => watched(browser, srv.base, email, PASSWORD);

function day(offset) {
  return new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
}

test('SLA At Risk, the countdown, a delay reason cleared, and a cancel heard without following', async () => {
  const pa = await session(users.megan);
  const p = pa.page;
  await p.getByRole('navigation', { name: 'Partner Portal' }).getByRole('link', { name: 'Work Orders' }).click();
  await p.locator('details.views summary').click();
  await p.getByRole('link', { name: 'SLA At Risk', exact: true }).click();
  await p.getByRole('heading', { name: 'SLA At Risk' }).waitFor();
  await check(p, 'SLA At Risk');
  // every overdue open work order of the company is in the view
  const overdue = await p.evaluate(async () => {
    const out = [];
    let url = '/api/work-orders?view=my-open&size=200';
    for (;;) {
      const b = await (await fetch(url)).json();
      for (const r of b.rows) if (r.target_sla_date && Date.parse(r.target_sla_date) < Date.now()) out.push(r.number);
      if (!b.next_href) return out;
      url = '/api' + b.next_href + '&size=200';
    }
  });
  assert.ok(overdue.length > 0);
  const listed = await p.evaluate(async () => {
    const out = [];
    let url = '/api/work-orders?view=sla-at-risk&size=200';
    for (;;) {
      const b = await (await fetch(url)).json();
      out.push(...b.rows.map((r) => r.number));
      if (!b.next_href) return out;
      url = '/api' + b.next_href + '&size=200';
    }
  });
  for (const n of overdue) assert.ok(listed.includes(n), `overdue ${n} is at risk`);
  const chip = p.locator('table tbody .due-overdue').first();
  assert.match(await chip.innerText(), /^Overdue \d+ (d|h|min)$/);

  // the countdown on the work order
  const first = p.locator('table tbody th[scope=row] a').first();
  const number = (await first.innerText()).trim();
  await first.click();
  await p.getByRole('heading', { name: number }).waitFor();
  assert.match(await p.locator('.highlights .due').innerText(), /^(Overdue|Due)/);

  // a delay reason goes when the appointment comes back inside the target
  const w = await p.evaluate(async (n) => {
    const b = await (await fetch(`/api/work-orders?view=my-open&size=200&q=${n}`)).json();
    return b.rows.find((r) => r.number === n && ['Assigned', 'In Progress', 'Parts Delivered'].includes(r.status) && r.target_sla_date && Date.parse(r.target_sla_date) > Date.now() + 2 * 86400000);
  }, daysAhead);
  assert.ok(w, 'an open work order with days left');
  await p.goto(`${srv.base}/work-orders/${w.number}/schedule`);
  await p.getByLabel('Date', { exact: true }).fill(day(40));
  await p.getByLabel('Time', { exact: true }).fill('09:30');
  await p.getByRole('button', { name: 'Save' }).click();
  await p.getByRole('heading', { name: 'Selected Appointment Date is not within SLA Completed Date' }).waitFor();
  await p.getByLabel('Yes').check();
  await p.getByLabel('* Delay Reason').selectOption('Delay due to weather');
  await p.getByRole('button', { name: 'OK' }).click();
  await p.waitForURL(/done=schedule/);
  const inside = new Date(Date.parse(w.target_sla_date) - 86400000).toISOString().slice(0, 10);
  await p.goto(`${srv.base}/work-orders/${w.number}/schedule`);
  await p.getByLabel('Date', { exact: true }).fill(inside);
  await p.getByRole('button', { name: 'Save' }).click();
  await p.waitForURL(/done=schedule/);
  await p.getByRole('navigation', { name: 'Work order' }).getByRole('link', { name: 'Related', exact: true }).click();
  await p.getByRole('cell', { name: 'Delay Reason', exact: true }).first().waitFor();
  const reason = await p.evaluate(async (n) => (await (await fetch(`/api/work-orders/${n}/related`)).json()).wo.delay_reason, w.number);
  assert.equal(reason, '');

  // the operator cancels one of Megan's work orders nobody follows; she is told
  const target = await p.evaluate(async () => {
    const b = await (await fetch('/api/work-orders?view=my-open&size=200')).json();
    return b.rows.find((r) => r.status === 'Assigned').number;
  });
  const op = await session(users.operator);
  await op.page.goto(`${srv.base}/work-orders/${target}`);
  await op.page.getByRole('link', { name: 'Cancel', exact: true }).click();
  await op.page.getByLabel('* Reason').selectOption('Customer Upgrades');
  await check(op.page, 'Cancel a Work Order');
  await op.page.getByRole('button', { name: /Cancel/ }).last().click();
  await op.page.waitForURL(/done=cancel/);
  await p.goto(`${srv.base}/`);
  assert.match((await p.locator('.bell .count').textContent()).trim(), /^\d+ unread$/);
  await p.getByRole('link', { name: /Notifications/ }).click();
  await p.getByRole('link', { name: new RegExp(`Work Order ${target}: Status changed from Assigned to Cancelled`) }).waitFor();
  await check(p, 'Notifications');
  assert.deepEqual(pa.errors, []);
  assert.deepEqual(op.errors, []);
});
