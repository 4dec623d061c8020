// The portal on a laptop and on a phone, and a Collaborate feed people can
// read: the Work Orders list fits 1366 px without sideways scrolling; at
// 390 px the tabs are one Menu and each work order a card; the portal's
// routine status posts fold into one line while people's posts show in
// full with their mentions marked.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users, PASSWORD } = require('../lib/server');
const { launch, check, session } = require('../lib/browser');

let srv, browser;
before(async () => {
  srv = await startServer({ workOrders: 200 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('at 1366 px the list needs no sideways scrolling and subjects take at most two lines', async () => {
  for (const who of [users.operator, users.megan]) {
    const s = await session(browser, srv.base, who, PASSWORD, { viewport: { width: 1366, height: 800 } });
    for (const view of ['all', 'sla-at-risk', 'completed-closed']) {
      await s.page.goto(`${srv.base}/work-orders?view=${view}`);
      const m = await s.page.evaluate(() => {
        const w = document.querySelector('.table-wrap');
        const lh = parseFloat(getComputedStyle(document.querySelector('.wo-list .clamp') || document.body).lineHeight);
        const tallest = Math.max(0, ...[...document.querySelectorAll('.wo-list .clamp')].map((e) => e.getBoundingClientRect().height));
        return { scroll: w.scrollWidth, client: w.clientWidth, page: document.documentElement.scrollWidth, lines: tallest / lh };
      });
      assert.ok(m.scroll <= m.client, `${who} ${view}: the table fits (${m.scroll} > ${m.client})`);
      assert.ok(m.page <= 1366, `${who} ${view}: the page fits`);
      assert.ok(m.lines <= 2.05, `${who} ${view}: subjects in two lines at most (${m.lines})`);
    }
    await check(s.page, 'the list at 1366 px');
    await s.ctx.close();
  }
});

test('at 390 px the tabs are one Menu and each work order is a card', async () => {
  const s = await session(browser, srv.base, users.megan, PASSWORD, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const p = s.page;
  await p.goto(`${srv.base}/work-orders?view=all`);
  assert.equal(await p.getByRole('navigation', { name: 'Partner Portal', exact: true }).count(), 0, 'no tab bar');
  await p.locator('details.navmenu > summary').click();
  const menu = p.getByRole('navigation', { name: 'Partner Portal menu' });
  for (const l of ['Home', 'Work Orders', 'Field Technician Management', 'Dashboard', 'Library', 'Notifications', 'Settings'])
    assert.ok(await menu.getByRole('link', { name: l, exact: true }).isVisible(), l);
  const m = await p.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    row: getComputedStyle(document.querySelector('.wo-list tbody tr')).display,
    label: getComputedStyle(document.querySelector('.wo-list tbody td[data-label="Status"]'), '::before').content,
  }));
  assert.ok(m.page <= 390, `the page fits the phone (${m.page})`);
  assert.equal(m.row, 'grid', 'a row is a card');
  assert.equal(m.label, '"Status"', 'each value says what it is');
  await check(p, 'the list on a phone');
  await menu.getByRole('link', { name: 'Home', exact: true }).click();
  await p.waitForURL(srv.base + '/');
  await s.ctx.close();
});

test('Collaborate: routine status posts fold into one line, people\'s posts show with mentions marked', async () => {
  const megan = new Client(srv.base);
  await megan.login(users.megan);
  const op = new Client(srv.base);
  await op.login(users.operator);
  const rows = (await megan.json('/api/work-orders?view=my-open&size=200')).body.rows;
  const n = rows.find((x) => x.status === 'In Progress').number;
  const act = async (c, a, f = {}) => {
    const v = (await c.json(`/api/work-orders/${n}`)).body.wo.version;
    const r = await c.post(`/work-orders/${n}/${a}`, { csrf: await c.token(), version: String(v), ...f });
    assert.equal(r.status, 303, a);
  };
  await act(op, 'hold', { reason: 'Waiting for the site owner', resume_on: new Date(Date.now() + 5 * 86400000).toISOString().slice(0, 10) });
  await act(op, 'resume');
  const cse = (await megan.json(`/api/work-orders/${n}`)).body.wo.customer_service_executive;
  const r = await megan.post(`/work-orders/${n}/collaborate`, { csrf: await megan.token(), body: `@"${cse}" the site owner is back; visit Thursday.` });
  assert.equal(r.status, 303);

  const s = await session(browser, srv.base, users.megan, PASSWORD);
  await s.page.goto(`${srv.base}/work-orders/${n}/collaborate`);
  const first = s.page.locator('article.post').first();
  await first.getByText('the site owner is back').waitFor();
  assert.equal(await first.locator('mark.mention').innerText(), `@"${cse}"`);
  const folded = s.page.locator('details.routine');
  assert.ok(await folded.count() >= 1, 'the status changes are folded');
  const summary = await folded.first().locator('summary').innerText();
  assert.match(summary, /^\d+ updates? from the portal$/);
  assert.ok(!(await folded.first().getAttribute('open') !== null), 'closed until opened');
  await folded.first().locator('summary').click();
  await folded.first().getByText(/Status changed from/).first().waitFor();
  const feed = (await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed;
  assert.ok(feed.some((p) => p.routine && /^Status changed from/.test(p.body)), 'status changes are routine');
  assert.ok(feed.some((p) => !p.routine && p.body.includes('the site owner is back')));
  await check(s.page, 'Collaborate with folded updates');
  await s.ctx.close();
});
