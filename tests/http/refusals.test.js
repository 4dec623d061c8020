// Never lose a user's work: every form that refuses input answers 422 with
// the form again, what was typed and chosen still in it, the message beside
// the field, and attached files held on the server for the retry (listed,
// ticked, never sent twice).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users } = require('../lib/server');

let srv, megan, volt, op, n;
const PNG = Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1');
before(async () => {
  srv = await startServer({ workOrders: 120 });
  megan = new Client(srv.base);
  await megan.login(users.megan);
  volt = new Client(srv.base);
  await volt.login(users.volt);
  op = new Client(srv.base);
  await op.login(users.operator);
  n = (await megan.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
});
after(async () => srv.stop());

const heldIds = (html) => [...html.matchAll(/name="held" value="(\d+)" checked/g)].map((m) => m[1]);

test('a refused Collaborate post comes back with its text and its files held', async () => {
  const body = 'Parts are here, @"Nobody Of That Name" please confirm the visit.';
  const r = await megan.upload(`/work-orders/${n}/collaborate`, { csrf: await megan.token(), body },
    [['files', 'site-photo.png', PNG, 'image/png'], ['files', 'quote.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf']]);
  assert.equal(r.status, 422);
  assert.ok(r.text_.includes('aria-invalid="true"'), 'the field is marked');
  assert.match(r.text_, /<p class="field-error" id="share-err" role="alert">[^<]*Nobody Of That Name/);
  assert.ok(r.text_.includes('Parts are here, @&quot;Nobody Of That Name&quot; please confirm the visit.</textarea>'), 'text kept');
  const ids = heldIds(r.text_);
  assert.equal(ids.length, 2, 'both files held');
  assert.ok(r.text_.includes('site-photo.png') && r.text_.includes('quote.pdf'));

  // another user cannot claim them
  const v = (await volt.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
  const stolen = await volt.upload(`/work-orders/${v}/collaborate`, { csrf: await volt.token(), body: 'hello', held: ids }, []);
  assert.equal(stolen.status, 303);
  const vfeed = (await volt.json(`/api/work-orders/${v}/collaborate`)).body.feed;
  assert.equal(vfeed.find((p) => p.body === 'hello').attachments.length, 0, 'held files are their sender\'s only');

  // the retry: text corrected, one file unticked, nothing sent again
  const ok = await megan.upload(`/work-orders/${n}/collaborate`,
    { csrf: await megan.token(), body: 'Parts are here, please confirm the visit.', held: [ids[0]] }, []);
  assert.equal(ok.status, 303);
  const post = (await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed.find((p) => p.body === 'Parts are here, please confirm the visit.');
  assert.deepEqual(post.attachments.map((a) => a.title), ['site-photo.png']);

  // once used, a held file is gone
  const again = await megan.upload(`/work-orders/${n}/collaborate`, { csrf: await megan.token(), body: 'Again', held: [ids[0]] }, []);
  assert.equal(again.status, 303);
  const p2 = (await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed.find((p) => p.body === 'Again');
  assert.equal(p2.attachments.length, 0);
});

test('an empty post and a post over 10,000 characters are refused beside the field, files kept', async () => {
  let r = await megan.upload(`/work-orders/${n}/collaborate`, { csrf: await megan.token(), body: '   ' }, []);
  assert.equal(r.status, 422);
  assert.match(r.text_, /id="share-err" role="alert">/);
  const long = 'x'.repeat(10001);
  r = await megan.upload(`/work-orders/${n}/collaborate`, { csrf: await megan.token(), body: long },
    [['files', 'a.png', PNG, 'image/png']]);
  assert.equal(heldIds(r.text_).length, 1);
  assert.equal(r.status, 422);
  assert.match(r.text_, /id="share-err" role="alert">[^<]*10,000/);
  assert.ok(r.text_.includes(long + '</textarea>'), 'the long text comes back whole');
});

test('a refused comment comes back in its own comment box', async () => {
  await megan.post(`/work-orders/${n}/collaborate`, { csrf: await megan.token(), body: 'A post to comment on' });
  const post = (await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed.find((p) => p.body === 'A post to comment on');
  const r = await megan.post(`/work-orders/${n}/collaborate/${post.id}/comment`,
    { csrf: await megan.token(), comment: 'Thanks @"No Such Person"' });
  assert.equal(r.status, 422);
  assert.match(r.text_, new RegExp(`id="comment-${post.id}"[^>]*value="Thanks @&quot;No Such Person&quot;"[^>]*aria-invalid="true"`));
  assert.match(r.text_, new RegExp(`id="comment-${post.id}-err" role="alert">`));
});

test('a refused upload on Related keeps the good files and names the bad one', async () => {
  const r = await megan.upload(`/work-orders/${n}/files`, { csrf: await megan.token() },
    [['files', 'photo.png', PNG, 'image/png'], ['files', 'tool.exe', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1')]]);
  assert.equal(r.status, 422);
  assert.match(r.text_, /id="upload-err" role="alert">tool.exe is not a type/);
  const ids = heldIds(r.text_);
  assert.equal(ids.length, 1);
  const ok = await megan.upload(`/work-orders/${n}/files`, { csrf: await megan.token(), held: ids }, []);
  assert.equal(ok.status, 303);
  const files = (await megan.json(`/api/work-orders/${n}/related`)).body.wo.files.map((f) => f.title);
  assert.ok(files.includes('photo.png'));
  const none = await megan.upload(`/work-orders/${n}/files`, { csrf: await megan.token() }, []);
  assert.equal(none.status, 422);
  assert.match(none.text_, /id="upload-err" role="alert">Choose one or more files to upload./);
});

test('a refused Library document comes back with its fields, its file held, each message beside its field', async () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n');
  const r = await op.upload('/library', { csrf: await op.token(), title: 'Price list 2027', category: 'Price List', version: 'v' + 'x'.repeat(40), date: '' },
    [['file', 'prices-2027.pdf', pdf, 'application/pdf']]);
  assert.equal(r.status, 422);
  assert.match(r.text_, /id="doc-version-err">The version is limited to 40 characters./);
  assert.match(r.text_, /id="doc-date-err">Enter the document&#39;s date./);
  assert.match(r.text_, /id="doc-title"[^>]*value="Price list 2027"/);
  assert.match(r.text_, /<option selected>Price List<\/option>/);
  const ids = heldIds(r.text_);
  assert.equal(ids.length, 1);
  const ok = await op.upload('/library', { csrf: await op.token(), title: 'Price list 2027', category: 'Price List', version: 'v2', date: '2026-11-01', held: ids }, []);
  assert.equal(ok.status, 303);
  const doc = (await op.json('/api/library?q=2027')).body.docs.find((d) => d.title === 'Price list 2027');
  assert.equal(doc.filename, 'prices-2027.pdf');
});

test('Assign To WO with nobody chosen, Onboard with nobody chosen: the page again with the message', async () => {
  const a = await megan.post(`/work-orders/${n}/assignment`, { csrf: await megan.token() });
  assert.equal(a.status, 422);
  assert.match(a.text_, /id="assign-err" role="alert">Select a technician in the Field Technician list, then Assign To WO./);
  assert.ok(a.text_.includes('Assign To WO</button>'), 'the tab with its list');
  const admin = new Client(srv.base);
  await admin.login(users.meganAdmin);
  const o = await admin.get('/technicians/onboard');
  assert.equal(o.status, 422);
  assert.match(o.text_, /id="roster-err" role="alert">Select a technician in Certification Information, then Onboard./);
});

test('a calendar link for a technician of another company, and an approval with no company: the form again', async () => {
  const admin = new Client(srv.base);
  await admin.login(users.meganAdmin);
  const voltTech = (await op.json('/api/technicians?my_org=yes')).body.search.rows.find((t) => t.company === 'Volt Field Services');
  const r = await admin.post('/calendar/new', { csrf: await admin.token(), technician: String(voltTech ? voltTech.id : 999999) });
  assert.equal(r.status, 422);
  assert.match(r.text_, /id="cal-err" role="alert">/);
  assert.ok(r.text_.includes('Make a calendar link'));

  const anon = new Client(srv.base);
  await anon.get('/sign-up');
  const s = await anon.post('/sign-up', { csrf: anon.jar.get('fw_pre'), name: 'Lee Ortiz', email: 'lee.ortiz@unknown-co.example', company: 'Unknown Co' });
  assert.equal(s.status, 200);
  const page = await op.json('/api/users');
  const req = page.body.signups.find((x) => x.email === 'lee.ortiz@unknown-co.example');
  const bad = await op.post(`/sign-up-requests/${req.id}/approve`, { csrf: page.body.csrf, role: 'admin' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, new RegExp(`id="signup-${req.id}-err" role="alert">`));
  assert.match(bad.text_, /<option value="admin" selected>Partner Admin<\/option>/);
});

test('Offboard: nobody selected says so; a confirmation names the technician and the work orders; then the login ends', async () => {
  const admin = new Client(srv.base);
  await admin.login(users.meganAdmin);
  const none = await admin.post('/technicians/offboard?my_org=yes', { csrf: await admin.token() });
  assert.equal(none.status, 422);
  assert.match(none.text_, /id="roster-err" role="alert">Select the technician to offboard, then Offboard./);

  const joe = new Client(srv.base);
  await joe.login(users.tech);
  const joeRow = (await admin.json('/api/technicians?my_org=yes')).body.search.rows.find((t) => t.email === users.tech);
  const feed = await admin.post('/calendar/new', { csrf: await admin.token(), technician: String(joeRow.id) });
  const token = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(feed.text_)[1];
  assert.equal((await fetch(`${srv.base}/calendar/${token}.ics`)).status, 200);
  // give Joe an open work order so that the confirmation has one to name
  const as = await megan.post(`/work-orders/${n}/assignment`, { csrf: await megan.token(), technician: String(joeRow.id), override_reason: 'No certified technician available' });
  assert.equal(as.status, 303);

  const confirm = await admin.post('/technicians/offboard?my_org=yes', { csrf: await admin.token(), technician: String(joeRow.id) });
  assert.equal(confirm.status, 200);
  assert.match(confirm.text_, /<h1 id="off-h">Offboard Joe Bradley\?<\/h1>/);
  assert.match(confirm.text_, /every session they have ends, they cannot log in, and the calendar feeds of their appointments stop/);
  const plan = (await admin.post('/api/technicians/offboard', { csrf: await admin.token(), technician: String(joeRow.id) })).text_;
  const wos = JSON.parse(plan).plan.work_orders.map((w) => w.number);
  for (const w of wos) assert.ok(confirm.text_.includes(`href="/work-orders/${w}"`), `names ${w}`);
  assert.ok(wos.includes(n), 'the work order just assigned to him is named');
  assert.ok((await joe.get('/')).status === 200, 'nothing happened before the confirmation');

  const done = await admin.post('/technicians/offboard?my_org=yes', { csrf: await admin.token(), technician: String(joeRow.id), confirm: 'yes' });
  assert.equal(done.status, 200);
  assert.match(done.text_, /You have successfully off boarded the technician/);
  assert.equal((await joe.get('/')).status, 303, 'the session is over');
  const again = new Client(srv.base);
  await assert.rejects(again.login(users.tech), 'cannot log in');
  assert.equal((await fetch(`${srv.base}/calendar/${token}.ics`)).status, 404, 'the feed stops');
});

// Every text input's maxlength is the server's limit: one character more
// is refused beside that field, in a message that names the same number.
test('maxlength is the server\'s limit, and the message names it', async () => {
  const numeric = new Set(['round_trip', 'travel_cost', 'rental_cost', 'permit_cost', 'case', 'ship_to_phone', 'phone_number', 'postal_code']);
  const rows = (await op.json('/api/work-orders?view=all&size=200')).body.rows;
  const checked = new Set();
  const forms = [['megan', 'accept-shipping', 'Assigned'], ['megan', 'reject', 'Assigned'], ['megan', 'could-not-complete', 'In Progress'],
    ['megan', 'assistance', 'In Progress'], ['megan', 'schedule', 'In Progress'], ['megan', 'complete', 'In Progress'],
    ['op', 'shipped', 'Shipping'], ['op', 'hold', 'In Progress'], ['op', 'cancel', 'In Progress'], ['op', 'send-back', 'Completed']];
  for (const [who, action, status] of forms) {
    const c = who === 'op' ? op : megan;
    const mine = who === 'op' ? rows : (await megan.json('/api/work-orders?view=all&size=200')).body.rows;
    let w = null;
    for (const r of mine.filter((x) => x.status === status)) {
      if (action !== 'accept-shipping' || (await c.json(`/api/work-orders/${r.number}`)).body.wo.parts_needed) { w = r; break; }
    }
    if (!w) continue;
    const form = await c.get(`/work-orders/${w.number}/${action}`);
    assert.equal(form.status, 200, `${action} form`);
    const version = /name="version" value="(\d+)"/.exec(form.text_)[1];
    for (const m of form.text_.matchAll(/<(?:input|textarea) id="[^"]*" name="([a-z_]+)"[^>]*maxlength="(\d+)"/g)) {
      const [, name, max] = m;
      assert.notEqual(max, '', `${action} ${name} has a maxlength`);
      if (numeric.has(name)) continue;
      const r = await c.post(`/work-orders/${w.number}/${action}`, { csrf: await c.token(), version, [name]: 'é'.repeat(Number(max) + 1) });
      assert.equal(r.status, 422, `${action} ${name} over ${max}`);
      const shown = Number(max) >= 1000 ? Number(max).toLocaleString('en-US') : max;
      assert.match(r.text_, new RegExp(`id="e-${name}"[^>]*>[^<]*${shown} characters`), `${action} ${name}: the message names ${shown}`);
      const ok = await c.post(`/work-orders/${w.number}/${action}`, { csrf: await c.token(), version, [name]: 'é'.repeat(Number(max)) });
      assert.ok(!new RegExp(`id="e-${name}"[^>]*>[^<]*characters or fewer`).test(ok.text_), `${action} ${name}: ${max} accented characters are within the limit`);
      checked.add(`${action}.${name}`);
    }
  }
  assert.ok(checked.size >= 15, `${checked.size} fields checked: ${[...checked].join(' ')}`);
});

test('a refused SLA setting comes back in its own form with what was typed', async () => {
  const page = await op.json('/api/sla');
  const hol = await op.post('/sla', { csrf: page.body.csrf, what: 'holiday', day: '2026-02-30', name: 'Founders Day' });
  assert.equal(hol.status, 422);
  assert.match(hol.text_, /id="hol-err" role="alert">Enter the holiday&#39;s date./);
  assert.match(hol.text_, /id="name"[^>]*value="Founders Day"/);
  const volt = page.body.sla.partners.find((p) => p.name === 'Volt Field Services');
  const miles = await op.post('/sla', { csrf: page.body.csrf, what: 'covered-miles', id: String(volt.id), miles: '40', rate: '0,75' });
  assert.equal(miles.status, 422);
  assert.match(miles.text_, new RegExp(`id="rate-${volt.id}"[^>]*value="0,75"[^>]*aria-invalid="true"`));
  assert.match(miles.text_, new RegExp(`id="miles-${volt.id}-err" role="alert">The Travel Cost/mile must be`));
  assert.match(miles.text_, new RegExp(`id="miles-${volt.id}"[^>]*value="40"`));
  assert.equal((miles.text_.match(/class="field-error"/g) || []).length, 1, 'the message beside that form only');
});

test('site times cannot be in the future, the arrival nor the departure', async () => {
  const w = (await megan.json('/api/work-orders?view=my-open&size=200')).body.rows.find((r) => r.status === 'In Progress');
  const v = (await megan.json(`/api/work-orders/${w.number}`)).body.wo.version;
  const today = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  const later = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  const r = await megan.post(`/work-orders/${w.number}/site-times`, { csrf: await megan.token(), version: String(v),
    arrive_date: today, arrive_time: '08:00', depart_date: later, depart_time: '09:00' });
  assert.equal(r.status, 422);
  assert.match(r.text_, /id="e-depart_date">The departure cannot be in the future./);
  assert.match(r.text_, new RegExp(`value="${later}"`), 'the dates typed come back');
});
