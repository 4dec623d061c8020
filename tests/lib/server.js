// Starts a real fieldwork server on a fresh demo database for a test file,
// and a small cookie-keeping HTTP client to talk to it.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');

const BIN = process.env.FIELDWORK_BIN || path.join(__dirname, '..', '..', 'build', 'fieldwork');
const PASSWORD = 'fieldwork-demo';
const EPOCH = '2026-11-25';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// FW_TEST_STORE=pg runs the servers on PostgreSQL: a new database of the
// cluster named by FW_TEST_PG (a libpq URI to its postgres database) each.
const PG = process.env.FW_TEST_STORE === 'pg' ? process.env.FW_TEST_PG : null;
let pgDatabases = 0;

async function startServer({ workOrders = 300, seed = 3, env = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-test-'));
  let db = path.join(dir, 'fw.db');
  let pgName = null;
  if (PG) {
    pgName = `fw_${process.pid}_${++pgDatabases}`;
    execFileSync('psql', [PG, '-q', '-c', `CREATE DATABASE ${pgName}`], { stdio: 'ignore' });
    db = PG.replace('/postgres?', `/${pgName}?`);
  }
  execFileSync(BIN, ['demo', '--db', db, '--work-orders', String(workOrders), '--epoch', EPOCH,
    '--seed', String(seed)], { stdio: 'ignore' });
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2'],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      const r = await fetch(base + '/healthz');
      if (r.ok) break;
    } catch (e) { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base, db, dir, port, bin: BIN, pid: proc.pid,
    // Stops the server; a non-zero exit (a sanitizer report, a crash) fails the test file.
    async stop() {
      const code = proc.exitCode !== null ? proc.exitCode
        : await new Promise((r) => { proc.once('exit', (c) => r(c)); proc.kill('SIGTERM'); });
      fs.rmSync(dir, { recursive: true, force: true });
      if (pgName) execFileSync('psql', [PG, '-q', '-c', `DROP DATABASE ${pgName} WITH (FORCE)`], { stdio: 'ignore' });
      if (code !== 0) throw new Error(`fieldwork serve exited with status ${code}`);
    },
  };
}

// A real SMTP listener on loopback that keeps what it receives.
function startSmtp() {
  return new Promise((resolve) => {
    const messages = [];
    const server = net.createServer((sock) => {
      let buf = '';
      let inData = false;
      let cur = { from: '', to: [], data: '' };
      sock.write('220 localhost ESMTP test\r\n');
      sock.on('data', (d) => {
        buf += d.toString('utf8');
        for (;;) {
          if (inData) {
            const end = buf.indexOf('\r\n.\r\n');
            if (end < 0) return;
            cur.data = buf.slice(0, end);
            buf = buf.slice(end + 5);
            inData = false;
            messages.push(cur);
            cur = { from: '', to: [], data: '' };
            sock.write('250 OK queued\r\n');
            continue;
          }
          const nl = buf.indexOf('\r\n');
          if (nl < 0) return;
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO' || verb === 'HELO') sock.write('250 localhost\r\n');
          else if (verb === 'MAIL') { cur.from = line; sock.write('250 OK\r\n'); }
          else if (verb === 'RCPT') { cur.to.push(line.replace(/^RCPT TO:\s*/i, '').replace(/[<>]/g, '')); sock.write('250 OK\r\n'); }
          else if (verb === 'DATA') { inData = true; sock.write('354 go ahead\r\n'); }
          else if (verb === 'QUIT') { sock.write('221 bye\r\n'); sock.end(); }
          else sock.write('250 OK\r\n');
        }
      });
      sock.on('error', () => {});
    });
    server.listen(0, '127.0.0.1', () => resolve({
      port: server.address().port,
      messages,
      close: () => new Promise((r) => server.close(r)),
    }));
  });
}

// The Set-Cookie lines of a fetch answer. Node 18's Headers has no
// getSetCookie(): get() joins the lines with ", ", so split there, but not
// inside an Expires date ("Expires=Wed, 21 Oct 2026 ..."), by splitting only
// where a comma is followed by the next cookie's "name=".
function setCookies(res) {
  const joined = res.headers.get('set-cookie');
  if (!joined) return [];
  return joined.split(/,\s*(?=[!#$%&'*+\-.^_`|~0-9A-Za-z]+=)/);
}

class Client {
  constructor(base) {
    this.base = base;
    this.jar = new Map();
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async req(method, url, { form, headers = {}, body } = {}) {
    const h = { ...headers };
    if (this.jar.size) h.cookie = this.cookieHeader();
    let data = body;
    if (form) {
      data = new URLSearchParams(Object.entries(form).flatMap(([k, v]) => [].concat(v).map((x) => [k, x]))).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + url, { method, headers: h, body: data, redirect: 'manual' });
    for (const c of setCookies(res)) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    res.text_ = await res.text();
    return res;
  }

  get(url, opts) { return this.req('GET', url, opts); }

  post(url, form, opts = {}) { return this.req('POST', url, { ...opts, form }); }

  // multipart/form-data: FIELDS are strings, FILES are [field, name, Buffer, type].
  async upload(url, fields, files) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const x of [].concat(v)) fd.append(k, x);
    for (const [field, name, data, type] of files) fd.append(field, new Blob([data], { type: type || 'application/octet-stream' }), name);
    return this.req('POST', url, { body: fd });
  }

  async json(url) {
    const r = await this.get(url);
    return { status: r.status, body: JSON.parse(r.text_), res: r };
  }

  async login(email, password = PASSWORD) {
    await this.get('/login');
    const csrf = this.jar.get('fw_pre');
    const r = await this.post('/login', { csrf, email, password });
    if (r.status !== 303) throw new Error(`login of ${email} failed: ${r.status}`);
    return r;
  }

  // The CSRF token of the logged-in session, from the Home view-model.
  async token() {
    const r = await this.json('/api/');
    return r.body.csrf;
  }
}

const users = {
  operator: 'operator@chargepoint.example',
  megan: 'dispatch@megansdispatch.example',
  meganAdmin: 'admin@megansdispatch.example',
  volt: 'dispatch@voltfield.example',
  voltAdmin: 'admin@voltfield.example',
  tech: 'joe.bradley@megansdispatch.example',
};

// A new work order made by the operator (guide: New Work Order) at Kohl's,
// for OWNER; returns its number.
async function createWorkOrder(op, subject, caseNo, owner = "Megan's Dispatch Service", entitlement = 'Repair SLA Assure') {
  const page = await op.json('/api/work-orders/new');
  const ch = page.body.choices;
  const r = await op.post('/work-orders/new', { csrf: page.body.csrf, case: caseNo, subject,
    account_id: String(ch.accounts.find((a) => a.name === "Kohl's").id),
    station_id: String(ch.stations.find((s) => s.name.startsWith("Kohl's: ")).id),
    territory_id: String(ch.territories.find((t) => t.name === 'Florida - Orlando Metro').id),
    entitlement_id: String(ch.entitlements.find((e) => e.name === entitlement).id),
    work_type_id: String(ch.work_types.find((t) => t.name === 'CT4 Head Replacement').id),
    owner_id: String(ch.partners.find((p) => p.name === owner).id), line_items: 'Replace the head' });
  if (r.status !== 303) throw new Error(`new work order: ${r.status}`);
  return Number(/\/work-orders\/(\d+)/.exec(r.headers.get('location'))[1]);
}

// A second node serving the database of A (a startServer result) with
// ENV; resolves to { base, proc, stop() } once it answers.
async function startSecondNode(a, env = {}) {
  const port = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port: p } = s.address(); s.close(() => resolve(p)); });
  });
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(BIN, ['serve', '--db', a.db, '--listen', `127.0.0.1:${port}`, '--threads', '2'],
    { stdio: 'ignore', env: { ...process.env, ...env } });
  const stop = () => { if (proc.exitCode === null) proc.kill('SIGKILL'); };
  for (let i = 0; i < 150; i++) {
    try { if ((await fetch(base + '/healthz')).ok) return { base, proc, stop }; } catch (e) { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('the second node did not start');
}

module.exports = { createWorkOrder, startSecondNode, PG, setCookies, startServer, startSmtp, Client, users, PASSWORD, BIN, EPOCH };
