// Notifications as each user wants them (Settings): a kind turned off is
// not delivered, and the daily digest -- one email a day at the user's
// local hour, through the same outbox and SMTP, instead of one per event:
// at-risk and overdue work orders, today's appointments, unread mentions.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, startSmtp, Client, users } = require('../lib/server');

let srv, smtp, megan, admin, op;
before(async () => {
  smtp = await startSmtp();
  srv = await startServer({ workOrders: 200, env: { FIELDWORK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, FIELDWORK_SMTP_FROM: 'noreply@fieldwork.test' } });
  megan = new Client(srv.base);
  await megan.login(users.megan);
  admin = new Client(srv.base);
  await admin.login(users.meganAdmin);
  op = new Client(srv.base);
  await op.login(users.operator);
});
after(async () => { await srv.stop(); await smtp.close(); });

async function waitFor(pred, what, ms = 20000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out waiting for ' + what);
}

async function cancelOne() {
  const { body } = await megan.json('/api/work-orders?view=my-open&size=200');
  const r = body.rows.find((x) => x.status === 'Assigned');
  const w = (await op.json(`/api/work-orders/${r.number}/related`)).body.wo;
  const res = await op.post(`/work-orders/${r.number}/cancel`, { csrf: await op.token(), version: String(w.version),
    reason: 'Customer Upgrades', comment: '' });
  assert.equal(res.status, 303);
  return r.number;
}

const chicagoHour = () => Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: 'numeric', hourCycle: 'h23' }).format(new Date()));

const ALL_KINDS = { kind_status: 'on', kind_assignment: 'on', kind_mention: 'on', kind_reply: 'on', kind_post: 'on' };

test('Settings: each kind on or off; a kind turned off is not delivered, to that user only', async () => {
  const page = await megan.get('/settings');
  for (const label of ['Notify me of', 'Mentions of me', 'Posts on work orders I follow', 'Email', 'Daily digest at (your time zone)',
    'One email a day: the daily digest'])
    assert.ok(page.text_.includes(label), label);
  const off = { ...ALL_KINDS };
  delete off.kind_status;
  const saved = await megan.post('/settings', { csrf: await megan.token(), time_zone: 'America/Chicago', email_mode: 'each', ...off });
  assert.equal(saved.status, 200);
  assert.match(saved.text_, /Your settings are saved/);
  assert.ok(!(await megan.get('/settings')).text_.includes('id="kind_status" name="kind_status" type="checkbox" checked'));
  const before = (await megan.json('/api/notifications')).body.notifications.length;
  const beforeAdmin = (await admin.json('/api/notifications')).body.notifications.length;
  const n = await cancelOne();
  assert.equal((await megan.json('/api/notifications')).body.notifications.length, before, 'turned off: nothing');
  const adminList = (await admin.json('/api/notifications')).body.notifications;
  assert.equal(adminList.length, beforeAdmin + 1, 'the admin still hears of it');
  assert.equal(adminList[0].number, n);
  // a bad digest hour comes back with the choice kept and the message beside it
  const bad = await megan.post('/settings', { csrf: await megan.token(), time_zone: 'America/Chicago', email_mode: 'digest', digest_hour: '31', ...ALL_KINDS });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /id="e-digest_hour">Choose the hour of the daily digest/);
});

test('the daily digest: one email at the chosen local hour with the sections, and no email per event meanwhile', async () => {
  const set = await megan.post('/settings', { csrf: await megan.token(), time_zone: 'America/Chicago', email_mode: 'digest',
    digest_hour: String(chicagoHour()), ...ALL_KINDS });
  assert.equal(set.status, 200);
  const mine = () => smtp.messages.filter((m) => m.to.includes(users.megan));
  await waitFor(() => mine().some((m) => /Subject: Your daily digest/.test(m.data)), 'the digest');
  const digest = mine().find((m) => /Subject: Your daily digest/.test(m.data));
  for (const part of ['SLA at risk and overdue:', "Today's appointments:", 'Unread mentions:', '/work-orders/'])
    assert.ok(digest.data.includes(part), part);
  assert.match(digest.data, /Overdue \d+ (d|h|min)/);
  // an event now is not emailed one by one to this user (the admin still is)
  const count = mine().length;
  const adminBefore = smtp.messages.filter((m) => m.to.includes(users.meganAdmin)).length;
  await cancelOne();
  await waitFor(() => smtp.messages.filter((m) => m.to.includes(users.meganAdmin)).length > adminBefore, 'the admin\'s email');
  await new Promise((r) => setTimeout(r, 6000));   // past another look for digests due
  assert.equal(mine().length, count, 'one digest a day, and no email per event');
});
