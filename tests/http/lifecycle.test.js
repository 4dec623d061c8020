// The work order lifecycle over HTTP (guide ch. 5, 8, 9, 10, 11): every
// action with good and bad input, by the right and the wrong role and
// company, stale forms and double submits; each refusal says why and
// changes nothing.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users } = require('../lib/server');

let srv, megan, volt, op;
before(async () => {
  srv = await startServer({ workOrders: 300 });
  megan = new Client(srv.base);
  await megan.login(users.megan);
  volt = new Client(srv.base);
  await volt.login(users.volt);
  op = new Client(srv.base);
  await op.login(users.operator);
});
after(async () => { await srv.stop(); });

async function wo(c, n) { return (await c.json(`/api/work-orders/${n}/related`)).body.wo; }

// Posts an action with the work order's current version, like a form would.
async function act(c, n, action, fields = {}, { version } = {}) {
  const w = await wo(op, n);
  const token = await c.token();
  return c.post(`/work-orders/${n}/${action}`, { csrf: token, version: String(version ?? w.version), ...fields });
}

async function find(c, pred) {
  let url = '/api/work-orders?view=all&size=200';
  for (;;) {
    const { body } = await c.json(url);
    for (const r of body.rows) {
      if (!pred.status || r.status === pred.status) {
        const w = await wo(c, r.number);
        if (pred.parts === undefined || w.parts_needed === pred.parts) return w;
      }
    }
    if (!body.next_href) throw new Error('no work order like ' + JSON.stringify(pred));
    url = '/api' + body.next_href + '&size=200';
  }
}

const SHIPPING = { ship_to_name: 'Maria Jackson', ship_to_phone: '(354) 810-2610', shipping_party: "Megan's Dispatch Service",
  liftgate: 'on', street: '4072 Church St', city: 'Jacksonville', state: 'Florida', postal_code: '32273', country: 'United States' };

function inDays(d) {
  const t = new Date(Date.now() + d * 86400000);
  return t.toISOString().slice(0, 10);
}

test('Accept: shipping first, then travel; every refusal explains itself and changes nothing', async () => {
  const w = await find(megan, { status: 'Assigned', parts: true });
  const n = w.number;
  const page = await megan.get(`/work-orders/${n}`);
  assert.match(page.text_, new RegExp(`href="/work-orders/${n}/accept-shipping">Accept<`));
  const form = await megan.get(`/work-orders/${n}/accept-shipping`);
  for (const label of ['Is Residential?', '* Ship to Name', '* Ship to Phone Number', '* Shipping Party',
    '* Does your team require any of the following?', 'Liftgate', 'Pallet Jack', '* Street', '* City',
    '* State/Province', '* PostalCode', '* Country', 'If Shipping Information is not added the WO will not be accepted, remaining in an assigned state'])
    assert.ok(form.text_.includes(label), label);
  assert.ok(form.text_.includes(`value="${w.customer_information.address.street}"`), 'prefilled from the work order');

  const early = await act(megan, n, 'accept-travel', { round_trip: '10', travel_cost: '0.65' });
  assert.equal(early.status, 409);
  assert.match(early.text_, /If Shipping Information is not added the WO will not be accepted/);

  const empty = await act(megan, n, 'accept-shipping', { ship_to_name: '' });
  assert.equal(empty.status, 422);
  for (const m of ['Enter the Ship to Name.', 'Enter the Ship to Phone Number.', 'Enter the Shipping Party.', 'Enter the Street.', 'Enter the PostalCode.'])
    assert.ok(empty.text_.includes(m), m);
  const badPhone = await act(megan, n, 'accept-shipping', { ...SHIPPING, ship_to_phone: 'call me' });
  assert.equal(badPhone.status, 422);
  assert.match(badPhone.text_, /value="Maria Jackson"/, 'what was typed is kept');
  const both = await act(megan, n, 'accept-shipping', { ...SHIPPING, none: 'on' });
  assert.equal(both.status, 422);
  assert.equal((await wo(megan, n)).history.length, w.history.length, 'nothing written');

  const ok = await act(megan, n, 'accept-shipping', SHIPPING);
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/work-orders/${n}/accept-travel`);
  assert.equal((await wo(megan, n)).status, 'Assigned', 'still Assigned until travel is submitted');

  const travel = await megan.get(`/work-orders/${n}/accept-travel`);
  for (const label of ['* Round Trip Mileage', 'Travel Distance(mi)', '* Travel Cost/mile', 'Zone', '<strong>50 miles</strong>'])
    assert.ok(travel.text_.includes(label), label);
  const neg = await act(megan, n, 'accept-travel', { round_trip: '-5', travel_cost: 'abc' });
  assert.equal(neg.status, 422);
  assert.match(neg.text_, /Round Trip Mileage as miles/);
  assert.match(neg.text_, /value="-5"/, 'what was typed comes back');
  assert.match(neg.text_, /Travel Cost\/mile as an amount/);
  const stale = await act(megan, n, 'accept-travel', { round_trip: '12', travel_cost: '0.65' }, { version: 1 });
  assert.equal(stale.status, 409);
  assert.match(stale.text_, /changed since the form was opened/);
  const accepted = await act(megan, n, 'accept-travel', { round_trip: '92.5', travel_cost: '0.65' });
  assert.equal(accepted.status, 303);
  const shown = await megan.get(accepted.headers.get('location'));
  assert.match(shown.text_, /The work order is accepted successfully\./);
  const after = await wo(megan, n);
  assert.equal(after.status, 'Ship-To Received');
  assert.equal(after.travel.travel_distance, '42.5', 'the round trip minus the 50 covered miles');
  assert.equal(after.travel.round_trip, '92.5');
  for (const [f, v] of [['Round Trip Mileage', '92.5'], ['Travel Distance(mi)', '42.5'], ['Travel Cost/mile', '0.65']])
    assert.ok(after.history.some((h) => h.field === f && h.new_value === v), `${f} in the history`);
  assert.ok(after.history.some((h) => h.field === 'Status' && h.original_value === 'Assigned' && h.new_value === 'Ship-To Received' && h.user === "Megan's Dispatch Service"));
  assert.ok(after.history.some((h) => h.field === 'Shipping Address'));
  const again = await act(megan, n, 'accept-travel', { round_trip: '1', travel_cost: '1' });
  assert.equal(again.status, 409, 'a double submit is refused');
  assert.match(again.text_, /cannot take the action &quot;Accept&quot;/);
});

test('Accept without parts goes straight to In Progress, with the Target SLA from the assigned date', async () => {
  const page = await op.json('/api/work-orders/new');
  const ch = page.body.choices;
  const made = await op.post('/work-orders/new', { csrf: page.body.csrf, case: '14530600', subject: 'CT4 Wiring Verification',
    account_id: String(ch.accounts.find((a) => a.name === 'Zen Terrace').id),
    station_id: String(ch.stations.find((s) => s.name.startsWith('Zen Terrace: ')).id),
    territory_id: String(ch.territories.find((t) => t.name === 'Florida - Jacksonville').id),
    entitlement_id: String(ch.entitlements.find((e) => e.name === 'Repair SLA Assure').id),
    work_type_id: String(ch.work_types.find((t) => t.name === 'CT4 Wiring Verification').id),
    owner_id: String(ch.partners.find((p) => p.name === "Megan's Dispatch Service").id), line_items: 'Verify the wiring' });
  assert.equal(made.status, 303);
  const n = Number(/\/work-orders\/(\d+)/.exec(made.headers.get('location'))[1]);
  const w = await wo(megan, n);
  assert.equal(w.parts_needed, false);
  assert.ok(w.target_sla_date, 'the target comes from the assigned date and the entitlement');
  assert.ok(new Date(w.target_sla_date) > new Date(w.wo_assigned_date));
  const page2 = await megan.get(`/work-orders/${n}`);
  assert.match(page2.text_, new RegExp(`href="/work-orders/${n}/accept-travel">Accept<`));
  const ship = await act(megan, n, 'accept-shipping', SHIPPING);
  assert.equal(ship.status, 409, 'no shipping step without parts');
  const form = await megan.get(`/work-orders/${n}/accept-travel`);
  assert.match(form.text_, /id="travel_cost"[^>]*value="0.70"/, 'the contract\'s rate to start from');
  const dear = await act(megan, n, 'accept-travel', { round_trip: '30', travel_cost: '0.95' });
  assert.equal(dear.status, 422);
  assert.match(dear.text_, /Your contract&#39;s Travel Cost\/mile is 0.70: enter that or less./);
  assert.match(dear.text_, /id="round_trip"[^>]*value="30"/);
  const r = await act(megan, n, 'accept-travel', { round_trip: '30', travel_cost: '0.70' });
  assert.equal(r.status, 303);
  assert.equal((await wo(megan, n)).travel.travel_distance, '0.0', 'a trip inside the covered miles bills none');
  assert.equal((await wo(megan, n)).status, 'In Progress');
});

test('roles and companies: the wrong one is refused', async () => {
  const w = await find(megan, { status: 'Assigned' });
  const asOp = await act(op, w.number, 'accept-travel', { round_trip: '1', travel_cost: '1' });
  assert.equal(asOp.status, 409);
  assert.match(asOp.text_, /partner&#39;s action/);
  const other = await act(volt, w.number, 'reject', { reason: 'not ours' });
  assert.equal(other.status, 404, 'another company\'s work order does not exist for them');
  const hold = await act(megan, w.number, 'hold', { resume_on: inDays(3), reason: 'waiting' });
  assert.equal(hold.status, 409);
  assert.match(hold.text_, /Only the operator can take the action/);
  const bogus = await act(megan, w.number, 'explode', {});
  assert.equal(bogus.status, 404);
  assert.equal((await wo(op, w.number)).status, 'Assigned');
});

test('the parts chain moves the Target SLA with the delivery date, then scheduling checks against it', async () => {
  const w = await find(megan, { status: 'Ship-To Received' });
  const n = w.number;
  assert.equal((await act(op, n, 'parts-ordered')).status, 303);
  assert.equal((await act(op, n, 'shipping')).status, 303);
  const missing = await act(op, n, 'shipped', { order_number: '', carrier: 'UPS' });
  assert.equal(missing.status, 422);
  assert.match(missing.text_, /Enter the RMA \/ FSO Order Number/);
  assert.match(missing.text_, /Enter the estimated delivery date/);
  const delivery = inDays(2);
  const shipped = await act(op, n, 'shipped', { order_number: '00287387', carrier: 'UPS', tracking: '1Z999AA10123456784', estimated_delivery: delivery });
  assert.equal(shipped.status, 303);
  let cur = await wo(op, n);
  assert.equal(cur.status, 'Shipped');
  assert.ok(cur.part_orders.some((p) => p.order_number === '00287387' && p.carrier === 'UPS'));
  assert.ok(cur.history.some((h) => h.field === 'Target SLA Date'), 'the target moved with the delivery date');
  const target = new Date(cur.target_sla_date);
  assert.ok(target > new Date(delivery), 'after the delivery');
  const rma = await megan.get(`/work-orders/${n}/rma-fso`);
  assert.ok(rma.text_.includes('00287387'));

  assert.equal((await act(op, n, 'parts-delivered')).status, 303);
  cur = await wo(op, n);
  assert.equal(cur.status, 'In Progress');
  const steps = cur.history.filter((h) => h.field === 'Status').map((h) => h.new_value);
  assert.ok(steps.includes('Parts Delivered') && steps.includes('In Progress'));

  // scheduling: past, then past the target, then with a delay reason
  const past = await act(megan, n, 'schedule', { appointment_date: '2020-01-01', appointment_time: '10:00' });
  assert.equal(past.status, 422);
  assert.match(past.text_, /cannot be in the past/);
  const late = { appointment_date: inDays(20), appointment_time: '09:30', technician_name: 'Joe Bradley',
    phone_number: '407-276-8065', scheduling_completed: inDays(-1) };
  const ask = await act(megan, n, 'schedule', late);
  assert.equal(ask.status, 409);
  assert.match(ask.text_, /Selected Appointment Date is not within SLA Completed Date/);
  assert.match(ask.text_, /Do you want to continue\?/);
  for (const reason of ['Delay due to Unresponsive POC', 'Technician Availability', 'Parts arrived damaged or are missing'])
    assert.ok(ask.text_.includes(reason), reason);
  const no = await act(megan, n, 'schedule', { ...late, continue: 'no' });
  assert.equal(no.status, 409, 'No returns to the editable field');
  assert.equal((await wo(op, n)).appointment_date, null, 'nothing saved');
  const noReason = await act(megan, n, 'schedule', { ...late, continue: 'yes' });
  assert.equal(noReason.status, 422);
  assert.match(noReason.text_, /Select an Option/);
  const yes = await act(megan, n, 'schedule', { ...late, continue: 'yes', delay_reason: 'Technician Availability' });
  assert.equal(yes.status, 303);
  cur = await wo(op, n);
  assert.equal(cur.delay_reason, 'Technician Availability');
  assert.equal(cur.customer_information.technician_name, 'Joe Bradley');
  const q = await op.json('/api/queue');
  assert.ok(q.body.queue.missed_sla.some((m) => m.number === n && m.delay_reason === 'Technician Availability'), 'the operator sees the reason');
  assert.equal((await megan.get('/queue')).status, 403);
});

test('Completed needs every mandatory field and the line items in order; costs are money', async () => {
  const w = await find(megan, { status: 'In Progress' });
  const n = w.number;
  await act(op, n, 'schedule', { appointment_date: '', appointment_time: '', technician_name: '', phone_number: '', scheduling_completed: '' });
  const refused = await act(megan, n, 'complete', {});
  assert.equal(refused.status, 409);
  assert.match(refused.text_, /cannot be closed/);
  const form = await megan.get(`/work-orders/${n}/complete`);
  assert.match(form.text_, /Scheduling Completed Date/);

  const times = await act(megan, n, 'site-times', { arrive_date: inDays(-1), arrive_time: '10:00', depart_date: inDays(-1), depart_time: '09:00' });
  assert.equal(times.status, 422);
  assert.match(times.text_, /departure must be after the arrival/);
  assert.equal((await act(megan, n, 'site-times', { arrive_date: inDays(-1), arrive_time: '09:00', depart_date: inDays(-1), depart_time: '10:00' })).status, 303);
  const sched = await act(megan, n, 'schedule', { appointment_date: inDays(1), appointment_time: '09:00', technician_name: 'Allan Heard',
    phone_number: '407-276-8065', scheduling_completed: inDays(-2), continue: 'yes', delay_reason: 'Delay due to weather' });
  assert.equal(sched.status, 303);

  const lines = (await wo(megan, n)).line_items;
  if (lines.length > 1) {
    const wrong = await act(megan, n, 'woli', { line: String(lines[1].line) });
    assert.equal(wrong.status, 409);
    assert.match(wrong.text_, /complete WOLI 1 first/);
  }
  const pending = await act(megan, n, 'complete', {});
  assert.equal(pending.status, 409);
  assert.match(pending.text_, /line item/i);
  for (const l of lines) if (l.status !== 'Completed') assert.equal((await act(megan, n, 'woli', { line: String(l.line) })).status, 303);

  for (const [field, value] of [['rental_cost', '-1'], ['rental_cost', '12.345'], ['permit_cost', '1,000']]) {
    const bad = await act(megan, n, 'complete', { [field]: value });
    assert.equal(bad.status, 422, `${field}=${value}`);
  }
  const noDetails = await act(megan, n, 'complete', { rental_cost: '125.50' });
  assert.equal(noDetails.status, 422);
  assert.match(noDetails.text_, /Rental Equipment Details/);
  const done = await act(megan, n, 'complete', { rental_details: 'Forklift', rental_cost: '125.50', permit_details: '', permit_cost: '' });
  assert.equal(done.status, 303);
  let cur = await wo(op, n);
  assert.equal(cur.status, 'Completed');
  assert.equal(cur.rental_equipment_cost, '125.50');
  assert.equal(cur.permit_cost, null, 'blank when none');
  const queue = await megan.json('/api/work-orders?view=completed-closed&sort=completed&dir=desc');
  assert.equal(queue.body.rows[0].number, n, 'the completed queue shows it first');

  const back = await act(op, n, 'send-back', { reason: '' });
  assert.equal(back.status, 422);
  assert.equal((await act(op, n, 'send-back', { reason: 'Photos of the new head are missing' })).status, 303);
  assert.equal((await wo(op, n)).status, 'In Progress');
  assert.equal((await act(megan, n, 'complete', {})).status, 303);
  assert.equal((await act(megan, n, 'close')).status, 409, 'only the operator closes');
  assert.equal((await act(op, n, 'close')).status, 303);
  cur = await wo(op, n);
  assert.equal(cur.status, 'Closed');
  assert.ok(cur.closed_date);
});

test('On Hold is the operator\'s, resumes where it left; Cancel and Reject need reasons', async () => {
  const w = await find(megan, { status: 'Shipped' });
  const n = w.number;
  const noDate = await act(op, n, 'hold', { reason: 'Customer asked' });
  assert.equal(noDate.status, 422);
  assert.match(noDate.text_, /date the work resumes/);
  assert.equal((await act(op, n, 'hold', { resume_on: inDays(5), reason: 'Customer asked to wait' })).status, 303);
  let cur = await wo(op, n);
  assert.equal(cur.status, 'On Hold');
  assert.equal(cur.hold_resume_on, inDays(5));
  assert.equal((await act(op, n, 'resume')).status, 303);
  assert.equal((await wo(op, n)).status, 'Shipped', 'back to the status it left');

  const c = await find(megan, { status: 'Assigned' });
  const r1 = await act(megan, c.number, 'reject', { reason: '' });
  assert.equal(r1.status, 422);
  const noReason = await act(op, c.number, 'cancel', { reason: 'Other', comment: '' });
  assert.equal(noReason.status, 422);
  assert.match(noReason.text_, /comment that explains the reason/);
  assert.equal((await act(op, c.number, 'cancel', { reason: 'Self-Resolved Issue', comment: 'Stable for 48 hours' })).status, 303);
  cur = await wo(op, c.number);
  assert.equal(cur.status, 'Cancelled');
  assert.equal(cur.status_reason, 'Self-Resolved Issue: Stable for 48 hours');
  const listed = await megan.json('/api/work-orders?view=rejected-cancelled&sort=assigned&dir=desc&size=200');
  assert.ok(listed.body.rows.some((r) => r.number === c.number));

  const d = await find(megan, { status: 'Assigned' });
  assert.equal((await act(megan, d.number, 'reject', { reason: 'Mismatched Work Requirements: dual-port site, single-port order' })).status, 303);
  assert.equal((await wo(op, d.number)).status, 'Rejected');
});

test('Could Not Complete, then the operator reissues a linked work order once', async () => {
  const w = await find(megan, { status: 'In Progress' });
  const n = w.number;
  const bad = await act(megan, n, 'could-not-complete', { reason: 'Bad luck' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /Choose a reason from the list/);
  assert.equal((await act(megan, n, 'could-not-complete', { reason: 'Wrong Equipment Shipped', comment: 'Single-port head shipped' })).status, 303);
  assert.equal((await wo(op, n)).status, 'Cannot Complete');
  const re = await act(op, n, 'reissue');
  assert.equal(re.status, 303);
  const m = /\/work-orders\/(\d+)\?done=reissue/.exec(re.headers.get('location'));
  const fresh = await wo(op, Number(m[1]));
  assert.equal(fresh.status, 'Assigned');
  assert.equal(fresh.reissued_from, n);
  assert.equal(fresh.owner, "Megan's Dispatch Service");
  assert.equal(fresh.line_items.length, w.line_items.length);
  assert.ok(fresh.line_items.every((l) => l.status === 'New'));
  assert.equal((await wo(op, n)).reissued_as, fresh.number);
  assert.equal((await act(op, n, 'reissue')).status, 409, 'only once');
  const inList = await megan.json('/api/work-orders?view=my-open&size=200');
  assert.ok(inList.body.rows.some((r) => r.number === fresh.number));
});

test('Reissue opens the New Work Order form filled from the original, to correct before saving', async () => {
  const w = await find(megan, { status: 'In Progress' });
  const n = w.number;
  assert.equal((await act(megan, n, 'could-not-complete', { reason: 'Wrong Equipment Shipped', comment: 'Wrong work type ordered' })).status, 303);
  const page = await op.get(`/work-orders/${n}`);
  assert.ok(page.text_.includes(`href="/work-orders/new?reissue=${n}"`), 'Reissue is a link to the form');
  const form = await op.json(`/api/work-orders/new?reissue=${n}`);
  assert.equal(form.status, 200);
  const v = form.body.values;
  assert.equal(v.subject, `${w.subject} (reissue of ${n})`);
  assert.equal(v.reissue_of, String(n));
  assert.ok(v.station_id && v.work_type_id && v.account_id && v.owner_id);
  assert.equal(v.line_items.trim().split('\n').length, w.line_items.length);
  const html = await op.get(`/work-orders/new?reissue=${n}`);
  assert.match(html.text_, /<h1>Reissue Work Order \d+<\/h1>/);
  assert.match(html.text_, new RegExp(`<option value="${v.work_type_id}" selected>`), 'the original\'s work type chosen');
  const other = form.body.choices.work_types.find((t) => String(t.id) !== v.work_type_id);
  // a mistake first: the form comes back with the corrections kept
  const bad = await op.post('/work-orders/new', { ...v, csrf: form.body.csrf, work_type_id: String(other.id), line_items: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, new RegExp(`<option value="${other.id}" selected>`));
  assert.ok(bad.text_.includes(`name="reissue_of" value="${n}"`));
  const ok = await op.post('/work-orders/new', { ...v, csrf: form.body.csrf, work_type_id: String(other.id), line_items: 'Replace the correct head' });
  assert.equal(ok.status, 303);
  const made = Number(/\/work-orders\/(\d+)\?done=reissue/.exec(ok.headers.get('location'))[1]);
  const fresh = await wo(op, made);
  assert.equal(fresh.work_type, other.name);
  assert.equal(fresh.reissued_from, n);
  assert.deepEqual(fresh.line_items.map((l) => l.description), ['Replace the correct head']);
  assert.equal((await wo(op, n)).reissued_as, made);
  assert.match((await op.get(`/work-orders/${made}`)).text_, new RegExp(`<dt>Reissue of</dt><dd><a href="/work-orders/${n}">`));
  assert.match((await op.get(`/work-orders/${n}`)).text_, new RegExp(`<dt>Reissued as</dt><dd><a href="/work-orders/${made}">`));
  const twice = await op.get(`/work-orders/new?reissue=${n}`);
  assert.equal(twice.status, 409);
  assert.match(twice.text_, /already reissued as/);
  assert.equal((await megan.get(`/work-orders/new?reissue=${n}`)).status, 403);
});

test('Request For Assistance reaches the operator\'s queue', async () => {
  const w = await find(megan, { status: 'In Progress' });
  const empty = await act(megan, w.number, 'assistance', { message: '' });
  assert.equal(empty.status, 422);
  assert.equal((await act(megan, w.number, 'assistance', { message: 'Need a second technician for the lift' })).status, 303);
  const q = await op.json('/api/queue');
  const item = q.body.queue.assistance.find((a) => a.number === w.number);
  assert.equal(item.message, 'Need a second technician for the lift');
  assert.equal(item.company, "Megan's Dispatch Service");
  const feed = (await megan.json(`/api/work-orders/${w.number}/collaborate`)).body.feed;
  assert.ok(feed.some((p) => p.system && p.body.includes('Request For Assistance from Dana Whitfield: Need a second technician')), 'and a Collaborate post');
  const r = await op.post(`/queue/assistance/${item.id}/resolve`, { csrf: await op.token() });
  assert.equal(r.status, 303);
  assert.ok(!(await op.json('/api/queue')).body.queue.assistance.some((a) => a.id === item.id));
});

test('the operator creates a work order for a partner; bad input keeps what was typed', async () => {
  const page = await op.json('/api/work-orders/new');
  const ch = page.body.choices;
  const bad = await op.post('/work-orders/new', { csrf: page.body.csrf, case: 'abc', subject: 'Head swap' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /Enter the Case number/);
  assert.match(bad.text_, /Choose the Account/);
  assert.match(bad.text_, /value="Head swap"/);
  const account = ch.accounts.find((a) => a.name === "Kohl's");
  const stationName = ch.stations.find((s) => s.name.startsWith("Kohl's: ")).id;
  const ok = await op.post('/work-orders/new', { csrf: page.body.csrf, case: '14530515',
    subject: 'Assure - CT4010-HD-GW - Head Replacement (Ver 08)', account_id: String(account.id),
    station_id: String(stationName), territory_id: String(ch.territories.find((t) => t.name === 'Florida - Orlando Metro').id),
    entitlement_id: String(ch.entitlements.find((e) => e.name === 'Repair SLA NonAssure').id),
    work_type_id: String(ch.work_types.find((t) => t.name === 'CT4 Head Replacement').id),
    owner_id: String(ch.partners.find((p) => p.name === "Megan's Dispatch Service").id),
    line_items: 'Replace the head\nVerify the wiring', parts_needed: 'on' });
  assert.equal(ok.status, 303);
  const n = Number(/\/work-orders\/(\d+)/.exec(ok.headers.get('location'))[1]);
  const w = await wo(megan, n);
  assert.equal(w.status, 'Assigned');
  assert.equal(w.account, "Kohl's");
  assert.equal(w.line_items.length, 2);
  assert.equal(w.parts_needed, true);
  assert.equal((await volt.get(`/work-orders/${n}`)).status, 404);
  assert.equal((await megan.get('/work-orders/new')).status, 403);
});

test('SLA settings: holidays and entitlement days are the operator\'s data', async () => {
  assert.equal((await megan.get('/sla')).status, 403);
  const page = await op.json('/api/sla');
  const ent = page.body.sla.entitlements.find((e) => e.name === 'Repair SLA Assure');
  assert.equal(ent.business_days, 1);
  const bad = await op.post('/sla', { csrf: page.body.csrf, what: 'entitlement', id: String(ent.id), business_days: '99' });
  assert.equal(bad.status, 422);
  const hol = await op.post('/sla', { csrf: page.body.csrf, what: 'holiday', day: '2026-12-25', name: 'Christmas Day' });
  assert.equal(hol.status, 303);
  const badDay = await op.post('/sla', { csrf: page.body.csrf, what: 'holiday', day: '2026-02-30', name: 'Nope' });
  assert.equal(badDay.status, 422);
  const after = await op.json('/api/sla');
  assert.ok(after.body.sla.holidays.some((h) => h.day === '2026-12-25' && h.name === 'Christmas Day'));
  const rm = await op.post('/sla', { csrf: page.body.csrf, what: 'remove-holiday', day: '2026-12-25' });
  assert.equal(rm.status, 303);
  const volt = page.body.sla.partners.find((p) => p.name === 'Volt Field Services');
  assert.equal(volt.covered_miles, 50);
  assert.equal((await op.post('/sla', { csrf: page.body.csrf, what: 'covered-miles', id: String(volt.id), miles: '-3' })).status, 422);
  assert.equal((await op.post('/sla', { csrf: page.body.csrf, what: 'covered-miles', id: String(volt.id), miles: '60', rate: '1,5' })).status, 422);
  assert.equal((await op.post('/sla', { csrf: page.body.csrf, what: 'covered-miles', id: String(volt.id), miles: '60', rate: '0.80' })).status, 303);
  assert.equal((await op.json('/api/sla')).body.sla.partners.find((p) => p.id === volt.id).travel_rate, '0.80');
  const assigned = (await op.json('/api/work-orders?view=my-open&sort=status&dir=asc&size=200')).body.rows;
  const voltClient = new Client(srv.base);
  await voltClient.login(users.volt);
  const theirs = (await voltClient.json('/api/work-orders?view=my-open&size=200')).body.rows.find((r) => r.status === 'Assigned');
  assert.ok(theirs, 'the demo data has an Assigned work order for Volt Field Services');
  const form = await voltClient.get(`/work-orders/${theirs.number}/accept-travel`);
  assert.match(form.text_, /<strong>60 miles<\/strong>/);
  assert.ok(assigned.length > 0);
});

test('files: each deletion is in the history; once Closed only the operator deletes', async () => {
  const w = await find(megan, { status: 'Completed' });
  const n = w.number;
  const token = await megan.token();
  const up = await megan.upload(`/work-orders/${n}/files`, { csrf: token }, [['files', 'a.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1])],
    ['files', 'b.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 2])]]);
  assert.equal(up.status, 303);
  let files = (await wo(megan, n)).files;
  const a = files.find((f) => f.title === 'a.jpg'), b = files.find((f) => f.title === 'b.jpg');
  assert.equal((await megan.post(`/files/${a.id}/delete`, { csrf: token })).status, 303);
  assert.ok((await wo(op, n)).history.some((h) => h.field === 'File Deleted' && h.original_value === 'a.jpg'), 'in the history');
  assert.equal((await act(op, n, 'close')).status, 303);
  const refused = await megan.post(`/files/${b.id}/delete`, { csrf: token });
  assert.equal(refused.status, 403);
  assert.match(refused.text_, /Closed: only the operator can delete its files now/);
  assert.equal((await op.post(`/files/${b.id}/delete`, { csrf: await op.token() })).status, 303);
  files = (await wo(op, n)).files;
  assert.ok(!files.some((f) => f.title === 'b.jpg'));
  assert.ok((await wo(op, n)).history.some((h) => h.field === 'File Deleted' && h.original_value === 'b.jpg'));
});
