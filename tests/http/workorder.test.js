// The work order page (guide ch. 4): header, tabs, Details, Related and
// Related RMA / FSO, and its JSON twin.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users } = require('../lib/server');

let srv, megan, wo;
before(async () => {
  srv = await startServer({ workOrders: 200 });
  megan = new Client(srv.base);
  await megan.login(users.megan);
  const { body } = await megan.json('/api/work-orders?view=all&size=200');
  const withParts = [];
  for (const r of body.rows) {
    const d = (await megan.json(`/api/work-orders/${r.number}`)).body.wo;
    if (d.part_orders.length && d.history.length > 3) withParts.push(d);
    if (withParts.length) break;
  }
  wo = withParts[0];
});
after(async () => { await srv.stop(); });

test('the header shows Work Order, Owner, Status, Subject, Case and the tabs', async () => {
  const r = await megan.get(`/work-orders/${wo.number}`);
  assert.equal(r.status, 200);
  for (const w of ['Work Order', `>${wo.number}<`, '>Owner<', '>Status<', '>Subject<', '>Case<', 'Megan&#39;s Dispatch Service',
    '>Details<', '>Related<', '>Related RMA / FSO<'])
    assert.ok(r.text_.includes(w), w);
  assert.match(r.text_, /All times displayed in this partner portal page are in \(GMT-06:00\) Central Standard Time \(America\/Chicago\)/);
});

test('Details shows the Description and Customer Information fields', async () => {
  const r = await megan.get(`/work-orders/${wo.number}`);
  for (const f of ['Work Order Number', 'Entitlement', 'Subject', 'Target SLA Date', 'Customer Service Executive',
    'Description', 'Station-1: Name:', 'Serial Number:', 'MAC Address:', 'Station Model:', 'Station Physical Address:',
    'Customer Information', 'Account', 'Number of Total Stations', 'Number of Site Validations', 'Contact',
    'Case Contact Email', 'Case Contact Phone', 'Address', 'Appointment date', 'Technician Name / Email',
    'Technician Name', 'Phone Number', 'Scheduling Completed', '* Required Information'.replace('* ', '')])
    assert.ok(r.text_.includes(f), f);
  assert.ok(r.text_.includes(wo.customer_information.contact));
});

test('Related lists line items in number order, the history and the files', async () => {
  const r = await megan.get(`/work-orders/${wo.number}/related`);
  assert.equal(r.status, 200);
  for (const f of ['Work Order Line Items (', 'Work Order Line Item Number', 'Work Type', 'Station', 'Warranty Type',
    'Work Order History (', 'Date', 'Field', 'User', 'Original Value', 'New Value', 'Files (', 'Title', 'Owner',
    'Last Modified', 'Size'])
    assert.ok(r.text_.includes(f), f);
  const nums = wo.line_items.map((l) => l.line_item_number);
  assert.deepEqual(nums, [...nums].sort());
  assert.equal(nums[0], '00000001');
  assert.ok(wo.history.some((h) => h.field === 'Status' && h.original_value === 'Assigned'));
});

test('Related RMA / FSO lists the part orders', async () => {
  const r = await megan.get(`/work-orders/${wo.number}/rma-fso`);
  assert.equal(r.status, 200);
  assert.ok(r.text_.includes('Order Class (NS)'));
  assert.ok(r.text_.includes(wo.part_orders[0].order_number));
  assert.ok(r.text_.includes('Assure Fulfillment Sales Order'));
  assert.ok(r.text_.includes('Depending on the delivery date, schedule a service date'));
});

test('the API twin has snake_case keys and UTC times', async () => {
  const { status, body } = await megan.json(`/api/work-orders/${wo.number}`);
  assert.equal(status, 200);
  for (const k of ['number', 'status', 'subject', 'account', 'case', 'owner', 'entitlement', 'work_type', 'service_territory'])
    assert.ok(k in body.wo, k);
  assert.match(body.wo.wo_assigned_date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal((await megan.get(`/work-orders/${wo.number}/nope`)).status, 404);
  assert.equal((await megan.get('/work-orders/abc')).status, 404);
});
