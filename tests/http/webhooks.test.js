// Webhooks: the operator's endpoint hears the network, a partner admin's
// only its company's work orders; deliveries are signed (HMAC-SHA256 of
// "TIMESTAMP.BODY"), arrive in order, are retried after a 500 from the
// receiver, show in the delivery log with their answers, and can be sent
// again by hand.  The receivers are real HTTP listeners on loopback.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const crypto = require('node:crypto');
const { startServer, Client, users, createWorkOrder } = require('../lib/server');

let srv, op, meganAdmin, voltAdmin, megan;
const receivers = [];

// A listener that keeps what it receives; FAIL(n) answers 500 to the first n.
function receiver(failFirst = 0) {
  const got = [];
  let fails = failFirst;
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (fails > 0) { fails--; got.push({ failed: true, body }); res.writeHead(500); res.end('try later'); return; }
      got.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.writeHead(204);
      res.end();
    });
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => { receivers.push(s); r({ url: `http://127.0.0.1:${s.address().port}/hook`, got }); }));
}

function verify(secret, headers, body) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(headers['fieldwork-signature'] || '');
  assert.ok(m, 'a signature header');
  const mac = crypto.createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(m[2]));
}

async function waitFor(pred, what, ms = 15000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting for ' + what);
}

async function register(c, url, events) {
  const r = await c.post('/settings/webhooks', { csrf: await c.token(), url, events });
  assert.equal(r.status, 200, `register: ${r.status}`);
  return /id="link" type="text" readonly value="(whsec_[0-9a-f]{40})"/.exec(r.text_)[1];
}

before(async () => {
  srv = await startServer({ workOrders: 120, env: { FIELDWORK_WEBHOOK_ALLOW_HTTP: '1', FIELDWORK_WEBHOOK_RETRY_SECONDS: '1' } });
  op = new Client(srv.base); await op.login(users.operator);
  meganAdmin = new Client(srv.base); await meganAdmin.login(users.meganAdmin);
  voltAdmin = new Client(srv.base); await voltAdmin.login(users.voltAdmin);
  megan = new Client(srv.base); await megan.login(users.megan);
});
after(async () => {
  for (const s of receivers) s.close();
  await srv.stop();
});

test('only the operator and partner admins register endpoints, https only, and the secret is shown once', async () => {
  assert.equal((await megan.post('/settings/webhooks', { csrf: await megan.token(), url: 'https://x.example/h', events: 'post.added' })).status, 403);
  const bad = await op.post('/settings/webhooks', { csrf: await op.token(), url: 'http://dispatch.example/h', events: 'post.added' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /id="hook-err" role="alert">An endpoint must be an https:\/\/ address./);
  assert.match(bad.text_, /value="http:\/\/dispatch.example\/h"/);
  const none = await op.post('/settings/webhooks', { csrf: await op.token(), url: 'https://dispatch.example/h' });
  assert.equal(none.status, 422);
  assert.match(none.text_, /Choose at least one event/);
});

test('signed events in order; a partner hears only its own company; a 500 is retried; the log shows it all', async () => {
  const network = await receiver();
  const mine = await receiver(1);   // the first delivery fails once
  const theirs = await receiver();
  const opSecret = await register(op, network.url, ['work_order.created', 'work_order.status_changed', 'work_order.scheduled', 'post.added']);
  const mSecret = await register(meganAdmin, mine.url, ['work_order.created', 'work_order.status_changed', 'work_order.scheduled', 'post.added']);
  await register(voltAdmin, theirs.url, ['work_order.created', 'work_order.status_changed', 'work_order.scheduled', 'post.added']);

  const n = await createWorkOrder(op, 'Webhook test', '88001');
  const v = async () => String((await megan.json(`/api/work-orders/${n}`)).body.wo.version);
  assert.equal((await megan.post(`/work-orders/${n}/accept-travel`, { csrf: await megan.token(), version: await v(), round_trip: '60', travel_cost: '0.60' })).status, 303);
  const day = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
  const sch = await megan.post(`/work-orders/${n}/schedule`, { csrf: await megan.token(), version: await v(), appointment_date: day,
    appointment_time: '10:00', continue: 'yes', delay_reason: 'Delay due to POC Schedule Preference', cert_ok: 'yes' });
  assert.equal(sch.status, 303);
  assert.equal((await megan.post(`/work-orders/${n}/collaborate`, { csrf: await megan.token(), body: 'Parts ordered on our side too' })).status, 303);

  await waitFor(() => mine.got.filter((g) => !g.failed).length >= 4 && network.got.length >= 4, 'the deliveries');
  const events = mine.got.filter((g) => !g.failed).map((g) => g.json.event);
  assert.deepEqual(events.slice(0, 4), ['work_order.created', 'work_order.status_changed', 'work_order.scheduled', 'post.added'], 'in order, after the retry');
  assert.equal(mine.got[0].failed, true, 'the first try got a 500');
  for (const g of mine.got.filter((x) => !x.failed)) {
    assert.ok(verify(mSecret, g.headers, g.body), 'signed with the company endpoint\'s secret');
    assert.equal(g.json.work_order.number, n);
    assert.equal(g.headers['fieldwork-event'], g.json.event);
  }
  for (const g of network.got) assert.ok(verify(opSecret, g.headers, g.body));
  assert.ok(!verify(opSecret, mine.got[1].headers, mine.got[1].body), 'a secret signs its own endpoint only');
  const st = mine.got.filter((g) => !g.failed)[1].json;
  assert.deepEqual([st.data.from, st.data.to], ['Assigned', 'In Progress']);
  assert.match(mine.got.filter((g) => !g.failed)[2].json.data.to, new RegExp(`^${day}T`));
  assert.equal(mine.got.filter((g) => !g.failed)[3].json.data.body, 'Parts ordered on our side too');
  assert.equal(theirs.got.length, 0, 'another company hears nothing of it');

  const log = (await meganAdmin.json('/api/settings')).body.webhooks.deliveries;
  const first = log[log.length - 1];
  assert.equal(first.status, 'delivered');
  assert.equal(first.attempts, 2, 'delivered on the second attempt');
  assert.equal(first.last_code, 204);
  // sent again by hand
  const before = mine.got.length;
  assert.equal((await meganAdmin.post(`/settings/webhook-deliveries/${first.id}/resend`, { csrf: await meganAdmin.token() })).status, 303);
  await waitFor(() => mine.got.length > before, 'the resent delivery');
  assert.equal(mine.got[mine.got.length - 1].json.event, 'work_order.created');
  assert.equal((await voltAdmin.post(`/settings/webhook-deliveries/${first.id}/resend`, { csrf: await voltAdmin.token() })).status, 404, 'not another company\'s');
  const page = await meganAdmin.get('/settings');
  assert.match(page.text_, /work_order.created → http:\/\/127.0.0.1:\d+\/hook · <strong>delivered<\/strong>/);
});

test('a delivery never connects into a private network, whatever the endpoint is named', async () => {
  const secret = await register(voltAdmin, 'https://10.0.0.1/hook', ['post.added']);
  assert.match(secret, /^whsec_/);
  const volt = new (require('../lib/server').Client)(srv.base);
  await volt.login(users.volt);
  const n = (await volt.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
  assert.equal((await volt.post(`/work-orders/${n}/collaborate`, { csrf: await volt.token(), body: 'to the private endpoint' })).status, 303);
  let d;
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    d = (await voltAdmin.json('/api/settings')).body.webhooks.deliveries.find((x) => x.endpoint === 'https://10.0.0.1/hook');
    if (d && d.attempts >= 1 && d.last_error) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(d && d.attempts >= 1, 'tried');
  assert.equal(d.status, 'pending');
  assert.equal(d.last_code, 0, 'never answered: no connection was made');
  assert.match(d.last_error, /not sent: the endpoint's address is on this machine or a private network/);
});
