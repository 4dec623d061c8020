// Print, Create Service Report, CSV exports, calendar feeds, the
// Dashboard, the Library and Chargepoint University, over HTTP: facts of
// the PDF through pdftotext, CSV round trips, calendars through a parser,
// dashboard numbers against SQL, and tenant isolation of every export.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { PG, createWorkOrder, startServer, Client, users } = require('../lib/server');

let srv, megan, admin, volt, op;
before(async () => {
  srv = await startServer({ workOrders: 250 });
  megan = new Client(srv.base);
  await megan.login(users.megan);
  admin = new Client(srv.base);
  await admin.login(users.meganAdmin);
  volt = new Client(srv.base);
  await volt.login(users.volt);
  op = new Client(srv.base);
  await op.login(users.operator);
});
after(async () => { await srv.stop(); });

// The database's own answer, as JSON rows, from either store's client.
function sql(q) {
  if (PG) {
    const select = /^\s*SELECT/i.test(q);
    return execFileSync('psql', [srv.db, '-At', '-c', select ? `SELECT COALESCE(json_agg(t), '[]') FROM (${q}) t` : q])
      .toString().trim() || '[]';
  }
  return execFileSync('sqlite3', ['-json', srv.db, q]).toString().trim() || '[]';
}
const rows = (q) => JSON.parse(sql(q));

async function raw(c, url, opts = {}) {
  const h = { cookie: c.cookieHeader(), ...(opts.headers || {}) };
  return fetch(srv.base + url, { ...opts, headers: h, redirect: 'manual' });
}

// A real 2x2 PNG, CRCs and all.
function makePng() {
  const zlib = require('node:zlib');
  const table = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b) => { let c = 0xffffffff; for (const x of b) c = table[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(2, 0); ihdr.writeUInt32BE(2, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// RFC 4180 reader for the round trip
function parseCsv(text) {
  const out = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') q = false; else field += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); out.push(row); row = []; field = ''; i++; } else field += ch;
  }
  if (field || row.length) { row.push(field); out.push(row); }
  return out;
}

const createWo = (subject, caseNo, owner) => createWorkOrder(op, subject, caseNo, owner);

test('Print shows the whole work order as one document', async () => {
  const n = (await megan.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
  const wo = await megan.get(`/work-orders/${n}`);
  assert.match(wo.text_, new RegExp(`href="/work-orders/${n}/print">Print<`));
  const p = await megan.get(`/work-orders/${n}/print`);
  assert.equal(p.status, 200);
  for (const w of [`Work Order ${n}`, 'Work Order Line Items', 'Work Order History', 'Files (', 'Collaborate', 'print.css'])
    assert.ok(p.text_.includes(w), w);
  assert.equal((await volt.get(`/work-orders/${n}/print`)).status, 404);
});

test('Create Service Report: a PDF with the facts, accents and non-Latin letters, and the photos; stored in Files', async () => {
  const n = await createWo('Head swap at Kohl\'s', '14539999');
  const w = (await op.json(`/api/work-orders/${n}`)).body.wo;
  const day = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  const s = await op.post(`/work-orders/${n}/schedule`, { csrf: await op.token(), version: String(w.version),
    appointment_date: day, appointment_time: '10:00', technician_name: 'José Müller-Ødegård Дмитрий',
    phone_number: '407-276-8065', scheduling_completed: new Date(Date.now() - 86400000).toISOString().slice(0, 10), continue: 'yes', delay_reason: 'Delay due to weather' });
  assert.equal(s.status, 303);
  // a sound photo, and a broken one that must not bring anything down
  const broken = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2216bb60000000049454e44ae426082', 'hex');
  assert.equal((await megan.upload(`/work-orders/${n}/files`, { csrf: await megan.token() },
    [['files', 'before-repair.png', makePng()], ['files', 'broken.png', broken]])).status, 303);
  const r = await megan.post(`/work-orders/${n}/service-report`, { csrf: await megan.token() });
  assert.equal(r.status, 303);
  const file = await raw(megan, r.headers.get('location'));
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  const pdf = Buffer.from(await file.arrayBuffer());
  const tmp = path.join(srv.dir, 'report.pdf');
  fs.writeFileSync(tmp, pdf);
  const txt = execFileSync('pdftotext', [tmp, '-'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  for (const fact of [`Work Order ${n}`, 'Kohl\'s', '205 Palm Bay Rd NE', 'José Müller-Ødegård Дмитрий', 'Replace the head'.slice(0, 0) || 'CT4 Head Replacement',
    'Serial Number', 'before-repair.png', 'Service Report'])
    assert.ok(txt.includes(fact), fact);
  const files = (await megan.json(`/api/work-orders/${n}/related`)).body.wo.files;
  assert.ok(files.some((f) => f.title === `Service Report ${n}.pdf`), 'stored in Files');
  // a second report replaces the first: one copy in Files
  assert.equal((await megan.post(`/work-orders/${n}/service-report`, { csrf: await megan.token() })).status, 303);
  const again = (await megan.json(`/api/work-orders/${n}/related`)).body.wo.files;
  assert.equal(again.filter((f) => f.title === `Service Report ${n}.pdf`).length, 1, 'replaced, not piled up');
  assert.equal((await volt.post(`/work-orders/${n}/service-report`, { csrf: await volt.token() })).status, 404);
});

test('CSV: every row of the view, its sort and search; quotes, commas, newlines and formulas survive safely', async () => {
  const nasty = '=HYPERLINK("http://x","y"), with "quotes",\nand a newline';
  const n = await createWo(nasty, '14538888');
  const res = await raw(megan, '/work-orders/export.csv?view=all&sort=number&dir=desc');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="work-orders-all.csv"/);
  const text = (await res.text()).replace(/^\uFEFF/, '');
  const table = parseCsv(text);
  assert.deepEqual(table[0], ['Work Order Number', 'Case', 'Subject', 'Account', 'Service Territory', 'Status',
    'WO Assigned Date', 'Entitlement', 'Appointment Date', 'Work Type', 'Target SLA Date']);
  const data = table.slice(1);
  const total = (await megan.json('/api/work-orders?view=all&size=1')).body.total;
  assert.equal(data.length, total, 'all rows, not a page');
  const nums = data.map((r) => Number(r[0]));
  assert.deepEqual(nums, [...nums].sort((a, b) => b - a), 'in the list\'s order');
  const mine = data.find((r) => Number(r[0]) === n);
  assert.equal(mine[2], "'" + nasty, 'the formula is neutralized, the rest intact');
  const searched = parseCsv((await (await raw(megan, '/work-orders/export.csv?view=all&q=14538888')).text()).replace(/^\uFEFF/, ''));
  assert.equal(searched.length, 2);
  const done = parseCsv((await (await raw(megan, '/work-orders/export.csv?view=completed-closed')).text()).replace(/^\uFEFF/, ''));
  assert.equal(done[0][11], 'Completed Date', 'the view\'s own columns');
  const voltCsv = await (await raw(volt, '/work-orders/export.csv?view=all')).text();
  assert.ok(!voltCsv.includes(String(n)), 'another company\'s export never holds it');
  assert.equal((await raw(megan, '/work-orders/export.csv?view=nope')).status, 400);
  assert.equal((await fetch(srv.base + '/work-orders/export.csv?view=all', { redirect: 'manual' })).status, 303, 'login first');
});

test('calendar feeds: valid iCalendar, the company\'s or one technician\'s appointments, revocable', async () => {
  const ICAL = (await import('ical.js')).default;
  const token = await megan.token();
  const made = await megan.post('/calendar/new', { csrf: token });
  assert.equal(made.status, 200);
  const url = /http:\/\/[^"]+\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(made.text_);
  assert.ok(url);
  assert.match(made.text_, /until you revoke it in Settings/, 'the page says what the link does');
  assert.ok(!/works once/.test(made.text_) && made.text_.includes('href="/settings">Back to Settings'));
  const feed = await fetch(`${srv.base}/calendar/${url[1]}.ics`);
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /^text\/calendar/);
  const text = await feed.text();
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents('vevent');
  const expected = rows(`SELECT number FROM wo w JOIN org o ON o.id = w.owner_org_id WHERE o.name = 'Megan''s Dispatch Service' AND appointment_at > 0 AND state_class = 0`).map((r) => r.number);
  assert.equal(events.length, expected.length);
  for (const ev of events) {
    const e = new ICAL.Event(ev);
    const num = Number(/^wo-(\d+)@fieldwork$/.exec(e.uid)[1]);
    assert.ok(expected.includes(num), 'only the company\'s own');
    assert.ok(e.startDate && e.endDate && e.summary.startsWith(`WO ${num}:`));
  }
  assert.ok(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
  // a technician's feed (partner admin only)
  const joe = (await admin.json('/api/technicians?my_org=yes')).body.search.rows.find((r) => r.name === 'Joe Bradley');
  assert.equal((await megan.post('/calendar/new', { csrf: token, technician: String(joe.id) })).status, 422);
  const ryan = (await op.json('/api/technicians?my_org=yes')).body.search.rows.find((r) => r.name === 'Ryan Cole');
  const other = await admin.post('/calendar/new', { csrf: await admin.token(), technician: String(ryan.id) });
  assert.equal(other.status, 422, 'another company\'s technician: the form again, with why');
  assert.match(other.text_, /id="cal-err" role="alert">/);
  const tmade = await admin.post('/calendar/new', { csrf: await admin.token(), technician: String(joe.id) });
  const turl = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(tmade.text_)[1];
  const tcal = new ICAL.Component(ICAL.parse(await (await fetch(`${srv.base}/calendar/${turl}.ics`)).text()));
  const joes = rows(`SELECT a.wo_number FROM wo_assignment a JOIN wo w ON w.number = a.wo_number WHERE a.technician_id = ${joe.id} AND a.active = 1 AND w.appointment_at > 0 AND w.state_class = 0`);
  assert.equal(tcal.getAllSubcomponents('vevent').length, joes.length);
  // revoke
  const feeds = (await megan.json('/api/settings')).body.calendar_feeds;
  assert.ok(feeds.length >= 2);
  const voltRevoke = await volt.post(`/calendar/${feeds[0].id}/revoke`, { csrf: await volt.token() });
  assert.equal(voltRevoke.status, 404, 'another company cannot revoke it');
  for (const f of feeds) assert.equal((await megan.post(`/calendar/${f.id}/revoke`, { csrf: token })).status, 303);
  assert.equal((await fetch(`${srv.base}/calendar/${url[1]}.ics`)).status, 404);
  assert.equal((await fetch(`${srv.base}/calendar/${'A'.repeat(43)}.ics`)).status, 404);
});

test('the Dashboard\'s numbers are the database\'s', async () => {
  const d = (await megan.json('/api/dashboard')).body.dash;
  const org = rows(`SELECT id FROM org WHERE name = 'Megan''s Dispatch Service'`)[0].id;
  const byStatus = rows(`SELECT status, count(*) AS n FROM wo WHERE owner_org_id = ${org} AND state_class = 0 GROUP BY status`);
  assert.equal(d.open, byStatus.reduce((a, r) => a + r.n, 0));
  for (const r of byStatus) assert.equal(d.open_by_status.find((b) => b.label === r.status).value, r.n, r.status);
  // missed: completed after the target, by the reason given if any
  const missed = rows(`SELECT CASE WHEN delay_reason = '' THEN 'No reason given' ELSE delay_reason END AS reason, count(*) AS n
    FROM wo WHERE owner_org_id = ${org} AND state_class = 1 AND target_sla_at > 0 AND completed_at > target_sla_at GROUP BY 1`);
  assert.equal(d.missed_total, missed.reduce((a, r) => a + r.n, 0));
  for (const r of missed) assert.equal(d.missed_by_reason.find((b) => b.label === r.reason).value, r.n);
  const now = Math.floor(Date.now() / 1000);
  const risk = rows(`SELECT count(*) AS n FROM wo WHERE owner_org_id = ${org} AND state_class = 0 AND target_sla_at > 0 AND (target_sla_at <= ${now} + 86400 OR appointment_at > target_sla_at)`)[0].n;
  assert.ok(Math.abs(d.at_risk_count - risk) <= 1, 'SLA at risk (the clock moved a little between the two reads at most)');
  const avg = rows(`SELECT CAST(round(AVG((completed_at - assigned_at) / 86400.0), 1) AS TEXT) AS v FROM wo WHERE owner_org_id = ${org} AND completed_at > 0 AND assigned_at >= ${now} - 90 * 86400`)[0].v;
  assert.equal(d.days_to_complete, avg);
  // each technician's open work orders, as the triggers counted them (tech_load) and as the assignments say
  const load = rows(`SELECT t.name AS name, count(*) AS n FROM wo_assignment a JOIN wo w ON w.number = a.wo_number
    JOIN technician t ON t.id = a.technician_id WHERE a.active = 1 AND w.state_class = 0 AND w.owner_org_id = ${org} GROUP BY t.name`);
  assert.ok(load.length > 0);
  assert.equal(d.technician_load.length, Math.min(load.length, 30));
  for (const b of d.technician_load) assert.equal(b.value, Number(load.find((r) => r.name === b.label).n), b.label);
  const page = await megan.get('/dashboard');
  assert.match(page.text_, /<svg class="chart"/);
  assert.match(page.text_, /Open work orders by status/);
  const opd = (await op.json('/api/dashboard')).body;
  assert.equal(opd.partners.length, 3, 'the operator compares the partners side by side');
  assert.equal(opd.partners.find((p) => p.company === "Megan's Dispatch Service").open, d.open);
});

test('Library: the operator adds documents; partners browse, search and download them', async () => {
  const pdf = Buffer.from('%PDF-1.4\n% price list\n');
  const token = await op.token();
  const bad = await op.upload('/library', { csrf: token, title: '', category: 'Price List', date: '2026-11-01' }, [['file', 'p.pdf', pdf]]);
  assert.equal(bad.status, 422);
  const ok = await op.upload('/library', { csrf: token, title: 'Price List 2027', category: 'Price List', version: 'v3', date: '2026-11-01' }, [['file', 'price-list.pdf', pdf]]);
  assert.equal(ok.status, 303);
  const notOp = await megan.upload('/library', { csrf: await megan.token(), title: 'x', category: 'Guide', date: '2026-11-01' }, [['file', 'x.pdf', pdf]]);
  assert.equal(notOp.status, 403);
  const list = (await megan.json('/api/library?q=2027')).body.docs;
  assert.equal(list.length, 1);
  assert.equal(list[0].version, 'v3');
  assert.equal((await megan.json('/api/library?q=price')).body.docs.length, 2, 'and the demo\'s price list');
  const dl = await raw(megan, `/library/${list[0].id}/download`);
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), pdf);
  const home = await megan.get('/');
  assert.match(home.text_, /Find the latest Price List and Program Document in the Library Tab/);
  assert.match(home.text_, /href="\/library">Go to Library</);
  assert.equal((await megan.json('/api/library?category=Brochure')).body.docs.length, 0);
});

test('Chargepoint University: the catalog, and which technicians hold what, expiring soon marked', async () => {
  const soon = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
  sql(`UPDATE technician_certification SET expires_on = '${soon}' WHERE technician_id = (SELECT id FROM technician WHERE name = 'Joe Bradley') AND certification_id = (SELECT id FROM certification WHERE name = 'CT4000-CM')`);
  const u = (await megan.json('/api/university')).body.university;
  for (const c of ['CP6000-INS', 'CT4000-CM', 'CT4000-INS']) assert.ok(u.catalog.some((x) => x.name === c), c);
  assert.ok(u.catalog.find((x) => x.name === 'CT4000-CM').required_for.includes('CT4 Head Replacement'));
  const joe = u.held.find((h) => h.technician === 'Joe Bradley' && h.certification === 'CT4000-CM');
  assert.equal(joe.expiring, true);
  assert.ok(u.held.every((h) => !['Ryan Cole', 'Nadia Petrov'].includes(h.technician)), 'only the company\'s own');
  const page = await megan.get('/university');
  assert.match(page.text_, /expires within 60 days/);
});

test('the partner scorecard: SLA hit rate by month, first-time fix, and each table as CSV; the operator sees every partner', async () => {
  const d = (await megan.json('/api/dashboard')).body.dash;
  assert.equal(d.hit_rate_months.length, 6);
  const org = rows(`SELECT id FROM org WHERE name = 'Megan''s Dispatch Service'`)[0].id;
  let n = 0, on = 0;
  for (const m of d.hit_rate_months) {
    n += m.completed;
    on += m.on_time;
    if (m.completed) assert.equal(m.rate, `${Math.round(m.on_time * 100 / m.completed)} %`);
  }
  assert.ok(n > 0);
  const since = rows(`SELECT count(*) AS n FROM wo WHERE owner_org_id = ${org} AND state_class = 1 AND target_sla_at > 0 AND completed_at > 0`)[0].n;
  assert.ok(n <= since);
  assert.match(d.hit_rate, /^\d+ %$/);
  assert.match(d.first_time_fix, /^\d+ %$/);
  const page = await megan.get('/dashboard');
  for (const w of ['Scorecard', 'SLA hit rate by month of completion', 'first-time fix'])
    assert.ok(page.text_.includes(w), w);
  const csv = await raw(megan, '/dashboard/scorecard.csv?table=months');
  assert.equal(csv.status, 200);
  const table = parseCsv((await csv.text()).replace(/^\uFEFF/, ''));
  assert.deepEqual(table[0], ['Month', 'Completed', 'Completed by the Target SLA Date', 'SLA hit rate']);
  assert.equal(table.length, 7);
  const reasons = parseCsv((await (await raw(megan, '/dashboard/scorecard.csv?table=reasons')).text()).replace(/^\uFEFF/, ''));
  assert.deepEqual(reasons[0], ['Delay Reason', 'Missed SLAs']);
  assert.equal((await raw(megan, '/dashboard/scorecard.csv?table=partners')).status, 403, 'a partner sees only its own');
  assert.equal((await raw(megan, '/dashboard/scorecard.csv?table=x')).status, 400);
  const side = parseCsv((await (await raw(op, '/dashboard/scorecard.csv?table=partners')).text()).replace(/^\uFEFF/, ''));
  assert.equal(side.length, 4, 'a header and three partners');
  assert.equal(side[0][4], 'SLA hit rate');
});

test('the demo Library has a price list, an installation guide and the program document, each a PDF', async () => {
  const list = await megan.get('/library');
  for (const t of ['Partner Price List 2026', 'Installation Guide: Express 250', 'O&amp;M Partner Program'])
    assert.ok(list.text_.includes(t), t);
  const doc = (await megan.json('/api/library?q=Partner%20Price')).body.docs[0];
  assert.equal(doc.title, 'Partner Price List 2026');
  const pdf = await raw(megan, `/library/${doc.id}/download`);
  assert.equal(pdf.status, 200);
  assert.match(Buffer.from(await pdf.arrayBuffer()).toString('latin1'), /^%PDF-1\.4/);
});
