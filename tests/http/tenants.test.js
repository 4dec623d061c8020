// A partner never sees another company's work orders: lists, pages and the
// API all answer as if the other company's work orders did not exist.
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

async function allNumbers(c) {
  const out = [];
  let url = '/api/work-orders?view=all&size=200';
  for (;;) {
    const { body } = await c.json(url);
    out.push(...body.rows.map((r) => r.number));
    if (!body.next_href) return out;
    url = '/api' + body.next_href + '&size=200';
  }
}

test('each partner\'s lists hold only its own work orders; the operator sees all', async () => {
  const m = await allNumbers(megan);
  const v = await allNumbers(volt);
  const o = await allNumbers(op);
  assert.ok(m.length > 0 && v.length > 0);
  const ms = new Set(m);
  assert.ok(v.every((n) => !ms.has(n)), 'no overlap');
  assert.ok(o.length >= m.length + v.length);
  for (const n of m.slice(0, 25)) {
    const { body } = await op.json(`/api/work-orders/${n}`);
    assert.equal(body.wo.owner, 'Megan\'s Dispatch Service');
  }
});

test('another company\'s work order answers 404, by page and by API, on every tab', async () => {
  const v = await allNumbers(volt);
  const n = v[0];
  for (const path of [`/work-orders/${n}`, `/work-orders/${n}/related`, `/work-orders/${n}/rma-fso`]) {
    const page = await megan.get(path);
    assert.equal(page.status, 404, path);
    assert.match(page.text_, /Work order not found/);
    assert.ok(!page.text_.includes(String(n)) || !page.text_.includes('Volt Field Services'));
    const api = await megan.json('/api' + path);
    assert.equal(api.status, 404);
    assert.equal(api.body.wo, undefined);
  }
  const none = await megan.get('/work-orders/99999999');
  assert.equal(none.status, 404, 'the same answer as for a number that does not exist');
  assert.equal((await op.get(`/work-orders/${n}`)).status, 200);
  assert.equal((await volt.get(`/work-orders/${n}`)).status, 200);
});

test('search, paging anchors and counts do not leak other companies\' work orders', async () => {
  const v = await allNumbers(volt);
  const s = await megan.json(`/api/work-orders?view=all&q=${v[0]}`);
  assert.equal(s.body.total, 0);
  const anchor = await megan.json(`/api/work-orders?view=all&after=${v[0]}`);
  assert.equal(anchor.status, 400);
  const home = await megan.json('/api/');
  const counts = home.body.glance.by_status;
  const sum = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.equal(sum, (await allNumbers(megan)).length);
});

test('a technician sees only the work orders assigned to them', async () => {
  const t = new Client(srv.base);
  await t.login(users.tech);
  const mine = await allNumbers(t);
  const m = await allNumbers(megan);
  const v = await allNumbers(volt);
  assert.ok(mine.length > 0 && mine.length < m.length);
  assert.ok(mine.every((n) => m.includes(n)));
  const notMine = m.find((n) => !mine.includes(n));
  assert.equal((await t.get(`/work-orders/${notMine}`)).status, 404);
  assert.equal((await t.get(`/work-orders/${v[0]}`)).status, 404);
  assert.equal((await t.get(`/work-orders?view=all&after=${notMine}`)).status, 400, 'not even as a page anchor');
});

test('a partner admin manages only its own company\'s users', async () => {
  const admin = new Client(srv.base);
  await admin.login(users.meganAdmin);
  const { body } = await admin.json('/api/users');
  assert.ok(body.users.length > 0);
  assert.ok(body.users.every((u) => u.company === 'Megan\'s Dispatch Service'));
  const opUsers = (await op.json('/api/users')).body.users;
  const voltUser = opUsers.find((u) => u.company === 'Volt Field Services');
  const r = await admin.post(`/users/${voltUser.id}/disable`, { csrf: body.csrf });
  assert.equal(r.status, 404);
  const still = (await op.json('/api/users')).body.users.find((u) => u.id === voltUser.id);
  assert.equal(still.disabled, false);
});
