// Customer Information's Map: every work order links to OpenStreetMap at
// its station's coordinates; with a tile server configured (FIELDWORK_TILES,
// here a local one that counts what it serves) the page draws the site on
// a small Leaflet map, and the pages' policy admits only that origin. And
// Related RMA / FSO shows the latest part orders with View All.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer, Client, users, PASSWORD } = require('../lib/server');
const { launch, axe, watched } = require('../lib/browser');

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f3b1a10000000049454e44ae426082', 'hex');
let tiles, tileHits = [], srv, plain, browser;
before(async () => {
  tiles = http.createServer((req, res) => { tileHits.push(req.url); res.writeHead(200, { 'Content-Type': 'image/png' }); res.end(PNG); });
  await new Promise((r) => tiles.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${tiles.address().port}`;
  srv = await startServer({ workOrders: 120, env: { FIELDWORK_TILES: `${origin}/{z}/{x}/{y}.png` } });
  plain = await startServer({ workOrders: 120 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  await plain?.stop();
  tiles?.close();
});

test('without a tile server: the coordinates and a link to OpenStreetMap, no script', async () => {
  const c = new Client(plain.base);
  await c.login(users.megan);
  const n = (await c.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
  const wo = (await c.json(`/api/work-orders/${n}`)).body.wo;
  assert.match(wo.map.lat, /^-?\d+\.\d{6}$/);
  const page = await c.get(`/work-orders/${n}`);
  assert.ok(page.text_.includes(`href="https://www.openstreetmap.org/?mlat=${wo.map.lat}&amp;mlon=${wo.map.lon}#map=17/${wo.map.lat}/${wo.map.lon}"`));
  assert.ok(!page.text_.includes('leaflet'), 'no map script without tiles');
  assert.match(page.headers.get('content-security-policy'), /img-src 'self' data:;/);
});

test('with a tile server: the site on a Leaflet map, tiles from that origin only', async () => {
  const s = await watched(browser, srv.base, users.megan, PASSWORD);
  const c = new Client(srv.base);
  await c.login(users.megan);
  const n = (await c.json('/api/work-orders?view=my-open&size=1')).body.rows[0].number;
  const page = await c.get(`/work-orders/${n}`);
  assert.match(page.headers.get('content-security-policy'), new RegExp(`img-src 'self' data: http://127.0.0.1:${tiles.address().port};`));
  await s.page.goto(`${srv.base}/work-orders/${n}`);
  await s.page.locator('#site-map.leaflet-container').waitFor();
  await s.page.locator('#site-map img.leaflet-tile-loaded').first().waitFor();
  assert.ok(tileHits.some((u) => /^\/15\/\d+\/\d+\.png$/.test(u)), `tiles asked at zoom 15: ${tileHits.slice(0, 3)}`);
  assert.ok(await s.page.getByRole('link', { name: /Open the site on OpenStreetMap/ }).isVisible());
  assert.deepEqual(await axe(s.page), [], 'accessibility with the map');
  assert.deepEqual(s.errors, []);
  await s.ctx.close();
});

test('Related RMA / FSO: the latest five, and View All', async () => {
  const s = await watched(browser, srv.base, users.megan, PASSWORD);
  const c = new Client(srv.base);
  await c.login(users.megan);
  let n = 0;
  for (const r of (await c.json('/api/work-orders?view=my-open&size=200')).body.rows) {
    if (r.status !== 'In Progress') continue;
    if ((await c.json(`/api/work-orders/${r.number}/rma-fso`)).body.rma_total > 5) { n = r.number; break; }
  }
  assert.ok(n, 'the demo has a site with seven part orders');
  await s.page.goto(`${srv.base}/work-orders/${n}/rma-fso`);
  assert.equal(await s.page.locator('#rma-h + .table-wrap tbody tr').count(), 5);
  await s.page.getByRole('link', { name: /View All/ }).click();
  await s.page.waitForURL(/all=1/);
  assert.equal(await s.page.locator('#rma-h + .table-wrap tbody tr').count(), 7);
  assert.deepEqual(s.errors, []);
  await s.ctx.close();
});
