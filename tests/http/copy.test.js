// fieldwork copy: a SQLite store that has been used (files, posts, a
// reissued work order) into a new PostgreSQL database, compared table by
// table, then served from PostgreSQL.  Needs the test cluster (FW_TEST_PG).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { Client, users, BIN, EPOCH } = require('../lib/server');

const PGURI = process.env.FW_TEST_PG;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function serve(db) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2'], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try { if ((await fetch(base + '/healthz')).ok) return { proc, base }; } catch (e) { /* starting */ }
    await sleep(100);
  }
  throw new Error('server did not start');
}

const stop = (s) => new Promise((r) => { s.proc.once('exit', r); s.proc.kill('SIGTERM'); });

test('fieldwork copy moves a used SQLite store into PostgreSQL, table by table', { skip: PGURI ? false : 'needs FW_TEST_PG' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-copy-'));
  const file = path.join(dir, 'fw.db');
  const name = `fw_copy_${process.pid}`;
  const target = PGURI.replace('/postgres?', `/${name}?`);
  execFileSync(BIN, ['demo', '--db', file, '--work-orders', '150', '--epoch', EPOCH, '--seed', '9'], { stdio: 'ignore' });
  try {
    // use it: a file, a post, a work order reissued
    let s = await serve(file);
    const megan = new Client(s.base);
    await megan.login(users.megan);
    const rows = (await megan.json('/api/work-orders?view=my-open&size=50')).body.rows;
    const n = rows[0].number;
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 7)]);
    assert.equal((await megan.upload(`/work-orders/${n}/files`, { csrf: await megan.token() }, [['files', 'site.jpg', photo, 'image/jpeg']])).status, 303);
    assert.equal((await megan.post(`/work-orders/${n}/collaborate`, { csrf: await megan.token(), body: 'before the move' })).status, 303);
    const ip = rows.find((r) => r.status === 'In Progress');
    const v = (await megan.json(`/api/work-orders/${ip.number}`)).body.wo.version;
    assert.equal((await megan.post(`/work-orders/${ip.number}/could-not-complete`, { csrf: await megan.token(), version: String(v), reason: 'Other', comment: 'No access' })).status, 303);
    const op = new Client(s.base);
    await op.login(users.operator);
    const v2 = (await op.json(`/api/work-orders/${ip.number}`)).body.wo.version;
    assert.equal((await op.post(`/work-orders/${ip.number}/reissue`, { csrf: await op.token(), version: String(v2) })).status, 303);
    await stop(s);

    execFileSync('psql', [PGURI, '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'ignore' });
    const run = spawnSync(BIN, ['copy', '--from', file, '--to', target], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    // table by table, as each store's own client counts them
    const tables = execFileSync('sqlite3', [file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      + " AND name NOT LIKE 'wo_fts%' AND name NOT IN ('schema_migration', 'wo_count', 'tech_load', 'wo_pace_day', 'wo_missed_count', 'wo_row', 'search_edit', 'sort_edit')"], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(tables.length > 35);
    for (const t of tables) {
      const a = execFileSync('sqlite3', [file, `SELECT count(*) FROM ${t}`], { encoding: 'utf8' }).trim();
      const b = execFileSync('psql', [target, '-At', '-c', `SELECT count(*) FROM ${t}`], { encoding: 'utf8' }).trim();
      assert.equal(b, a, `${t}: ${a} rows in the file, ${b} in PostgreSQL`);
    }
    // the counters and SQLite's list rows are not copied: the target's triggers counted as the rows came
    // in (PostgreSQL makes a list row in the query); every technician's load is the same
    const loadSql = 'SELECT owner_org_id, technician_id, n FROM tech_load WHERE n > 0 ORDER BY 1, 2';
    const loadA = execFileSync('sqlite3', ['-separator', '|', file, loadSql], { encoding: 'utf8' }).trim();
    assert.ok(loadA.length > 0);
    assert.equal(execFileSync('psql', [target, '-At', '-c', loadSql], { encoding: 'utf8' }).trim(), loadA);
    const again = spawnSync(BIN, ['copy', '--from', file, '--to', target], { encoding: 'utf8' });
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /not empty/);

    // and it serves: the same people, work orders, files and links
    s = await serve(target);
    const m2 = new Client(s.base);
    await m2.login(users.megan);
    const files = (await m2.json(`/api/work-orders/${n}/related`)).body.wo.files;
    const f = files.find((x) => x.title === 'site.jpg');
    assert.ok(f);
    const got = await fetch(`${s.base}/files/${f.id}`, { headers: { cookie: m2.cookieHeader() } });
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), photo);
    const w = (await m2.json(`/api/work-orders/${ip.number}`)).body.wo;
    assert.ok(w.reissued_as > ip.number, 'the reissue link came along');
    const feed = (await m2.json(`/api/work-orders/${n}/collaborate`)).body.feed;
    assert.ok(feed.some((p) => p.body === 'before the move'));
    // new rows take new ids: the identities moved past the copied ones
    assert.equal((await m2.post(`/work-orders/${n}/collaborate`, { csrf: await m2.token(), body: 'after the move' })).status, 303);
    await stop(s);
  } finally {
    spawnSync('psql', [PGURI, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
