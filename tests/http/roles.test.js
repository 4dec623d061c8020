// What a technician may do (README: they see the work orders assigned to
// them, record Actual Site Arrive / Departure Time and upload photos,
// nothing more): every other form answers 403 on GET and on POST, each
// tested; the dispatcher opens the same forms.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users } = require('../lib/server');

let srv, joe, megan, n;
const PNG = Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1');
before(async () => {
  srv = await startServer({ workOrders: 120 });
  joe = new Client(srv.base);
  await joe.login(users.tech);
  megan = new Client(srv.base);
  await megan.login(users.megan);
  const rows = (await joe.json('/api/work-orders?view=all&size=200')).body.rows;
  n = (rows.find((r) => ['In Progress', 'Assigned', 'Parts Delivered'].includes(r.status)) || rows[0]).number;
});
after(async () => srv.stop());

const FORMS = ['accept-shipping', 'accept-travel', 'reject', 'could-not-complete', 'assistance', 'schedule', 'complete',
  'shipped', 'hold', 'cancel', 'send-back', 'delivery-date'];
const BUTTONS = ['woli', 'parts-ordered', 'shipping', 'parts-delivered', 'resume', 'close', 'reissue'];

test('a technician gets 403 on GET and POST of every dispatcher and operator form', async () => {
  assert.ok(n, 'Joe has a work order');
  const token = await joe.token();
  const version = String((await joe.json(`/api/work-orders/${n}`)).body.wo.version);
  for (const f of FORMS) {
    const g = await joe.get(`/work-orders/${n}/${f}`);
    assert.equal(g.status, 403, `GET ${f}`);
    assert.match(g.text_, /A technician records the site visit times and adds photos/);
    const p = await joe.post(`/work-orders/${n}/${f}`, { csrf: token, version, reason: 'x', message: 'x' });
    assert.equal(p.status, 403, `POST ${f}`);
  }
  for (const b of BUTTONS) assert.equal((await joe.post(`/work-orders/${n}/${b}`, { csrf: token, version })).status, 403, `POST ${b}`);
  for (const [m, u] of [['GET', `/work-orders/${n}/collaborate`], ['GET', `/work-orders/${n}/assignment`],
    ['POST', `/work-orders/${n}/collaborate`], ['POST', `/work-orders/${n}/collaborate/1/comment`], ['POST', `/work-orders/${n}/collaborate/1/like`],
    ['POST', `/work-orders/${n}/follow`], ['POST', `/work-orders/${n}/service-report`], ['POST', `/work-orders/${n}/assignment`],
    ['GET', `/mentions/${n}?q=a`], ['GET', '/technicians'], ['GET', '/technicians/onboard'], ['POST', '/technicians/offboard'],
    ['GET', `/address-suggestions?wo=${n}&q=1`], ['GET', '/dashboard'], ['GET', '/work-orders/new'], ['GET', '/queue'], ['GET', '/sla'], ['GET', '/users']]) {
    const r = m === 'GET' ? await joe.get(u) : await joe.post(u, { csrf: token, body: 'hello', technician: '1' });
    assert.equal(r.status, 403, `${m} ${u}`);
  }
  const page = await joe.get(`/work-orders/${n}`);
  for (const w of ['+ Follow', 'Create Service Report', 'More Actions', 'Collaborate</a>'])
    assert.ok(!page.text_.includes(w), `no ${w} on a technician's page`);
});

test('a technician records site times and adds photos, and only photos', async () => {
  assert.equal((await joe.get(`/work-orders/${n}/site-times`)).status, 200);
  const token = await joe.token();
  const photo = await joe.upload(`/work-orders/${n}/files`, { csrf: token }, [['files', 'after.png', PNG, 'image/png']]);
  assert.equal(photo.status, 303);
  const pdf = await joe.upload(`/work-orders/${n}/files`, { csrf: token },
    [['files', 'before.png', PNG, 'image/png'], ['files', 'invoice.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf']]);
  assert.equal(pdf.status, 422);
  assert.match(pdf.text_, /invoice.pdf is not a photo: a technician adds photos/);
  assert.match(pdf.text_, /name="held" value="\d+" checked> <label[^>]*>before.png/, 'the photo is kept for the retry');
  assert.match(pdf.text_, /Upload Photos/);
});

test('the dispatcher opens the same forms', async () => {
  for (const f of ['reject', 'could-not-complete', 'assistance', 'schedule', 'complete', 'site-times'])
    assert.notEqual((await megan.get(`/work-orders/${n}/${f}`)).status, 403, f);
  assert.equal((await megan.get(`/work-orders/${n}/collaborate`)).status, 200);
});
