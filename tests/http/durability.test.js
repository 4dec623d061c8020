// Durability: a writer posts through HTTP while the server is killed with
// SIGKILL at random moments, over 20 rounds.  Every write the server
// acknowledged (303) must be there after each restart, and the database
// must pass SQLite's integrity check.  (Power loss is another matter: see
// README, "Durability".)
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { Client, users, BIN, EPOCH } = require('../lib/server');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function serve(db, port) {
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2'], { stdio: 'ignore' });
  const deadline = Date.now() + 15000;
  for (;;) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return proc; } catch (e) { /* starting */ }
    if (Date.now() > deadline) throw new Error('server did not start');
    await sleep(50);
  }
}

test('kill -9 at random moments: every acknowledged write survives, the database stays whole', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-dur-'));
  const db = path.join(dir, 'fw.db');
  execFileSync(BIN, ['demo', '--db', db, '--work-orders', '50', '--epoch', EPOCH, '--seed', '5'], { stdio: 'ignore' });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let proc = await serve(db, port);
  const c = new Client(base);
  await c.login(users.megan);
  const n = (await c.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
  const token = await c.token();
  const acked = [];
  try {
    for (let round = 0; round < 20; round++) {
      if (round) proc = await serve(db, port);   // the session from before the kill still works
      let stop = false;
      const writer = (async () => {
        for (let i = 0; !stop && i < 400; i++) {
          const body = `dur-${round}-${i}`;
          try {
            const r = await c.post(`/work-orders/${n}/collaborate`, { csrf: token, body });
            if (r.status === 303) acked.push(body);
            else if (r.status < 500) assert.fail(`answered ${r.status}`);
          } catch (e) { break; }   // the connection died with the server
        }
      })();
      await sleep(100 + Math.floor(Math.random() * 400));
      proc.kill('SIGKILL');
      stop = true;
      await writer;
      await new Promise((r) => (proc.exitCode !== null || proc.signalCode ? r() : proc.once('exit', r)));
    }
    const stored = new Set(execFileSync('sqlite3', [db, "SELECT body FROM post WHERE body LIKE 'dur-%'"], { encoding: 'utf8' }).split('\n'));
    const lost = acked.filter((b) => !stored.has(b));
    assert.ok(acked.length > 40, `${acked.length} writes acknowledged`);
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged writes lost`);
    assert.equal(execFileSync('sqlite3', [db, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok');
  } finally {
    if (proc.exitCode === null && !proc.signalCode) proc.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
