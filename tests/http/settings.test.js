// Each user's own time zone: the banner names it and every time shown
// moves with it, while the API's UTC times stay put.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users } = require('../lib/server');

let srv;
before(async () => { srv = await startServer({ workOrders: 40 }); });
after(async () => { await srv.stop(); });

test('a user picks a time zone; the banner and the times follow it', async () => {
  const c = new Client(srv.base);
  await c.login(users.volt);
  const before = await c.json('/api/work-orders?view=all&size=1');
  const row = before.body.rows[0];
  assert.match(before.body.banner, /\(GMT-06:00\) Central Standard Time \(America\/Chicago\)$/);
  const page = await c.get('/settings');
  assert.match(page.text_, /<label for="time_zone">Time Zone<\/label>/);
  const token = await c.token();
  const bad = await c.post('/settings', { csrf: token, time_zone: '../../etc/passwd' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /Choose a time zone from the list/);
  const ok = await c.post('/settings', { csrf: token, time_zone: 'America/New_York' });
  assert.equal(ok.status, 200);
  assert.match(ok.text_, /All times displayed in this partner portal page are in \(GMT-05:00\) Eastern Standard Time \(America\/New_York\)/);
  const after = await c.json('/api/work-orders?view=all&size=1');
  const moved = after.body.rows[0];
  assert.equal(moved.wo_assigned_date, row.wo_assigned_date, 'UTC is UTC');
  const hour = (s) => { const m = / (\d+):\d\d (AM|PM)$/.exec(s); return (Number(m[1]) % 12) + (m[2] === 'PM' ? 12 : 0); };
  assert.equal((hour(moved.wo_assigned_date_local) - hour(row.wo_assigned_date_local) + 24) % 24, 1, 'an hour later in New York');
  const other = new Client(srv.base);
  await other.login(users.megan);
  assert.match((await other.json('/api/')).body.banner, /America\/Chicago/, 'only that user\'s zone changed');
});
