// The API for integrations: personal access tokens (made in Settings or by
// `fieldwork token`, shown once, stored hashed, read or write scope,
// expiry, revocation, last use, a rate per token), the same tenant walls as
// the pages, writes with JSON bodies answered with the resource (201 for a
// new one), 422 with errors per field, 409 with why, and Idempotency-Key.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { startServer, Client, users, createWorkOrder } = require('../lib/server');

let srv, op, megan, meganAdmin, volt;
before(async () => {
  srv = await startServer({ workOrders: 120, env: { FIELDWORK_API_RATE: '300' } });
  op = new Client(srv.base); await op.login(users.operator);
  megan = new Client(srv.base); await megan.login(users.megan);
  meganAdmin = new Client(srv.base); await meganAdmin.login(users.meganAdmin);
  volt = new Client(srv.base); await volt.login(users.volt);
});
after(async () => srv.stop());

// Makes a token in Settings as C; returns it.
async function makeToken(c, fields) {
  const r = await c.post('/settings/tokens', { csrf: await c.token(), ...fields });
  assert.equal(r.status, 200, `token: ${r.status}`);
  const m = /id="link" type="text" readonly value="(fwp_[A-Za-z0-9_-]{43})"/.exec(r.text_);
  assert.ok(m, 'the token is shown once');
  return m[1];
}

function api(token, method, path, body, headers = {}) {
  return fetch(srv.base + path, {
    method, redirect: 'manual',
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text().then((t) => { try { return JSON.parse(t); } catch { return t; } }) }));
}

test('reading a work order with a token does not put it under the person\'s Recently Viewed; opening it does', async () => {
  const t = await makeToken(meganAdmin, { name: 'reader', scope: 'read' });
  const rows = (await api(t, 'GET', '/api/work-orders?view=all&sort=number&dir=desc&size=3')).body.rows;
  const [a, b] = [rows[1].number, rows[2].number];
  assert.equal((await api(t, 'GET', `/api/work-orders/${a}`)).status, 200);
  assert.equal((await meganAdmin.get(`/work-orders/${b}`)).status, 200);
  const recent = (await meganAdmin.json('/api/work-orders?view=recent')).body.rows.map((r) => r.number);
  assert.ok(recent.includes(b), 'opened in the browser: recently viewed');
  assert.ok(!recent.includes(a), 'read by an integration: not');
});

test('a token is made in Settings, shown once, listed with its scope and last use, and revoked', async () => {
  const t = await makeToken(megan, { name: 'Dispatch system', scope: 'read' });
  const list = (await megan.json('/api/settings')).body.tokens;
  const row = list.find((x) => x.name === 'Dispatch system');
  assert.equal(row.scope, 'read');
  assert.equal(row.last_used_local, 'not yet');
  assert.ok(!JSON.stringify(list).includes(t), 'never shown again');
  const me = await api(t, 'GET', '/api/work-orders?view=my-open&size=5');
  assert.equal(me.status, 200);
  assert.ok(me.body.rows.length > 0);
  assert.notEqual((await megan.json('/api/settings')).body.tokens.find((x) => x.id === row.id).last_used_local, 'not yet');
  const w = await api(t, 'POST', `/api/work-orders/${me.body.rows[0].number}/follow`, {});
  assert.equal(w.status, 403, 'a read token does not write');
  assert.match(w.body.error, /may only read/);
  assert.equal((await megan.post(`/settings/tokens/${row.id}/revoke`, { csrf: await megan.token() })).status, 303);
  const gone = await api(t, 'GET', '/api/work-orders');
  assert.equal(gone.status, 401);
  assert.match(gone.headers.get('www-authenticate'), /invalid_token/);
  assert.equal((await volt.post(`/settings/tokens/${row.id}/revoke`, { csrf: await volt.token() })).status, 404, 'only its managers revoke it');
  // through the API too: the answer is Settings after it (the redirect followed as a GET, nothing saved twice)
  const wt = await makeToken(megan, { name: 'writer to revoke', scope: 'write' });
  const wid = (await megan.json('/api/settings')).body.tokens.find((x) => x.name === 'writer to revoke').id;
  const rv = await api(wt, 'POST', `/api/settings/tokens/${wid}/revoke`, {});
  assert.equal(rv.status, 200);
  assert.ok(rv.body.tokens.find((x) => x.id === wid).revoked);
  assert.equal((await api(wt, 'GET', '/api/work-orders?size=1')).status, 401, 'a token can revoke itself');
});

test('tokens keep the tenant walls, ignore cookies, need no CSRF token, and expire', async () => {
  const mt = await makeToken(megan, { name: 'm', scope: 'write' });
  const vt = await makeToken(volt, { name: 'v', scope: 'write' });
  const mine = (await api(mt, 'GET', '/api/work-orders?view=all&size=200')).body.rows.map((r) => r.number);
  const theirs = (await api(vt, 'GET', '/api/work-orders?view=all&size=200')).body.rows.map((r) => r.number);
  assert.ok(mine.length && theirs.length);
  assert.ok(!mine.some((n) => theirs.includes(n)), 'no work order in both lists');
  assert.equal((await api(vt, 'GET', `/api/work-orders/${mine[0]}`)).status, 404);
  assert.equal((await api(vt, 'POST', `/api/work-orders/${mine[0]}/collaborate`, { body: 'hello' })).status, 404);
  // a cookie beside a bearer token is not read: a bad token fails even with a good session
  const r = await fetch(srv.base + '/api/work-orders', { headers: { Authorization: 'Bearer fwp_' + 'x'.repeat(43), Cookie: megan.cookieHeader() } });
  assert.equal(r.status, 401);
  assert.equal((await api(mt, 'GET', '/work-orders')).status, 401, 'tokens open /api/ only');
  const cli = spawnSync(srv.bin, ['token', '--db', srv.db, '--user', users.volt, '--name', 'script', '--scope', 'read', '--expires', '1'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const ct = cli.stdout.trim();
  assert.match(ct, /^fwp_[A-Za-z0-9_-]{43}$/);
  assert.equal((await api(ct, 'GET', '/api/work-orders?size=1')).status, 200);
  const bad = await megan.post('/settings/tokens', { csrf: await megan.token(), name: '', scope: 'read' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /id="tok-err" role="alert">Name the token/);
  const other = await megan.post('/settings/tokens', { csrf: await megan.token(), name: 'x', user: '1' });
  assert.equal(other.status, 422, 'a dispatcher makes tokens for themselves only');
  const forJoe = await meganAdmin.json('/api/settings');
  assert.ok(forJoe.body.token_users.some((u) => u.email === users.tech), 'a partner admin makes them for the company\'s users');
});

test('writes through the API with JSON: 200 with the resource, 422 with errors per field, 409 with why', async () => {
  const t = await makeToken(megan, { name: 'writer', scope: 'write' });
  const rows = (await api(t, 'GET', '/api/work-orders?view=my-open&size=200')).body.rows;
  const w = rows.find((r) => r.status === 'In Progress');
  const wo = (await api(t, 'GET', `/api/work-orders/${w.number}`)).body.wo;
  const bad = await api(t, 'POST', `/api/work-orders/${w.number}/could-not-complete`, { version: wo.version, reason: 'Bad luck' });
  assert.equal(bad.status, 422);
  assert.match(bad.body.errors.reason, /Choose a reason from the list/);
  const stale = await api(t, 'POST', `/api/work-orders/${w.number}/assistance`, { version: wo.version - 1, message: 'x' });
  assert.equal(stale.status, 409);
  assert.match(stale.body.error, /changed since the form was opened/);
  const ok = await api(t, 'POST', `/api/work-orders/${w.number}/assistance`, { version: wo.version, message: 'Need a lift' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.wo.number, w.number, 'the updated work order');
  const post = await api(t, 'POST', `/api/work-orders/${w.number}/collaborate`, { body: 'From our dispatch system' });
  assert.equal(post.status, 201);
  assert.match(post.headers.get('location'), new RegExp(`/api/work-orders/${w.number}/collaborate$`));
  assert.ok(post.body.feed.some((p) => p.body === 'From our dispatch system'));
  const notJson = await api(t, 'POST', `/api/work-orders/${w.number}/collaborate`, null, { 'Content-Type': 'application/json' });
  assert.equal(notJson.status, 400);
});

test('Idempotency-Key: a retried create makes one work order', async () => {
  const ot = await makeToken(op, { name: 'crm', scope: 'write' });
  const page = await op.json('/api/work-orders/new');
  const ch = page.body.choices;
  const body = { case: '77001', subject: 'From the CRM', account_id: ch.accounts.find((a) => a.name === "Kohl's").id,
    station_id: ch.stations.find((s) => s.name.startsWith("Kohl's: ")).id, territory_id: ch.territories[0].id,
    work_type_id: ch.work_types[0].id, owner_id: ch.partners.find((p) => p.name === "Megan's Dispatch Service").id,
    line_items: 'Replace the head' };
  const key = 'crm-case-77001';
  const a = await api(ot, 'POST', '/api/work-orders/new', body, { 'Idempotency-Key': key });
  assert.equal(a.status, 201);
  const n = a.body.wo.number;
  assert.match(a.headers.get('location'), new RegExp(`/api/work-orders/${n}$`));
  const b = await api(ot, 'POST', '/api/work-orders/new', body, { 'Idempotency-Key': key });
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.body.wo.number, n, 'the same work order');
  assert.equal(b.headers.get('location'), a.headers.get('location'), 'and the same Location');
  const list = (await api(ot, 'GET', '/api/work-orders?view=all&q=77001&size=50')).body.rows.filter((r) => r.case === '77001');
  assert.equal(list.length, 1, 'one work order made');
  const other = await api(ot, 'POST', `/api/work-orders/${n}/follow`, {}, { 'Idempotency-Key': key });
  assert.equal(other.status, 409, 'a key is for one request');
  const badKey = await api(ot, 'POST', `/api/work-orders/${n}/follow`, {}, { 'Idempotency-Key': 'has space' });
  assert.equal(badKey.status, 400);
});

test('a token over its rate gets 429 with Retry-After', async () => {
  const t = await makeToken(volt, { name: 'busy', scope: 'read' });
  let last;
  // a fixed window per minute: going on past twice the rate meets the limit even across a minute's end
  for (let i = 0; i < 700; i++) {
    last = await api(t, 'GET', '/api/work-orders?size=1');
    if (last.status === 429) break;
  }
  assert.equal(last.status, 429);
  const ra = Number(last.headers.get('retry-after'));
  assert.ok(ra >= 1 && ra <= 60, `Retry-After ${ra}`);
});

test('the OpenAPI 3.1 description is valid, made from the route table, and every address in it answers', async () => {
  const r = await fetch(srv.base + '/api/openapi.json');
  assert.equal(r.status, 200);
  const doc = await r.json();
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const v = await new Validator().validate(doc);
  assert.deepEqual(v.errors || [], [], 'valid OpenAPI 3.1');
  assert.equal(v.valid, true);
  assert.equal(doc.openapi, '3.1.0');
  // each lifecycle action at its own address, with its fields
  const travel = doc.paths['/work-orders/{n}/accept-travel'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(travel.required.sort(), ['round_trip', 'travel_cost']);
  assert.ok(doc.paths['/work-orders/new'].post.responses['201'], 'a create answers 201');
  const cancel = doc.paths['/work-orders/{n}/cancel'].post.requestBody.content['application/json'].schema.properties.reason;
  assert.deepEqual(cancel.enum, ['Self-Resolved Issue', 'Customer Upgrades', 'Other'], 'a fixed list is an enum');
  // no address in the description is unknown to the server: the router's own 404 never answers (a
  // technician's write token walks it, so that the role checks refuse what it may not do)
  const jt = await makeToken(meganAdmin, { name: 'doc walker', scope: 'write', user: String((await meganAdmin.json('/api/settings')).body.token_users.find((u) => u.email === users.tech).id) });
  const n = (await api(jt, 'GET', '/api/work-orders?size=1')).body.rows[0].number;
  let walked = 0;
  for (const [p, item] of Object.entries(doc.paths)) {
    const url = '/api' + p.replace('{n}', n).replace('{id}', '999999').replace('{token}', 'x'.repeat(43));
    for (const m of Object.keys(item)) {
      const res = await api(jt, m.toUpperCase(), url, m === 'post' ? {} : null);
      assert.notEqual(res.status, 405, `${m} ${p}`);
      assert.ok(!(res.status === 404 && res.body.error === 'There is no page at this address.'), `${m} ${p} is served`);
      walked++;
    }
  }
  assert.ok(walked > 80, `${walked} operations`);
  const unknown = await api(jt, 'GET', '/api/no-such-address');
  assert.equal(unknown.body.error, 'There is no page at this address.', 'the check above can fail');
  const page = await fetch(srv.base + '/api/docs');
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<code>POST \/api\/work-orders\/\{n\}\/accept-travel<\/code>/);
  assert.match(html, /<code>round_trip<\/code> \(string \(\^\[0-9\]\+/);
});

test('CSV import: every row checked, all or none, a report per line, the file kept for the retry', async () => {
  const ch = (await op.json('/api/work-orders/new')).body.choices;
  const st = ch.stations.find((s) => s.name.startsWith("Kohl's: "));
  const serial = /\(([^,]+), ([0-9]+)\)$/.exec(st.name)[2];
  const head = 'Work Order Number,Case,Subject,Account,Station,Service Territory,Entitlement,Work Type,Owner,Parts Needed,Line Items\r\n';
  const good = (caseNo, subj) => `,${caseNo},${subj},Kohl's,${serial},Florida - Orlando Metro,Repair SLA Assure,CT4 Head Replacement,Megan's Dispatch Service,Yes,"Replace the head\r\nTest it"\r\n`;
  const bad = head + good('91001', 'First') + ',91002,Second,No Such Account,x,Florida - Orlando Metro,,CT4 Head Replacement,Megan\'s Dispatch Service,Maybe,Fix\r\n' + good('91003', 'Third');
  const r = await op.upload('/work-orders/import', { csrf: await op.token() }, [['file', 'orders.csv', Buffer.from(bad), 'text/csv']]);
  assert.equal(r.status, 422);
  assert.match(r.text_, /1 of 3 rows need your attention; nothing was made./);
  assert.match(r.text_, /<tr><td>3<\/td><td>Account<\/td><td>There is no account &quot;No Such Account&quot;.<\/td><\/tr>/);
  assert.match(r.text_, /<tr><td>3<\/td><td>Parts Needed<\/td><td>Write Yes or No.<\/td><\/tr>/);
  assert.equal((await op.json('/api/work-orders?view=all&q=91001&size=5')).body.rows.length, 0, 'nothing made');
  const held = /name="held" value="(\d+)" checked/.exec(r.text_);
  assert.ok(held, 'the file is held for the retry');
  const csv = head + good('91001', 'First') + good('91003', 'Third');
  const ot = await makeToken(op, { name: 'importer', scope: 'write' });
  const fd = new FormData();
  fd.append('file', new Blob([csv], { type: 'text/csv' }), 'orders.csv');
  const ok = await fetch(srv.base + '/api/work-orders/import', { method: 'POST', headers: { Authorization: `Bearer ${ot}` }, body: fd });
  const okBody = await ok.json();
  assert.equal(ok.status, 201, JSON.stringify(okBody));
  const made = okBody.created;
  assert.equal(made.length, 2);
  const w = (await op.json(`/api/work-orders/${made[0]}/related`)).body.wo;
  assert.equal(w.subject, 'First');
  assert.equal(w.owner, "Megan's Dispatch Service");
  assert.equal(w.parts_needed, true);
  assert.deepEqual(w.line_items.map((l) => l.description), ['Replace the head', 'Test it']);
  const broken = await op.upload('/work-orders/import', { csrf: await op.token() }, [['file', 'x.csv', Buffer.from('Case,Subject\r\n"unclosed,x\r\n'), 'text/csv']]);
  assert.equal(broken.status, 422);
  assert.match(broken.text_, /not valid CSV/);
  assert.equal((await megan.get('/work-orders/import')).status, 403);
  const tpl = await op.get('/work-orders/import/template.csv');
  assert.match(tpl.text_, /^Case,Subject,Account,Station,Service Territory,Entitlement,Work Type,Owner,Parts Needed,Line Items\r\n/);
});

test('notifications page with a cursor', async () => {
  const t = await makeToken(meganAdmin, { name: 'notes', scope: 'write' });
  const n = (await api(t, 'GET', '/api/work-orders?view=my-open&size=1')).body.rows[0].number;
  const ot = await makeToken(op, { name: 'notes-op', scope: 'write' });
  assert.equal((await api(t, 'POST', `/api/work-orders/${n}/follow`, {})).status, 200);
  for (let i = 0; i < 55; i++)
    assert.equal((await api(ot, 'POST', `/api/work-orders/${n}/collaborate`, { body: `note ${i}` })).status, 201);
  const first = await api(t, 'GET', '/api/notifications');
  assert.equal(first.body.notifications.length, 50);
  assert.match(first.body.next_href, /^\/notifications\?before=\d+$/);
  const second = await api(t, 'GET', '/api' + first.body.next_href);
  assert.ok(second.body.notifications.length >= 5);
  const ids = [...first.body.notifications, ...second.body.notifications].map((x) => x.id);
  assert.equal(new Set(ids).size, ids.length, 'no notification twice');
  assert.ok(ids.every((id, i) => i === 0 || id < ids[i - 1]), 'newest first');
  // the Collaborate feed of that work order pages the same way, in either order
  for (const sort of ['latest', 'activity']) {
    const f1 = await api(t, 'GET', `/api/work-orders/${n}/collaborate?sort=${sort}`);
    assert.equal(f1.body.feed.length, 50);
    const f2 = await api(t, 'GET', '/api' + f1.body.next_href);
    const all = [...f1.body.feed, ...f2.body.feed].filter((p) => /^note \d+$/.test(p.body)).map((p) => p.body);
    assert.equal(new Set(all).size, 55, `${sort}: every post once`);
    assert.equal(all[0], 'note 54', 'the newest first');
  }
});

test('every write of the lifecycle through the API, with JSON: from New Work Order to Closed, and Hold, Cancel, Reissue', async () => {
  const ot = await makeToken(op, { name: 'ops', scope: 'write' });
  const mt = await makeToken(megan, { name: 'dispatch', scope: 'write' });
  const ch = (await api(ot, 'GET', '/api/work-orders/new')).body.choices;
  const base = { account_id: ch.accounts.find((a) => a.name === "Kohl's").id, station_id: ch.stations.find((s) => s.name.startsWith("Kohl's: ")).id,
    territory_id: ch.territories.find((t) => t.name === 'Florida - Orlando Metro').id, work_type_id: ch.work_types.find((t) => t.name === 'CT4 Head Replacement').id,
    owner_id: ch.partners.find((p) => p.name === "Megan's Dispatch Service").id, line_items: 'Replace the head\nTest it' };
  const made = await api(ot, 'POST', '/api/work-orders/new', { ...base, case: '55001', subject: 'API lifecycle', parts_needed: true });
  assert.equal(made.status, 201);
  const n = made.body.wo.number;
  const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
  let v = made.body.wo.version;
  const step = async (tok, action, fields, want = 200) => {
    const r = await api(tok, 'POST', `/api/work-orders/${n}/${action}`, { version: v, ...fields });
    assert.equal(r.status, want, `${action}: ${JSON.stringify(r.body).slice(0, 300)}`);
    if (r.body.wo) v = r.body.wo.version;
    return r.body.wo;
  };
  await step(mt, 'accept-shipping', { ship_to_name: 'Dock', ship_to_phone: '555-0100', shipping_party: 'Site', liftgate: true,
    street: '205 Palm Bay Rd NE', city: 'Melbourne', state: 'Florida', postal_code: '32904', country: 'United States' });
  assert.equal((await step(mt, 'accept-travel', { round_trip: '120', travel_cost: '0.70' })).status, 'Ship-To Received');
  assert.equal((await step(ot, 'parts-ordered', {})).status, 'Parts Ordered');
  assert.equal((await step(ot, 'shipping', {})).status, 'Shipping');
  assert.equal((await step(ot, 'shipped', { order_number: 'RMA-1', carrier: 'UPS', tracking: '1Z999', estimated_delivery: day(1) })).status, 'Shipped');
  assert.equal((await step(ot, 'parts-delivered', {})).status, 'In Progress');
  await step(mt, 'site-times', { arrive_date: day(-1), arrive_time: '09:00', depart_date: day(-1), depart_time: '11:00' });
  await step(mt, 'schedule', { appointment_date: day(1), appointment_time: '09:00', technician_name: 'Allan Heard', phone_number: '407-276-8065',
    scheduling_completed: day(-2), continue: true, delay_reason: 'Delay due to weather', cert_ok: true });
  const lines = (await api(mt, 'GET', `/api/work-orders/${n}/related`)).body.wo.line_items;
  for (const l of lines) await step(mt, 'woli', { line: String(l.line) });
  assert.equal((await step(mt, 'complete', {})).status, 'Completed');
  assert.equal((await step(ot, 'send-back', { reason: 'Photos missing' })).status, 'In Progress');
  assert.equal((await step(mt, 'complete', {})).status, 'Completed');
  assert.equal((await step(ot, 'close', {})).status, 'Closed');
  // another: hold and resume, then cancel
  const b = (await api(ot, 'POST', '/api/work-orders/new', { ...base, case: '55002', subject: 'API hold' })).body.wo.number;
  let vb = (await api(ot, 'GET', `/api/work-orders/${b}`)).body.wo.version;
  const act2 = async (tok, action, fields) => {
    const r = await api(tok, 'POST', `/api/work-orders/${b}/${action}`, { version: vb, ...fields });
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body).slice(0, 300)}`);
    vb = r.body.wo.version;
    return r.body.wo;
  };
  assert.equal((await act2(ot, 'hold', { reason: 'Site closed', resume_on: day(5) })).status, 'On Hold');
  assert.equal((await act2(ot, 'resume', {})).status, 'Assigned');
  assert.equal((await act2(ot, 'cancel', { reason: 'Other', comment: 'Opened twice' })).status, 'Cancelled');
  // and one that could not be completed, reissued with a correction
  const c = (await api(ot, 'POST', '/api/work-orders/new', { ...base, case: '55003', subject: 'API reissue' })).body.wo.number;
  let vc = (await api(mt, 'GET', `/api/work-orders/${c}`)).body.wo.version;
  const acc = await api(mt, 'POST', `/api/work-orders/${c}/accept-travel`, { version: vc, round_trip: '10', travel_cost: '0.70' });
  vc = acc.body.wo.version;
  const cnc = await api(mt, 'POST', `/api/work-orders/${c}/could-not-complete`, { version: vc, reason: 'Wrong Equipment Shipped' });
  assert.equal(cnc.body.wo.status, 'Cannot Complete');
  const other = ch.work_types.find((t) => t.name !== 'CT4 Head Replacement');
  const re = await api(ot, 'POST', `/api/work-orders/${c}/reissue`, { version: cnc.body.wo.version, ...base, case: '55003', subject: 'API reissue, corrected', work_type_id: other.id });
  assert.equal(re.status, 201);
  assert.equal(re.body.wo.reissued_from, c);
  assert.equal(re.body.wo.work_type, other.name);
});
