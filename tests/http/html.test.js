// Every page each role reaches -- Home, the lists, every tab and action
// form of work orders in each status, the chapters' other screens -- is
// valid HTML by the Nu HTML Checker (the W3C's validator), run once over
// all of them with Debian's Java.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, Client, users } = require('../lib/server');

let srv;
before(async () => { srv = await startServer({ workOrders: 120 }); });
after(async () => { await srv.stop(); });

test('the Nu HTML Checker finds no error on any page a partner, a technician or the operator reaches', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-nu-'));
  let saved = 0;
  const save = async (c, who, url) => {
    const r = await c.get(url);
    if (!/text\/html/.test(r.headers.get('content-type') || '')) return;
    fs.writeFileSync(path.join(dir, `${who}${url.replace(/[^a-z0-9]+/gi, '_')}.html`), r.text_);
    saved++;
  };
  try {
    const anon = new Client(srv.base);
    for (const u of ['/login', '/forgot-password', '/sign-up', '/api/docs']) await save(anon, 'anon', u);
    for (const [who, email] of [['dispatcher', users.megan], ['admin', users.meganAdmin], ['operator', users.operator], ['technician', users.tech]]) {
      const c = new Client(srv.base);
      await c.login(email);
      const pages = ['/', '/work-orders', '/work-orders?view=all', '/work-orders?view=recent', '/work-orders?view=completed-closed',
        '/work-orders?view=rejected-cancelled', '/technicians', '/dashboard', '/library', '/university', '/settings',
        '/notifications', '/users', '/queue', '/sla', '/work-orders/new', '/work-orders?view=sla-at-risk&sort=target', '/work-orders/import'];
      const rows = (await c.json('/api/work-orders?view=all&size=200')).body.rows || [];
      for (const st of ['Assigned', 'Ship-To Received', 'In Progress', 'Shipped', 'Completed', 'On Hold', 'Cannot Complete']) {
        const w = rows.find((r) => r.status === st);
        if (!w) continue;
        for (const t of ['', '/related', '/rma-fso', '/collaborate', '/assignment', '/print']) pages.push(`/work-orders/${w.number}${t}`);
        for (const a of ['accept-shipping', 'accept-travel', 'reject', 'could-not-complete', 'assistance', 'schedule', 'site-times',
          'complete', 'shipped', 'hold', 'cancel', 'send-back', 'delivery-date']) pages.push(`/work-orders/${w.number}/${a}`);
      }
      for (const p of pages) await save(c, who, p);
    }
    // refused forms come back as pages of their own: the held files, the messages beside fields
    const keep = (who, name, r) => { fs.writeFileSync(path.join(dir, `${who}_refused_${name}.html`), r.text_); saved++; };
    const png = Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1');
    const d = new Client(srv.base);
    await d.login(users.megan);
    const mine = (await d.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
    keep('dispatcher', 'post', await d.upload(`/work-orders/${mine}/collaborate`, { csrf: await d.token(), body: '@"Nobody" hello' }, [['files', 'a.png', png, 'image/png']]));
    keep('dispatcher', 'files', await d.upload(`/work-orders/${mine}/files`, { csrf: await d.token() }, [['files', 'a.png', png, 'image/png'], ['files', 'b.bin', Buffer.from([0, 1, 2])]]));
    keep('dispatcher', 'assign', await d.post(`/work-orders/${mine}/assignment`, { csrf: await d.token() }));
    const o = new Client(srv.base);
    await o.login(users.operator);
    keep('operator', 'import', await o.upload('/work-orders/import', { csrf: await o.token() }, [['file', 'w.csv', Buffer.from('Case,Subject\r\n1,x\r\n'), 'text/csv']]));
    keep('operator', 'library', await o.upload('/library', { csrf: await o.token(), title: '' }, [['file', 'a.png', png, 'image/png']]));
    const a = new Client(srv.base);
    await a.login(users.meganAdmin);
    keep('admin', 'offboard-none', await a.post('/technicians/offboard?my_org=yes', { csrf: await a.token() }));
    const tech = (await a.json('/api/technicians?my_org=yes')).body.search.rows[0];
    keep('admin', 'offboard-confirm', await a.post('/technicians/offboard?my_org=yes', { csrf: await a.token(), technician: String(tech.id) }));
    assert.ok(saved > 150, `${saved} pages checked`);
    const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
    // the checker writes its report on stderr, and exits 1 when it finds errors
    const run = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'json', dir], { encoding: 'utf8' });
    const out = run.stderr.trim() || run.stdout;
    const msgs = JSON.parse(out).messages.map((m) => `${path.basename(m.url || '')}:${m.lastLine}: ${m.message}`);
    assert.deepEqual(msgs, [], `${msgs.length} errors`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
