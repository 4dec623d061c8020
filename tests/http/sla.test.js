// The Target SLA a partner can trust, over HTTP: the SLA At Risk view
// (every overdue open work order in it, the Home count the same), the
// countdown on each row and on the work order, a delay reason that goes
// when the appointment comes back inside the target, missed SLAs counted
// from completion, and the partner told of the operator's actions (and
// the operator of the partner's) without following anything, once each.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { createWorkOrder, startServer, Client, users } = require('../lib/server');

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

async function all(c, query) {
  let url = `/api/work-orders?${query}&size=200`;
  const rows = [];
  for (;;) {
    const { status, body } = await c.json(url);
    assert.equal(status, 200, url);
    rows.push(...body.rows);
    if (!body.next_href) return { rows, total: body.total };
    url = '/api' + body.next_href + '&size=200';
  }
}

async function wo(c, n) { return (await c.json(`/api/work-orders/${n}/related`)).body.wo; }

async function act(c, n, action, fields = {}) {
  const w = await wo(op, n);
  return c.post(`/work-orders/${n}/${action}`, { csrf: await c.token(), version: String(w.version), ...fields });
}

function inDays(d) { return new Date(Date.now() + d * 86400000).toISOString().slice(0, 10); }

const OPEN = ['Assigned', 'Ship-To Received', 'Parts Ordered', 'Shipping', 'Shipped', 'Parts Delivered', 'In Progress', 'On Hold'];

test('SLA At Risk: the seventh view holds every overdue open work order; Home counts the same', async () => {
  for (const c of [megan, op]) {
    const { body } = await c.json('/api/work-orders?view=sla-at-risk');
    assert.equal(body.view.label, 'SLA At Risk');
    assert.equal(body.views.length, 7);
    assert.equal(body.views[6].key, 'sla-at-risk', 'after the guide\'s six');
    const risk = await all(c, 'view=sla-at-risk&sort=target&dir=asc');
    const inRisk = new Set(risk.rows.map((r) => r.number));
    assert.equal(inRisk.size, risk.total);
    const now = Date.now();
    const open = await all(c, 'view=my-open');
    let overdue = 0;
    for (const r of open.rows) {
      if (!r.target_sla_date) continue;
      const t = Date.parse(r.target_sla_date);
      const appt = r.appointment_date ? Date.parse(r.appointment_date) : 0;
      if (t < now) {
        overdue++;
        assert.ok(inRisk.has(r.number), `overdue ${r.number} (${r.status}) is at risk`);
        assert.match(r.sla_due, /^Overdue \d+ (d|h|min)$/);
        assert.equal(r.sla_due_level, 'overdue');
      }
      if (appt > t) assert.ok(inRisk.has(r.number), `${r.number}: appointment after the target`);
      if (t > now + 86400000 && !(appt > t)) assert.ok(!inRisk.has(r.number), `${r.number} is not at risk yet`);
    }
    assert.ok(overdue > 0, 'the demo has overdue work orders');
    for (const r of risk.rows) assert.ok(OPEN.includes(r.status), 'only open ones');
    for (let i = 1; i < risk.rows.length; i++)
      assert.ok(risk.rows[i - 1].target_sla_date <= risk.rows[i].target_sla_date, 'sorted by the target');
    const home = (await c.json('/api/')).body.glance;
    assert.equal(home.at_risk, risk.total, 'Home uses the same rule');
    const dash = (await c.json('/api/dashboard')).body.dash;
    assert.equal(dash.at_risk_count, risk.total, 'the Dashboard too (all of them; its list shows the first 200)');
  }
  // the page: the view in the drop-down, the chips, a CSV with the column
  const page = await megan.get('/work-orders?view=sla-at-risk');
  assert.match(page.text_, /<option value="sla-at-risk" selected>SLA At Risk<\/option>|SLA At Risk/);
  assert.match(page.text_, /<span class="due due-overdue">Overdue \d+ (d|h|min)<\/span>/);
  const csv = await megan.get('/work-orders/export.csv?view=sla-at-risk');
  assert.equal(csv.status, 200);
  assert.match(csv.text_.split('\r\n')[0], /Target SLA Date/);
});

test('the countdown: on each open row and in the work order header; none once closed', async () => {
  const { rows } = await all(megan, 'view=all');
  let due = 0;
  for (const r of rows) {
    if (OPEN.includes(r.status) && r.target_sla_date) {
      assert.match(r.sla_due, /^(Overdue \d+ (d|h|min)|Due today \d+:\d\d [AP]M|Due in (\d+ d )?\d+ h)$/, r.sla_due);
      assert.ok(['ok', 'soon', 'overdue'].includes(r.sla_due_level));
      due++;
    } else {
      assert.equal(r.sla_due, '');
      assert.equal(r.sla_due_level, 'none');
    }
  }
  assert.ok(due > 0);
  const open = rows.find((r) => OPEN.includes(r.status) && r.target_sla_date);
  const page = await megan.get(`/work-orders/${open.number}`);
  assert.ok(page.text_.includes(`<span class="due due-${open.sla_due_level}">${open.sla_due}</span>`), 'the header shows it');
  assert.match(page.text_, /<dt>Target SLA Date<\/dt>/);
});

test('New Work Order: the Target SLA Date is set as it is made, three business days on, with one history row', async () => {
  const n = await createWorkOrder(op, 'Target at creation', '14539302', "Megan's Dispatch Service", 'Repair SLA NonAssure');
  const w = await wo(op, n);
  const target = Date.parse(w.target_sla_date);
  assert.ok(target > Date.now() + 2 * 86400000 && target < Date.now() + 6 * 86400000, w.target_sla_date);
  const rows = w.history.filter((h) => h.field === 'Target SLA Date');
  assert.equal(rows.length, 1, 'one history row');
  assert.equal(rows[0].original_value, '');
  assert.notEqual(rows[0].new_value, '');
  const listed = (await megan.json('/api/work-orders?view=my-open&sort=number&dir=desc&size=5')).body.rows.find((r) => r.number === n);
  assert.equal(listed.target_sla_date, w.target_sla_date, 'the list shows the same target');
  assert.match(listed.sla_due, /^Due in \d+ d \d+ h$/);
});

test('a delay reason goes when the appointment comes back inside the target, with a history row', async () => {
  // made now, with three business days (the demo's are days behind the clock), and accepted
  const made = await createWorkOrder(op, 'Delay reason round trip', '14539301', "Megan's Dispatch Service", 'Repair SLA NonAssure');
  assert.equal((await act(megan, made, 'accept-travel', { round_trip: '40', travel_cost: '0.50' })).status, 303);
  const { rows } = await all(megan, 'view=my-open');
  const r = rows.find((x) => x.number === made && x.status === 'In Progress' && x.target_sla_date && Date.parse(x.target_sla_date) > Date.now() + 2 * 86400000);
  assert.ok(r, 'an In Progress work order with its target days ahead');
  const n = r.number;
  const late = { appointment_date: inDays(40), appointment_time: '09:30', technician_name: 'Joe Bradley',
    phone_number: '407-276-8065', scheduling_completed: inDays(-1), continue: 'yes', delay_reason: 'Delay due to weather' };
  assert.equal((await act(megan, n, 'schedule', late)).status, 303);
  assert.equal((await wo(megan, n)).delay_reason, 'Delay due to weather');
  assert.ok((await op.json('/api/queue')).body.queue.missed_sla.some((m) => m.number === n));
  assert.ok((await all(megan, 'view=sla-at-risk')).rows.some((x) => x.number === n), 'after the target: at risk');
  // moved back inside the SLA: the reason goes
  const target = new Date(Date.parse(r.target_sla_date) - 86400000).toISOString().slice(0, 10);
  const back = { ...late, appointment_date: target, continue: '', delay_reason: '' };
  assert.equal((await act(megan, n, 'schedule', back)).status, 303);
  const w = await wo(megan, n);
  assert.equal(w.delay_reason, '');
  assert.ok(w.history.some((h) => h.field === 'Delay Reason' && h.original_value === 'Delay due to weather' && h.new_value === ''),
    'the history says it was cleared');
  assert.ok(!(await op.json('/api/queue')).body.queue.missed_sla.some((m) => m.number === n), 'gone from the Queue');
});

test('missed SLAs are the work orders completed after their target', async () => {
  const done = await all(megan, 'view=completed-closed');
  const late = done.rows.filter((r) => r.target_sla_date && r.completed_date && r.completed_date > r.target_sla_date).length;
  const dash = (await megan.json('/api/dashboard')).body.dash;
  assert.equal(dash.missed_total, late);
  assert.ok(late > 0);
});

test('the partner hears of the operator\'s cancel without following; the operator of a Reject; once each', async () => {
  const before = (await megan.json('/api/notifications')).body.notifications.length;
  const mine = (await all(megan, 'view=my-open')).rows.filter((r) => r.status === 'Assigned');
  assert.ok(mine.length >= 2);
  const [a, b] = mine;
  // nobody at Megan's follows A; someone follows B: still one notification
  assert.equal((await megan.post(`/work-orders/${b.number}/follow`, { csrf: await megan.token() })).status, 303);
  assert.equal((await act(op, a.number, 'cancel', { reason: 'Self-Resolved Issue', comment: 'Stable for 48 hours' })).status, 303);
  assert.equal((await act(op, b.number, 'cancel', { reason: 'Customer Upgrades', comment: '' })).status, 303);
  const list = (await megan.json('/api/notifications')).body.notifications;
  assert.equal(list.length, before + 2);
  const aN = list.filter((x) => x.number === a.number), bN = list.filter((x) => x.number === b.number);
  assert.equal(aN.length, 1);
  assert.equal(bN.length, 1, 'followed and of the company: told once');
  assert.match(aN[0].text, /Status changed from Assigned to Cancelled by .*Reason: Self-Resolved Issue: Stable for 48 hours/);
  // the partner's Reject reaches the operator's team
  const opBefore = (await op.json('/api/notifications')).body.notifications.length;
  const r = (await all(megan, 'view=my-open')).rows.find((x) => x.status === 'Assigned');
  assert.equal((await act(megan, r.number, 'reject', { reason: 'Mismatched Work Requirements' })).status, 303);
  const opList = (await op.json('/api/notifications')).body.notifications;
  assert.equal(opList.length, opBefore + 1);
  assert.equal(opList[0].number, r.number);
  assert.match(opList[0].text, /to Rejected/);
  // and another company hears nothing of it
  assert.ok(!(await volt.json('/api/notifications')).body.notifications.some((x) => x.number === a.number));
});

test('parts: no delivery date in the past; a new estimated delivery moves the target and tells the partner; delivery says "propose an appointment"', async () => {
  const shipped = (await all(op, 'view=my-open')).rows.filter((r) => r.status === 'Shipped' && r.entitlement);
  const w = await wo(op, shipped[0].number);
  const n = w.number;
  // a new estimated delivery: the form, a date in the past refused with everything kept
  const form = await op.get(`/work-orders/${n}/delivery-date`);
  assert.equal(form.status, 200);
  assert.match(form.text_, /New Estimated Delivery/);
  const past = await act(op, n, 'delivery-date', { estimated_delivery: inDays(-3) });
  assert.equal(past.status, 422);
  assert.match(past.text_, /cannot be in the past/);
  assert.ok(past.text_.includes(`value="${inDays(-3)}"`), 'what was typed comes back');
  assert.equal((await act(megan, n, 'delivery-date', { estimated_delivery: inDays(9) })).status, 409, 'the operator\'s');
  const before = (await megan.json('/api/notifications')).body.notifications.length;
  assert.equal((await act(op, n, 'delivery-date', { estimated_delivery: inDays(9) })).status, 303);
  const after = await wo(op, n);
  assert.ok(after.target_sla_date > w.target_sla_date, 'the target follows the later delivery');
  assert.ok(after.history.some((h) => h.field === 'Estimated Delivery Date'));
  assert.ok(after.history.some((h) => h.field === 'Target SLA Date'));
  const told = (await megan.json('/api/notifications')).body.notifications;
  assert.equal(told.length, before + 1);
  assert.match(told[0].text, /New estimated delivery: .* The Target SLA Date is now/);
  // scheduling before the parts arrive: said, and kept when confirmed
  const early = { appointment_date: inDays(2), appointment_time: '10:00', technician_name: 'Joe Bradley',
    phone_number: '407-276-8065', scheduling_completed: inDays(-1) };
  const warned = await act(megan, n, 'schedule', early);
  assert.equal(warned.status, 422);
  assert.match(warned.text_, /The parts are expected on .*, after this appointment/);
  assert.match(warned.text_, /Schedule before the parts arrive/);
  assert.equal((await act(megan, n, 'schedule', { ...early, before_parts: 'yes' })).status, 303);
  // delivered: one notification for the partner, with the tracking link
  const count = (await megan.json('/api/notifications')).body.notifications.length;
  assert.equal((await act(op, n, 'parts-delivered')).status, 303);
  const list = (await megan.json('/api/notifications')).body.notifications;
  assert.equal(list.length, count + 1, 'one notification for one delivery');
  assert.match(list[0].text, /Parts delivered — propose an appointment\. Tracking: \S+ \S+/);
  assert.match(list[0].text, /Latest appointment inside the Target SLA Date/);
});

test('the schedule form offers the latest appointment inside the target when none is set', async () => {
  const rows = (await all(megan, 'view=my-open')).rows.filter((r) => !r.appointment_date && r.target_sla_date &&
    Date.parse(r.target_sla_date) > Date.now() && ['In Progress', 'Parts Delivered'].includes(r.status));
  if (!rows.length) return;
  const r = rows[0];
  const form = await megan.get(`/work-orders/${r.number}/schedule`);
  const w = await wo(megan, r.number);
  assert.ok(form.text_.includes(`name="appointment_date" type="date" value="${w.form.appointment_date}"`));
  assert.notEqual(w.form.appointment_date, '');
});

test('On Hold stops the partner\'s clock: the held business days move the target on Resume; the clock is split by side', async () => {
  const w = (await all(op, 'view=my-open')).rows.find((r) => r.status === 'In Progress' && r.target_sla_date);
  const n = w.number;
  const before = await wo(op, n);
  assert.ok(before.sla_clock && before.sla_clock.partner_days >= 0, 'the split is on the record');
  assert.equal((await act(op, n, 'hold', { resume_on: inDays(3), reason: 'Site closed for a festival' })).status, 303);
  assert.equal((await wo(op, n)).status, 'On Hold');
  // as if the hold had begun five days ago: the test moves its start back
  const { execFileSync } = require('node:child_process');
  const back = Math.floor(Date.now() / 1000) - 5 * 86400;
  const sql = `UPDATE wo SET hold_since = ${back} WHERE number = ${n}`;
  execFileSync(srv.db.startsWith('postgres') ? 'psql' : 'sqlite3', srv.db.startsWith('postgres') ? ['-q', srv.db, '-c', sql] : [srv.db, sql]);
  assert.equal((await act(op, n, 'resume')).status, 303);
  const after = await wo(op, n);
  const held = after.history.find((h) => h.field === 'Business Days On Hold');
  assert.ok(held && Number(held.new_value) >= 3, 'five days back are at least three business days');
  assert.ok(after.target_sla_date > before.target_sla_date, 'the target moved by them');
  assert.ok(after.history.some((h) => h.field === 'Target SLA Date'));
  assert.equal(after.sla_clock.operator_days, Number(held.new_value), 'the operator\'s side of the clock');
  const page = await op.get(`/work-orders/${n}`);
  assert.match(page.text_, /Time on the SLA clock \(business days\)/);
});

test('Scheduling Completed cannot be in the future; what was typed comes back', async () => {
  const r = (await all(megan, 'view=my-open')).rows.find((x) => ['In Progress', 'Assigned'].includes(x.status));
  const res = await act(megan, r.number, 'schedule', { appointment_date: '', appointment_time: '', technician_name: 'Joe Bradley',
    phone_number: '407-276-8065', scheduling_completed: '2030-01-15' });
  assert.equal(res.status, 422);
  assert.match(res.text_, /cannot be in the future/);
  assert.ok(res.text_.includes('value="2030-01-15"'));
  assert.ok(res.text_.includes('value="Joe Bradley"'));
});
