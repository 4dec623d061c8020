// The integration as a partner's and an operator's systems would do it,
// knowing nothing but the OpenAPI document: the operator's token creates a
// work order for a partner, the partner's token sees it (another
// partner's does not), the partner accepts and schedules it through the
// API, and the partner's webhook listener receives the signed events in
// order.  Every address and field comes from /api/openapi.json.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const crypto = require('node:crypto');
const { startServer, users } = require('../lib/server');

let srv, doc, listener;
const got = [];
before(async () => {
  srv = await startServer({ workOrders: 60, env: { FIELDWORK_WEBHOOK_ALLOW_HTTP: '1', FIELDWORK_WEBHOOK_RETRY_SECONDS: '1' } });
  doc = await (await fetch(srv.base + '/api/openapi.json')).json();
  listener = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', () => { got.push({ sig: req.headers['fieldwork-signature'], body: b }); res.writeHead(200); res.end(); });
  });
  await new Promise((r) => listener.listen(0, '127.0.0.1', r));
});
after(async () => {
  listener?.close();
  await srv?.stop();
});

// A token for EMAIL, made as the CLI does (fieldwork token).
function token(email, scope) {
  const { execFileSync } = require('node:child_process');
  return execFileSync(srv.bin, ['token', '--db', srv.db, '--user', email, '--name', 'integration', '--scope', scope], { encoding: 'utf8' }).trim();
}

// Calls the operation at PATH (as the document names it) with METHOD.
async function call(tok, method, path, params = {}, body) {
  const op = doc.paths[path] && doc.paths[path][method];
  assert.ok(op, `the document has ${method} ${path}`);
  let url = doc.servers[0].url + path.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(params[k]));
  const q = (op.parameters || []).filter((p) => p.in === 'query' && params[p.name] !== undefined);
  if (q.length) url += '?' + q.map((p) => `${p.name}=${encodeURIComponent(params[p.name])}`).join('&');
  if (body) {
    const schema = op.requestBody.content['application/json'].schema;
    for (const k of schema.required || []) assert.ok(body[k] !== undefined, `${path} needs ${k}`);
    for (const k of Object.keys(body)) assert.ok(schema.properties[k], `${path} takes ${k}`);
  }
  const r = await fetch(srv.base + url, { method: method.toUpperCase(), headers: { Authorization: `Bearer ${tok}`, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  assert.ok(op.responses[String(r.status)], `${method} ${path} answered ${r.status}, which the document lists: ${text.slice(0, 200)}`);
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

test('a client that reads only the OpenAPI document', async () => {
  const opTok = token(users.operator, 'write');
  const meganTok = token(users.meganAdmin, 'write');
  const voltTok = token(users.voltAdmin, 'read');
  // the partner registers its listener
  const hook = await call(meganTok, 'post', '/settings/webhooks', {}, { url: `http://127.0.0.1:${listener.address().port}/events`,
    events: ['work_order.created', 'work_order.status_changed', 'work_order.scheduled'] });
  assert.equal(hook.status, 201);
  const secret = hook.body.secret;
  assert.match(secret, /^whsec_/);
  // the operator creates a work order for the partner, from the choices the API offers
  const form = await call(opTok, 'get', '/work-orders/new');
  const ch = form.body.choices;
  const made = await call(opTok, 'post', '/work-orders/new', {}, {
    case: '66001', subject: 'From the operator CRM', account_id: String(ch.accounts.find((a) => a.name === "Kohl's").id),
    station_id: String(ch.stations.find((s) => s.name.startsWith("Kohl's: ")).id),
    territory_id: String(ch.territories.find((t) => t.name === 'Florida - Orlando Metro').id),
    work_type_id: String(ch.work_types.find((t) => t.name === 'CT4 Head Replacement').id),
    owner_id: String(ch.partners.find((p) => p.name === "Megan's Dispatch Service").id), line_items: 'Replace the head' });
  assert.equal(made.status, 201);
  const n = made.body.wo.number;
  // the partner's token sees it, another partner's does not
  const seen = await call(meganTok, 'get', '/work-orders', { view: 'my-open', q: '66001', size: 10 });
  assert.ok(seen.body.rows.some((r) => r.number === n));
  assert.equal((await call(voltTok, 'get', '/work-orders/{n}', { n })).status, 404);
  const other = await call(voltTok, 'get', '/work-orders', { view: 'all', q: '66001', size: 10 });
  assert.equal(other.body.rows.length, 0);
  // the partner accepts and schedules it
  let wo = (await call(meganTok, 'get', '/work-orders/{n}', { n })).body.wo;
  const acc = await call(meganTok, 'post', '/work-orders/{n}/accept-travel', { n }, { version: String(wo.version), round_trip: '80', travel_cost: '0.70' });
  assert.equal(acc.status, 200);
  assert.equal(acc.body.wo.status, 'In Progress');
  wo = acc.body.wo;
  const day = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
  const sch = await call(meganTok, 'post', '/work-orders/{n}/schedule', { n }, { version: String(wo.version), appointment_date: day,
    appointment_time: '09:30', continue: true, cert_ok: true, delay_reason: 'Delay due to POC Schedule Preference' });
  assert.equal(sch.status, 200);
  assert.ok(sch.body.wo.customer_information.appointment_date);
  const hist = (await call(meganTok, 'get', '/work-orders/{n}/related', { n })).body.wo.history;
  assert.ok(hist.some((h) => h.field === 'Appointment Date'), 'the appointment is in the history');
  // the listener gets the signed events, in order
  const deadline = Date.now() + 15000;
  while (got.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const events = got.map((g) => JSON.parse(g.body));
  assert.deepEqual(events.map((e) => e.event), ['work_order.created', 'work_order.status_changed', 'work_order.scheduled']);
  assert.ok(events.every((e) => e.work_order.number === n));
  for (const g of got) {
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(g.sig);
    assert.equal(crypto.createHmac('sha256', secret).update(`${t}.${g.body}`).digest('hex'), v1, 'signed');
  }
});
