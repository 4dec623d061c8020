// Integrating, in a real browser: a partner admin makes an API token in
// Settings for the company's integration user, copies it once, sees it
// used and revokes it; adds a webhook endpoint, sees the deliveries and
// sends one again.  The operator imports work orders from a CSV file.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { startServer, users, PASSWORD } = require('../lib/server');
const { launch, check, watched } = require('../lib/browser');

let srv, browser, rx;
const got = [];
before(async () => {
  srv = await startServer({ workOrders: 120, env: { FIELDWORK_WEBHOOK_ALLOW_HTTP: '1', FIELDWORK_WEBHOOK_RETRY_SECONDS: '1' } });
  browser = await launch();
  rx = http.createServer((req, res) => { let b = ''; req.on('data', (d) => { b += d; }); req.on('end', () => { got.push(JSON.parse(b)); res.writeHead(200); res.end(); }); });
  await new Promise((r) => rx.listen(0, '127.0.0.1', r));
});
after(async () => {
  rx?.close();
  await browser?.close();
  await srv?.stop();
});

test('a token and a webhook from Settings', async () => {
  const s = await watched(browser, srv.base, users.meganAdmin, PASSWORD);
  const p = s.page;
  await p.goto(srv.base + '/settings');
  await p.getByLabel('Name').fill('Dispatch system');
  await p.getByLabel('For').selectOption({ label: `Joe Bradley (${users.tech})` });
  await p.getByLabel('Scope').selectOption('write');
  await p.getByRole('button', { name: 'Make a token' }).click();
  await p.getByRole('heading', { name: 'API token' }).waitFor();
  await check(p, 'the token, shown once');
  const token = await p.getByLabel('Token').inputValue();
  assert.match(token, /^fwp_/);
  const r = await fetch(srv.base + '/api/work-orders?size=1', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  await p.getByRole('link', { name: 'Back to Settings' }).click();
  const row = p.locator('form.token', { hasText: 'Dispatch system' });
  await row.getByText(/Joe Bradley · read, write/).waitFor();
  assert.ok(!(await row.innerText()).includes('last used not yet'), 'its use is shown');

  // a webhook
  await p.getByLabel('Endpoint (https://)').fill(`http://127.0.0.1:${rx.address().port}/events`);
  await p.getByRole('button', { name: 'Add the endpoint' }).click();
  await p.getByRole('heading', { name: 'Webhook' }).waitFor();
  assert.match(await p.getByLabel('Signing secret').inputValue(), /^whsec_/);
  await p.goto(srv.base + '/settings');
  await check(p, 'Settings with a token and an endpoint');
  // something happens: a post on one of the company's work orders
  const n = (await (await fetch(srv.base + '/api/work-orders?view=my-open&size=1', { headers: { Authorization: `Bearer ${token}` } })).json()).rows[0].number;
  const post = await fetch(srv.base + `/api/work-orders/${n}/follow`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  assert.equal(post.status, 403, 'Joe is a technician: the token has his permissions');
  await p.goto(`${srv.base}/work-orders/${n}/collaborate`);
  await p.getByPlaceholder('Share an update...').fill('Heads up for the dispatch system');
  await p.getByRole('button', { name: 'Share' }).click();
  await p.waitForURL(/done=posted/);
  const deadline = Date.now() + 10000;
  while (!got.some((e) => e.event === 'post.added') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  assert.ok(got.some((e) => e.event === 'post.added' && e.data.body === 'Heads up for the dispatch system'));
  // the receiver has the event; the sender records the delivery just
  // after its answer: Settings shows it once that is written
  const del = p.locator('form', { hasText: /post\.added → http:\/\/127\.0\.0\.1:\d+\/events · delivered/ }).first();
  for (const until = Date.now() + 10000; ; await new Promise((res) => setTimeout(res, 200))) {
    await p.goto(srv.base + '/settings');
    if (await del.count() > 0 || Date.now() > until) break;
  }
  await del.waitFor({ timeout: 1000 });
  const before = got.length;
  await del.getByRole('button', { name: /Resend/ }).click();
  await p.getByText('The delivery is queued again').waitFor();
  while (got.length === before && Date.now() < deadline + 10000) await new Promise((res) => setTimeout(res, 100));
  assert.equal(got.length, before + 1, 'sent again');
  // revoke the token
  await p.locator('form.token', { hasText: 'Dispatch system' }).getByRole('button', { name: /Revoke/ }).click();
  await p.getByText('The token is revoked').waitFor();
  assert.equal((await fetch(srv.base + '/api/work-orders?size=1', { headers: { Authorization: `Bearer ${token}` } })).status, 401);
  assert.deepEqual(s.errors, []);
  await s.ctx.close();
});

test('the operator imports work orders from a CSV file', async () => {
  const s = await watched(browser, srv.base, users.operator, PASSWORD);
  const p = s.page;
  await p.goto(srv.base + '/');
  await p.getByRole('link', { name: 'Import', exact: true }).click();
  await p.getByRole('heading', { name: 'Import work orders' }).waitFor();
  await check(p, 'Import work orders');
  const ch = await (await p.request.get(srv.base + '/api/work-orders/new')).json();
  const st = ch.choices.stations.find((x) => x.name.startsWith("Kohl's: "));
  const serial = /, ([0-9]+)\)$/.exec(st.name)[1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-e2e-'));
  const bad = path.join(dir, 'orders.csv');
  fs.writeFileSync(bad, `Case,Subject,Account,Station,Service Territory,Entitlement,Work Type,Owner,Parts Needed,Line Items\r\n` +
    `71001,Head swap,Kohl's,${serial},Florida - Orlando Metro,Repair SLA Assure,CT4 Head Replacement,Megan's Dispatch Service,No,Replace the head\r\n` +
    `71002,Fan,Kohl's,${serial},Florida - Orlando Metro,,No Such Type,Megan's Dispatch Service,No,Replace the fan\r\n`);
  await p.getByLabel('CSV file').setInputFiles(bad);
  await p.getByRole('button', { name: 'Import' }).click();
  await p.getByText('1 of 2 rows need your attention; nothing was made.').waitFor();
  await p.getByRole('cell', { name: 'There is no work type "No Such Type".' }).waitFor();
  await check(p, 'the import report');
  const good = path.join(dir, 'orders2.csv');
  fs.writeFileSync(good, fs.readFileSync(bad, 'utf8').replace('No Such Type', 'CT4 Head Replacement'));
  await p.getByLabel(/orders.csv/).uncheck();   // the held file, left out
  await p.getByLabel('CSV file').setInputFiles(good);
  await p.getByRole('button', { name: 'Import' }).click();
  await p.getByText('2 work orders are made.').waitFor();
  const links = await p.getByRole('main').getByRole('link', { name: /^\d{8}$/ }).allInnerTexts();
  assert.equal(links.length, 2);
  assert.deepEqual(s.errors, []);
  await s.ctx.close();
});
