// The HTTP layer: keep-alive, security headers, static assets and their
// caching, limits, and the error statuses.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const net = require('node:net');
const { PG, startServer, Client, users } = require('../lib/server');

let srv;
before(async () => { srv = await startServer({ workOrders: 30 }); });
after(async () => { await srv.stop(); });

function get(agent, path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: srv.port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ res, reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

function raw(text) {
  return new Promise((resolve, reject) => {
    const s = net.connect(srv.port, '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => { out += d.toString('latin1'); });
    s.on('end', () => resolve(out));
    s.on('error', reject);
    setTimeout(() => { s.destroy(); resolve(out); }, 3000);
  });
}

test('two requests share one connection (keep-alive)', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const a = await get(agent, '/login');
  const b = await get(agent, '/login');
  const c = await get(agent, '/static/app.css');
  assert.equal(a.res.statusCode, 200);
  assert.equal(a.reused, false);
  assert.equal(b.reused, true, 'the second request reused the socket');
  assert.equal(c.reused, true);
  assert.notEqual(a.res.headers.connection, 'close');
  agent.destroy();
});

test('every answer carries the security headers', async () => {
  const c = new Client(srv.base);
  for (const path of ['/login', '/nope', '/static/app.css']) {
    const r = await c.get(path);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/);
    assert.ok(!/unsafe-inline/.test(csp));
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'same-origin');
  }
  const page = await c.get('/login');
  assert.ok(!/<script>|<script [^>]*>[^<]+<\/script>| on[a-z]+="/.test(page.text_), 'no inline script in pages');
  assert.equal(page.headers.get('cache-control'), 'no-store');
});

test('static assets are cached and revalidated', async () => {
  const c = new Client(srv.base);
  const r = await c.get('/static/app.css?v=1');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/css/);
  assert.match(r.headers.get('cache-control'), /immutable/);
  const etag = r.headers.get('etag');
  const again = await c.get('/static/app.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  const js = await c.get('/static/vendor/htmx.min.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  const trav = await raw('GET /static/../migrations/001_schema.sql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(trav, /^HTTP\/1\.1 404/);
  assert.equal((await c.get('/static/nope.css')).status, 404);
});

test('errors are proper pages: 404, 405, 413, 415, 431', async () => {
  const c = new Client(srv.base);
  await c.login(users.megan);
  const nf = await c.get('/no/such/page');
  assert.equal(nf.status, 404);
  assert.match(nf.text_, /There is no page at this address/);
  const m = await c.req('DELETE', '/work-orders');
  assert.equal(m.status, 405);
  assert.ok(m.headers.get('allow'));
  const g = await c.get('/logout');
  assert.equal(g.status, 405);
  const token = await c.token();
  const big = await c.post('/work-orders/pin', { csrf: token, view: 'all', pad: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(big.status, 413);
  const ct = await c.req('POST', '/work-orders/pin', { body: '{"view":"all"}', headers: { 'content-type': 'application/json', 'x-csrf-token': token } });
  assert.equal(ct.status, 415);
  const hdr = await raw(`GET /login HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
  assert.match(hdr, /^HTTP\/1\.1 (431|413|400)/);
});

test('HEAD and /healthz', async () => {
  const r = await fetch(srv.base + '/login', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '');
  const h = await fetch(srv.base + '/healthz');
  assert.equal(await h.text(), 'ok\n');
});

test('the command line answers --help for every command', async () => {
  const { execFileSync } = require('node:child_process');
  for (const cmd of [['--help'], ['serve', '--help'], ['init', '--help'], ['demo', '--help'], ['user', '--help'], ['backup', '--help']]) {
    const out = execFileSync(srv.bin, cmd).toString();
    assert.match(out, /usage: fieldwork/, cmd.join(' '));
  }
  let failed = false;
  try { execFileSync(srv.bin, ['frobnicate'], { stdio: 'pipe' }); } catch (e) { failed = e.status === 2; }
  assert.ok(failed, 'an unknown command exits 2');
});

test('fieldwork user add / passwd / disable work on a live database', async () => {
  const { execFileSync } = require('node:child_process');
  const env = { ...process.env, FIELDWORK_DB: srv.db };
  const out = execFileSync(srv.bin, ['user', 'add', '--email', 'kim@summitev.example', '--name', 'Kim Park', '--role',
    'dispatcher', '--company', 'Summit EV Maintenance', '--password-stdin'], { env, input: 'kim-password-1\n' }).toString();
  assert.match(out, /Added Kim Park/);
  const c = new Client(srv.base);
  await c.login('kim@summitev.example', 'kim-password-1');
  execFileSync(srv.bin, ['user', 'passwd', '--email', 'kim@summitev.example'], { env, input: 'kim-password-2\n' });
  assert.equal((await c.get('/')).status, 303, 'changing the password ends the sessions');
  await c.login('kim@summitev.example', 'kim-password-2');
  execFileSync(srv.bin, ['user', 'disable', '--email', 'kim@summitev.example'], { env });
  assert.equal((await c.get('/')).status, 303);
  let refused = false;
  try { await c.login('kim@summitev.example', 'kim-password-2'); } catch (e) { refused = true; }
  assert.ok(refused);
  let bad = false;
  try {
    execFileSync(srv.bin, ['user', 'add', '--email', 'x', '--name', 'X', '--role', 'dispatcher', '--company', 'Summit EV Maintenance'], { env, stdio: 'pipe' });
  } catch (e) { bad = /valid email/.test(e.stderr.toString()); }
  assert.ok(bad, 'bad input is refused with a message');
});

test('fieldwork backup writes a usable copy', { skip: PG ? 'SQLite only: PostgreSQL is backed up with pg_dump' : false }, async () => {
  const { execFileSync } = require('node:child_process');
  const path = require('node:path');
  const to = path.join(srv.dir, 'copy.db');
  execFileSync(srv.bin, ['backup', '--db', srv.db, '--to', to]);
  const out = execFileSync(srv.bin, ['init', '--db', to]).toString();
  assert.match(out, /is ready/);
});
