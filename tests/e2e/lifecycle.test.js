// Walks chapters 5, 8, 10 and 11 of the guide in a real browser: the
// operator creates a work order, the partner accepts it (shipping, then
// travel), the operator ships the parts, the partner schedules past the
// Target SLA with a delay reason, records the visit, completes the line
// items and the work order, and the operator closes it; then Could Not
// Complete and a reissue.  Every form is checked for valid HTML and
// serious accessibility problems.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, users, PASSWORD } = require('../lib/server');
const { launch, check, watched } = require('../lib/browser');

let srv, browser;
before(async () => {
  srv = await startServer({ workOrders: 120 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const session = (email) => watched(browser, srv.base, email, PASSWORD);

function day(offset) {
  return new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
}

test('from Assigned to Closed, as the guide tells it', async () => {
  const op = await session(users.operator);
  const p = op.page;
  // the operator creates the work order
  await p.getByRole('link', { name: 'New Work Order' }).click();
  await p.getByLabel('* Case').fill('14533626');
  await p.getByLabel('* Subject').fill('Assure - CT4020-HD-GW - Head Swap (Ver 25)');
  await p.getByLabel('* Account').selectOption({ label: 'The Point at Town Center' });
  const station = await p.locator('#station_id option', { hasText: 'The Point at Town Center:' }).first().getAttribute('value');
  await p.getByLabel('* Station').selectOption(station);
  await p.getByLabel('* Service Territory').selectOption({ label: 'Florida - Jacksonville' });
  await p.getByLabel('Entitlement').selectOption({ label: 'Repair SLA Assure' });
  await p.getByLabel('* Work Type').selectOption({ label: 'CT4 Head Replacement' });
  await p.getByLabel('* Assign to (partner company)').selectOption({ label: "Megan's Dispatch Service" });
  await p.getByLabel(/Parts needed/).check();
  await p.getByLabel(/Work Order Line Items/).fill('Replace the head\nVerify the charging session');
  await check(p, 'New Work Order');
  await p.getByRole('button', { name: 'Save' }).click();
  await p.waitForURL(/\/work-orders\/\d+\?done=created/);
  const number = /\/work-orders\/(\d+)/.exec(p.url())[1];

  // Chapter 5: the partner reviews and accepts it
  const pa = await session(users.megan);
  const q = pa.page;
  await q.getByRole('navigation', { name: 'Partner Portal' }).getByRole('link', { name: 'Work Orders' }).click();
  await q.getByPlaceholder('Search this list...').fill(number);
  await q.getByPlaceholder('Search this list...').press('Enter');
  await q.getByRole('link', { name: number }).click();
  await q.getByRole('heading', { name: number }).waitFor();
  assert.equal(await q.locator('.highlights .status').innerText(), 'Assigned');
  await q.getByRole('navigation', { name: 'Work order' }).getByRole('link', { name: 'Related', exact: true }).click();
  await q.getByRole('heading', { name: 'Work Order Line Items (2)' }).waitFor();
  await q.getByRole('link', { name: 'Details' }).click();
  await q.getByRole('link', { name: 'Accept', exact: true }).click();
  await q.getByRole('heading', { name: 'Accept Work Order' }).waitFor();
  assert.ok(await q.getByText('If Shipping Information is not added the WO will not be accepted, remaining in an assigned state').isVisible());
  assert.ok((await q.getByLabel('* Street').inputValue()).length > 0, 'prefilled from the work order');
  await check(q, 'Accept: shipping');
  await q.getByLabel('* Shipping Party').fill("Megan's Dispatch Service");
  await q.getByLabel('Liftgate').check();
  await q.getByLabel('* Street').fill('10101 Town');
  await q.waitForFunction(() => document.querySelectorAll('#address-suggestions option').length > 0);
  await q.getByLabel('* Street').fill('10101 Town Center Blvd');
  await q.getByRole('button', { name: 'Save' }).click();
  await q.waitForURL(/accept-travel/);
  assert.equal(await q.getByLabel('Zone').inputValue(), 'Zone 2');
  await check(q, 'Accept: travel');
  await q.getByLabel('* Round Trip Mileage').fill('88');
  assert.equal(await q.locator('output#travel_distance').innerText(), '38', 'the distance beyond the covered miles, as typed');
  await q.getByLabel('* Travel Cost/mile').fill('0.65');
  await q.getByRole('button', { name: 'Submit' }).click();
  await q.getByText('The work order is accepted successfully.').waitFor();
  assert.equal(await q.locator('.highlights .status').innerText(), 'Ship-To Received');

  // the operator ships the parts
  await p.goto(`${srv.base}/work-orders/${number}`);
  await p.getByRole('button', { name: 'Parts Ordered' }).click();
  await p.getByText('Parts Ordered.').waitFor();
  await p.getByRole('link', { name: 'Shipped' }).click();
  await p.getByLabel('* Order Number (RMA / FSO)').fill('00287387');
  await p.getByLabel('* Carrier').fill('UPS');
  await p.getByLabel('* Tracking Number').fill('1Z999AA10123456784');
  await p.getByLabel('* Estimated Delivery Date').fill(day(2));
  await check(p, 'Shipped');
  await p.getByRole('button', { name: 'Shipped' }).click();
  await p.getByText('The shipment is recorded').waitFor();
  await p.getByRole('button', { name: 'Parts Delivered' }).click();
  await p.getByText('Parts Delivered: the work order is In Progress.').waitFor();

  // Chapter 8: the partner checks the shipment and schedules past the Target SLA
  await q.goto(`${srv.base}/work-orders/${number}/rma-fso`);
  await q.getByRole('rowheader', { name: '00287387' }).waitFor();
  await q.goto(`${srv.base}/work-orders/${number}`);
  await q.getByRole('region', { name: 'Customer Information' }).getByRole('link', { name: 'Edit Customer Information' }).click();
  await q.waitForURL(/schedule/);
  await q.getByLabel('Date', { exact: true }).fill(day(21));
  await q.getByLabel('Time', { exact: true }).fill('09:30');
  await q.getByLabel('Technician Name').fill('Joe Bradley');
  await q.getByLabel('Phone Number').fill('407-276-8065');
  await q.getByLabel('Scheduling Completed').fill(day(-1));
  await q.getByRole('button', { name: 'Save' }).click();
  await q.getByRole('heading', { name: 'Selected Appointment Date is not within SLA Completed Date' }).waitFor();
  await check(q, 'the out-of-SLA dialog');
  await q.getByLabel('Yes').check();
  await q.getByLabel('* Delay Reason').selectOption('Technician Availability');
  await q.getByRole('button', { name: 'OK' }).click();
  await q.getByText('The scheduling information is saved.').waitFor();
  assert.ok(await q.getByText('Technician Availability').isVisible());

  // Chapter 10: the visit, the line items in order, then Completed with the cost window
  await q.goto(`${srv.base}/work-orders/${number}/complete`);
  await q.getByText('The work order cannot be closed until these are filled in:').waitFor();
  await q.goto(`${srv.base}/work-orders/${number}/site-times`);
  const dates = q.getByLabel('Date', { exact: true });
  await dates.nth(0).fill(day(-1));
  await q.getByLabel('Time', { exact: true }).nth(0).fill('09:00');
  await dates.nth(1).fill(day(-1));
  await q.getByLabel('Time', { exact: true }).nth(1).fill('10:00');
  await check(q, 'Site Visit');
  await q.getByRole('button', { name: 'Save' }).click();
  await q.getByText('The site times are saved.').waitFor();
  await q.goto(`${srv.base}/work-orders/${number}/related`);
  await q.getByRole('button', { name: /Mark complete line item 00000001/ }).click();
  await q.getByText('The line item is completed.').waitFor();
  await q.getByRole('button', { name: /Mark complete line item 00000002/ }).click();
  await q.getByText('The line item is completed.').waitFor();
  await q.goto(`${srv.base}/work-orders/${number}`);
  await q.getByRole('link', { name: 'Completed', exact: true }).click();
  for (const label of ['Rental Equipment Details', 'Rental Equipment Cost', 'Permit Details', 'Permit Cost'])
    assert.ok(await q.getByLabel(label).isVisible(), label);
  await check(q, 'the cost window');
  await q.getByLabel('Rental Equipment Cost').fill('-5');
  await q.getByRole('button', { name: 'Submit' }).click();
  await q.getByText(/Rental Equipment Cost as an amount/).first().waitFor();
  await q.getByLabel('Rental Equipment Cost').fill('');
  await q.getByRole('button', { name: 'Submit' }).click();
  await q.getByText('The work order is marked Completed.').waitFor();

  // ChargePoint reviews and closes it; the partner finds it in the completed queue
  await p.goto(`${srv.base}/work-orders/${number}`);
  await p.getByRole('button', { name: 'Close' }).click();
  await p.getByText('The work order is Closed.').waitFor();
  await q.goto(`${srv.base}/work-orders?view=completed-closed`);
  await q.getByRole('link', { name: number }).waitFor();
  assert.deepEqual([...op.errors, ...pa.errors], []);
  await op.ctx.close();
  await pa.ctx.close();
});

test('chapter 11: Could Not Complete, and a new work order for the unfinished work', async () => {
  const pa = await session(users.megan);
  const q = pa.page;
  const number = await q.evaluate(async () => {
    const r = await (await fetch('/api/work-orders?view=my-open&sort=status&dir=asc&size=200')).json();
    return String(r.rows.find((w) => w.status === 'In Progress').number);
  });
  await q.goto(`${srv.base}/work-orders/${number}`);
  await q.getByRole('link', { name: 'Could Not Complete' }).click();
  await check(q, 'Could Not Complete');
  await q.getByLabel('* Reason').selectOption('Wrong Equipment Shipped');
  await q.getByLabel(/Comment/).fill('A single-port head arrived for a dual-port station');
  await q.getByRole('button', { name: 'Could Not Complete' }).click();
  await q.getByText('The work order is marked Could Not Complete.').waitFor();
  assert.equal(await q.locator('.highlights .status').innerText(), 'Cannot Complete');

  const op = await session(users.operator);
  await op.page.goto(`${srv.base}/work-orders/${number}`);
  await op.page.getByRole('link', { name: 'Reissue' }).click();
  await op.page.getByRole('heading', { name: `Reissue Work Order ${number}` }).waitFor();
  // the operator corrects the line items before the new work order is made
  await op.page.getByLabel(/Work Order Line Items/).fill('Replace the dual-port head');
  await op.page.getByRole('button', { name: 'Save' }).click();
  await op.page.getByText('The new work order is issued.').waitFor();
  assert.ok(await op.page.getByText('Reissue of', { exact: true }).isVisible());
  await op.page.getByRole('link', { name: 'Related', exact: true }).click();
  await op.page.getByText('Replace the dual-port head').first().waitFor();
  await op.ctx.close();
  await pa.ctx.close();
});
