// Collaborate, files, notifications, Follow and email (guide ch. 6, 8, 9):
// two sides of a work order talk with files, each is notified when they
// should be (in the portal and by email through a real SMTP listener),
// and no third company ever sees any of it.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, startSmtp, Client, users } = require('../lib/server');

let srv, smtp, megan, meganAdmin, volt, op, n, cse;
before(async () => {
  smtp = await startSmtp();
  srv = await startServer({ workOrders: 200, env: { FIELDWORK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, FIELDWORK_SMTP_FROM: 'noreply@fieldwork.test' } });
  megan = new Client(srv.base);
  await megan.login(users.megan);
  meganAdmin = new Client(srv.base);
  await meganAdmin.login(users.meganAdmin);
  volt = new Client(srv.base);
  await volt.login(users.volt);
  op = new Client(srv.base);
  await op.login(users.operator);
  const { body } = await megan.json('/api/work-orders?view=my-open&size=1');
  n = body.rows[0].number;
  cse = (await megan.json(`/api/work-orders/${n}`)).body.wo.customer_service_executive;
});
after(async () => {
  await srv.stop();
  await smtp.close();
});

async function waitFor(pred, what) {
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting for ' + what);
}

function emailOf(name, domain = 'chargepoint.example') {
  return name.toLowerCase().replace(/ /g, '.') + '@' + domain;
}

test('the Collaborate tab has the guide\'s words', async () => {
  const r = await megan.get(`/work-orders/${n}/collaborate`);
  assert.equal(r.status, 200);
  for (const w of ['>Post<', 'placeholder="Share an update..."', '>Share<', 'Sort by:', 'Most Recent Activity', 'Latest Posts',
    'placeholder="Search this feed..."', 'NA Field Service Team'])
    assert.ok(r.text_.includes(w), w);
});

test('a mention notifies the person and every member of a team, in the portal and by email', async () => {
  const token = await megan.token();
  const before = smtp.messages.length;
  const r = await megan.upload(`/work-orders/${n}/collaborate`,
    { csrf: token, body: `@"${cse}" and @"NA Field Service Team": travel beyond the agreed rate is needed.` },
    [['files', 'site-photo.png', Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1'), 'image/png']]);
  assert.equal(r.status, 303);
  const feed = (await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed;
  const post = feed[0];
  assert.equal(post.author_label, "Megan's Dispatch Service (Partner)");
  assert.equal(post.author_name, 'Dana Whitfield');
  assert.equal(post.attachments[0].title, 'site-photo.png');
  assert.equal(post.attachments[0].is_image, true);
  const files = (await megan.json(`/api/work-orders/${n}/related`)).body.wo.files;
  assert.ok(files.some((f) => f.title === 'site-photo.png'), 'a post\'s files appear in Files');

  await waitFor(() => smtp.messages.length >= before + 3, 'the emails');
  const to = smtp.messages.slice(before).flatMap((m) => m.to);
  for (const person of ['Jonathan David Rajan', 'Yuhui Anderson', 'Priya Natarajan'])
    assert.ok(to.includes(emailOf(person)), `${person} is emailed (team member)`);
  const msg = smtp.messages.slice(before).find((m) => m.to.includes(emailOf(cse)));
  assert.match(msg.data, new RegExp(`Subject: Work Order ${n}: Dana Whitfield mentioned`));
  assert.match(msg.data, new RegExp(`/work-orders/${n}`));
});

test('only taggable people are suggested; anyone else is refused', async () => {
  const s = await megan.json(`/api/mentions/${n}?q=`);
  const names = s.body.suggestions.map((x) => x.name);
  assert.ok(names.includes('NA Field Service Team'));
  assert.ok(names.includes(cse));
  assert.ok(names.includes('Megan Brooks'), 'the partner\'s own users');
  assert.ok(!names.includes('Kim Nguyen'), 'not another company\'s people');
  const q = await megan.json(`/api/mentions/${n}?q=service`);
  assert.deepEqual(q.body.suggestions.map((x) => x.insert), ['@"NA Field Service Team"']);
  const token = await megan.token();
  const bad = await megan.post(`/work-orders/${n}/collaborate`, { csrf: token, body: 'Hi @"Kim Nguyen"' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /cannot be tagged on this work order/);
  const email = await megan.post(`/work-orders/${n}/collaborate`, { csrf: token, body: 'Write to joe@example.com about it' });
  assert.equal(email.status, 303, 'an email address is not a mention');
  const empty = await megan.post(`/work-orders/${n}/collaborate`, { csrf: token, body: '' });
  assert.equal(empty.status, 422);
});

test('comments notify the post\'s author; likes and views count', async () => {
  const feed = (await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed;
  const post = feed.find((p) => p.author_name === 'Dana Whitfield');
  const optoken = await op.token();
  const c = await op.post(`/work-orders/${n}/collaborate/${post.id}/comment`, { csrf: optoken, comment: 'Approved: go ahead.' });
  assert.equal(c.status, 303);
  const notes = (await megan.json('/api/notifications')).body.notifications;
  assert.ok(notes.some((x) => x.kind === 'reply' && x.text.includes('replied to your post')));
  const like = await op.post(`/work-orders/${n}/collaborate/${post.id}/like`, { csrf: optoken });
  assert.equal(like.status, 303);
  let seen = (await op.json(`/api/work-orders/${n}/collaborate`)).body.feed.find((p) => p.id === post.id);
  assert.equal(seen.likes, 1);
  assert.equal(seen.liked, true);
  assert.equal(seen.views, 2, 'Dana and the operator have seen it');
  assert.equal(seen.views_label, '2 views');
  assert.equal(seen.comments[0].body, 'Approved: go ahead.');
  await op.post(`/work-orders/${n}/collaborate/${post.id}/like`, { csrf: optoken });
  seen = (await op.json(`/api/work-orders/${n}/collaborate`)).body.feed.find((p) => p.id === post.id);
  assert.equal(seen.likes, 0, 'a second Like takes it back');
  const found = await megan.json(`/api/work-orders/${n}/collaborate?q=${encodeURIComponent('go ahead')}`);
  assert.deepEqual(found.body.feed.map((p) => p.id), [post.id], 'search finds comments too');
  const latest = await megan.json(`/api/work-orders/${n}/collaborate?sort=latest`);
  assert.ok(latest.body.feed.length >= 2);
  assert.equal((await megan.get(`/work-orders/${n}/collaborate?sort=upside-down`)).status, 400);
});

test('Follow: status changes and posts reach followers', async () => {
  const token = await meganAdmin.token();
  assert.equal((await meganAdmin.post(`/work-orders/${n}/follow`, { csrf: token })).status, 303);
  assert.match((await meganAdmin.get(`/work-orders/${n}`)).text_, /aria-pressed="true">Following</);
  const before = (await meganAdmin.json('/api/')).body.unread;
  const w = (await op.json(`/api/work-orders/${n}`)).body.wo;
  const hold = await op.post(`/work-orders/${n}/hold`, { csrf: await op.token(), version: String(w.version), resume_on: new Date(Date.now() + 5 * 86400000).toISOString().slice(0, 10), reason: 'Site closed for inventory' });
  assert.equal(hold.status, 303);
  const after = (await meanUnread(meganAdmin));
  assert.ok(after > before, 'the follower is notified of the status change');
  const page = await meganAdmin.get('/notifications');
  assert.match(page.text_, /Status changed from .* to On Hold/);
  assert.equal((await meganAdmin.json('/api/')).body.unread, 0, 'opening the notifications reads them');
  const feed = (await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed;
  assert.ok(feed.some((p) => p.system && /On Hold/.test(p.body)), 'the system post is in the feed');
  await op.post(`/work-orders/${n}/resume`, { csrf: await op.token(), version: String((await op.json(`/api/work-orders/${n}`)).body.wo.version) });
  await meganAdmin.post(`/work-orders/${n}/follow`, { csrf: token });
  assert.match((await meganAdmin.get(`/work-orders/${n}`)).text_, />\+ Follow</);
});

async function meanUnread(c) { return (await c.json('/api/')).body.unread; }

test('uploads: limits, types from the content, safe names, inert HTML and SVG', async () => {
  const token = await megan.token();
  const url = `/work-orders/${n}/files`;
  const big = await megan.upload(url, { csrf: token }, [['files', 'big.bin', Buffer.alloc(26 * 1024 * 1024, 1)]]);
  assert.equal(big.status, 413);
  const elf = await megan.upload(url, { csrf: token }, [['files', 'photo.jpg', Buffer.from('\x7fELF\x02\x01\x01\x00\x00\x00', 'latin1')]]);
  assert.equal(elf.status, 422, 'the type comes from the content, not the name');
  assert.match(elf.text_, /not a type the portal takes/);
  const empty = await megan.upload(url, { csrf: token }, [['files', 'empty.txt', Buffer.alloc(0)]]);
  assert.equal(empty.status, 422);
  assert.match(empty.text_, /empty/);
  const ten = Array.from({ length: 10 }, (_, i) => ['files', `photo-${i}.jpg`, Buffer.from([0xff, 0xd8, 0xff, 0xe0, i])]);
  assert.equal((await megan.upload(url, { csrf: token }, ten)).status, 303);
  const evil = await megan.upload(url, { csrf: token }, [
    ['files', '../../etc/passwd\u0001\u001f.html', Buffer.from('<script>alert(1)</script>'), 'text/html'],
    ['files', 'logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml'],
  ]);
  assert.equal(evil.status, 303);
  const files = (await megan.json(`/api/work-orders/${n}/related`)).body.wo.files;
  assert.equal(files.filter((f) => /^photo-\d\.jpg$/.test(f.title)).length, 10);
  const html = files.find((f) => f.title.startsWith('passwd'));
  assert.ok(html, 'no directories in the name');
  assert.ok(!/[\u0000-\u001f]/.test(html.title), 'no control characters');
  for (const f of [html, files.find((x) => x.title === 'logo.svg')]) {
    const r = await megan.get(`/files/${f.id}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    assert.match(r.headers.get('content-disposition'), /^attachment;/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.headers.get('content-security-policy'), /sandbox/);
    const p = await megan.get(`/files/${f.id}/preview`);
    assert.match(p.headers.get('content-disposition'), /^attachment;/, 'never inline');
  }
  const jpg = files.find((f) => f.title === 'photo-0.jpg');
  const prev = await megan.get(`/files/${jpg.id}/preview`);
  assert.equal(prev.headers.get('content-type'), 'image/jpeg');
  assert.match(prev.headers.get('content-disposition'), /^inline;/);
  // delete: not by another user of the company, yes by the owner
  const adminTok = await meganAdmin.token();
  assert.equal((await meganAdmin.post(`/files/${jpg.id}/delete`, { csrf: adminTok })).status, 403);
  assert.equal((await megan.post(`/files/${jpg.id}/delete`, { csrf: token })).status, 303);
  assert.equal((await megan.get(`/files/${jpg.id}`)).status, 404);
});

test('no third company sees the feed, the files or the notifications', async () => {
  assert.equal((await volt.get(`/work-orders/${n}/collaborate`)).status, 404);
  assert.equal((await volt.json(`/api/work-orders/${n}/collaborate`)).status, 404);
  assert.equal((await volt.json(`/api/mentions/${n}?q=`)).status, 404);
  const token = await volt.token();
  assert.equal((await volt.post(`/work-orders/${n}/collaborate`, { csrf: token, body: 'hello' })).status, 404);
  const feed = (await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed;
  assert.equal((await volt.post(`/work-orders/${n}/collaborate/${feed[0].id}/comment`, { csrf: token, comment: 'x' })).status, 404);
  assert.equal((await volt.post(`/work-orders/${n}/collaborate/${feed[0].id}/like`, { csrf: token })).status, 404);
  const files = (await megan.json(`/api/work-orders/${n}/related`)).body.wo.files;
  assert.equal((await volt.get(`/files/${files[0].id}`)).status, 404);
  assert.equal((await volt.post(`/files/${files[0].id}/delete`, { csrf: token })).status, 404);
  const notes = (await volt.json('/api/notifications')).body.notifications;
  assert.ok(notes.every((x) => x.number !== n));
  // a post on another work order of Megan's is not reachable through this one's number either
  assert.equal((await megan.post(`/work-orders/${n}/collaborate/999999/like`, { csrf: await megan.token() })).status, 404);
});

test('new work orders notify the company; the email preference is honoured', async () => {
  const settings = await volt.token();
  assert.equal((await volt.post('/settings', { csrf: settings, time_zone: 'America/Chicago', email_mode: 'off',
    kind_status: 'on', kind_assignment: 'on', kind_mention: 'on', kind_reply: 'on', kind_post: 'on' })).status, 200, 'email off');
  const page = await op.json('/api/work-orders/new');
  const ch = page.body.choices;
  const before = smtp.messages.length;
  const made = await op.post('/work-orders/new', { csrf: page.body.csrf, case: '14530777', subject: 'CT4 Wiring Verification',
    account_id: String(ch.accounts.find((a) => a.name === 'Kriete Group').id),
    station_id: String(ch.stations.find((s) => s.name.startsWith('Kriete Group: ')).id),
    territory_id: String(ch.territories.find((t) => t.name === 'Wisconsin - Milwaukee').id),
    work_type_id: String(ch.work_types.find((t) => t.name === 'CT4 Wiring Verification').id),
    owner_id: String(ch.partners.find((p) => p.name === 'Volt Field Services').id), line_items: 'Verify the wiring' });
  assert.equal(made.status, 303);
  const notes = (await volt.json('/api/notifications')).body.notifications;
  assert.ok(notes.some((x) => x.kind === 'assignment' && /New work order \d+ assigned to your company/.test(x.text)));
  await waitFor(() => smtp.messages.length > before, 'the admin\'s email');
  await new Promise((r) => setTimeout(r, 500));
  const to = smtp.messages.slice(before).flatMap((m) => m.to);
  assert.ok(to.includes('admin@voltfield.example'), 'the admin wants email');
  assert.ok(!to.includes('dispatch@voltfield.example'), 'the dispatcher turned email off');
});
