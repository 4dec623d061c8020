// Log in, log out, sessions, CSRF, rate limits, password reset and sign up,
// over HTTP against a real server.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users, PASSWORD, setCookies } = require('../lib/server');

let srv;
before(async () => { srv = await startServer({ workOrders: 60 }); });
after(async () => { await srv.stop(); });

test('the Log in page has the guide\'s words and links', async () => {
  const c = new Client(srv.base);
  const r = await c.get('/login');
  assert.equal(r.status, 200);
  for (const w of ['Log in', 'Forgot password?', "Don't have an account?", 'Sign Up', 'for="email"', 'for="password"'])
    assert.ok(r.text_.includes(w), w);
  assert.ok(c.jar.get('fw_pre'), 'a pre-login CSRF cookie is set');
});

test('pages need a login; the API answers 401', async () => {
  const c = new Client(srv.base);
  const r = await c.get('/work-orders?view=all');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=%2Fwork-orders%3Fview%3Dall');
  const a = await c.get('/api/work-orders');
  assert.equal(a.status, 401);
  assert.equal(JSON.parse(a.text_).error, 'Log in first.');
});

test('a wrong password is refused with the same message as an unknown user', async () => {
  const c = new Client(srv.base);
  await c.get('/login');
  const bad = await c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.volt, password: 'not-the-password' });
  assert.equal(bad.status, 401);
  assert.match(bad.text_, /Your login attempt has failed/);
  assert.match(bad.text_, /value="dispatch@voltfield.example"/, 'the typed username is kept');
  const unknown = await c.post('/login', { csrf: c.jar.get('fw_pre'), email: 'nobody@voltfield.example', password: 'x-x-x-x-x-x' });
  assert.equal(unknown.status, 401);
  assert.ok(!c.jar.has('fw_session'));
});

test('login sets a hardened session cookie, rotates it, and logout ends it', async () => {
  const c = new Client(srv.base);
  await c.get('/login');
  const r = await c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.megan, password: PASSWORD, next: '/work-orders' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/work-orders');
  const cookie = setCookies(r).find((s) => s.startsWith('fw_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Max-Age=\d+/);
  const first = c.jar.get('fw_session');
  const c2 = new Client(srv.base);
  await c2.login(users.megan);
  assert.notEqual(c2.jar.get('fw_session'), first, 'every login gets a new session token');
  const home = await c.get('/');
  assert.equal(home.status, 200);
  const token = await c.token();
  const out = await c.post('/logout', { csrf: token });
  assert.equal(out.status, 303);
  const stale = new Client(srv.base);
  stale.jar.set('fw_session', first);
  assert.equal((await stale.get('/')).status, 303, 'the old token no longer works');
});

test('an open redirect through next= is not possible', async () => {
  const c = new Client(srv.base);
  await c.get('/login');
  const r = await c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.megan, password: PASSWORD, next: '//evil.example/' });
  assert.equal(r.headers.get('location'), '/');
});

test('state-changing requests without the CSRF token are refused and change nothing', async () => {
  const c = new Client(srv.base);
  await c.login(users.megan);
  const r = await c.post('/work-orders/pin', { view: 'all' });
  assert.equal(r.status, 403);
  assert.match(r.text_, /This form has expired or came from another site/);
  const wrong = await c.post('/work-orders/pin', { view: 'all', csrf: 'A'.repeat(43) });
  assert.equal(wrong.status, 403);
  const list = await c.json('/api/work-orders');
  assert.equal(list.body.view.key, 'my-open', 'the default view did not change');
  // login itself needs the pre-login token too
  const d = new Client(srv.base);
  const nocsrf = await d.post('/login', { email: users.megan, password: PASSWORD });
  assert.equal(nocsrf.status, 403);
  assert.ok(!d.jar.has('fw_session'));
});

test('a malformed session cookie is treated as no session', async () => {
  const c = new Client(srv.base);
  c.jar.set('fw_session', '%%%<script>');
  assert.equal((await c.get('/')).status, 303);
  assert.equal((await c.get('/api/work-orders')).status, 401);
});

test('login attempts are rate-limited per account', async () => {
  const c = new Client(srv.base);
  await c.get('/login');
  for (let i = 0; i < 5; i++) {
    const r = await c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.voltAdmin, password: 'wrong-' + i });
    assert.equal(r.status, 401);
  }
  const locked = await c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.voltAdmin, password: PASSWORD });
  assert.equal(locked.status, 429);
  assert.match(locked.text_, /Too many failed login attempts. Try again in \d+ minutes?\./);
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
  assert.ok(!c.jar.has('fw_session'));
});

test('Forgot password? reaches the operator, whose one-time link sets a new password', async () => {
  const anon = new Client(srv.base);
  await anon.get('/forgot-password');
  const bad = await anon.post('/forgot-password', { csrf: anon.jar.get('fw_pre'), email: 'not an email' });
  assert.equal(bad.status, 422);
  const ok = await anon.post('/forgot-password', { csrf: anon.jar.get('fw_pre'), email: users.tech });
  assert.equal(ok.status, 200);
  assert.match(ok.text_, /your administrator has been asked/);

  const op = new Client(srv.base);
  await op.login(users.operator);
  const page = await op.json('/api/users');
  const reqd = page.body.resets.find((r) => r.email === users.tech);
  assert.ok(reqd, 'the request is in the operator\'s queue');
  const issued = await op.post(`/users/${reqd.user_id}/reset-link`, { csrf: page.body.csrf });
  assert.equal(issued.status, 200);
  const link = /\/reset\/([A-Za-z0-9_-]{43})/.exec(issued.text_);
  assert.ok(link, 'the link is shown');

  const form = await anon.get(`/reset/${link[1]}`);
  assert.equal(form.status, 200);
  const mismatch = await anon.post(`/reset/${link[1]}`, { csrf: anon.jar.get('fw_pre'), password: 'new-password-123', confirm: 'other-password-123' });
  assert.equal(mismatch.status, 422);
  assert.match(mismatch.text_, /do not match/);
  const set = await anon.post(`/reset/${link[1]}`, { csrf: anon.jar.get('fw_pre'), password: 'new-password-123', confirm: 'new-password-123' });
  assert.equal(set.status, 303);
  assert.equal(set.headers.get('location'), '/login?reset=1');
  assert.equal((await anon.get(`/reset/${link[1]}`)).status, 404, 'the link works once');
  const t = new Client(srv.base);
  await t.login(users.tech, 'new-password-123');
  assert.equal((await op.json('/api/users')).body.resets.length, 0, 'the request is handled');
});

test('Sign Up requests are approved by the company\'s partner admin only', async () => {
  const anon = new Client(srv.base);
  await anon.get('/sign-up');
  const missing = await anon.post('/sign-up', { csrf: anon.jar.get('fw_pre'), name: 'Ann Lee', email: 'bad', company: 'Volt Field Services' });
  assert.equal(missing.status, 422);
  assert.match(missing.text_, /Enter a valid email address/);
  assert.match(missing.text_, /value="Ann Lee"/, 'what was typed is kept');
  const ok = await anon.post('/sign-up', { csrf: anon.jar.get('fw_pre'), name: 'Ann Lee', email: 'ann.lee@voltfield.example', company: 'Volt Field Services', phone: '555-0100', message: 'New dispatcher' });
  assert.equal(ok.status, 200);
  assert.match(ok.text_, /Your request has been sent/);

  const megan = new Client(srv.base);
  await megan.login(users.meganAdmin);
  const mp = await megan.json('/api/users');
  assert.equal(mp.body.signups.length, 0, 'another company\'s admin does not see it');

  const volt = new Client(srv.base);
  await volt.login(users.voltAdmin.replace('admin', 'dispatch'));
  assert.equal((await volt.get('/users')).status, 403, 'a dispatcher does not manage users');

  const admin = new Client(srv.base);
  // the per-account lock from the rate-limit test is on voltAdmin; approve as the operator instead
  await admin.login(users.operator);
  const ap = await admin.json('/api/users');
  const reqd = ap.body.signups.find((s) => s.email === 'ann.lee@voltfield.example');
  assert.equal(reqd.matched_company, 'Volt Field Services');
  const mine = await megan.post(`/sign-up-requests/${reqd.id}/approve`, { csrf: mp.body.csrf, role: 'dispatcher' });
  assert.equal(mine.status, 404, 'Megan\'s admin cannot approve Volt\'s request');
  const done = await admin.post(`/sign-up-requests/${reqd.id}/approve`, { csrf: ap.body.csrf, role: 'dispatcher' });
  assert.equal(done.status, 200);
  const link = /\/reset\/([A-Za-z0-9_-]{43})/.exec(done.text_);
  const ann = new Client(srv.base);
  await ann.get(`/reset/${link[1]}`);
  const set = await ann.post(`/reset/${link[1]}`, { csrf: ann.jar.get('fw_pre'), password: 'ann-password-1', confirm: 'ann-password-1' });
  assert.equal(set.status, 303);
  await ann.login('ann.lee@voltfield.example', 'ann-password-1');
  const home = await ann.json('/api/');
  assert.equal(home.body.user.company, 'Volt Field Services');
  assert.equal(home.body.user.role_label, 'Partner Dispatcher');
});

test('Set-Cookie lines are read apart without getSetCookie (Node 18), Expires dates kept whole', () => {
  const res = { headers: new Headers() };
  res.headers.append('set-cookie', 'a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly');
  res.headers.append('set-cookie', 'fw_session=xyz; Path=/; Max-Age=0');
  res.headers.append('set-cookie', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  assert.deepEqual(setCookies(res), [
    'a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly',
    'fw_session=xyz; Path=/; Max-Age=0',
    'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
  ]);
  assert.deepEqual(setCookies({ headers: new Headers() }), []);
});
