// The attacks of an anonymous host, and pages under write load: each test
// is named after what it tries.  Traffic goes to loopback only; every loop
// is bounded in count and time.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const fs = require('node:fs');
const { startServer, Client, users, setCookies } = require('../lib/server');

let srv;
before(async () => { srv = await startServer({ workOrders: 120 }); });
after(async () => { await srv.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Sends TEXT on a new connection (from ADDR) and resolves with the status
// line, how long it took and whether the server closed the connection.
function raw(text, { addr = '127.0.0.1', wait = 2000 } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let out = '';
    let first = 0;
    let done = false;
    const s = net.connect({ port: srv.port, host: '127.0.0.1', localAddress: addr }, () => s.write(text));
    const finish = (closed) => {
      if (done) return;
      done = true;
      resolve({ status: Number((/^HTTP\/1\.[01] (\d{3})/.exec(out) || [])[1] || 0), ms: (first || Date.now()) - t0, closed, out });
      s.destroy();
    };
    s.on('data', (d) => { first = first || Date.now(); out += d.toString('latin1'); });
    s.on('close', () => finish(true));
    s.on('error', () => finish(true));
    setTimeout(() => finish(false), wait);
  });
}

// Peak resident memory of the server, in MiB.
function peakRssMiB() {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${srv.pid}/status`, 'utf8'));
  return Number(m[1]) / 1024;
}

test('malformed requests: each answered with a 4xx at once, and the server stays up', async () => {
  const big = 'a'.repeat(9000);
  const cases = [
    ['request line over 8 KiB', `GET /login?x=${big} HTTP/1.1\r\nHost: a\r\n\r\n`, 414],
    ['header field over 8 KiB', `GET /login HTTP/1.1\r\nHost: a\r\nX-Big: ${big}\r\n\r\n`, 431],
    ['200 header fields', `GET /login HTTP/1.1\r\nHost: a\r\n${Array.from({ length: 200 }, (_, i) => `X-F${i}: v`).join('\r\n')}\r\n\r\n`, 431],
    ['100 MiB declared body', 'POST /login HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 104857600\r\n\r\n', 413],
    ['HTTP/1.1 without Host', 'GET /login HTTP/1.1\r\n\r\n', 400],
    ['NUL in a header', 'GET /login HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n', 400],
    ['NUL in the path', 'GET /lo\0gin HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['control byte in a header', 'GET /login HTTP/1.1\r\nHost: a\r\nX-A: b\x01c\r\n\r\n', 400],
    ['Content-Length with Transfer-Encoding', 'POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['unknown transfer coding', 'POST /login HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n', 501],
    ['two different Content-Lengths', 'POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcde', 400],
    ['negative Content-Length', 'POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n', 400],
    ['space in a header name', 'GET /login HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n', 400],
    ['folded header line', 'GET /login HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n', 400],
    ['unknown method', 'BREW /login HTTP/1.1\r\nHost: a\r\n\r\n', 405],
    ['anonymous 96 MiB upload', 'POST /work-orders/1/files HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100663296\r\n\r\n--x\r\n', 403],
  ];
  for (const [name, text, want] of cases) {
    const r = await raw(text);
    assert.equal(r.status, want, `${name}: ${r.out.slice(0, 60)}`);
    assert.ok(r.ms < 1000, `${name} answered at once (${r.ms} ms)`);
    if (want !== 405) assert.ok(r.closed, `${name}: the connection is closed`);
  }
  assert.equal((await fetch(srv.base + '/healthz')).status, 200, 'still serving');
});

test('unfinished anonymous uploads: refused before the body, memory stays flat', async () => {
  const socks = [];
  const answers = await Promise.all(Array.from({ length: 8 }, () => new Promise((resolve) => {
    const s = net.connect(srv.port, '127.0.0.1', () => {
      s.write('POST /work-orders/1/files HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=x\r\n' +
        'Content-Length: 100663296\r\n\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n');
      s.write(Buffer.alloc(32 << 10, 0x41));
    });
    let out = '';
    s.on('data', (d) => { out += d; resolve(out.slice(0, 12)); });
    s.on('error', () => resolve(out.slice(0, 12)));
    socks.push(s);
    setTimeout(() => resolve(out.slice(0, 12)), 3000);
  })));
  socks.forEach((s) => s.destroy());
  for (const a of answers) assert.equal(a, 'HTTP/1.1 403');
  assert.ok(peakRssMiB() < 128, `peak RSS ${peakRssMiB()} MiB`);
});

test('a logged-in 20 MiB upload arrives whole (it streams through a temporary file)', async () => {
  const c = new Client(srv.base);
  await c.login(users.megan);
  const list = await c.json('/api/work-orders?view=my-open&size=1');
  const n = list.body.rows[0].number;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 << 20, 0x20)]);
  const r = await c.upload(`/work-orders/${n}/files`, { csrf: await c.token() }, [['file', 'big.pdf', pdf, 'application/pdf']]);
  assert.equal(r.status, 303);
  const related = await c.json(`/api/work-orders/${n}/related`);
  const f = related.body.wo.files.find((x) => x.title === 'big.pdf');
  assert.ok(f, 'the file is listed');
  const got = await c.get(`/files/${f.id}`);
  assert.equal(Buffer.byteLength(got.text_, 'latin1') > 0, true);
  assert.equal(Number(got.headers.get('content-length')), pdf.length, 'every byte stored');
});

test('slowloris: 1,000 trickling connections from one address, another user\'s list keeps answering', async () => {
  const socks = [];
  let refused = 0;
  for (let i = 0; i < 1000; i++) {
    const s = net.connect({ port: srv.port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => s.write('GET /login HTTP/1.1\r\n'));
    s.on('error', () => {});
    s.on('close', () => { refused++; });
    socks.push(s);
  }
  const trickle = setInterval(() => { for (const s of socks) if (!s.destroyed) s.write('X'); }, 1000);
  const c = new Client(srv.base);
  await c.login(users.volt);
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t0 = Date.now();
    const r = await c.get('/work-orders?view=all');
    assert.equal(r.status, 200);
    times.push(Date.now() - t0);
    await sleep(100);
  }
  clearInterval(trickle);
  times.sort((a, b) => a - b);
  assert.ok(times[10] <= 200, `median ${times[10]} ms`);
  assert.ok(refused >= 1000 - 32, `at most 32 kept from one address (${1000 - refused} open)`);
  socks.forEach((s) => s.destroy());
});

test('headers sent one byte at a time are cut off after 10 s with a 408', async () => {
  const s = net.connect(srv.port, '127.0.0.1', () => s.write('GET /login HTTP/1.1\r\nHost: a\r\n'));
  s.on('error', () => {});
  let out = '';
  s.on('data', (d) => { out += d; });
  const t0 = Date.now();
  const trickle = setInterval(() => { if (!s.destroyed) s.write('X-A: b\r\n'); }, 1000);
  const closedAt = await new Promise((resolve) => {
    s.on('close', () => resolve(Date.now() - t0));
    setTimeout(() => resolve(-1), 16000);
  });
  clearInterval(trickle);
  s.destroy();
  assert.ok(closedAt > 0 && closedAt < 13000, `closed after ${closedAt} ms`);
  assert.match(out, /^HTTP\/1\.1 408 /);
});

test('write load: pages never fail while three others post to Collaborate', async () => {
  const posters = await Promise.all([users.megan, users.meganAdmin, users.operator].map(async (u) => {
    const c = new Client(srv.base);
    await c.login(u);
    return c;
  }));
  const reader = new Client(srv.base);
  await reader.login(users.megan);
  const list = await reader.json('/api/work-orders?view=my-open&size=20');
  const numbers = list.body.rows.map((r) => r.number);
  const tokens = await Promise.all(posters.map((p) => p.token()));
  const deadline = Date.now() + 5000;
  let bad = 0, reads = 0, writes = 0;
  const write = async (p, i) => {
    while (Date.now() < deadline) {
      const r = await p.post(`/work-orders/${numbers[writes % numbers.length]}/collaborate`, { csrf: tokens[i], body: `load ${writes}` });
      writes++;
      if (r.status >= 500) bad++;
    }
  };
  const read = async () => {
    while (Date.now() < deadline) {
      for (const path of ['/notifications', `/work-orders/${numbers[reads % numbers.length]}`,
        `/work-orders/${numbers[reads % numbers.length]}/collaborate`]) {
        const r = await reader.get(path);
        reads++;
        if (r.status >= 500) bad++;
      }
    }
  };
  await Promise.all([...posters.map((p, i) => write(p, i)), read()]);
  assert.equal(bad, 0, `${bad} answers 5xx of ${reads} reads and ${writes} writes`);
  assert.ok(reads > 30 && writes > 30);
  const recent = await reader.json('/api/work-orders?view=recent&size=50');
  const seen = new Set(recent.body.rows.map((r) => r.number));
  assert.ok(numbers.slice(0, Math.min(numbers.length, reads / 3)).every((n) => seen.has(n)), 'every view was recorded');
});

test('open redirect after login: next= with a tab or a backslash goes home', async () => {
  for (const next of ['/\t/evil.example', '/\\evil.example', '\t//evil.example', '/ /evil.example', '//evil.example']) {
    const c = new Client(srv.base);
    await c.get('/login');
    const r = await c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.megan, password: 'fieldwork-demo', next });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/', JSON.stringify(next));
  }
  const page = await fetch(`${srv.base}/login?next=/%09/evil.example`);
  assert.ok(!(await page.text()).includes('evil.example'), 'the login form does not carry it either');
});

test('a used reset link retires the older ones', async () => {
  const op = new Client(srv.base);
  await op.login(users.operator);
  const page = await op.json('/api/users');
  const target = page.body.users.find((u) => u.email === users.tech);
  const links = [];
  for (let i = 0; i < 2; i++) {
    const issued = await op.post(`/users/${target.id}/reset-link`, { csrf: page.body.csrf });
    links.push(/\/reset\/([A-Za-z0-9_-]{43})/.exec(issued.text_)[1]);
  }
  const anon = new Client(srv.base);
  await anon.get(`/reset/${links[1]}`);
  const set = await anon.post(`/reset/${links[1]}`, { csrf: anon.jar.get('fw_pre'), password: 'joe-password-22', confirm: 'joe-password-22' });
  assert.equal(set.status, 303);
  assert.equal((await anon.get(`/reset/${links[0]}`)).status, 404, 'the older link is spent too');
});

test('disabling a user ends their sessions and stops their calendar feeds', async () => {
  const admin = new Client(srv.base);
  await admin.login(users.meganAdmin);
  const dana = new Client(srv.base);
  await dana.login(users.megan);
  const made = await dana.post('/calendar/new', { csrf: await dana.token() });
  const token = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(made.text_)[1];
  assert.equal((await fetch(`${srv.base}/calendar/${token}.ics`)).status, 200);
  const page = await admin.json('/api/users');
  const me = page.body.users.find((u) => u.email === users.megan);
  assert.equal((await admin.post(`/users/${me.id}/disable`, { csrf: page.body.csrf })).status, 303);
  assert.equal((await fetch(`${srv.base}/calendar/${token}.ics`)).status, 404, 'the feed stops');
  assert.equal((await dana.get('/')).status, 303, 'the session is over');
  assert.equal((await admin.post(`/users/${me.id}/enable`, { csrf: page.body.csrf })).status, 303);
});

test('behind https: HSTS, Secure cookies, and links from FIELDWORK_BASE_URL, not the Host header', async () => {
  const s2 = await startServer({ workOrders: 10, env: { FIELDWORK_BASE_URL: 'https://partners.example.com' } });
  try {
    const r = await fetch(`${s2.base}/login`);
    assert.match(r.headers.get('strict-transport-security') || '', /max-age=\d+/);
    assert.ok(setCookies(r).every((c) => /; Secure/.test(c)), 'every cookie is Secure');
    const op = new Client(s2.base);
    await op.login(users.operator);
    const page = await op.json('/api/users');
    const u = page.body.users.find((x) => x.email === users.tech);
    const issued = await op.post(`/users/${u.id}/reset-link`, { csrf: page.body.csrf }, { headers: { host: 'evil.example' } });
    assert.match(issued.text_, /https:\/\/partners\.example\.com\/reset\/[A-Za-z0-9_-]{43}/);
    assert.ok(!issued.text_.includes('evil.example'));
  } finally {
    await s2.stop();
  }
});

test('a change without the work order\'s version is refused, not applied blind', async () => {
  const op = new Client(srv.base);
  await op.login(users.operator);
  const list = await op.json('/api/work-orders?view=my-open&size=50');
  const w = list.body.rows.find((r) => r.status === 'In Progress') || list.body.rows[0];
  const before = (await op.json(`/api/work-orders/${w.number}`)).body.wo;
  const r = await op.post(`/work-orders/${w.number}/hold`, { csrf: await op.token(), resume_on: '2027-01-15', reason: 'blind' });
  assert.equal(r.status, 409);
  assert.match(r.text_, /Reload the page and try again/);
  const after = (await op.json(`/api/work-orders/${w.number}`)).body.wo;
  assert.equal(after.status, before.status);
  assert.equal(after.version, before.version);
});

test('a CSV export of a search over 16 words is refused before it starts, not cut short', async () => {
  const c = new Client(srv.base);
  await c.login(users.megan);
  const q = Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ');
  const r = await c.get(`/work-orders/export.csv?view=all&q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 400);
  assert.match(r.text_, /16 words/);
});

test('a sign-up email\'s domain is matched as text, not as a LIKE pattern', async () => {
  const anon = new Client(srv.base);
  await anon.get('/sign-up');
  const r = await anon.post('/sign-up', { csrf: anon.jar.get('fw_pre'), name: 'Pat Tern', email: 'y@%.example',
    company: 'Somebody Else', phone: '555 123 4567', message: '' });
  assert.ok(r.status === 200 || r.status === 422, `answered ${r.status}`);
  const op = new Client(srv.base);
  await op.login(users.operator);
  const req = (await op.json('/api/users')).body.signups.find((s) => s.email === 'y@%.example');
  assert.ok(req, 'the request is recorded');
  assert.equal(req.matched_company_id, 0, `matched ${req.matched_company}`);
});

test('lockout abuse: someone else\'s wrong passwords do not lock the owner out, even behind a proxy', async () => {
  const s2 = await startServer({ workOrders: 10, env: { FIELDWORK_TRUSTED_PROXY: '127.0.0.1' } });
  try {
    const login = async (password, from) => {
      const c = new Client(s2.base);
      await c.get('/login');
      return c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.volt, password }, { headers: { 'x-forwarded-for': from } });
    };
    for (let i = 0; i < 5; i++) assert.equal((await login('wrong-' + i, '203.0.113.5')).status, 401);
    const attacker = await login('fieldwork-demo', '203.0.113.5');
    assert.equal(attacker.status, 429, 'the guessing address waits');
    assert.ok(Number(attacker.headers.get('retry-after')) > 0);
    assert.equal((await login('fieldwork-demo', '198.51.100.7')).status, 303, 'the owner, elsewhere, gets in');
  } finally {
    await s2.stop();
  }
  // without a trusted proxy, X-Forwarded-For is the client's own word and is ignored
  const c = new Client(srv.base);
  await c.get('/login');
  for (let i = 0; i < 5; i++) {
    await c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.voltAdmin, password: 'nope-' + i }, { headers: { 'x-forwarded-for': `192.0.2.${i}` } });
  }
  const r = await c.post('/login', { csrf: c.jar.get('fw_pre'), email: users.voltAdmin, password: 'fieldwork-demo' }, { headers: { 'x-forwarded-for': '192.0.2.99' } });
  assert.equal(r.status, 429, 'the five failures count against the real address');
});

test('one user\'s parallel unfinished uploads are capped together, and the cap is given back', async () => {
  const s2 = await startServer({ workOrders: 10, env: { FIELDWORK_MAX_FILE_MB: '2' } });   // 8 MB a request, 16 a user
  try {
    const c = new Client(s2.base);
    await c.login(users.megan);
    const n = (await c.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
    const token = await c.token();
    const cookie = c.cookieHeader();
    const part = (i) => `--xyzboundary\r\nContent-Disposition: form-data; name="files"; filename="f${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`;
    // four files of 1.9 MB: under one request's 8 MB, two of them under the user's 16 MB, three over
    const body = Buffer.concat([Buffer.from(`--xyzboundary\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${token}\r\n`),
      ...[0, 1, 2, 3].flatMap((i) => [Buffer.from(part(i)), Buffer.alloc(1900 * 1000, 0x20), Buffer.from('\r\n')]),
      Buffer.from('--xyzboundary--\r\n')]);
    const send = (whole) => new Promise((resolve) => {
      let out = '';
      const s = net.connect(s2.port, '127.0.0.1', () => {
        s.write(`POST /work-orders/${n}/files HTTP/1.1\r\nHost: a\r\nCookie: ${cookie}\r\n` +
          `Content-Type: multipart/form-data; boundary=xyzboundary\r\nContent-Length: ${body.length}\r\n\r\n`);
        s.write(whole ? body : body.subarray(0, body.length - 1000));   // the first two never end
        setTimeout(() => resolve({ s, out: () => out }), whole ? 3000 : 1500);
      });
      s.on('data', (d) => { out += d; });
      s.on('error', () => {});
    });
    const a = await send(false), b = await send(false), third = await send(true);
    assert.equal(a.out(), '');
    assert.match(third.out(), /^HTTP\/1\.1 413 /, `the third is over the user's cap: ${JSON.stringify(third.out().slice(0, 40))}`);
    [a, b, third].forEach((x) => x.s.destroy());
    await sleep(300);
    const ok = await c.upload(`/work-orders/${n}/files`, { csrf: token }, [['files', 'after.pdf', Buffer.from('%PDF-1.4\nok'), 'application/pdf']]);
    assert.equal(ok.status, 303, 'the cap is given back when the uploads end');
  } finally {
    await s2.stop();
  }
});
